package dev.balboa.nn.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Steps several schedulers of one optimizer together, each applying its change to the rate the
 * previous one left ({@code torch.optim.lr_scheduler.ChainedScheduler}); e.g. a constant-factor
 * warm-up combined with exponential decay.
 */
public final class ChainedScheduler extends LRScheduler {
    private final List<LRScheduler> schedulers;

    /** Chains already constructed schedulers, all over the same optimizer. */
    public ChainedScheduler(List<LRScheduler> schedulers) {
        super(first(schedulers).optimizer);
        for (int i = 1; i < schedulers.size(); i++) {
            if (schedulers.get(i).optimizer != optimizer) {
                throw new IllegalArgumentException("ChainedScheduler: expects all schedulers to belong to the same optimizer, "
                        + "but the schedulers at index 0 and " + i + " differ");
            }
        }
        this.schedulers = List.copyOf(schedulers);
        recordLastLr();
    }

    private static LRScheduler first(List<LRScheduler> s) {
        if (s == null || s.isEmpty()) throw new IllegalArgumentException("ChainedScheduler: no schedulers");
        return s.get(0);
    }

    @Override
    public void step() {
        for (LRScheduler s : schedulers) s.step();
        recordLastLr();
    }

    /** Not supported: a chain is only stepped forward. */
    @Override
    public void step(int epoch) {
        throw new UnsupportedOperationException("ChainedScheduler: step(epoch) is not supported; call step()");
    }

    @Override
    protected double[] computeLr() { return currentLrs(); }

    /** The state with the children's state dicts under "_schedulers". */
    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("_last_lr", new ArrayList<>(getLastLr()));
        List<Object> children = new ArrayList<>();
        for (LRScheduler s : schedulers) children.add(s.stateDict());
        m.put("_schedulers", children);
        return m;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void loadStateDict(Map<String, Object> state) {
        if (state.containsKey("_last_lr")) setLastLr(doubles((List<Object>) state.get("_last_lr")));
        List<Object> children = (List<Object>) state.get("_schedulers");
        if (children != null) {
            for (int i = 0; i < Math.min(children.size(), schedulers.size()); i++) {
                schedulers.get(i).loadStateDict((Map<String, Object>) children.get(i));
            }
        }
    }
}
