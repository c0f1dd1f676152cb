package dev.balboa.autograd.internal;

import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import dev.balboa.spi.DType;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** The sink of a leaf: adds the incoming gradient into the leaf's {@code grad}, running its hooks. */
final class AccumulateGrad extends Node {
    final Tensor leaf;

    AccumulateGrad(Tensor leaf) {
        super(new Edge[0], new long[][] {leaf.shape()}, new DType[] {leaf.dtype()}, leaf.device());
        this.leaf = leaf;
    }

    /** Runs the leaf's gradient hooks; they may replace the gradient. */
    Tensor runHooks(Tensor g) {
        Meta m = Meta.peek(leaf);
        if (m != null) {
            for (UnaryOperator<Tensor> h : m.leafHooks) {
                Tensor r = h.apply(g);
                if (r != null) g = r;
            }
        }
        return g;
    }

    @Override
    Tensor[] apply(Tensor[] grads) { return apply(grads, false); }

    /**
     * As {@link #apply(Tensor[])}; {@code owned} says that nothing outside the backward pass refers
     * to the gradient's storage, so a first gradient becomes the leaf's {@code grad} without a copy
     * (as PyTorch's AccumulateGrad steals a gradient nobody else holds).
     */
    Tensor[] apply(Tensor[] grads, boolean owned) {
        Tensor g = grads[0];
        if (g == null) return new Tensor[0];
        // backward may run on several threads into one leaf (as with PyTorch's per-leaf lock): no lost updates
        synchronized (leaf) {
            accumulate(g, owned);
        }
        return new Tensor[0];
    }

    private void accumulate(Tensor g, boolean owned) {
        Meta meta = Meta.peek(leaf);
        if (meta != null && !meta.leafHooks.isEmpty()) owned = false; // a hook may keep the tensor it sees
        g = runHooks(g);
        Tensor old = leaf.grad();
        Tensor updated;
        if (Grad.isEnabled()) {
            // create_graph: keep the gradient's own history
            updated = old == null ? g : old.add(g);
        } else {
            Tensor d = g.detach();
            updated = old != null ? old.add(d) : owned && d.isContiguous() ? d : d.clone();
        }
        Meta.ACCESS.setGrad(leaf, updated);
        Meta m = Meta.peek(leaf);
        if (m != null) for (Consumer<Tensor> h : m.postAccumulateHooks) h.accept(leaf);
    }

    @Override
    public String name() { return "AccumulateGrad"; }
}
