package dev.balboa.autograd.internal;

import dev.balboa.api.Tensor;
import dev.balboa.spi.DType;
import java.util.Arrays;
import java.util.function.BiFunction;

/**
 * The node of a composite that {@code api} computed with a device's fused kernel (softmax, ...):
 * its backward is a function {@code api} supplies, fed with tensors saved at forward time.
 */
final class FusedNode extends Node {
    private final String name;
    private final Saved[] saved;
    private final BiFunction<Tensor[], Tensor[], Tensor[]> backward;
    private final long[][] inShapes;

    private FusedNode(String name, Edge[] next, long[][] inShapes, long[][] outShapes, DType[] outDtypes, Tensor like,
                      Saved[] saved, BiFunction<Tensor[], Tensor[], Tensor[]> backward) {
        super(next, outShapes, outDtypes, like.device());
        this.name = name;
        this.inShapes = inShapes;
        this.saved = saved;
        this.backward = backward;
    }

    /** Attaches a node to {@code outputs}; false (nothing recorded) when no input needs gradients. */
    static boolean attach(String name, Tensor[] inputs, Tensor[] outputs, Tensor[] savedTensors,
                          BiFunction<Tensor[], Tensor[], Tensor[]> backward) {
        Edge[] edges = new Edge[inputs.length];
        long[][] inShapes = new long[inputs.length][];
        boolean any = false;
        for (int i = 0; i < inputs.length; i++) {
            inShapes[i] = inputs[i].shape();
            if (inputs[i].requiresGrad() && inputs[i].dtype().isFloatingPoint()) {
                edges[i] = Meta.edgeOf(inputs[i]);
                any |= edges[i] != null;
            }
        }
        if (!any) return true;
        long[][] outShapes = new long[outputs.length][];
        DType[] outDtypes = new DType[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            outShapes[i] = outputs[i].shape();
            outDtypes[i] = outputs[i].dtype();
        }
        Saved[] saved = new Saved[savedTensors.length];
        for (int i = 0; i < saved.length; i++) saved[i] = new Saved(savedTensors[i]);
        FusedNode node = new FusedNode(name, edges, inShapes, outShapes, outDtypes, outputs[0], saved, backward);
        for (int i = 0; i < outputs.length; i++) {
            if (outDtypes[i].isFloatingPoint()) Meta.ACCESS.setHistory(outputs[i], node, i);
        }
        return true;
    }

    @Override
    Tensor[] apply(Tensor[] gradOutputs) {
        if (released) {
            throw new IllegalStateException("autograd: trying to backward through " + name() + " a second time, but its "
                    + "saved tensors were freed after the first backward; pass retainGraph=true to the first backward");
        }
        Tensor[] s = new Tensor[saved.length];
        for (int i = 0; i < s.length; i++) s[i] = saved[i].get(this);
        Tensor[] g = backward.apply(s, gradOutputs);
        if (g == null || g.length != next.length) {
            throw new IllegalStateException(name() + ": backward returned " + (g == null ? "null" : g.length + " gradients")
                    + " for " + next.length + " inputs");
        }
        for (int i = 0; i < g.length; i++) {
            if (g[i] != null && !Arrays.equals(g[i].shape(), inShapes[i])) {
                throw new IllegalStateException(name() + ": backward returned a gradient of shape " + Arrays.toString(g[i].shape())
                        + " for input " + i + " of shape " + Arrays.toString(inShapes[i]));
            }
            if (next[i] == null) g[i] = null;
        }
        return g;
    }

    @Override
    void release() {
        super.release();
        for (Saved s : saved) s.release();
    }

    @Override
    public String name() { return name; }
}
