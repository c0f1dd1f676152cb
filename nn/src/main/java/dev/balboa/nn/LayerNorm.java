package dev.balboa.nn;

import dev.balboa.api.Tensor;
import java.util.Arrays;

/**
 * Layer normalisation over the last dims given by {@code normalizedShape}
 * ({@code torch.nn.LayerNorm}): mean and biased variance per sample, then an optional
 * elementwise scale ({@code weight}, ones) and shift ({@code bias}, zeros).
 */
public class LayerNorm extends Module {
    private final long[] normalizedShape;
    private final double eps;
    private final Tensor weight;
    private final Tensor bias;

    /** Layer norm with eps 1e-5 and an elementwise affine transform. */
    public LayerNorm(long... normalizedShape) { this(normalizedShape, 1e-5, true); }

    /** Layer norm with every option. */
    public LayerNorm(long[] normalizedShape, double eps, boolean elementwiseAffine) {
        if (normalizedShape.length == 0) throw new IllegalArgumentException("LayerNorm: normalized_shape must not be empty");
        for (long s : normalizedShape) {
            if (s <= 0) throw new IllegalArgumentException("LayerNorm: normalized_shape must be positive, got " + Arrays.toString(normalizedShape));
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.weight = registerParameter("weight", elementwiseAffine ? Tensor.ones(normalizedShape) : null);
        this.bias = registerParameter("bias", elementwiseAffine ? Tensor.zeros(normalizedShape) : null);
    }

    /** Starts a builder with PyTorch's defaults. */
    public static Builder builder(long... normalizedShape) { return new Builder(normalizedShape); }

    /** The scale (shape {@code normalizedShape}), or null. */
    public Tensor weight() { return weight; }

    /** The shift, or null. */
    public Tensor bias() { return bias; }

    @Override
    public Tensor forward(Tensor x) {
        int k = normalizedShape.length;
        long[] shape = x.shape();
        if (shape.length < k || !Arrays.equals(Arrays.copyOfRange(shape, shape.length - k, shape.length), normalizedShape)) {
            throw new IllegalArgumentException("LayerNorm: input of shape " + Arrays.toString(shape) + " does not end in normalized_shape "
                    + Arrays.toString(normalizedShape));
        }
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) dims[i] = shape.length - k + i;
        Tensor mean = x.mean(dims, true);
        Tensor var = x.var(dims, false, true);
        Tensor y = x.sub(mean).mul(var.add(eps).rsqrt());
        if (weight != null) y = y.mul(weight).add(bias);
        return y;
    }

    @Override
    protected String extraRepr() {
        return Repr.tuple(normalizedShape) + ", eps=" + Repr.pyFloat(eps) + ", elementwise_affine=" + Repr.pyBool(weight != null);
    }

    /** Options of {@link LayerNorm}. */
    public static final class Builder {
        private final long[] normalizedShape;
        private double eps = 1e-5;
        private boolean elementwiseAffine = true;

        private Builder(long... normalizedShape) { this.normalizedShape = normalizedShape.clone(); }

        /** Added to the variance; default 1e-5. */
        public Builder eps(double v) { eps = v; return this; }

        /** Whether to learn an elementwise scale and shift; default true. */
        public Builder elementwiseAffine(boolean v) { elementwiseAffine = v; return this; }

        /** The layer. */
        public LayerNorm build() { return new LayerNorm(normalizedShape, eps, elementwiseAffine); }
    }
}
