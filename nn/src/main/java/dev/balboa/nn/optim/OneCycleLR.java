package dev.balboa.nn.optim;

import java.util.List;
import java.util.Map;

/**
 * The one-cycle policy ({@code torch.optim.lr_scheduler.OneCycleLR}), stepped once per batch:
 * the rate rises from {@code maxLr / divFactor} to {@code maxLr} over the first
 * {@code pctStart} of {@code totalSteps}, then anneals to {@code initial / finalDivFactor}
 * (with {@code threePhase}: back down to the initial rate symmetrically, then to the minimum).
 * Annealing is cosine or linear. With {@code cycleMomentum} the momentum (SGD's "momentum" or
 * Adam's first beta) moves inversely between {@code maxMomentum} and {@code baseMomentum}.
 *
 * <pre>{@code
 * var sched = new OneCycleLR(opt, new OneCycleLR.Options(0.1, 1000).pctStart(0.25));
 * }</pre>
 */
public final class OneCycleLR extends LRScheduler {

    /** The policy's settings; {@code maxLr} and {@code totalSteps} are required. */
    public static final class Options {
        double[] maxLrs;
        int totalSteps;
        double pctStart = 0.3;
        String annealStrategy = "cos";
        boolean cycleMomentum = true;
        double baseMomentum = 0.85;
        double maxMomentum = 0.95;
        double divFactor = 25.0;
        double finalDivFactor = 1e4;
        boolean threePhase;
        int lastEpoch = -1;

        /** The peak rate for every group, over {@code totalSteps} steps. */
        public Options(double maxLr, int totalSteps) { this(new double[] {maxLr}, totalSteps); }

        /** One peak rate per parameter group (or a single one for all), over {@code totalSteps} steps. */
        public Options(double[] maxLrs, int totalSteps) {
            if (totalSteps <= 0) throw new IllegalArgumentException("OneCycleLR: expected a positive totalSteps, got " + totalSteps);
            this.maxLrs = maxLrs.clone();
            this.totalSteps = totalSteps;
        }

        /** The fraction of the cycle spent increasing the rate (default 0.3). */
        public Options pctStart(double v) { pctStart = v; return this; }
        /** "cos" (default) or "linear". */
        public Options annealStrategy(String v) { annealStrategy = v; return this; }
        /** Whether to cycle momentum inversely to the rate (default true). */
        public Options cycleMomentum(boolean v) { cycleMomentum = v; return this; }
        /** The lowest momentum (default 0.85). */
        public Options baseMomentum(double v) { baseMomentum = v; return this; }
        /** The highest momentum (default 0.95). */
        public Options maxMomentum(double v) { maxMomentum = v; return this; }
        /** The initial rate is {@code maxLr / divFactor} (default 25). */
        public Options divFactor(double v) { divFactor = v; return this; }
        /** The final rate is {@code initial / finalDivFactor} (default 1e4). */
        public Options finalDivFactor(double v) { finalDivFactor = v; return this; }
        /** Use the three-phase schedule. */
        public Options threePhase(boolean v) { threePhase = v; return this; }
        /** Resume at this step (-1, the default, starts a new cycle). */
        public Options lastEpoch(int v) { lastEpoch = v; return this; }
    }

    private record Phase(double endStep, String startLr, String endLr, String startMomentum, String endMomentum) {}

    private int totalSteps;
    private final Phase[] phases;
    private final boolean linear;
    private final boolean cycleMomentum;
    private final boolean useBeta1;

    /** A one-cycle schedule over the optimizer's groups. */
    public OneCycleLR(Optimizer optimizer, Options o) {
        super(prepare(optimizer, o), o.lastEpoch);
        this.totalSteps = o.totalSteps;
        this.linear = o.annealStrategy.equals("linear");
        this.cycleMomentum = o.cycleMomentum;
        this.useBeta1 = optimizer.defaults().containsKey("betas");
        double n = o.totalSteps;
        if (o.threePhase) {
            phases = new Phase[] {
                new Phase(o.pctStart * n - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                new Phase(2 * o.pctStart * n - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                new Phase(n - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
            };
        } else {
            phases = new Phase[] {
                new Phase(o.pctStart * n - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                new Phase(n - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"),
            };
        }
        initialStep();
    }

    private static Optimizer prepare(Optimizer optimizer, Options o) {
        if (!(o.pctStart >= 0 && o.pctStart <= 1)) {
            throw new IllegalArgumentException("OneCycleLR: expected pctStart in [0, 1], got " + o.pctStart);
        }
        if (!o.annealStrategy.equals("cos") && !o.annealStrategy.equals("linear")) {
            throw new IllegalArgumentException("OneCycleLR: annealStrategy must be 'cos' or 'linear', got '" + o.annealStrategy + "'");
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] maxLrs = perGroup("maxLr", o.maxLrs, groups.size());
        boolean beta = optimizer.defaults().containsKey("betas");
        if (o.cycleMomentum && !beta && !optimizer.defaults().containsKey("momentum")) {
            throw new IllegalArgumentException("OneCycleLR: the optimizer must support momentum (\"momentum\" or \"betas\") "
                    + "with cycleMomentum enabled");
        }
        if (o.lastEpoch == -1) {
            for (int i = 0; i < groups.size(); i++) {
                ParamGroup g = groups.get(i);
                double initial = maxLrs[i] / o.divFactor;
                g.set("initial_lr", initial);
                g.set("max_lr", maxLrs[i]);
                g.set("min_lr", initial / o.finalDivFactor);
                if (o.cycleMomentum) {
                    if (beta) g.set("betas", List.of(o.maxMomentum, g.getDoubles("betas")[1]));
                    else g.set("momentum", o.maxMomentum);
                    g.set("max_momentum", o.maxMomentum);
                    g.set("base_momentum", o.baseMomentum);
                }
            }
        }
        return optimizer;
    }

    private static double[] perGroup(String name, double[] v, int groups) {
        if (v.length == 1) {
            double[] out = new double[groups];
            java.util.Arrays.fill(out, v[0]);
            return out;
        }
        if (v.length != groups) throw new IllegalArgumentException("OneCycleLR: expected " + groups + " values for " + name + ", got " + v.length);
        return v;
    }

    private double anneal(double start, double end, double pct) {
        if (linear) return (end - start) * pct + start;
        double cosOut = Math.cos(Math.PI * pct) + 1;
        return end + (start - end) / 2.0 * cosOut;
    }

    @Override
    protected double[] computeLr() {
        int stepNum = lastEpoch;
        if (stepNum > totalSteps) {
            throw new IllegalStateException("OneCycleLR: tried to step " + (stepNum + 1) + " times; the schedule has "
                    + totalSteps + " total steps");
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] lrs = new double[groups.size()];
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = groups.get(gi);
            double startStep = 0, lr = 0, momentum = 0;
            for (int i = 0; i < phases.length; i++) {
                Phase ph = phases[i];
                if (stepNum <= ph.endStep() || i == phases.length - 1) {
                    double pct = (stepNum - startStep) / (ph.endStep() - startStep);
                    lr = anneal(g.getDouble(ph.startLr()), g.getDouble(ph.endLr()), pct);
                    if (cycleMomentum) momentum = anneal(g.getDouble(ph.startMomentum()), g.getDouble(ph.endMomentum()), pct);
                    break;
                }
                startStep = ph.endStep();
            }
            lrs[gi] = lr;
            if (cycleMomentum) {
                if (useBeta1) g.set("betas", List.of(momentum, g.getDoubles("betas")[1]));
                else g.set("momentum", momentum);
            }
        }
        return lrs;
    }

    @Override
    protected void saveSettings(Map<String, Object> m) {
        m.put("total_steps", (long) totalSteps);
        m.put("anneal_strategy", linear ? "linear" : "cos");
        m.put("cycle_momentum", cycleMomentum);
        m.put("use_beta1", useBeta1);
    }

    @Override
    protected void loadSettings(Map<String, Object> m) { totalSteps = (int) num(m, "total_steps", totalSteps); }
}
