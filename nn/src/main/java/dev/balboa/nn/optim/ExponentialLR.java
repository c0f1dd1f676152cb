package dev.balboa.nn.optim;

import java.util.Map;

/** Multiplies the learning rate by {@code gamma} every epoch ({@code torch.optim.lr_scheduler.ExponentialLR}). */
public final class ExponentialLR extends LRScheduler {
    private double gamma;

    /** A new schedule with decay {@code gamma} per epoch. */
    public ExponentialLR(Optimizer optimizer, double gamma) { this(optimizer, gamma, -1); }

    /** A schedule resumed at {@code lastEpoch} (-1 for a new one). */
    public ExponentialLR(Optimizer optimizer, double gamma, int lastEpoch) {
        super(optimizer, lastEpoch);
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lr = currentLrs();
        if (lastEpoch == 0) return lr;
        for (int i = 0; i < lr.length; i++) lr[i] *= gamma;
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        double[] out = new double[baseLrs.size()];
        for (int i = 0; i < out.length; i++) out[i] = baseLrs.get(i) * Math.pow(gamma, lastEpoch);
        return out;
    }

    @Override
    protected void saveSettings(Map<String, Object> m) { m.put("gamma", gamma); }

    @Override
    protected void loadSettings(Map<String, Object> m) { gamma = num(m, "gamma", gamma); }
}
