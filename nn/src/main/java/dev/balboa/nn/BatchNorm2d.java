package dev.balboa.nn;

import dev.balboa.api.Tensor;
import java.util.Arrays;

/**
 * Batch normalisation of {@code [N, C, H, W]} inputs ({@code torch.nn.BatchNorm2d}): learnable
 * {@code weight}/{@code bias} and the buffers {@code running_mean}, {@code running_var} and
 * {@code num_batches_tracked}. Defaults: eps 1e-5, momentum 0.1, affine, tracking statistics;
 * other settings through {@link #builder}:
 * <pre>{@code
 * var bn = BatchNorm2d.builder(64).momentum(null).affine(false).build();
 * }</pre>
 */
public class BatchNorm2d extends BatchNormBase {
    /** Batch norm with PyTorch's defaults. */
    public BatchNorm2d(long numFeatures) { this(numFeatures, 1e-5, 0.1); }

    /** Batch norm with the given eps and momentum (null momentum: cumulative moving average). */
    public BatchNorm2d(long numFeatures, double eps, Double momentum) { this(numFeatures, eps, momentum, true, true); }

    /** Batch norm with every option. */
    public BatchNorm2d(long numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super("BatchNorm2d", numFeatures, eps, momentum, affine, trackRunningStats);
    }

    /** Starts a builder with PyTorch's defaults. */
    public static Builder builder(long numFeatures) { return new Builder(numFeatures); }

    @Override
    void checkInput(Tensor x) {
        if (x.dim() != 4) throw new IllegalArgumentException("BatchNorm2d: expected a 4-D [N, C, H, W] input, got shape " + Arrays.toString(x.shape()));
    }

    /** Options of {@link BatchNorm2d}. */
    public static final class Builder {
        private final long numFeatures;
        private double eps = 1e-5;
        private Double momentum = 0.1;
        private boolean affine = true;
        private boolean trackRunningStats = true;

        private Builder(long numFeatures) { this.numFeatures = numFeatures; }

        /** Added to the variance for numerical stability; default 1e-5. */
        public Builder eps(double v) { eps = v; return this; }

        /** Weight of the new batch in the running statistics; null for a cumulative average; default 0.1. */
        public Builder momentum(Double v) { momentum = v; return this; }

        /** Whether to learn a per-channel scale and shift; default true. */
        public Builder affine(boolean v) { affine = v; return this; }

        /** Whether to keep running statistics for evaluation; default true. */
        public Builder trackRunningStats(boolean v) { trackRunningStats = v; return this; }

        /** The layer. */
        public BatchNorm2d build() { return new BatchNorm2d(numFeatures, eps, momentum, affine, trackRunningStats); }
    }
}
