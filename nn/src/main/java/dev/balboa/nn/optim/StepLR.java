package dev.balboa.nn.optim;

import java.util.Map;

/** Multiplies the learning rate by {@code gamma} every {@code stepSize} epochs ({@code torch.optim.lr_scheduler.StepLR}). */
public final class StepLR extends LRScheduler {
    private int stepSize;
    private double gamma;

    /** A new schedule with decay {@code gamma} every {@code stepSize} epochs. */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) { this(optimizer, stepSize, gamma, -1); }

    /** A schedule resumed at {@code lastEpoch} (-1 for a new one). */
    public StepLR(Optimizer optimizer, int stepSize, double gamma, int lastEpoch) {
        super(optimizer, lastEpoch);
        if (stepSize <= 0) throw new IllegalArgumentException("StepLR: stepSize must be > 0, got " + stepSize);
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lr = currentLrs();
        if (lastEpoch == 0 || lastEpoch % stepSize != 0) return lr;
        for (int i = 0; i < lr.length; i++) lr[i] *= gamma;
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        double[] out = new double[baseLrs.size()];
        for (int i = 0; i < out.length; i++) out[i] = baseLrs.get(i) * Math.pow(gamma, Math.floorDiv(lastEpoch, stepSize));
        return out;
    }

    @Override
    protected void saveSettings(Map<String, Object> m) {
        m.put("step_size", (long) stepSize);
        m.put("gamma", gamma);
    }

    @Override
    protected void loadSettings(Map<String, Object> m) {
        stepSize = (int) num(m, "step_size", stepSize);
        gamma = num(m, "gamma", gamma);
    }
}
