package dev.balboa.nn.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs schedulers one after another, switching at the milestone epochs
 * ({@code torch.optim.lr_scheduler.SequentialLR}); e.g. a {@link LinearLR} warm-up for 5 epochs
 * followed by {@link CosineAnnealingLR}. On construction the groups' rates are reset to
 * "initial_lr" and the first scheduler restarts; at each milestone the next scheduler jumps to
 * its epoch 0 (using its closed form when it has one).
 */
public final class SequentialLR extends LRScheduler {
    private final List<LRScheduler> schedulers;
    private final int[] milestones;

    /** Chains {@code schedulers} (all over {@code optimizer}) switching at {@code milestones} (one fewer). */
    public SequentialLR(Optimizer optimizer, List<LRScheduler> schedulers, int[] milestones) {
        this(optimizer, schedulers, milestones, -1);
    }

    /** As above, resumed at {@code lastEpoch}. */
    public SequentialLR(Optimizer optimizer, List<LRScheduler> schedulers, int[] milestones, int lastEpoch) {
        super(optimizer);
        for (int i = 0; i < schedulers.size(); i++) {
            if (schedulers.get(i).optimizer != optimizer) {
                throw new IllegalArgumentException("SequentialLR: expects all schedulers to belong to the same optimizer, "
                        + "but the scheduler at index " + i + " has a different one");
            }
        }
        if (milestones.length != schedulers.size() - 1) {
            throw new IllegalArgumentException("SequentialLR: expects one milestone fewer than schedulers, got "
                    + schedulers.size() + " schedulers and " + milestones.length + " milestones");
        }
        this.schedulers = List.copyOf(schedulers);
        this.milestones = milestones.clone();
        this.lastEpoch = lastEpoch + 1;
        for (ParamGroup g : optimizer.paramGroups()) g.setLr(g.getDouble("initial_lr"));
        for (LRScheduler s : this.schedulers) s.lastEpoch -= 1;
        this.schedulers.get(0).initialStep();
        setLastLr(this.schedulers.get(0).getLastLr());
    }

    @Override
    public void step() {
        lastEpoch++;
        int idx = 0;
        while (idx < milestones.length && milestones[idx] <= lastEpoch) idx++;
        LRScheduler s = schedulers.get(idx);
        if (idx > 0 && milestones[idx - 1] == lastEpoch) s.step(0);
        else s.step();
        setLastLr(s.getLastLr());
    }

    /** Not supported: a sequence is only stepped forward. */
    @Override
    public void step(int epoch) {
        throw new UnsupportedOperationException("SequentialLR: step(epoch) is not supported; call step()");
    }

    @Override
    protected double[] computeLr() { return currentLrs(); }

    /** The state with the children's state dicts under "_schedulers". */
    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("last_epoch", (long) lastEpoch);
        List<Long> ms = new ArrayList<>();
        for (int x : milestones) ms.add((long) x);
        m.put("_milestones", ms);
        m.put("_last_lr", new ArrayList<>(getLastLr()));
        List<Object> children = new ArrayList<>();
        for (LRScheduler s : schedulers) children.add(s.stateDict());
        m.put("_schedulers", children);
        return m;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void loadStateDict(Map<String, Object> state) {
        if (state.containsKey("last_epoch")) lastEpoch = ((Number) state.get("last_epoch")).intValue();
        if (state.containsKey("_last_lr")) setLastLr(doubles((List<Object>) state.get("_last_lr")));
        List<Object> children = (List<Object>) state.get("_schedulers");
        if (children != null) {
            if (children.size() != schedulers.size()) {
                throw new IllegalArgumentException("SequentialLR.loadStateDict: " + children.size() + " scheduler states for "
                        + schedulers.size() + " schedulers");
            }
            for (int i = 0; i < children.size(); i++) schedulers.get(i).loadStateDict((Map<String, Object>) children.get(i));
        }
    }
}
