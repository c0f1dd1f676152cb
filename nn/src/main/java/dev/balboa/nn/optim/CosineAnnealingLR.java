package dev.balboa.nn.optim;

import java.util.Map;

/**
 * Cosine annealing from the initial rate down to {@code etaMin} over {@code tMax} epochs
 * ({@code torch.optim.lr_scheduler.CosineAnnealingLR}), without restarts: the closed form is
 * {@code etaMin + (base - etaMin) (1 + cos(pi t / tMax)) / 2}; stepping uses PyTorch's recursive
 * form, which equals it when the scheduler acts alone and composes with other schedulers.
 */
public final class CosineAnnealingLR extends LRScheduler {
    private int tMax;
    private double etaMin;

    /** A new schedule over {@code tMax} epochs down to {@code etaMin}. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) { this(optimizer, tMax, etaMin, -1); }

    /** A schedule resumed at {@code lastEpoch} (-1 for a new one). */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin, int lastEpoch) {
        super(optimizer, lastEpoch);
        if (tMax <= 0) throw new IllegalArgumentException("CosineAnnealingLR: tMax must be > 0, got " + tMax);
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lr = currentLrs();
        if (lastEpoch == 0) return lr;
        if (stepCount == 1 && lastEpoch > 0) return closedFormLr();
        for (int i = 0; i < lr.length; i++) {
            if (Math.floorMod(lastEpoch - 1 - tMax, 2 * tMax) == 0) {
                lr[i] = lr[i] + (baseLrs.get(i) - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            } else {
                lr[i] = (1 + Math.cos(Math.PI * lastEpoch / tMax)) / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax))
                        * (lr[i] - etaMin) + etaMin;
            }
        }
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        double[] out = new double[baseLrs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = etaMin + (baseLrs.get(i) - etaMin) * (1 + Math.cos(Math.PI * lastEpoch / tMax)) / 2;
        }
        return out;
    }

    @Override
    protected void saveSettings(Map<String, Object> m) {
        m.put("T_max", (long) tMax);
        m.put("eta_min", etaMin);
    }

    @Override
    protected void loadSettings(Map<String, Object> m) {
        tMax = (int) num(m, "T_max", tMax);
        etaMin = num(m, "eta_min", etaMin);
    }
}
