package dev.balboa.autograd;

import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import dev.balboa.autograd.internal.CustomNode;

/**
 * A user-defined differentiable operation ({@code torch.autograd.Function}): {@link #forward}
 * computes outputs (nothing inside it is recorded) and {@link #backward} maps the gradients of
 * the outputs to gradients of the inputs.
 *
 * <pre>{@code
 * class Cube extends Function {
 *     protected Tensor[] forward(FunctionContext ctx, Tensor... in) {
 *         ctx.saveForBackward(in[0]);
 *         return new Tensor[] {in[0].pow(3)};
 *     }
 *     protected Tensor[] backward(FunctionContext ctx, Tensor... g) {
 *         Tensor x = ctx.savedTensors()[0];
 *         return new Tensor[] {g[0].mul(x.mul(x).mul(3))};
 *     }
 * }
 * Tensor y = new Cube().apply(x)[0];
 * }</pre>
 */
public abstract class Function {

    /** Computes the outputs; gradients are not recorded here. */
    protected abstract Tensor[] forward(FunctionContext ctx, Tensor... inputs);

    /**
     * Gradients of the inputs (one per input, null where none) from the gradients of the outputs
     * (zeros for outputs that received none).
     */
    protected abstract Tensor[] backward(FunctionContext ctx, Tensor... gradOutputs);

    /** Runs forward and, when an input requires gradients and grad mode is on, records the node. */
    public final Tensor[] apply(Tensor... inputs) {
        FunctionContext ctx = new FunctionContext(inputs);
        Tensor[] outputs;
        try (var g = Grad.disabled()) {
            outputs = forward(ctx, inputs);
        }
        boolean any = false;
        for (int i = 0; i < inputs.length; i++) any |= ctx.needsInputGrad(i);
        if (!any || !Grad.isEnabled()) return outputs;
        return CustomNode.attach(this, ctx, inputs, outputs);
    }

    /** Calls {@link #backward}; used by the engine. */
    public final Tensor[] runBackward(FunctionContext ctx, Tensor[] gradOutputs) {
        return backward(ctx, gradOutputs);
    }

    /** Tensors marked non-differentiable by forward; used by the engine. */
    public static boolean isNonDifferentiable(FunctionContext ctx, Tensor t) {
        return ctx.nonDifferentiable.contains(t);
    }

    /** Frees the context after a backward that does not retain the graph; used by the engine. */
    public static void release(FunctionContext ctx) { ctx.release(); }

    /** The name printed for this function's node. */
    public String name() { return getClass().getSimpleName() + "Backward"; }
}
