package dev.balboa.autograd.internal;

import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import dev.balboa.api.dispatch.Call;
import dev.balboa.api.dispatch.DispatchLayer;
import dev.balboa.api.dispatch.ViewOp;
import dev.balboa.api.engine.TensorAccess;
import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import java.util.Arrays;

/**
 * Records the autograd graph: for every op whose inputs require gradients, while grad mode is on,
 * attaches a node to the outputs. In-place ops rewrite the history of the written tensor (and of
 * its base, for views) and keep the old values they need.
 */
public final class AutogradLayer implements DispatchLayer {
    private static final TensorAccess ACCESS = TensorAccess.get();

    @Override
    public int order() { return 100; }

    @Override
    public boolean isActive() { return Grad.isEnabled(); }

    /** Fused composites are recorded as one node through {@link Engine#recordFused}. */
    @Override
    public boolean acceptsFused() { return true; }

    @Override
    public Tensor[] intercept(Call call, Next next) {
        return switch (call) {
            case Call.View v -> view(v, next);
            case Call.Kernel k -> kernel(k, next);
        };
    }

    private static Tensor[] view(Call.View call, Next next) {
        Tensor in = call.inputs()[0];
        Tensor[] out = next.proceed(call);
        if (!in.requiresGrad() || !in.dtype().isFloatingPoint()) return out;
        long rel = 0;
        if (call.op() instanceof ViewOp.AsStrided a) {
            if (!in.isContiguous()) {
                throw new UnsupportedOperationException("autograd: as_strided views of a non-contiguous tensor "
                        + in.dtype() + Arrays.toString(in.shape()) + " are not supported");
            }
            rel = a.offset() - in.storageOffset();
        }
        ViewNode node = new ViewNode(call.op(), in, out[0], Meta.edgeOf(in), rel);
        ACCESS.setHistory(out[0], node, 0);
        return out;
    }

    private static boolean differentiable(Tensor t) {
        return t.requiresGrad() && t.dtype().isFloatingPoint();
    }

    private static Tensor[] kernel(Call.Kernel call, Next next) {
        Tensor[] in = call.inputs();
        boolean needs = false;
        for (Tensor t : in) {
            if (differentiable(t)) {
                needs = true;
                break;
            }
        }
        Tensor target = call.inPlace() ? call.outputs()[0] : null;
        Tensor base = target == null ? null : ACCESS.base(target);
        if (target != null && !needs) {
            needs = target.requiresGrad() || (base != null && base.requiresGrad());
        }
        if (!needs) return next.proceed(call);
        Op op = call.op();
        if (target != null) checkInPlace(op, target, base);

        int mask = Derivatives.saveMask(op);
        int selfInputs = 0;
        Saved[] savedIn = new Saved[in.length];
        Edge[] edges = new Edge[in.length + 1];
        long[][] inShapes = new long[in.length][];
        DType[] inDtypes = new DType[in.length];
        for (int i = 0; i < in.length; i++) {
            Tensor t = in[i];
            inShapes[i] = t.shape();
            inDtypes[i] = t.dtype();
            if (t == target) selfInputs |= 1 << i;
            if ((mask & (1 << i)) != 0) savedIn[i] = new Saved(t == target ? t.clone() : t);
            if (t != target && differentiable(t)) edges[i] = Meta.edgeOf(t);
        }
        Edge oldSelf = target != null && base == null ? Meta.edgeOf(target) : null;
        Edge baseEdge = base != null ? Meta.edgeOf(base) : null;

        Tensor[] out = next.proceed(call);

        // pow saves its output only for the exponent's gradient; not saving it when the exponent needs none
        // lets a later in-place op on the result (x.pow_(2).neg_()) stay legal
        if (op instanceof Op.Binary b && b.fn() == Op.BinaryFn.POW && edges[1] == null) mask &= ~Derivatives.OUT0;
        Tensor[] outputs = call.outputs();
        Saved[] savedOut = new Saved[outputs.length];
        long[][] outShapes = new long[outputs.length][];
        DType[] outDtypes = new DType[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            outShapes[i] = outputs[i].shape();
            outDtypes[i] = outputs[i].dtype();
            if ((mask & (Derivatives.OUT0 << i)) != 0) savedOut[i] = new Saved(outputs[i]);
        }
        edges[in.length] = oldSelf;
        OpNode node = new OpNode(op, savedIn, savedOut, inShapes, inDtypes, outShapes, outDtypes,
                outputs[0].device(), edges, target != null, selfInputs);
        if (target == null) {
            for (int i = 0; i < outputs.length; i++) {
                if (outDtypes[i].isFloatingPoint()) ACCESS.setHistory(outputs[i], node, i);
            }
        } else if (base == null) {
            ACCESS.setHistory(target, node, 0);
        } else {
            if (!base.isContiguous()) {
                throw new UnsupportedOperationException(op.name() + ": in-place ops with autograd on a view of the "
                        + "non-contiguous tensor " + base.dtype() + Arrays.toString(base.shape()) + " are not supported");
            }
            long rel = target.storageOffset() - base.storageOffset();
            CopySlices cs = new CopySlices(base, baseEdge, node, target.shape(), target.stride(), rel);
            ACCESS.setHistory(base, cs, 0);
            ViewNode viewNode = new ViewNode(new ViewOp.AsStrided(target.shape(), target.stride(), target.storageOffset()),
                    base, target, new Edge(cs, 0), rel);
            ACCESS.setHistory(target, viewNode, 0);
        }
        if (target != null) {
            // a retained gradient follows the tensor to its new history
            Meta m = Meta.peek(target);
            if (m != null && m.retainsGrad) Engine.attachRetainHook(target, m);
        }
        return out;
    }

    private static void checkInPlace(Op op, Tensor target, Tensor base) {
        if (target.gradFn() == null && ACCESS.leafRequiresGrad(target)) {
            throw new IllegalStateException(op.name() + ": a leaf tensor that requires grad (" + target.dtype()
                    + Arrays.toString(target.shape()) + " on " + target.device() + ") is used in an in-place operation; "
                    + "do it inside try (var g = Grad.disabled()) { ... } or on a clone()");
        }
        if (base != null && base.gradFn() == null && ACCESS.leafRequiresGrad(base)) {
            throw new IllegalStateException(op.name() + ": a view of a leaf tensor that requires grad (" + base.dtype()
                    + Arrays.toString(base.shape()) + " on " + base.device() + ") is used in an in-place operation; "
                    + "do it inside try (var g = Grad.disabled()) { ... } or on a clone()");
        }
    }
}
