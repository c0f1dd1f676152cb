package dev.balboa.nn.optim;

import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The base of the optimizers ({@code torch.optim.Optimizer}): parameter groups with their
 * hyper-parameters, per-parameter state (momentum buffers, moments, step counts), a
 * {@link #step()} that updates every parameter with a gradient under no-grad, and state dicts.
 *
 * <p>A state dict has PyTorch's layout: {@code "state"} maps a parameter's index (counted over
 * all groups in order) to its state (tensors and numbers), and {@code "param_groups"} lists
 * each group's options with {@code "params"}: the indices of its parameters. {@link #flatten}
 * turns it into named tensors plus a JSON-able map for checkpoint files, {@link #unflatten}
 * back.
 */
public abstract class Optimizer {
    private final Map<String, Object> defaults;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final Map<Tensor, Map<String, Object>> state = new IdentityHashMap<>();
    private final Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    private long stepCount;

    /**
     * Creates an optimizer over {@code groups}, filling options each group lacks from
     * {@code defaults}.
     */
    protected Optimizer(List<ParamGroup> groups, Map<String, Object> defaults) {
        if (groups == null || groups.isEmpty()) throw new IllegalArgumentException(name() + ": optimizer got an empty parameter list");
        this.defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
        for (ParamGroup g : groups) addParamGroup(g);
    }

    /** One group holding all of {@code params}. */
    protected static List<ParamGroup> single(List<Tensor> params) { return List.of(ParamGroup.of(params)); }

    private String name() { return getClass().getSimpleName(); }

    /** The default hyper-parameters given at construction. */
    public Map<String, Object> defaults() { return defaults; }

    /** The parameter groups, in order. */
    public List<ParamGroup> paramGroups() { return Collections.unmodifiableList(groups); }

    /**
     * Adds a group (e.g. layers unfrozen during fine-tuning); options it lacks come from the
     * defaults. A parameter may belong to one group only.
     */
    public void addParamGroup(ParamGroup group) {
        for (Tensor p : group.params()) {
            if (seen.contains(p)) throw new IllegalArgumentException(name() + ": some parameters appear in more than one parameter group");
        }
        for (Map.Entry<String, Object> e : defaults.entrySet()) group.setDefault(e.getKey(), e.getValue());
        validate(group);
        for (Tensor p : group.params()) seen.add(p);
        groups.add(group);
        initGroupState(group);
    }

    /** Checks a group's hyper-parameters; throws {@link IllegalArgumentException} naming the invalid one. */
    protected void validate(ParamGroup group) {}

    /** Creates state eagerly for a newly added group (most optimizers create it lazily on the first step). */
    protected void initGroupState(ParamGroup group) {}

    /** Sets every parameter's gradient to zero (in place), like {@code zero_grad(set_to_none=False)}. */
    public void zeroGrad() { zeroGrad(false); }

    /** Sets gradients to zero, or removes them when {@code setToNone}. */
    public void zeroGrad(boolean setToNone) {
        try (var g = Grad.disabled()) {
            for (ParamGroup group : groups) {
                for (Tensor p : group.params()) {
                    Tensor grad = p.grad();
                    if (grad == null) continue;
                    if (setToNone) {
                        p.setGrad(null);
                    } else {
                        if (grad.gradFn() != null) {
                            grad = grad.detach();
                            p.setGrad(grad);
                        }
                        grad.zero_();
                    }
                }
            }
        }
    }

    /** Performs one update of every parameter that has a gradient. */
    public final void step() { step(null); }

    /**
     * Evaluates {@code closure} (with gradients enabled; it should zero the gradients, compute
     * the loss and call backward) when it is not null, then performs one update, and returns
     * the closure's loss (or null).
     */
    public final Tensor step(Supplier<Tensor> closure) {
        Tensor loss = null;
        if (closure != null) {
            try (var g = Grad.enabled()) {
                loss = closure.get();
            }
        }
        try (var g = Grad.disabled()) {
            for (ParamGroup group : groups) update(group);
        }
        stepCount++;
        return loss;
    }

    /** How many times {@link #step()} ran on this object. */
    public long stepCount() { return stepCount; }

    /** Updates the parameters of one group; runs with gradient recording off. */
    protected abstract void update(ParamGroup group);

    /** The mutable state of a parameter, created empty on first use. */
    protected final Map<String, Object> state(Tensor param) {
        return state.computeIfAbsent(param, k -> new LinkedHashMap<>());
    }

    /** A read-only view of the per-parameter state (parameters by identity). */
    public Map<Tensor, Map<String, Object>> state() { return Collections.unmodifiableMap(state); }

    /**
     * Whether the "step" count is stored in state dicts as a 0-d float32 tensor (PyTorch's Adam,
     * AdamW and Adagrad) rather than a number (RMSprop).
     */
    protected boolean stepIsTensor() { return false; }

    // ---------------------------------------------------------------- state dicts

    /**
     * The optimizer state in PyTorch's layout. State tensors are the live buffers (not copies),
     * as in PyTorch; {@link #loadStateDict} copies them.
     */
    public Map<String, Object> stateDict() {
        Map<Integer, Map<String, Object>> packedState = new LinkedHashMap<>();
        List<Object> packedGroups = new ArrayList<>();
        int index = 0;
        for (ParamGroup g : groups) {
            Map<String, Object> pg = new LinkedHashMap<>(g.options());
            List<Long> ids = new ArrayList<>();
            for (Tensor p : g.params()) {
                Map<String, Object> s = state.get(p);
                if (s != null && !s.isEmpty()) {
                    Map<String, Object> copy = new LinkedHashMap<>();
                    for (Map.Entry<String, Object> e : s.entrySet()) {
                        Object v = e.getValue();
                        if ("step".equals(e.getKey()) && v instanceof Number n) {
                            v = stepIsTensor() ? Tensor.scalar(n.doubleValue()) : (Object) n.longValue();
                        }
                        copy.put(e.getKey(), v);
                    }
                    packedState.put(index, copy);
                }
                ids.add((long) index++);
            }
            pg.put("params", ids);
            packedGroups.add(pg);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", packedState);
        out.put("param_groups", packedGroups);
        return out;
    }

    /**
     * Restores a state dict from {@link #stateDict()} of an optimizer of the same kind over
     * parameters of the same shapes, grouped the same way. Group options are replaced; state
     * tensors are copied onto each parameter's device (and floating ones to its dtype).
     */
    @SuppressWarnings("unchecked")
    public void loadStateDict(Map<String, Object> stateDict) {
        List<Object> savedGroups = (List<Object>) require(stateDict, "param_groups");
        Map<?, ?> savedState = (Map<?, ?>) require(stateDict, "state");
        if (savedGroups.size() != groups.size()) {
            throw new IllegalArgumentException(name() + ".loadStateDict: the state dict has " + savedGroups.size()
                    + " parameter groups, the optimizer " + groups.size());
        }
        List<Tensor> byIndex = new ArrayList<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            Map<String, Object> sg = (Map<String, Object>) savedGroups.get(gi);
            List<?> ids = (List<?>) require(sg, "params");
            if (ids.size() != groups.get(gi).params().size()) {
                throw new IllegalArgumentException(name() + ".loadStateDict: group " + gi + " has " + ids.size()
                        + " parameters in the state dict and " + groups.get(gi).params().size() + " in the optimizer");
            }
            byIndex.addAll(groups.get(gi).params());
        }
        Map<Tensor, Map<String, Object>> newState = new IdentityHashMap<>();
        int base = 0;
        for (int gi = 0; gi < groups.size(); gi++) {
            Map<String, Object> sg = (Map<String, Object>) savedGroups.get(gi);
            List<?> ids = (List<?>) sg.get("params");
            for (int j = 0; j < ids.size(); j++) {
                Tensor p = byIndex.get(base + j);
                Object saved = lookup(savedState, ((Number) ids.get(j)).longValue());
                if (saved == null) continue;
                Map<String, Object> s = new LinkedHashMap<>();
                for (Map.Entry<String, Object> e : ((Map<String, Object>) saved).entrySet()) {
                    s.put(e.getKey(), restore(e.getKey(), e.getValue(), p));
                }
                newState.put(p, s);
            }
            base += ids.size();
        }
        for (int gi = 0; gi < groups.size(); gi++) {
            Map<String, Object> sg = (Map<String, Object>) savedGroups.get(gi);
            for (Map.Entry<String, Object> e : sg.entrySet()) {
                if (!"params".equals(e.getKey())) groups.get(gi).set(e.getKey(), e.getValue());
            }
        }
        state.clear();
        state.putAll(newState);
    }

    private Object restore(String key, Object v, Tensor param) {
        if ("step".equals(key)) {
            return v instanceof Tensor t ? (Object) t.item() : (Object) ((Number) v).doubleValue();
        }
        if (v instanceof Tensor t) {
            Tensor moved = t.to(param.device());
            if (moved.dtype().isFloatingPoint() && param.dtype().isFloatingPoint()) moved = moved.to(param.dtype());
            return moved == t ? t.clone() : moved;
        }
        return v;
    }

    private static Object lookup(Map<?, ?> m, long index) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
            Object k = e.getKey();
            long key = k instanceof Number n ? n.longValue() : Long.parseLong(k.toString());
            if (key == index) return e.getValue();
        }
        return null;
    }

    private String requireMsg(String key) { return name() + ".loadStateDict: the state dict has no '" + key + "'"; }

    private Object require(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) throw new IllegalArgumentException(requireMsg(key));
        return v;
    }

    // ---------------------------------------------------------------- flat form for checkpoints

    /**
     * A state dict split for file formats: {@code tensors} by name {@code "state.<index>.<key>"}
     * and {@code meta}, a map of strings, numbers, booleans, lists and maps (JSON-able) holding
     * the parameter groups ({@code "param_groups"}) and, under {@code "state"}, each parameter's
     * non-tensor entries plus {@code "__tensors__"}: the keys of its entries stored as tensors.
     *
     * @param tensors the state tensors by name (live buffers, as in {@link #stateDict()})
     * @param meta everything else, JSON-able
     */
    public record FlatState(Map<String, Tensor> tensors, Map<String, Object> meta) {}

    /** Splits a state dict from {@link #stateDict()} into named tensors and a JSON-able map. */
    @SuppressWarnings("unchecked")
    public static FlatState flatten(Map<String, Object> stateDict) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, Object> metaState = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) stateDict.get("state")).entrySet()) {
            String idx = e.getKey().toString();
            Map<String, Object> plain = new LinkedHashMap<>();
            List<String> tensorKeys = new ArrayList<>();
            for (Map.Entry<String, Object> s : ((Map<String, Object>) e.getValue()).entrySet()) {
                if (s.getValue() instanceof Tensor t) {
                    tensors.put("state." + idx + "." + s.getKey(), t);
                    tensorKeys.add(s.getKey());
                } else {
                    plain.put(s.getKey(), s.getValue());
                }
            }
            plain.put("__tensors__", tensorKeys);
            metaState.put(idx, plain);
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("state", metaState);
        meta.put("param_groups", stateDict.get("param_groups"));
        return new FlatState(tensors, meta);
    }

    /** Rebuilds a state dict, loadable with {@link #loadStateDict}, from {@link #flatten}'s parts. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> unflatten(FlatState flat) {
        Map<Integer, Map<String, Object>> state = new LinkedHashMap<>();
        Map<String, Object> metaState = (Map<String, Object>) flat.meta().get("state");
        if (metaState == null) throw new IllegalArgumentException("Optimizer.unflatten: meta has no 'state'");
        for (Map.Entry<String, Object> e : metaState.entrySet()) {
            Map<String, Object> s = new LinkedHashMap<>();
            for (Map.Entry<String, Object> v : ((Map<String, Object>) e.getValue()).entrySet()) {
                if (v.getKey().equals("__tensors__")) {
                    for (Object key : (List<Object>) v.getValue()) {
                        String name = "state." + e.getKey() + "." + key;
                        Tensor t = flat.tensors().get(name);
                        if (t == null) throw new IllegalArgumentException("Optimizer.unflatten: missing tensor '" + name + "'");
                        s.put(key.toString(), t);
                    }
                } else {
                    s.put(v.getKey(), v.getValue());
                }
            }
            state.put(Integer.parseInt(e.getKey()), s);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", state);
        out.put("param_groups", flat.meta().get("param_groups"));
        return out;
    }

    // ---------------------------------------------------------------- update helpers

    /** The step count stored under "step" (0 when absent). */
    protected static double stepOf(Map<String, Object> s) {
        Object v = s.get("step");
        return v == null ? 0 : ((Number) v).doubleValue();
    }

    /** {@code self += value * a * b}, like {@code addcmul_}. */
    protected static Tensor addcmul(Tensor self, Tensor a, Tensor b, double value) {
        return self.add_(a.mul(value).mul(b));
    }

    /** {@code self += value * a / b}, like {@code addcdiv_}. */
    protected static Tensor addcdiv(Tensor self, Tensor a, Tensor b, double value) {
        return self.add_(a.mul(value).div(b));
    }

    /** Checks {@code value >= 0}. */
    protected static void nonNegative(String optimizer, String key, double value) {
        if (!(value >= 0)) throw new IllegalArgumentException(optimizer + ": invalid " + key + " " + value + " (must be >= 0)");
    }
}
