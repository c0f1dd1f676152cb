package dev.balboa.api.dispatch;

import dev.balboa.api.HookHandle;
import dev.balboa.api.Tensor;
import java.util.List;
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
}
