package dev.balboa.autograd.internal;

import dev.balboa.api.Tensor;
import dev.balboa.api.engine.TensorAccess;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** Per-tensor autograd data: a leaf's gradient accumulator and hooks, a non-leaf's retain flag. */
final class Meta {
    static final TensorAccess ACCESS = TensorAccess.get();

    AccumulateGrad accumulator;
    final List<UnaryOperator<Tensor>> leafHooks = new ArrayList<>();
    final List<Consumer<Tensor>> postAccumulateHooks = new ArrayList<>();
    boolean retainsGrad;
    /** The node the retain-grad hook is on (the tensor's history when it was attached). */
    Node retainNode;

    static Meta of(Tensor t) {
        Object m = ACCESS.meta(t);
        if (m instanceof Meta meta) return meta;
        synchronized (t) {
            m = ACCESS.meta(t);
            if (m instanceof Meta meta) return meta;
            Meta meta = new Meta();
            ACCESS.setMeta(t, meta);
            return meta;
        }
    }

    static Meta peek(Tensor t) {
        return ACCESS.meta(t) instanceof Meta m ? m : null;
    }

    /** The edge a gradient for {@code t} flows into, or null when {@code t} does not require grad. */
    static Edge edgeOf(Tensor t) {
        if (t.gradFn() instanceof ViewNode v && v.version != t.version()) refreshView(t);
        if (t.gradFn() instanceof Node n) return new Edge(n, ACCESS.outputNr(t));
        if (ACCESS.leafRequiresGrad(t)) {
            Meta m = of(t);
            AccumulateGrad acc = m.accumulator;
            if (acc == null) {
                synchronized (t) {
                    if (m.accumulator == null) m.accumulator = new AccumulateGrad(t);
                    acc = m.accumulator;
                }
            }
            return new Edge(acc, 0);
        }
        return null;
    }

    /**
     * Rebuilds the history of a view whose storage was written in place since its history was
     * recorded (through its base or another view): the view becomes an as-strided view of its
     * base's current history, as PyTorch regenerates a view's grad_fn.
     */
    private static void refreshView(Tensor view) {
        Tensor base = ACCESS.base(view);
        if (base == null || !base.requiresGrad()) return;
        String what = "autograd: the view " + view.dtype() + java.util.Arrays.toString(view.shape())
                + " is used after an in-place change of its base " + base.dtype() + java.util.Arrays.toString(base.shape());
        if (!base.isContiguous()) {
            throw new UnsupportedOperationException(what + ", which is not contiguous; take the view again after the in-place op");
        }
        long[] shape = view.shape(), strides = view.stride();
        for (int i = 0; i < shape.length; i++) {
            if (strides[i] == 0 && shape[i] > 1) {
                throw new UnsupportedOperationException(what + ", and the view overlaps itself (expanded); take the view again "
                        + "after the in-place op");
            }
        }
        long rel = view.storageOffset() - base.storageOffset();
        Edge baseEdge = edgeOf(base);
        ViewNode fresh = new ViewNode(new dev.balboa.api.dispatch.ViewOp.AsStrided(shape, strides, view.storageOffset()),
                base, view, baseEdge, rel);
        ACCESS.setHistory(view, fresh, 0);
    }
}
