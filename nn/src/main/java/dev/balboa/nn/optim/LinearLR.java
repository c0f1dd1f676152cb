package dev.balboa.nn.optim;

import java.util.Map;

/**
 * Scales the learning rate by a factor that moves linearly from {@code startFactor} to
 * {@code endFactor} over {@code totalIters} steps and then stays ({@code torch.optim.lr_scheduler.LinearLR});
 * the usual warm-up.
 */
public final class LinearLR extends LRScheduler {
    private double startFactor;
    private double endFactor;
    private int totalIters;

    /** PyTorch's defaults: from 1/3 to 1 over 5 steps. */
    public LinearLR(Optimizer optimizer) { this(optimizer, 1.0 / 3, 1.0, 5, -1); }

    /** A new warm-up (or decay) from {@code startFactor} to {@code endFactor} over {@code totalIters} steps. */
    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        this(optimizer, startFactor, endFactor, totalIters, -1);
    }

    /** A schedule resumed at {@code lastEpoch} (-1 for a new one). */
    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters, int lastEpoch) {
        super(optimizer, lastEpoch);
        if (startFactor > 1 || startFactor < 0) {
            throw new IllegalArgumentException("LinearLR: startFactor must be in [0, 1], got " + startFactor);
        }
        if (endFactor > 1 || endFactor < 0) {
            throw new IllegalArgumentException("LinearLR: endFactor must be in [0, 1], got " + endFactor);
        }
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lr = currentLrs();
        if (lastEpoch == 0) {
            for (int i = 0; i < lr.length; i++) lr[i] *= startFactor;
            return lr;
        }
        if (lastEpoch > totalIters) return lr;
        double f = 1.0 + (endFactor - startFactor)
                / (totalIters * startFactor + (lastEpoch - 1) * (endFactor - startFactor));
        for (int i = 0; i < lr.length; i++) lr[i] *= f;
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        double[] out = new double[baseLrs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = baseLrs.get(i) * (startFactor
                    + (endFactor - startFactor) * Math.min(totalIters, lastEpoch) / totalIters);
        }
        return out;
    }

    @Override
    protected void saveSettings(Map<String, Object> m) {
        m.put("start_factor", startFactor);
        m.put("end_factor", endFactor);
        m.put("total_iters", (long) totalIters);
    }

    @Override
    protected void loadSettings(Map<String, Object> m) {
        startFactor = num(m, "start_factor", startFactor);
        endFactor = num(m, "end_factor", endFactor);
        totalIters = (int) num(m, "total_iters", totalIters);
    }
}
