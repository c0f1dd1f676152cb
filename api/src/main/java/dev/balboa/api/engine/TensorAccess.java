package dev.balboa.api.engine;

import dev.balboa.api.Tensor;
import dev.balboa.api.dispatch.GradFn;
import dev.balboa.spi.DType;
import dev.balboa.spi.Op;

/**
 * Access to tensor internals for the engine modules (autograd, tracing); exported only to them.
 * The api module installs the single implementation when {@link Tensor} is initialised.
 */
public abstract class TensorAccess {
    private static volatile TensorAccess instance;

    protected TensorAccess() {}

    /** The implementation. */
    public static TensorAccess get() {
        TensorAccess a = instance;
        if (a == null) {
            try {
                Class.forName(Tensor.class.getName(), true, Tensor.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            a = instance;
        }
        return a;
    }

    /** Called once by the api module. */
    public static synchronized void install(TensorAccess access) {
        if (instance != null) throw new IllegalStateException("TensorAccess is already installed");
        instance = access;
    }

    /** Sets the node that produced {@code t} and which of its outputs {@code t} is. */
    public abstract void setHistory(Tensor t, GradFn fn, int outputNr);

    /** Which output of its {@link Tensor#gradFn()} the tensor is. */
    public abstract int outputNr(Tensor t);

    /** The leaf flag set by {@code requiresGrad_}. */
    public abstract boolean leafRequiresGrad(Tensor t);

    /** Sets the leaf flag without checks. */
    public abstract void setLeafRequiresGrad(Tensor t, boolean flag);

    /** Per-tensor engine data. */
    public abstract Object meta(Tensor t);

    /** Sets per-tensor engine data. */
    public abstract void setMeta(Tensor t, Object meta);

    /** The root tensor a view was made from, or null. */
    public abstract Tensor base(Tensor t);

    /** Sets {@code grad} without checking shape or dtype. */
    public abstract void setGrad(Tensor t, Tensor grad);

    /**
     * Runs a primitive op through the dispatch layers with freshly allocated outputs of the given
     * shapes and dtypes on the device of {@code device} (a tensor).
     */
    public abstract Tensor[] call(Op op, Tensor[] inputs, long[][] outShapes, DType[] outDtypes, Tensor device);

    /** Runs a primitive op through the dispatch layers into existing outputs ({@code inPlace}: outputs[0] is read-modify-write). */
    public abstract void callInto(Op op, Tensor[] inputs, Tensor[] outputs, boolean inPlace);

    /** A strided view of {@code t}'s storage, announced to the dispatch layers. */
    public abstract Tensor asStrided(Tensor t, long[] shape, long[] strides, long offset);

    /** A tensor object sharing {@code t}'s view but without autograd history or flags. */
    public abstract Tensor alias(Tensor t);

    /**
     * The gradient of relu given its output: {@code where(out > 0, grad, 0)}, as one fused kernel
     * when the device offers {@link dev.balboa.spi.Fused.ReluBackward} and no higher-order graph
     * is being built, else as that composite.
     */
    public abstract Tensor reluBackward(Tensor grad, Tensor out);
}
