package dev.balboa.api;

import dev.balboa.api.dispatch.GradFn;
import dev.balboa.api.dispatch.ViewOp;
import dev.balboa.api.engine.TensorAccess;
import dev.balboa.spi.DType;
import dev.balboa.spi.Op;

/** The api's implementation of {@link TensorAccess}, installed when {@link Tensor} is initialised. */
final class AccessImpl extends TensorAccess {
    @Override public void setHistory(Tensor t, GradFn fn, int outputNr) { t.gradFn = fn; t.outputNr = outputNr; }
    @Override public int outputNr(Tensor t) { return t.outputNr; }
    @Override public boolean leafRequiresGrad(Tensor t) { return t.requiresGrad; }
    @Override public void setLeafRequiresGrad(Tensor t, boolean flag) { t.requiresGrad = flag; }
    @Override public Object meta(Tensor t) { return t.autogradMeta; }
    @Override public void setMeta(Tensor t, Object meta) { t.autogradMeta = meta; }
    @Override public Tensor base(Tensor t) { return t.base; }
    @Override public void setGrad(Tensor t, Tensor grad) { t.grad = grad; }

    @Override
    public Tensor[] call(Op op, Tensor[] inputs, long[][] outShapes, DType[] outDtypes, Tensor device) {
        Tensor[] outs = new Tensor[outShapes.length];
        for (int i = 0; i < outs.length; i++) outs[i] = Creation.empty(op.name(), outShapes[i], outDtypes[i], device.backend());
        return Dispatcher.kernel(op, inputs, outs, false);
    }

    @Override
    public void callInto(Op op, Tensor[] inputs, Tensor[] outputs, boolean inPlace) {
        Dispatcher.kernel(op, inputs, outputs, inPlace);
    }

    @Override
    public Tensor asStrided(Tensor t, long[] shape, long[] strides, long offset) {
        Tensor v = new Tensor(t.storage, t.dtype, shape.clone(), strides.clone(), offset);
        v.base = t.base != null ? t.base : t;
        return Dispatcher.view(new ViewOp.AsStrided(shape.clone(), strides.clone(), offset), t, v);
    }

    @Override
    public Tensor alias(Tensor t) { return new Tensor(t.storage, t.dtype, t.shape, t.strides, t.offset); }

    @Override
    public Tensor reluBackward(Tensor grad, Tensor out) { return FusedComposites.reluBackward(grad, out); }
}
