package dev.balboa.nn.data;

import dev.balboa.api.Functional;
import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;
import dev.balboa.spi.DType;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Image transforms in the style of torchvision, for tensors laid out {@code [C, H, W]} (or with
 * leading batch dims): conversion of 8-bit images to floats in [0, 1], per-channel
 * normalization, random crops with padding, random horizontal flips, and composition.
 *
 * <p>The random transforms draw from the generator they are given; those created without one
 * draw from the {@linkplain #sampleGenerator() per-sample generator} that the {@link DataLoader}
 * binds while it loads a sample (falling back to the default generator outside a loader), which
 * keeps augmentation reproducible whatever the number of worker threads. A transform given an
 * explicit generator is reproducible only when samples are loaded in order on one thread.
 */
public final class Transforms {
    private static final ScopedValue<Generator> SAMPLE = ScopedValue.newInstance();

    private Transforms() {}

    /** The generator bound for the sample being loaded, or null outside a {@link DataLoader}. */
    public static Generator sampleGenerator() { return SAMPLE.isBound() ? SAMPLE.get() : null; }

    /** Runs {@code body} with {@code gen} as the {@linkplain #sampleGenerator() sample generator}. */
    public static <R> R withSampleGenerator(Generator gen, Supplier<R> body) {
        return ScopedValue.where(SAMPLE, gen).call(body::get);
    }

    private static Generator resolve(Generator explicit) {
        if (explicit != null) return explicit;
        Generator bound = sampleGenerator();
        return bound != null ? bound : Generator.defaultGenerator();
    }

    /** Applies {@code transforms} in order. */
    @SafeVarargs
    public static UnaryOperator<Tensor> compose(UnaryOperator<Tensor>... transforms) {
        List<UnaryOperator<Tensor>> list = List.of(transforms);
        return x -> {
            for (UnaryOperator<Tensor> t : list) x = t.apply(x);
            return x;
        };
    }

    /**
     * Like torchvision's {@code ToTensor}: a uint8 image {@code [H, W]} becomes float32
     * {@code [1, H, W]} and {@code [H, W, C]} becomes {@code [C, H, W]}, with values divided by 255.
     */
    public static UnaryOperator<Tensor> toTensor() {
        return x -> {
            if (x.dtype() != DType.UINT8) throw new IllegalArgumentException("toTensor: expected a uint8 image, got " + x.dtype());
            Tensor f = x.to(DType.FLOAT32).div(255.0);
            return switch (x.dim()) {
                case 2 -> f.unsqueeze(0);
                case 3 -> f.permute(2, 0, 1).contiguous();
                default -> throw new IllegalArgumentException("toTensor: expected an image [H, W] or [H, W, C], got shape " + Arrays.toString(x.shape()));
            };
        };
    }

    /** A uint8 tensor of any layout converted to float32 in [0, 1] (values divided by 255). */
    public static UnaryOperator<Tensor> scaleToUnit() {
        return x -> {
            if (x.dtype() != DType.UINT8) throw new IllegalArgumentException("scaleToUnit: expected uint8, got " + x.dtype());
            return x.to(DType.FLOAT32).div(255.0);
        };
    }

    /** {@code (x - mean[c]) / std[c]} for each channel {@code c} of an image {@code [..., C, H, W]}. */
    public static UnaryOperator<Tensor> normalize(double[] mean, double[] std) {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("normalize: mean and std need one value per channel, got " + mean.length + " and " + std.length);
        }
        for (double s : std) if (!(s > 0)) throw new IllegalArgumentException("normalize: std must be positive, got " + Arrays.toString(std));
        double[] m = mean.clone(), s = std.clone();
        return x -> {
            if (x.dim() < 3 || x.size(-3) != m.length) {
                throw new IllegalArgumentException("normalize: expected an image [..., " + m.length + ", H, W], got shape " + Arrays.toString(x.shape()));
            }
            DType dt = x.dtype().isFloatingPoint() ? x.dtype() : DType.FLOAT32;
            Tensor mt = Tensor.of(m, m.length, 1, 1).to(dt), st = Tensor.of(s, s.length, 1, 1).to(dt);
            return x.to(dt).sub(mt).div(st);
        };
    }

    /** {@link #randomCrop(int, int, int, Generator)} of a square, drawing from the sample generator. */
    public static UnaryOperator<Tensor> randomCrop(int size, int padding) { return randomCrop(size, size, padding, null); }

    /** {@link #randomCrop(int, int, int, Generator)} of a square. */
    public static UnaryOperator<Tensor> randomCrop(int size, int padding, Generator gen) { return randomCrop(size, size, padding, gen); }

    /**
     * Pads the last two dims with {@code padding} zeros on every side, then cuts a random
     * {@code height x width} window, its position drawn from {@code gen} (the sample generator
     * when null).
     */
    public static UnaryOperator<Tensor> randomCrop(int height, int width, int padding, Generator gen) {
        if (height <= 0 || width <= 0 || padding < 0) {
            throw new IllegalArgumentException("randomCrop: size must be positive and padding >= 0, got " + height + "x" + width + ", padding " + padding);
        }
        return x -> {
            if (x.dim() < 2) throw new IllegalArgumentException("randomCrop: expected an image [..., H, W], got shape " + Arrays.toString(x.shape()));
            Tensor p = padding == 0 ? x : Functional.pad(x, new long[] {padding, padding, padding, padding}, Functional.PadMode.CONSTANT, 0.0);
            long h = p.size(-2), w = p.size(-1);
            if (h < height || w < width) {
                throw new IllegalArgumentException("randomCrop: crop " + height + "x" + width + " is larger than the padded image "
                        + h + "x" + w + " (shape " + Arrays.toString(x.shape()) + ", padding " + padding + ")");
            }
            Generator g = resolve(gen);
            long top = g.nextLong(h - height + 1), left = g.nextLong(w - width + 1);
            return p.narrow(-2, top, height).narrow(-1, left, width).contiguous();
        };
    }

    /** {@link #randomHorizontalFlip(double, Generator)} drawing from the sample generator. */
    public static UnaryOperator<Tensor> randomHorizontalFlip(double p) { return randomHorizontalFlip(p, null); }

    /** Mirrors the last dim with probability {@code p}, deciding with {@code gen} (the sample generator when null). */
    public static UnaryOperator<Tensor> randomHorizontalFlip(double p, Generator gen) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("randomHorizontalFlip: p must be in [0, 1], got " + p);
        return x -> resolve(gen).nextDouble() < p ? x.flip(-1) : x;
    }
}
