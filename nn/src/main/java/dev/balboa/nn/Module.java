package dev.balboa.nn;

import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import dev.balboa.spi.DType;
import dev.balboa.spi.Device;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The base of every layer and model ({@code torch.nn.Module}): named parameters, buffers and
 * submodules registered explicitly (no reflection, so it works under JPMS without opening
 * packages), training/evaluation mode, device and dtype moves, state dicts and a printable tree.
 *
 * <pre>{@code
 * class Mlp extends Module {
 *     final Linear fc1 = registerModule("fc1", new Linear(784, 128));
 *     final Linear fc2 = registerModule("fc2", new Linear(128, 10));
 *     public Tensor forward(Tensor x) { return fc2.forward(fc1.forward(x).relu()); }
 * }
 * }</pre>
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /**
     * Computes the module's output for one input. Modules that take other inputs (attention,
     * recurrent layers) offer their own {@code forward} overloads and may not support this one.
     */
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(getClass().getSimpleName()
                + " does not take a single tensor; use its own forward(...) methods");
    }

    private static void checkName(String kind, String name, Map<String, ?> a, Map<String, ?> b, Map<String, ?> c) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("register" + kind + ": invalid name '" + name + "' (non-empty, no '.')");
        }
        if (a.containsKey(name) || b.containsKey(name) || c.containsKey(name)) {
            throw new IllegalArgumentException("register" + kind + ": the name '" + name + "' is already registered");
        }
    }

    /** Registers a parameter (a leaf that requires gradients) under {@code name}; null registers nothing and returns null. */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkName("Parameter", name, parameters, buffers, children);
        if (value == null) return null;
        if (!value.isLeaf()) value = value.detach();
        if (!value.requiresGrad()) value.requiresGrad_();
        parameters.put(name, value);
        return value;
    }

    /** Registers a buffer (state that is saved but not trained, e.g. running means) under {@code name}. */
    protected final Tensor registerBuffer(String name, Tensor value) {
        checkName("Buffer", name, parameters, buffers, children);
        if (value != null) buffers.put(name, value);
        return value;
    }

    /** Replaces the value of a registered buffer (e.g. a counter recomputed out of place). */
    protected final void setBuffer(String name, Tensor value) {
        if (!buffers.containsKey(name)) throw new IllegalArgumentException("setBuffer: no buffer named '" + name + "'");
        buffers.put(name, value);
    }

    /** Registers a submodule under {@code name} and returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkName("Module", name, parameters, buffers, children);
        if (module == null) throw new IllegalArgumentException("registerModule: module '" + name + "' is null");
        children.put(name, module);
        return module;
    }

    /** Switches this module and its submodules to training mode (dropout active, batch statistics). */
    public Module train() { return train(true); }

    /** Switches training mode on or off, recursively. */
    public Module train(boolean on) {
        training = on;
        for (Module m : children.values()) m.train(on);
        return this;
    }

    /** Switches to evaluation mode. */
    public Module eval() { return train(false); }

    /** Whether the module is in training mode. */
    public boolean isTraining() { return training; }

    /** The direct submodules by name. */
    public Map<String, Module> children() { return Collections.unmodifiableMap(children); }

    /** Every parameter, depth first, each once. */
    public List<Tensor> parameters() { return new ArrayList<>(namedParameters().values()); }

    /** Every parameter by dotted name ({@code "fc1.weight"}), depth first, each tensor once. */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect(out, "", true, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    /** Every buffer by dotted name. */
    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect(out, "", false, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private void collect(Map<String, Tensor> out, String prefix, boolean params, Set<Tensor> seen) {
        for (Map.Entry<String, Tensor> e : (params ? parameters : buffers).entrySet()) {
            if (seen.add(e.getValue())) out.put(prefix + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().collect(out, prefix + e.getKey() + ".", params, seen);
        }
    }

    /** Every module in the tree by dotted name, this one first under "". */
    public Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        namedModules(out, "");
        return out;
    }

    private void namedModules(Map<String, Module> out, String prefix) {
        out.put(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1), this);
        for (Map.Entry<String, Module> e : children.entrySet()) e.getValue().namedModules(out, prefix + e.getKey() + ".");
    }

    /** Calls {@code fn} on every submodule (depth first) and then on this module, like {@code Module.apply}. */
    public Module apply(Consumer<Module> fn) {
        for (Module m : children.values()) m.apply(fn);
        fn.accept(this);
        return this;
    }

    /** Total number of parameter elements. */
    public long numParameters() {
        long n = 0;
        for (Tensor p : parameters()) n += p.numel();
        return n;
    }

    /** Clears every parameter's gradient (sets it to null). */
    public void zeroGrad() {
        for (Tensor p : parameters()) p.setGrad(null);
    }

    /** Moves every parameter and buffer to {@code device} in place (tensor objects stay the same). */
    public Module to(Device device) {
        try (var g = Grad.disabled()) {
            for (Tensor t : allTensors()) {
                if (!t.device().equals(device)) {
                    t.set_(t.to(device));
                    if (t.grad() != null) t.setGrad(t.grad().to(device));
                }
            }
        }
        return this;
    }

    /** Converts every floating-point parameter and buffer to {@code dtype} in place. */
    public Module to(DType dtype) {
        if (!dtype.isFloatingPoint()) throw new IllegalArgumentException("Module.to: expected a floating-point dtype, got " + dtype);
        try (var g = Grad.disabled()) {
            for (Tensor t : allTensors()) {
                if (t.dtype().isFloatingPoint() && t.dtype() != dtype) {
                    Tensor grad = t.grad();
                    t.setGrad(null);
                    t.set_(t.to(dtype));
                    if (grad != null) t.setGrad(grad.to(dtype));
                }
            }
        }
        return this;
    }

    private List<Tensor> allTensors() {
        List<Tensor> all = new ArrayList<>(namedParameters().values());
        all.addAll(namedBuffers().values());
        return all;
    }

    /** Parameters and buffers by dotted name (detached views of the live tensors). */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectState(out, "");
        return out;
    }

    private void collectState(Map<String, Tensor> out, String prefix) {
        for (Map.Entry<String, Tensor> e : parameters.entrySet()) out.put(prefix + e.getKey(), e.getValue().detach());
        for (Map.Entry<String, Tensor> e : buffers.entrySet()) out.put(prefix + e.getKey(), e.getValue().detach());
        for (Map.Entry<String, Module> e : children.entrySet()) e.getValue().collectState(out, prefix + e.getKey() + ".");
    }

    /**
     * What {@link #loadStateDict} found besides the matching entries.
     *
     * @param missingKeys    entries of the module absent from the state
     * @param unexpectedKeys entries of the state the module does not have
     */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {}

    /**
     * Copies values from {@code state} into this module's parameters and buffers (converting
     * dtype and device). A shape mismatch always throws; with {@code strict}, missing or
     * unexpected keys throw too, listing them all.
     */
    public LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = new LinkedHashMap<>();
        collectLive(own, "");
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), mismatched = new ArrayList<>();
        for (String k : own.keySet()) if (!state.containsKey(k)) missing.add(k);
        for (String k : state.keySet()) if (!own.containsKey(k)) unexpected.add(k);
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src != null && !Arrays.equals(src.shape(), e.getValue().shape())) {
                mismatched.add(e.getKey() + ": checkpoint " + Arrays.toString(src.shape()) + ", model "
                        + Arrays.toString(e.getValue().shape()));
            }
        }
        if (!mismatched.isEmpty() || (strict && (!missing.isEmpty() || !unexpected.isEmpty()))) {
            StringBuilder sb = new StringBuilder("loadStateDict: error(s) loading the state of ").append(getClass().getSimpleName());
            if (!missing.isEmpty()) sb.append("\n  missing keys: ").append(missing);
            if (!unexpected.isEmpty()) sb.append("\n  unexpected keys: ").append(unexpected);
            for (String m : mismatched) sb.append("\n  shape mismatch for ").append(m);
            throw new IllegalArgumentException(sb.toString());
        }
        try (var g = Grad.disabled()) {
            for (Map.Entry<String, Tensor> e : own.entrySet()) {
                Tensor src = state.get(e.getKey());
                if (src != null) e.getValue().copy_(src);
            }
        }
        return new LoadResult(List.copyOf(missing), List.copyOf(unexpected));
    }

    private void collectLive(Map<String, Tensor> out, String prefix) {
        for (Map.Entry<String, Tensor> e : parameters.entrySet()) out.put(prefix + e.getKey(), e.getValue());
        for (Map.Entry<String, Tensor> e : buffers.entrySet()) out.put(prefix + e.getKey(), e.getValue());
        for (Map.Entry<String, Module> e : children.entrySet()) e.getValue().collectLive(out, prefix + e.getKey() + ".");
    }

    /** The part of {@link #toString()} inside the parentheses, e.g. {@code "in_features=784, out_features=10"}. */
    protected String extraRepr() { return ""; }

    /** A tree like PyTorch's, with the parameter count of each module that has parameters. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('(').append(extraRepr());
        if (!children.isEmpty()) {
            sb.append('\n');
            for (Map.Entry<String, Module> e : children.entrySet()) {
                String child = e.getValue().toString().replace("\n", "\n  ");
                sb.append("  (").append(e.getKey()).append("): ").append(child).append('\n');
            }
        }
        sb.append(')');
        long n = numParameters();
        if (n > 0 && (children.isEmpty() || parameters.isEmpty())) {
            // leaf modules and containers report their parameter count
            sb.append("  # ").append(String.format("%,d", n)).append(" parameters");
        }
        return sb.toString();
    }
}
