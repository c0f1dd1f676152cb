package dev.balboa.nn;

import dev.balboa.api.Functional;
import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import dev.balboa.spi.DType;
import java.util.Arrays;

/**
 * Batch normalisation over the channel dim 1 ({@code torch.nn.modules.batchnorm._BatchNorm}):
 * in training it normalises with the batch's mean and biased variance and updates the running
 * mean and unbiased variance ({@code momentum}, or a cumulative average when it is null); in
 * evaluation it uses the running statistics (or the batch's when they are not tracked).
 */
abstract class BatchNormBase extends Module {
    final String name;
    final long numFeatures;
    final double eps;
    final Double momentum;
    final boolean affine;
    final boolean trackRunningStats;
    final Tensor weight;
    final Tensor bias;
    final Tensor runningMean;
    final Tensor runningVar;
    final Tensor numBatchesTracked;

    @SuppressWarnings("this-escape")
    BatchNormBase(String name, long numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures <= 0) throw new IllegalArgumentException(name + ": num_features must be positive, got " + numFeatures);
        if (!(eps >= 0)) throw new IllegalArgumentException(name + ": eps must be non-negative, got " + eps);
        if (momentum != null && !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(name + ": momentum must be in [0, 1] or null (cumulative average), got " + momentum);
        }
        this.name = name;
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        this.weight = registerParameter("weight", affine ? Tensor.ones(numFeatures) : null);
        this.bias = registerParameter("bias", affine ? Tensor.zeros(numFeatures) : null);
        this.runningMean = registerBuffer("running_mean", trackRunningStats ? Tensor.zeros(numFeatures) : null);
        this.runningVar = registerBuffer("running_var", trackRunningStats ? Tensor.ones(numFeatures) : null);
        this.numBatchesTracked = registerBuffer("num_batches_tracked",
                trackRunningStats ? Tensor.zeros(new long[0], DType.INT64) : null);
    }

    /** Checks the input's rank for this flavour of batch norm. */
    abstract void checkInput(Tensor x);

    /** Resets the running statistics to mean 0, variance 1 and no batches. */
    public void resetRunningStats() {
        if (!trackRunningStats) return;
        try (var g = Grad.disabled()) {
            runningMean.zero_();
            runningVar.fill_(1.0);
            numBatchesTracked.zero_();
        }
    }

    /** Resets the running statistics and sets weight to 1 and bias to 0. */
    public void resetParameters() {
        resetRunningStats();
        if (affine) {
            Init.ones_(weight);
            Init.zeros_(bias);
        }
    }

    /** The scale {@code [C]}, or null without affine. */
    public Tensor weight() { return weight; }

    /** The shift {@code [C]}, or null without affine. */
    public Tensor bias() { return bias; }

    /** The running mean {@code [C]}, or null when statistics are not tracked. */
    public Tensor runningMean() { return runningMean; }

    /** The running (unbiased) variance {@code [C]}, or null when statistics are not tracked. */
    public Tensor runningVar() { return runningVar; }

    /** How many training batches updated the running statistics (int64 scalar), or null. */
    public Tensor numBatchesTracked() { return numBatchesTracked; }

    @Override
    public Tensor forward(Tensor x) {
        checkInput(x);
        if (x.size(1) != numFeatures) {
            throw new IllegalArgumentException(name + ": expected " + numFeatures + " channels in dim 1, got input of shape "
                    + Arrays.toString(x.shape()));
        }
        long n = x.numel() / numFeatures;
        if (isTraining() && n <= 1) {
            throw new IllegalArgumentException(name + ": expected more than 1 value per channel when training, got input of shape "
                    + Arrays.toString(x.shape()));
        }
        // Training (or no running statistics): the batch's statistics, through the device's fused
        // kernel when it has one; evaluation: the running statistics.
        // (runningMean is null exactly when statistics are not tracked.)
        boolean useBatch = isTraining() || !trackRunningStats;
        double factor = 0;
        if (isTraining() && trackRunningStats) {
            try (var g = Grad.disabled()) {
                numBatchesTracked.add_(1.0);
            }
            factor = momentum != null ? momentum : 1.0 / numBatchesTracked.itemLong();
        }
        return Functional.batchNorm(x, runningMean, runningVar, weight, bias, useBatch, factor, eps);
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + Repr.pyFloat(eps) + ", momentum=" + (momentum == null ? "None" : Repr.pyFloat(momentum))
                + ", affine=" + Repr.pyBool(affine) + ", track_running_stats=" + Repr.pyBool(trackRunningStats);
    }
}
