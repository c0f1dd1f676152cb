package dev.balboa.nn;

import dev.balboa.api.Generator;
import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import dev.balboa.spi.DType;
import java.util.Arrays;
import java.util.Locale;

/**
 * Weight initialisation ({@code torch.nn.init}): every function fills its tensor in place
 * without recording autograd history and returns it. Each takes an explicit {@link Generator};
 * the overloads without one use {@link Generator#defaultGenerator()}. Fan-in and fan-out are
 * computed as PyTorch does: {@code size(1) * receptive field} and {@code size(0) * receptive field}.
 */
public final class Init {
    private Init() {}

    /** Which fan {@link #kaimingUniform_} and {@link #kaimingNormal_} scale by. */
    public enum FanMode {
        /** Preserves the variance of activations in the forward pass. */
        FAN_IN,
        /** Preserves the variance of gradients in the backward pass. */
        FAN_OUT
    }

    /**
     * Fan-in and fan-out of a weight.
     *
     * @param fanIn  input feature maps times the receptive field size
     * @param fanOut output feature maps times the receptive field size
     */
    public record Fans(long fanIn, long fanOut) {}

    /** The fans of a weight of {@code shape} (at least 2-D): dims 0 and 1 are output and input maps, the rest the receptive field. */
    public static Fans fans(long... shape) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("init: fan in and fan out can not be computed for a tensor with fewer than 2 dimensions, got shape "
                    + Arrays.toString(shape));
        }
        long receptive = 1;
        for (int i = 2; i < shape.length; i++) receptive *= shape[i];
        return new Fans(shape[1] * receptive, shape[0] * receptive);
    }

    /** The fans of {@code tensor}'s shape. */
    public static Fans fans(Tensor tensor) { return fans(tensor.shape()); }

    private static long fan(Tensor t, FanMode mode) {
        Fans f = fans(t);
        return mode == FanMode.FAN_IN ? f.fanIn() : f.fanOut();
    }

    /** {@link #calculateGain(String, double)} with the default parameter (0.01 for leaky_relu). */
    public static double calculateGain(String nonlinearity) { return calculateGain(nonlinearity, Double.NaN); }

    /**
     * The recommended gain of a nonlinearity: 1 for linear, conv and sigmoid, 5/3 for tanh, √2
     * for relu, √(2 / (1 + slope²)) for leaky_relu (slope {@code param}, NaN means 0.01), 3/4
     * for selu.
     */
    public static double calculateGain(String nonlinearity, double param) {
        String n = nonlinearity.toLowerCase(Locale.ROOT);
        return switch (n) {
            case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid" -> 1.0;
            case "tanh" -> 5.0 / 3;
            case "relu" -> Math.sqrt(2.0);
            case "leaky_relu" -> {
                double slope = Double.isNaN(param) ? 0.01 : param;
                yield Math.sqrt(2.0 / (1 + slope * slope));
            }
            case "selu" -> 3.0 / 4;
            default -> throw new IllegalArgumentException("calculateGain: unsupported nonlinearity '" + nonlinearity
                    + "' (linear, conv1d/2d/3d, conv_transpose1d/2d/3d, sigmoid, tanh, relu, leaky_relu, selu)");
        };
    }

    /** Fills with U(low, high). */
    public static Tensor uniform_(Tensor t, double low, double high, Generator gen) {
        try (var g = Grad.disabled()) {
            return t.uniform_(low, high, gen);
        }
    }

    /** Fills with U(low, high) from the default generator. */
    public static Tensor uniform_(Tensor t, double low, double high) { return uniform_(t, low, high, Generator.defaultGenerator()); }

    /** Fills with N(mean, std²). */
    public static Tensor normal_(Tensor t, double mean, double std, Generator gen) {
        try (var g = Grad.disabled()) {
            return t.normal_(mean, std, gen);
        }
    }

    /** Fills with N(mean, std²) from the default generator. */
    public static Tensor normal_(Tensor t, double mean, double std) { return normal_(t, mean, std, Generator.defaultGenerator()); }

    /** Fills with {@code value}. */
    public static Tensor constant_(Tensor t, double value) {
        try (var g = Grad.disabled()) {
            return t.fill_(value);
        }
    }

    /** Fills with zeros. */
    public static Tensor zeros_(Tensor t) { return constant_(t, 0.0); }

    /** Fills with ones. */
    public static Tensor ones_(Tensor t) { return constant_(t, 1.0); }

    /** Glorot uniform: U(-a, a) with {@code a = gain * sqrt(6 / (fan_in + fan_out))}. */
    public static Tensor xavierUniform_(Tensor t, double gain, Generator gen) {
        Fans f = fans(t);
        double a = gain * Math.sqrt(6.0 / (f.fanIn() + f.fanOut()));
        return uniform_(t, -a, a, gen);
    }

    /** Glorot uniform with gain 1 from the default generator. */
    public static Tensor xavierUniform_(Tensor t) { return xavierUniform_(t, 1.0, Generator.defaultGenerator()); }

    /** Glorot normal: N(0, std²) with {@code std = gain * sqrt(2 / (fan_in + fan_out))}. */
    public static Tensor xavierNormal_(Tensor t, double gain, Generator gen) {
        Fans f = fans(t);
        return normal_(t, 0, gain * Math.sqrt(2.0 / (f.fanIn() + f.fanOut())), gen);
    }

    /** Glorot normal with gain 1 from the default generator. */
    public static Tensor xavierNormal_(Tensor t) { return xavierNormal_(t, 1.0, Generator.defaultGenerator()); }

    private static double kaimingStd(Tensor t, double a, FanMode mode, String nonlinearity) {
        long fan = fan(t, mode);
        if (fan == 0) throw new IllegalArgumentException("kaiming init: cannot initialise a tensor with zero " + mode + ", shape "
                + Arrays.toString(t.shape()));
        return calculateGain(nonlinearity, a) / Math.sqrt(fan);
    }

    /**
     * He uniform: U(-b, b) with {@code b = gain * sqrt(3 / fan)}, the gain of {@code nonlinearity}
     * (for leaky_relu with negative slope {@code a}).
     */
    public static Tensor kaimingUniform_(Tensor t, double a, FanMode mode, String nonlinearity, Generator gen) {
        double bound = Math.sqrt(3.0) * kaimingStd(t, a, mode, nonlinearity);
        return uniform_(t, -bound, bound, gen);
    }

    /** He uniform with PyTorch's defaults (a=0, fan_in, leaky_relu) from the default generator. */
    public static Tensor kaimingUniform_(Tensor t) { return kaimingUniform_(t, 0, FanMode.FAN_IN, "leaky_relu", Generator.defaultGenerator()); }

    /** He uniform from the default generator. */
    public static Tensor kaimingUniform_(Tensor t, double a, FanMode mode, String nonlinearity) {
        return kaimingUniform_(t, a, mode, nonlinearity, Generator.defaultGenerator());
    }

    /** He normal: N(0, std²) with {@code std = gain / sqrt(fan)}. */
    public static Tensor kaimingNormal_(Tensor t, double a, FanMode mode, String nonlinearity, Generator gen) {
        return normal_(t, 0, kaimingStd(t, a, mode, nonlinearity), gen);
    }

    /** He normal with PyTorch's defaults (a=0, fan_in, leaky_relu) from the default generator. */
    public static Tensor kaimingNormal_(Tensor t) { return kaimingNormal_(t, 0, FanMode.FAN_IN, "leaky_relu", Generator.defaultGenerator()); }

    /** He normal from the default generator. */
    public static Tensor kaimingNormal_(Tensor t, double a, FanMode mode, String nonlinearity) {
        return kaimingNormal_(t, a, mode, nonlinearity, Generator.defaultGenerator());
    }

    /**
     * A (semi-)orthogonal matrix scaled by {@code gain}: the tensor viewed as {@code [size(0), rest]}
     * gets orthonormal rows (or columns, whichever are fewer), from the QR decomposition of a
     * standard normal matrix with the signs fixed so that R has a positive diagonal. Computed in
     * float64 on the host.
     */
    public static Tensor orthogonal_(Tensor t, double gain, Generator gen) {
        if (t.dim() < 2) throw new IllegalArgumentException("orthogonal_: only tensors with 2 or more dimensions are supported, got shape "
                + Arrays.toString(t.shape()));
        if (t.numel() == 0) return t;
        int rows = Math.toIntExact(t.size(0));
        int cols = Math.toIntExact(t.numel() / rows);
        double[] a;
        try (var g = Grad.disabled()) {
            a = Tensor.randn(new long[] {rows, cols}, gen, DType.FLOAT64, t.device()).toDoubleArray();
        }
        boolean transposed = rows < cols;
        int m = transposed ? cols : rows, n = transposed ? rows : cols; // m >= n: orthonormalise the n columns of an m x n matrix
        double[][] c = new double[n][m];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                if (transposed) c[i][j] = a[i * cols + j];
                else c[j][i] = a[i * cols + j];
            }
        }
        gramSchmidt(c);
        double[] out = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) out[i * cols + j] = gain * (transposed ? c[i][j] : c[j][i]);
        }
        try (var g = Grad.disabled()) {
            t.copy_(Tensor.of(out, t.shape()).to(t.device()));
        }
        return t;
    }

    /** Orthogonal init with gain 1 from the default generator. */
    public static Tensor orthogonal_(Tensor t) { return orthogonal_(t, 1.0, Generator.defaultGenerator()); }

    /**
     * Modified Gram-Schmidt with re-orthogonalisation over the columns {@code c[k]}: the Q of a
     * QR decomposition whose R has a positive diagonal.
     */
    private static void gramSchmidt(double[][] c) {
        for (int k = 0; k < c.length; k++) {
            double[] v = c[k];
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < k; j++) {
                    double[] q = c[j];
                    double dot = 0;
                    for (int i = 0; i < v.length; i++) dot += q[i] * v[i];
                    for (int i = 0; i < v.length; i++) v[i] -= dot * q[i];
                }
            }
            double norm = 0;
            for (double x : v) norm += x * x;
            norm = Math.sqrt(norm);
            if (norm == 0) throw new ArithmeticException("orthogonal_: the random matrix is rank deficient");
            for (int i = 0; i < v.length; i++) v[i] /= norm;
        }
    }
}
