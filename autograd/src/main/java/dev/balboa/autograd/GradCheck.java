package dev.balboa.autograd;

import dev.balboa.api.Generator;
import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import dev.balboa.spi.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Checks analytical gradients against central finite differences in float64
 * ({@code torch.autograd.gradcheck} and {@code gradgradcheck}), for users' own functions and ops.
 * Inputs should be float64 leaves; the function may make views, non-contiguous layouts and
 * broadcasts of them.
 */
public final class GradCheck {
    private GradCheck() {}

    /**
     * Tolerances and step of the check.
     *
     * @param eps  finite-difference step
     * @param atol absolute tolerance
     * @param rtol relative tolerance (of the numerical value)
     */
    public record Options(double eps, double atol, double rtol) {
        /** PyTorch's defaults: eps 1e-6, atol 1e-5, rtol 1e-3. */
        public static Options defaults() { return new Options(1e-6, 1e-5, 1e-3); }
    }

    /** Checks with default options; throws {@link AssertionError} describing the first mismatch. */
    public static void gradcheck(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        gradcheck(f, Options.defaults(), inputs);
    }

    /** Checks the gradients of {@code f} at {@code inputs}; throws {@link AssertionError} on a mismatch. */
    public static void gradcheck(Function<List<Tensor>, Tensor> f, Options options, Tensor... inputs) {
        for (Tensor in : inputs) {
            if (in.requiresGrad() && in.dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("gradcheck: inputs that require grad must be float64, got " + in.dtype()
                        + Arrays.toString(in.shape()));
            }
        }
        List<Tensor> xs = Arrays.asList(inputs);
        Tensor out = f.apply(xs);
        if (!out.requiresGrad()) {
            throw new AssertionError("gradcheck: the output " + out.dtype() + Arrays.toString(out.shape()) + " does not require grad");
        }
        long nOut = out.numel();
        List<Integer> diff = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) if (inputs[i].requiresGrad()) diff.add(i);
        // rows of the Jacobian to compare: all of them for small outputs, else random projections
        List<Tensor> projections = new ArrayList<>();
        if (nOut <= 64) {
            for (long r = 0; r < nOut; r++) {
                double[] e = new double[(int) nOut];
                e[(int) r] = 1;
                projections.add(Tensor.of(e, out.shape().length == 0 ? new long[] {1} : out.shape()).reshape(out.shape()));
            }
        } else {
            Generator gen = new Generator(1234);
            for (int r = 0; r < 3; r++) projections.add(Tensor.randn(out.shape(), gen, DType.FLOAT64, out.device()));
        }
        for (int p = 0; p < projections.size(); p++) {
            Tensor u = projections.get(p).to(out.device());
            List<Tensor> diffInputs = new ArrayList<>();
            for (int i : diff) diffInputs.add(inputs[i]);
            List<Tensor> analytical = Autograd.grad(List.of(out), diffInputs, List.of(u), true, false, true);
            for (int k = 0; k < diff.size(); k++) {
                int i = diff.get(k);
                Tensor a = analytical.get(k);
                double[] an = a == null ? new double[(int) inputs[i].numel()] : a.to(DType.FLOAT64).toDoubleArray();
                if (a != null && !Arrays.equals(a.shape(), inputs[i].shape())) {
                    throw new AssertionError("gradcheck: gradient of input " + i + " has shape " + Arrays.toString(a.shape())
                            + ", expected " + Arrays.toString(inputs[i].shape()));
                }
                double[] num = numerical(f, inputs, i, u, options.eps());
                for (int e = 0; e < num.length; e++) {
                    if (!(Math.abs(an[e] - num[e]) <= options.atol() + options.rtol() * Math.abs(num[e]))) {
                        throw new AssertionError(String.format(
                                "gradcheck: Jacobian mismatch for input %d %s at element %d (projection %d): numerical %.8g, analytical %.8g",
                                i, Arrays.toString(inputs[i].shape()), e, p, num[e], an[e]));
                    }
                }
            }
        }
    }

    /** u . d f / d inputs[i], by central differences. */
    private static double[] numerical(Function<List<Tensor>, Tensor> f, Tensor[] inputs, int i, Tensor u, double eps) {
        double[] x = inputs[i].toDoubleArray();
        double[] uu = u.toDoubleArray();
        double[] result = new double[x.length];
        try (var g = Grad.disabled()) {
            for (int e = 0; e < x.length; e++) {
                double orig = x[e];
                x[e] = orig + eps;
                double plus = dot(f, inputs, i, x, uu);
                x[e] = orig - eps;
                double minus = dot(f, inputs, i, x, uu);
                x[e] = orig;
                result[e] = (plus - minus) / (2 * eps);
            }
        }
        return result;
    }

    private static double dot(Function<List<Tensor>, Tensor> f, Tensor[] inputs, int i, double[] x, double[] u) {
        Tensor[] args = inputs.clone();
        args[i] = Tensor.of(x, inputs[i].shape().length == 0 ? new long[] {1} : inputs[i].shape()).reshape(inputs[i].shape())
                .to(inputs[i].device());
        if (inputs[i].requiresGrad()) args[i].requiresGrad_();
        double[] y = f.apply(Arrays.asList(args)).to(DType.FLOAT64).toDoubleArray();
        double s = 0;
        for (int k = 0; k < y.length; k++) s += y[k] * u[k];
        return s;
    }

    /** Checks second derivatives: the gradients of {@code f} (for a fixed random output gradient) are gradchecked. */
    public static void gradgradcheck(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        gradgradcheck(f, Options.defaults(), inputs);
    }

    /** As {@link #gradgradcheck(Function, Tensor...)} with the given options. */
    public static void gradgradcheck(Function<List<Tensor>, Tensor> f, Options options, Tensor... inputs) {
        Tensor out0 = f.apply(Arrays.asList(inputs));
        Tensor v = Tensor.randn(out0.shape(), new Generator(99), DType.FLOAT64, out0.device());
        Function<List<Tensor>, Tensor> firstGrad = xs -> {
            try (var scope = Grad.enabled()) {
                return firstGradient(f, v, xs);
            }
        };
        gradcheck(firstGrad, options, inputs);
    }

    private static Tensor firstGradient(Function<List<Tensor>, Tensor> f, Tensor v, List<Tensor> xs) {
        Tensor out = f.apply(xs);
        List<Tensor> diff = new ArrayList<>();
        for (Tensor x : xs) if (x.requiresGrad()) diff.add(x);
        List<Tensor> gs = Autograd.grad(List.of(out), diff, List.of(v), true, true, true);
        List<Tensor> flat = new ArrayList<>();
        for (int k = 0; k < gs.size(); k++) {
            Tensor g = gs.get(k);
            flat.add(g == null ? Tensor.zeros(new long[] {diff.get(k).numel()}, DType.FLOAT64, out.device()) : g.reshape(-1));
        }
        Tensor r = Tensor.cat(flat, 0);
        return r.requiresGrad() ? r : r.add(diffSum(xs).mul(0.0));
    }

    /** A zero-valued term that depends on every input, so that a constant first gradient still has a graph. */
    private static Tensor diffSum(List<Tensor> xs) {
        Tensor s = null;
        for (Tensor x : xs) if (x.requiresGrad()) s = s == null ? x.sum() : s.add(x.sum());
        return s;
    }
}
