package dev.balboa.api.dispatch;

import dev.balboa.api.HookHandle;
import dev.balboa.api.Tensor;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The gradient engine behind {@link Tensor#backward()} and {@code Autograd.grad}, provided by
 * the {@code dev.balboa.autograd} module through {@link java.util.ServiceLoader}. Without it,
 * inference works and backward explains which module is missing.
 */
public interface AutogradEngine {

    /** Accumulates d(sum of outputs * gradOutputs)/d(leaf) into the {@code grad} of every leaf that requires grad. */
    void backward(List<Tensor> outputs, List<Tensor> gradOutputs, boolean retainGraph, boolean createGraph);

    /** Returns d(sum of outputs * gradOutputs)/d(input) for each input, without touching {@code grad} fields. */
    List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs,
                      boolean retainGraph, boolean createGraph, boolean allowUnused);

    /** Makes a non-leaf keep its gradient in {@code grad()}. */
    void retainGrad(Tensor t);

    /** Adds a gradient hook to a tensor. */
    HookHandle registerHook(Tensor t, UnaryOperator<Tensor> hook);

    /** Adds a hook run after a leaf's gradient is accumulated. */
    HookHandle registerPostAccumulateGradHook(Tensor t, Consumer<Tensor> hook);

    /**
     * Records a composite that {@code api} computed as one unit (with a device's fused kernel, a
     * product with a prepared weight, {@code unbind}), so its primitives were not recorded: attaches one node to the floating-point {@code outputs} whose backward calls
     * {@code backward} with {@code saved} (checked against in-place changes since this call) and
     * the outputs' gradients (null for outputs that received none), and returns one gradient per
     * input (null where none). {@code backward} runs with gradient recording on when a higher
     * order graph is requested. Returns false when this engine cannot record fused composites;
     * {@code api} then runs the composite of primitives instead (the default).
     */
    default boolean recordFused(String name, Tensor[] inputs, Tensor[] outputs, Tensor[] saved,
                                BiFunction<Tensor[], Tensor[], Tensor[]> backward) {
        return false;
    }
}
