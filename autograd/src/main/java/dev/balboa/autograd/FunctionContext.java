package dev.balboa.autograd;

import dev.balboa.api.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a custom {@link Function}'s forward leaves for its backward: saved tensors (checked for
 * later in-place changes), other values, and which inputs need gradients.
 */
public final class FunctionContext {
    private final boolean[] needsInputGrad;
    private Tensor[] saved = new Tensor[0];
    private int[] savedVersions = new int[0];
    private final Map<String, Object> values = new HashMap<>();
    final Set<Tensor> nonDifferentiable = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    FunctionContext(Tensor[] inputs) {
        needsInputGrad = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) needsInputGrad[i] = inputs[i].requiresGrad() && inputs[i].dtype().isFloatingPoint();
    }

    /** Keeps tensors for backward. */
    public void saveForBackward(Tensor... tensors) {
        saved = tensors.clone();
        savedVersions = new int[tensors.length];
        for (int i = 0; i < tensors.length; i++) savedVersions[i] = tensors[i] == null ? 0 : tensors[i].version();
    }

    /** The tensors kept by {@link #saveForBackward}; throws if one was modified in place since. */
    public Tensor[] savedTensors() {
        for (int i = 0; i < saved.length; i++) {
            if (saved[i] != null && saved[i].version() != savedVersions[i]) {
                throw new IllegalStateException("custom function: saved tensor " + i + " " + saved[i].dtype()
                        + Arrays.toString(saved[i].shape()) + " was modified in place after it was saved");
            }
        }
        return saved.clone();
    }

    /** Stores any other value for backward. */
    public void put(String key, Object value) { values.put(key, value); }

    /** A value stored with {@link #put}. */
    @SuppressWarnings("unchecked")
    public <T> T get(String key) { return (T) values.get(key); }

    /** Whether input {@code i} needs a gradient. */
    public boolean needsInputGrad(int i) { return needsInputGrad[i]; }

    /** Marks outputs that carry no gradient (e.g. indices). */
    public void markNonDifferentiable(Tensor... outputs) { nonDifferentiable.addAll(Arrays.asList(outputs)); }

    void release() {
        saved = new Tensor[0];
        values.clear();
    }
}
