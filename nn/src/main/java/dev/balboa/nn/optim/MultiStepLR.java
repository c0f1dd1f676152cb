package dev.balboa.nn.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Multiplies the learning rate by {@code gamma} at each milestone epoch (by {@code gamma^k} for
 * a milestone listed k times) ({@code torch.optim.lr_scheduler.MultiStepLR}).
 */
public final class MultiStepLR extends LRScheduler {
    private int[] milestones;
    private double gamma;

    /** A new schedule decaying by {@code gamma} at the given epochs. */
    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) { this(optimizer, milestones, gamma, -1); }

    /** A schedule resumed at {@code lastEpoch} (-1 for a new one). */
    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma, int lastEpoch) {
        super(optimizer, lastEpoch);
        this.milestones = milestones.clone();
        Arrays.sort(this.milestones);
        this.gamma = gamma;
        initialStep();
    }

    private int count(int epoch) {
        int c = 0;
        for (int m : milestones) if (m == epoch) c++;
        return c;
    }

    @Override
    protected double[] computeLr() {
        double[] lr = currentLrs();
        int c = count(lastEpoch);
        if (c == 0) return lr;
        for (int i = 0; i < lr.length; i++) lr[i] *= Math.pow(gamma, c);
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        int passed = 0;
        for (int m : milestones) if (m <= lastEpoch) passed++;
        double[] out = new double[baseLrs.size()];
        for (int i = 0; i < out.length; i++) out[i] = baseLrs.get(i) * Math.pow(gamma, passed);
        return out;
    }

    @Override
    protected void saveSettings(Map<String, Object> m) {
        List<Long> l = new ArrayList<>();
        for (int x : milestones) l.add((long) x);
        m.put("milestones", l);
        m.put("gamma", gamma);
    }

    @Override
    protected void loadSettings(Map<String, Object> m) {
        if (m.get("milestones") instanceof List<?> l) {
            milestones = new int[l.size()];
            for (int i = 0; i < milestones.length; i++) milestones[i] = ((Number) l.get(i)).intValue();
            Arrays.sort(milestones);
        }
        gamma = num(m, "gamma", gamma);
    }
}
