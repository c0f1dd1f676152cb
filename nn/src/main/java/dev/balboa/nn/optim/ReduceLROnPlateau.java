package dev.balboa.nn.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reduces the learning rates by {@code factor} when a metric has stopped improving for more
 * than {@code patience} epochs ({@code torch.optim.lr_scheduler.ReduceLROnPlateau}). Call
 * {@link #step(double)} with the validation metric once per epoch.
 *
 * <p>A value improves on the best so far when, for mode "min" with threshold mode "rel", it is
 * below {@code best * (1 - threshold)}; "abs": below {@code best - threshold}; mode "max"
 * mirrors these. After a reduction, {@code cooldown} epochs pass before bad epochs count again.
 * A group's rate never drops below its {@code minLr}, and changes smaller than {@code eps} are
 * skipped.
 */
public final class ReduceLROnPlateau {

    /** The settings, with PyTorch's defaults. */
    public static final class Options {
        String mode = "min";
        double factor = 0.1;
        int patience = 10;
        double threshold = 1e-4;
        String thresholdMode = "rel";
        int cooldown = 0;
        double[] minLrs = {0.0};
        double eps = 1e-8;

        /** Defaults: mode "min", factor 0.1, patience 10, threshold 1e-4 "rel", cooldown 0, min lr 0, eps 1e-8. */
        public Options() {}

        /** "min" (the metric should fall) or "max". */
        public Options mode(String v) { mode = v; return this; }
        /** The factor applied to the rates (< 1). */
        public Options factor(double v) { factor = v; return this; }
        /** How many epochs without improvement are tolerated. */
        public Options patience(int v) { patience = v; return this; }
        /** The smallest change that counts as an improvement. */
        public Options threshold(double v) { threshold = v; return this; }
        /** "rel" or "abs". */
        public Options thresholdMode(String v) { thresholdMode = v; return this; }
        /** Epochs to wait after a reduction before counting bad epochs. */
        public Options cooldown(int v) { cooldown = v; return this; }
        /** One lower bound for all groups, or one per group. */
        public Options minLr(double... v) { minLrs = v.clone(); return this; }
        /** Reductions smaller than this are ignored. */
        public Options eps(double v) { eps = v; return this; }

        Options copy() {
            Options c = new Options().mode(mode).factor(factor).patience(patience).threshold(threshold)
                    .thresholdMode(thresholdMode).cooldown(cooldown).minLr(minLrs).eps(eps);
            return c;
        }
    }

    private final Optimizer optimizer;
    private final Options o;
    private final double[] minLrs;
    private double best;
    private int numBadEpochs;
    private int cooldownCounter;
    private int lastEpoch;
    private List<Double> lastLr;

    /** A plateau scheduler with default settings. */
    public ReduceLROnPlateau(Optimizer optimizer) { this(optimizer, new Options()); }

    /** A plateau scheduler with the given settings. */
    public ReduceLROnPlateau(Optimizer optimizer, Options options) {
        if (options.factor >= 1.0) throw new IllegalArgumentException("ReduceLROnPlateau: factor should be < 1.0, got " + options.factor);
        if (!options.mode.equals("min") && !options.mode.equals("max")) {
            throw new IllegalArgumentException("ReduceLROnPlateau: mode " + options.mode + " is unknown (min, max)");
        }
        if (!options.thresholdMode.equals("rel") && !options.thresholdMode.equals("abs")) {
            throw new IllegalArgumentException("ReduceLROnPlateau: threshold mode " + options.thresholdMode + " is unknown (rel, abs)");
        }
        int n = optimizer.paramGroups().size();
        if (options.minLrs.length == 1) {
            minLrs = new double[n];
            Arrays.fill(minLrs, options.minLrs[0]);
        } else if (options.minLrs.length == n) {
            minLrs = options.minLrs.clone();
        } else {
            throw new IllegalArgumentException("ReduceLROnPlateau: expected " + n + " min_lrs, got " + options.minLrs.length);
        }
        this.optimizer = optimizer;
        this.o = options.copy();
        reset();
        lastLr = currentLrs();
    }

    private void reset() {
        best = worse();
        cooldownCounter = 0;
        numBadEpochs = 0;
    }

    private double worse() { return o.mode.equals("min") ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY; }

    private boolean isBetter(double a, double best) {
        boolean rel = o.thresholdMode.equals("rel");
        if (o.mode.equals("min")) return rel ? a < best * (1. - o.threshold) : a < best - o.threshold;
        return rel ? a > best * (o.threshold + 1.) : a > best + o.threshold;
    }

    /** Records one epoch's metric and reduces the rates if it has plateaued. */
    public void step(double metric) {
        lastEpoch++;
        if (isBetter(metric, best)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > o.patience) {
            List<ParamGroup> groups = optimizer.paramGroups();
            for (int i = 0; i < groups.size(); i++) {
                double old = groups.get(i).lr();
                double nl = Math.max(old * o.factor, minLrs[i]);
                if (old - nl > o.eps) groups.get(i).setLr(nl);
            }
            cooldownCounter = o.cooldown;
            numBadEpochs = 0;
        }
        lastLr = currentLrs();
    }

    private List<Double> currentLrs() {
        List<Double> l = new ArrayList<>();
        for (ParamGroup g : optimizer.paramGroups()) l.add(g.lr());
        return List.copyOf(l);
    }

    /** The groups' rates after the last step. */
    public List<Double> getLastLr() { return lastLr; }

    /** The best metric seen so far. */
    public double best() { return best; }

    /** The number of consecutive epochs without improvement. */
    public int numBadEpochs() { return numBadEpochs; }

    /** The counters and settings with PyTorch's keys. */
    public Map<String, Object> stateDict() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("factor", o.factor);
        List<Double> mins = new ArrayList<>();
        for (double d : minLrs) mins.add(d);
        m.put("min_lrs", mins);
        m.put("patience", (long) o.patience);
        m.put("cooldown", (long) o.cooldown);
        m.put("cooldown_counter", (long) cooldownCounter);
        m.put("mode", o.mode);
        m.put("threshold", o.threshold);
        m.put("threshold_mode", o.thresholdMode);
        m.put("best", best);
        m.put("num_bad_epochs", (long) numBadEpochs);
        m.put("mode_worse", worse());
        m.put("eps", o.eps);
        m.put("last_epoch", (long) lastEpoch);
        m.put("_last_lr", new ArrayList<>(lastLr));
        return m;
    }

    /** Restores the counters (and settings) from {@link #stateDict()}. */
    @SuppressWarnings("unchecked")
    public void loadStateDict(Map<String, Object> m) {
        if (m.get("factor") instanceof Number n) o.factor = n.doubleValue();
        if (m.get("patience") instanceof Number n) o.patience = n.intValue();
        if (m.get("cooldown") instanceof Number n) o.cooldown = n.intValue();
        if (m.get("threshold") instanceof Number n) o.threshold = n.doubleValue();
        if (m.get("eps") instanceof Number n) o.eps = n.doubleValue();
        if (m.get("mode") instanceof String s) o.mode = s;
        if (m.get("threshold_mode") instanceof String s) o.thresholdMode = s;
        if (m.get("min_lrs") instanceof List<?> l && l.size() == minLrs.length) {
            for (int i = 0; i < minLrs.length; i++) minLrs[i] = ((Number) l.get(i)).doubleValue();
        }
        if (m.get("cooldown_counter") instanceof Number n) cooldownCounter = n.intValue();
        if (m.get("best") instanceof Number n) best = n.doubleValue();
        if (m.get("num_bad_epochs") instanceof Number n) numBadEpochs = n.intValue();
        if (m.get("last_epoch") instanceof Number n) lastEpoch = n.intValue();
        if (m.get("_last_lr") instanceof List<?> l) lastLr = LRScheduler.doubles((List<Object>) l);
    }
}
