package dev.balboa.autograd.internal;

import dev.balboa.api.Tensor;
import dev.balboa.spi.DType;
import dev.balboa.spi.Device;
import dev.balboa.spi.Op;

/**
 * The node of one primitive op. Its edges are one per kernel input plus a last one for the old
 * value of an in-place op's output (the tensor's history before the op).
 */
final class OpNode extends Node {
    final Op op;
    final Saved[] inputs;
    final Saved[] outputs;
    final long[][] inShapes;
    final DType[] inDtypes;
    final boolean inPlace;
    /** For in-place ops, a bit per kernel input that is the written tensor itself (y.mul_(y) reads it twice). */
    final int selfInputs;
    private final String name;

    OpNode(Op op, Saved[] inputs, Saved[] outputs, long[][] inShapes, DType[] inDtypes, long[][] outShapes,
           DType[] outDtypes, Device device, Edge[] next, boolean inPlace, int selfInputs) {
        super(next, outShapes, outDtypes, device);
        this.op = op;
        this.inputs = inputs;
        this.outputs = outputs;
        this.inShapes = inShapes;
        this.inDtypes = inDtypes;
        this.inPlace = inPlace;
        this.selfInputs = selfInputs;
        this.name = Derivatives.nodeName(op);
    }

    Tensor input(int i) {
        if (inputs[i] == null) throw new IllegalStateException("autograd: " + name + " did not save input " + i);
        return inputs[i].get(this);
    }

    Tensor output(int i) {
        if (outputs[i] == null) throw new IllegalStateException("autograd: " + name + " did not save output " + i);
        return outputs[i].get(this);
    }

    @Override
    Tensor[] apply(Tensor[] gradOutputs) {
        Tensor[] g = Derivatives.backward(this, gradOutputs);
        Tensor[] out = new Tensor[inputs.length + 1];
        System.arraycopy(g, 0, out, 0, Math.min(g.length, out.length));
        if (selfInputs != 0) {
            // the written tensor's old value was also an input (maybe several times): its gradient belongs to the old history
            Tensor old = null;
            for (int i = 0; i < inputs.length; i++) {
                if ((selfInputs & (1 << i)) == 0) continue;
                if (out[i] != null) old = old == null ? out[i] : old.add(out[i]);
                out[i] = null;
            }
            out[inputs.length] = old;
        }
        return out;
    }

    @Override
    void release() {
        super.release();
        for (Saved s : inputs) if (s != null) s.release();
        for (Saved s : outputs) if (s != null) s.release();
    }

    @Override
    public String name() { return name; }
}
