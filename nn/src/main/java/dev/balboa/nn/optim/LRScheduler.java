package dev.balboa.nn.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The base of the epoch- or iteration-based learning-rate schedulers
 * ({@code torch.optim.lr_scheduler._LRScheduler}). A scheduler sets each parameter group's
 * "lr" once on construction (epoch 0) and again on every {@link #step()}, which should follow
 * {@code optimizer.step()}. It records each group's starting rate as the group option
 * "initial_lr" (kept if already present, e.g. from another scheduler).
 *
 * <p>Schedules are computed as PyTorch computes them: {@link #computeLr()} is usually
 * recursive (derived from the groups' current rates, so schedulers compose when chained), and
 * {@link #step(int)} jumps to an epoch with the closed form where one exists.
 *
 * <p>Subclasses set their fields and then call {@link #initialStep()} at the end of their
 * constructor.
 */
public abstract class LRScheduler {
    /** The optimizer whose learning rates this scheduler sets. */
    protected final Optimizer optimizer;
    /** Each group's "initial_lr". */
    protected List<Double> baseLrs;
    /** The index of the last epoch (or iteration) stepped to; -1 before construction's initial step. */
    protected int lastEpoch;
    /** How many times {@link #step()} ran, including the initial step. */
    protected int stepCount;
    private List<Double> lastLr = List.of();

    /**
     * Binds to {@code optimizer}; {@code lastEpoch} -1 starts a new schedule, a larger value
     * resumes one (the groups must then carry "initial_lr").
     */
    protected LRScheduler(Optimizer optimizer, int lastEpoch) {
        this.optimizer = optimizer;
        List<Double> base = new ArrayList<>();
        int i = 0;
        for (ParamGroup g : optimizer.paramGroups()) {
            if (lastEpoch == -1) {
                if (!g.has("initial_lr")) g.set("initial_lr", g.lr());
            } else if (!g.has("initial_lr")) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": param 'initial_lr' is not set in param group "
                        + i + " when resuming a schedule (lastEpoch " + lastEpoch + ")");
            }
            base.add(g.getDouble("initial_lr"));
            i++;
        }
        this.baseLrs = base;
        this.lastEpoch = lastEpoch;
    }

    /** For composite schedulers that manage their children's state themselves. */
    LRScheduler(Optimizer optimizer) {
        this.optimizer = optimizer;
        this.baseLrs = List.of();
    }

    /** Resets the step count and takes the first step (to epoch {@code lastEpoch + 1}). */
    protected final void initialStep() {
        stepCount = 0;
        step();
    }

    /** The optimizer whose learning rates this scheduler sets. */
    public Optimizer optimizer() { return optimizer; }

    /** The last epoch stepped to. */
    public int lastEpoch() { return lastEpoch; }

    /** Advances one epoch (or iteration) and sets the groups' learning rates. */
    public void step() {
        stepCount++;
        lastEpoch++;
        apply(computeLr());
    }

    /**
     * Jumps to {@code epoch}, using the closed form of the schedule when it has one (PyTorch's
     * deprecated {@code step(epoch)}).
     */
    public void step(int epoch) {
        stepCount++;
        lastEpoch = epoch;
        double[] closed = closedFormLr();
        apply(closed != null ? closed : computeLr());
    }

    private void apply(double[] values) {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) groups.get(i).setLr(values[i]);
        recordLastLr();
    }

    /** Records the groups' current rates as the last learning rates. */
    void recordLastLr() {
        List<Double> l = new ArrayList<>();
        for (ParamGroup g : optimizer.paramGroups()) l.add(g.lr());
        lastLr = List.copyOf(l);
    }

    /** The learning rates this scheduler set last, one per group. */
    public List<Double> getLastLr() { return lastLr; }

    void setLastLr(List<Double> l) { lastLr = List.copyOf(l); }

    /** The groups' rates for epoch {@link #lastEpoch}, as PyTorch's {@code get_lr()}. */
    protected abstract double[] computeLr();

    /** The rates for {@link #lastEpoch} in closed form, or null if the schedule has none. */
    protected double[] closedFormLr() { return null; }

    /** The groups' current rates. */
    protected final double[] currentLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] out = new double[groups.size()];
        for (int i = 0; i < out.length; i++) out[i] = groups.get(i).lr();
        return out;
    }

    /**
     * The scheduler's state with PyTorch's keys ("last_epoch", "base_lrs", "_step_count",
     * "_last_lr" and the schedule's own settings): numbers, booleans, strings and lists.
     */
    public Map<String, Object> stateDict() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("base_lrs", new ArrayList<>(baseLrs));
        m.put("last_epoch", (long) lastEpoch);
        m.put("_step_count", (long) stepCount);
        m.put("_last_lr", new ArrayList<>(lastLr));
        saveSettings(m);
        return m;
    }

    /** Restores {@link #stateDict()}'s values. */
    @SuppressWarnings("unchecked")
    public void loadStateDict(Map<String, Object> state) {
        if (state.containsKey("base_lrs")) baseLrs = doubles((List<Object>) state.get("base_lrs"));
        if (state.containsKey("last_epoch")) lastEpoch = ((Number) state.get("last_epoch")).intValue();
        if (state.containsKey("_step_count")) stepCount = ((Number) state.get("_step_count")).intValue();
        if (state.containsKey("_last_lr")) lastLr = List.copyOf(doubles((List<Object>) state.get("_last_lr")));
        loadSettings(state);
    }

    /** Adds the schedule's own settings to a state dict. */
    protected void saveSettings(Map<String, Object> state) {}

    /** Restores the schedule's own settings from a state dict (keys may be missing). */
    protected void loadSettings(Map<String, Object> state) {}

    static List<Double> doubles(List<?> l) {
        List<Double> out = new ArrayList<>();
        for (Object o : l) out.add(((Number) o).doubleValue());
        return out;
    }

    static double num(Map<String, Object> m, String key, double fallback) {
        Object v = m.get(key);
        return v instanceof Number n ? n.doubleValue() : fallback;
    }
}
