package dev.balboa.api;

import dev.balboa.api.dispatch.DispatchLayer;
import dev.balboa.spi.Backend;
import dev.balboa.spi.Fused;
import dev.balboa.spi.Operand;

/**
 * Composites that run through a device's fused kernel when it offers one ({@link Fused}): each
 * entry returns null when the fused path does not apply, and the caller then runs the composite
 * of primitive ops. With autograd on, the fused forward is recorded as one node whose backward
 * is itself fused when no higher-order graph is being built.
 */
final class FusedComposites {
    private FusedComposites() {}

    private static final Fused.SoftmaxLastDim SOFTMAX = new Fused.SoftmaxLastDim(false);
    private static final Fused.SoftmaxLastDim LOG_SOFTMAX = new Fused.SoftmaxLastDim(true);
    private static final Fused.SoftmaxLastDimBackward SOFTMAX_BACKWARD = new Fused.SoftmaxLastDimBackward(false);
    private static final Fused.SoftmaxLastDimBackward LOG_SOFTMAX_BACKWARD = new Fused.SoftmaxLastDimBackward(true);
    private static final Fused.ReluBackward RELU_BACKWARD = new Fused.ReluBackward();

    /** True when every active dispatch layer lets fused kernels replace the primitives it would see. */
    static boolean layersAllowFused() {
        for (DispatchLayer l : Dispatcher.LAYERS) {
            if (l.isActive() && !l.acceptsFused()) return false;
        }
        return true;
    }

    /** Whether {@code backend} runs {@code op} on contiguous operands like {@code x}, with the active layers' consent. */
    private static boolean offered(Fused op, Tensor x) {
        return x.isContiguous() && x.storage.backend.supportsFused(op, x.dtype) && layersAllowFused();
    }

    private static Tensor run(Fused op, Tensor[] inputs, Tensor like) {
        Backend backend = like.storage.backend;
        Tensor out = Creation.empty(op.name(), like.shape, like.dtype, backend);
        Operand[] in = new Operand[inputs.length];
        for (int i = 0; i < in.length; i++) in[i] = inputs[i].operand();
        backend.executeFused(op, in, new Operand[] {out.operand()});
        return out;
    }

    /**
     * Softmax or log-softmax of a floating-point {@code x} over its last dimension (rank 1 or
     * more, last size at least 1) with the fused kernel, or null when it does not apply.
     */
    static Tensor softmaxLastDim(Tensor x, boolean log) {
        Fused.SoftmaxLastDim op = log ? LOG_SOFTMAX : SOFTMAX;
        if (!offered(op, x)) return null;
        boolean record = x.requiresGrad() && Grad.isEnabled();
        if (record && !AutogradSurface.available()) return null;
        Tensor y = run(op, new Tensor[] {x}, x);
        if (record) {
            Tensor[] in = {x}, out = {y};
            if (!AutogradSurface.engine(op.name()).recordFused(log ? "LogSoftmaxBackward" : "SoftmaxBackward", in, out, out,
                    (saved, grads) -> new Tensor[] {softmaxBackward(grads[0], saved[0], log)})) {
                return null;
            }
        }
        return y;
    }

    /** The gradient of softmax (log-softmax) over the last dimension, given its output {@code y}. */
    static Tensor softmaxBackward(Tensor g, Tensor y, boolean log) {
        if (g == null) return null;
        Fused.SoftmaxLastDimBackward op = log ? LOG_SOFTMAX_BACKWARD : SOFTMAX_BACKWARD;
        if (!Grad.isEnabled() && g.dtype == y.dtype && g.storage.backend == y.storage.backend && offered(op, g) && y.isContiguous()) {
            return run(op, new Tensor[] {g, y}, y);
        }
        // building a higher-order graph (or no fused kernel): the composite, recorded as usual
        int[] last = {-1};
        return log ? g.sub(y.exp().mul(g.sum(last, true))) : y.mul(g.sub(g.mul(y).sum(last, true)));
    }

    /**
     * The gradient of relu given its output y: {@code where(y > 0, g, 0)}, in one fused pass when
     * no higher-order graph is being built and the device offers it, else the composite.
     */
    static Tensor reluBackward(Tensor g, Tensor y) {
        if (!Grad.isEnabled() && g.dtype == y.dtype && g.storage.backend == y.storage.backend
                && java.util.Arrays.equals(g.shape, y.shape) && y.isContiguous() && offered(RELU_BACKWARD, g)) {
            return run(RELU_BACKWARD, new Tensor[] {g, y}, y);
        }
        return Tensor.where(y.gt(0.0), g, 0.0);
    }
}
