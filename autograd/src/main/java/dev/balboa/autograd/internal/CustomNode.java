package dev.balboa.autograd.internal;

import dev.balboa.api.Tensor;
import dev.balboa.autograd.Function;
import dev.balboa.autograd.FunctionContext;
import dev.balboa.spi.DType;
import java.util.Arrays;

/** The node of a user-defined {@link Function}. */
public final class CustomNode extends Node {
    private final Function function;
    private final FunctionContext ctx;
    private final long[][] inShapes;

    private CustomNode(Function function, FunctionContext ctx, Edge[] next, long[][] inShapes, long[][] outShapes,
                       DType[] outDtypes, Tensor like) {
        super(next, outShapes, outDtypes, like.device());
        this.function = function;
        this.ctx = ctx;
        this.inShapes = inShapes;
    }

    /** Records a node for {@code outputs} of {@code function}; returns the outputs (aliased where they are inputs). */
    public static Tensor[] attach(Function function, FunctionContext ctx, Tensor[] inputs, Tensor[] outputs) {
        Edge[] edges = new Edge[inputs.length];
        long[][] inShapes = new long[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            inShapes[i] = inputs[i].shape();
            if (ctx.needsInputGrad(i)) edges[i] = Meta.edgeOf(inputs[i]);
        }
        Tensor[] outs = outputs.clone();
        long[][] outShapes = new long[outs.length][];
        DType[] outDtypes = new DType[outs.length];
        for (int i = 0; i < outs.length; i++) {
            for (Tensor in : inputs) {
                if (outs[i] == in) outs[i] = Meta.ACCESS.alias(in);
            }
            outShapes[i] = outs[i].shape();
            outDtypes[i] = outs[i].dtype();
        }
        CustomNode node = new CustomNode(function, ctx, edges, inShapes, outShapes, outDtypes, outs[0]);
        for (int i = 0; i < outs.length; i++) {
            if (outDtypes[i].isFloatingPoint() && !Function.isNonDifferentiable(ctx, outputs[i])) {
                Meta.ACCESS.setHistory(outs[i], node, i);
            }
        }
        return outs;
    }

    @Override
    Tensor[] apply(Tensor[] gradOutputs) {
        if (released) {
            throw new IllegalStateException("autograd: trying to backward through " + name() + " a second time; "
                    + "pass retainGraph=true to the first backward");
        }
        Tensor[] g = function.runBackward(ctx, gradOutputs);
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
        Function.release(ctx);
    }

    @Override
    public String name() { return function.name(); }
}
