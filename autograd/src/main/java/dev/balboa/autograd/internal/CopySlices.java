package dev.balboa.autograd.internal;

import dev.balboa.api.Tensor;
import dev.balboa.spi.DType;

/**
 * The new history of a tensor after an in-place op on one of its views: the gradient of the
 * base passes through unchanged outside the view, and through the in-place op's node inside it.
 * Edge 0 is the base's old history; edges 1.. are the in-place op's other inputs.
 */
final class CopySlices extends Node {
    final OpNode inner;
    final long[] viewShape;
    final long[] viewStrides;
    final long viewOffset;

    CopySlices(Tensor base, Edge baseEdge, OpNode inner, long[] viewShape, long[] viewStrides, long viewOffset) {
        super(edges(baseEdge, inner), new long[][] {base.shape()}, new DType[] {base.dtype()}, base.device());
        this.inner = inner;
        this.viewShape = viewShape;
        this.viewStrides = viewStrides;
        this.viewOffset = viewOffset;
    }

    private static Edge[] edges(Edge baseEdge, OpNode inner) {
        Edge[] e = new Edge[1 + inner.inputs.length];
        e[0] = baseEdge;
        System.arraycopy(inner.next, 0, e, 1, inner.inputs.length);
        return e;
    }

    @Override
    Tensor[] apply(Tensor[] grads) {
        Tensor result = grads[0].contiguous().clone();
        Tensor view = Meta.ACCESS.asStrided(result, viewShape, viewStrides, viewOffset);
        Tensor[] innerGrads = inner.apply(new Tensor[] {view.clone()});
        Tensor old = innerGrads[inner.inputs.length];
        if (old == null) view.zero_();
        else view.copy_(old);
        Tensor[] out = new Tensor[next.length];
        out[0] = result;
        System.arraycopy(innerGrads, 0, out, 1, inner.inputs.length);
        return out;
    }

    @Override
    void release() {
        super.release();
        inner.release();
    }

    @Override
    public String name() { return "CopySlices"; }
}
