package dev.balboa.api;

import dev.balboa.api.dispatch.DispatchLayer;
import dev.balboa.spi.Backend;
import dev.balboa.spi.DType;
import dev.balboa.spi.Device;
import dev.balboa.spi.Fused;
import dev.balboa.spi.Operand;
import java.util.Arrays;
import java.util.List;

/**
 * Composites that run through a device's fused kernel when it offers one ({@link Fused}): each
 * entry returns null when the fused path does not apply, and the caller then runs the composite
 * of primitive ops. With autograd on, the fused forward is recorded as one node whose backward
 * is itself fused when no higher-order graph is being built. Two composites without a device
 * kernel are recorded the same way, as one node: products with a prepared transposed weight and
 * {@code unbind}.
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

    private static final Fused.BatchNormTrainingBackward BN_BACKWARD = new Fused.BatchNormTrainingBackward(false);
    private static final Fused.BatchNormTrainingBackward BN_BACKWARD_AFFINE = new Fused.BatchNormTrainingBackward(true);

    /** The dims batch norm reduces over: every dim but 1. */
    static int[] batchNormDims(int rank) {
        int[] dims = new int[rank - 1];
        for (int i = 1; i < dims.length; i++) dims[i] = i + 1;
        return dims;
    }

    /** {@code [1, C, 1, ...]} for a rank-{@code rank} input with {@code c} channels. */
    static long[] batchNormChannelShape(int rank, long c) {
        long[] s = new long[rank];
        Arrays.fill(s, 1);
        s[1] = c;
        return s;
    }

    /** Whether {@code t} is a contiguous {@code [C]} tensor that can join {@code x} in a fused batch-norm kernel. */
    private static boolean perChannel(Tensor t, Tensor x) {
        return t.shape.length == 1 && t.shape[0] == x.shape[1] && t.dtype == x.dtype
                && t.storage.backend == x.storage.backend && t.isContiguous();
    }

    /**
     * Training-mode batch norm of {@code x [N, C, *]} with the batch's statistics and the fused
     * kernel, or null when it does not apply ({@code weight} and {@code bias} are both given or
     * both null, and {@code [C]}). On success, {@code stats} receives the batch's mean and biased
     * variance, both {@code [C]} and without gradient history.
     */
    static Tensor batchNormTraining(Tensor x, Tensor weight, Tensor bias, double eps, Tensor[] stats) {
        boolean affine = weight != null;
        if (affine != (bias != null) || x.shape.length < 2 || x.numel() == 0 || !(eps >= 0)) return null;
        Fused.BatchNormTraining op = new Fused.BatchNormTraining(eps, affine);
        if (!offered(op, x) || affine && !(perChannel(weight, x) && perChannel(bias, x))) return null;
        boolean record = Grad.isEnabled() && (x.requiresGrad() || affine && (weight.requiresGrad() || bias.requiresGrad()));
        if (record && !AutogradSurface.available()) return null;
        Backend backend = x.storage.backend;
        long[] cs = {x.shape[1]};
        Tensor y = Creation.empty(op.name(), x.shape, x.dtype, backend);
        Tensor mean = Creation.empty(op.name(), cs, x.dtype, backend);
        Tensor var = Creation.empty(op.name(), cs, x.dtype, backend);
        Tensor invstd = Creation.empty(op.name(), cs, x.dtype, backend);
        Operand[] in = affine ? new Operand[] {x.operand(), weight.operand(), bias.operand()} : new Operand[] {x.operand()};
        backend.executeFused(op, in, new Operand[] {y.operand(), mean.operand(), var.operand(), invstd.operand()});
        if (record) {
            Tensor[] inputs = affine ? new Tensor[] {x, weight, bias} : new Tensor[] {x};
            Tensor[] saved = affine ? new Tensor[] {x, mean, invstd, weight} : new Tensor[] {x, mean, invstd};
            if (!AutogradSurface.engine(op.name()).recordFused("NativeBatchNormBackward", inputs, new Tensor[] {y}, saved,
                    (s, grads) -> batchNormBackward(grads[0], s[0], s[1], s[2], affine ? s[3] : null, eps))) {
                return null;
            }
        }
        stats[0] = mean;
        stats[1] = var;
        return y;
    }

    /**
     * The gradients of training-mode batch norm with respect to {@code x}, and {@code weight} and
     * {@code bias} when {@code weight} is given (then three, else one), from the output's
     * gradient {@code g}, the input {@code x} and the forward's {@code mean} and {@code invstd}
     * ({@code [C]}). With the fused kernel when no higher-order graph is being built; otherwise
     * the composite, which recomputes the statistics from {@code x} so that it is itself
     * differentiable in {@code x}.
     */
    static Tensor[] batchNormBackward(Tensor g, Tensor x, Tensor mean, Tensor invstd, Tensor weight, double eps) {
        boolean affine = weight != null;
        if (g == null) return new Tensor[affine ? 3 : 1];
        Fused.BatchNormTrainingBackward op = affine ? BN_BACKWARD_AFFINE : BN_BACKWARD;
        if (!Grad.isEnabled() && x.shape.length >= 2 && x.numel() > 0 && offered(op, x) && Arrays.equals(g.shape, x.shape)
                && g.dtype == x.dtype && g.storage.backend == x.storage.backend && g.isContiguous()
                && perChannel(mean, x) && perChannel(invstd, x) && (!affine || perChannel(weight, x))) {
            Backend backend = x.storage.backend;
            long[] cs = {x.shape[1]};
            Tensor gx = Creation.empty(op.name(), x.shape, x.dtype, backend);
            Operand[] in = affine
                    ? new Operand[] {g.operand(), x.operand(), mean.operand(), invstd.operand(), weight.operand()}
                    : new Operand[] {g.operand(), x.operand(), mean.operand(), invstd.operand()};
            if (!affine) {
                backend.executeFused(op, in, new Operand[] {gx.operand()});
                return new Tensor[] {gx};
            }
            Tensor gw = Creation.empty(op.name(), cs, x.dtype, backend);
            Tensor gb = Creation.empty(op.name(), cs, x.dtype, backend);
            backend.executeFused(op, in, new Operand[] {gx.operand(), gw.operand(), gb.operand()});
            return new Tensor[] {gx, gw, gb};
        }
        // building a higher-order graph (or no fused kernel): the composite, recorded as usual
        int[] dims = batchNormDims(x.shape.length);
        long[] bshape = batchNormChannelShape(x.shape.length, x.shape[1]);
        Tensor centred = x.sub(x.mean(dims, true));
        Tensor is = centred.mul(centred).mean(dims, true).add(eps).rsqrt();
        Tensor xhat = centred.mul(is);
        Tensor gxhat = affine ? g.mul(weight.view(bshape)) : g;
        Tensor gx = gxhat.sub(gxhat.mean(dims, true)).sub(xhat.mul(gxhat.mul(xhat).mean(dims, true))).mul(is);
        if (!affine) return new Tensor[] {gx};
        return new Tensor[] {gx, g.mul(xhat).sum(dims, false), g.sum(dims, false)};
    }

    // ---------------------------------------------------------------- LSTM cell

    private static final Fused.LstmCell LSTM_CELL = new Fused.LstmCell();

    /**
     * The pointwise LSTM cell step ({@link Fused.LstmCell}) of {@code gates [B, 4H]} and
     * {@code c [B, H]} (checked by the caller: same floating dtype and device) as {@code {h, c'}},
     * with the fused kernel, or null when it does not apply. With autograd on, it is recorded as
     * one node.
     */
    static Tensor[] lstmCell(Tensor gates, Tensor c) {
        if (!gates.isContiguous() || !c.isContiguous() || !offered(LSTM_CELL, gates)) return null;
        boolean record = (gates.requiresGrad() || c.requiresGrad()) && Grad.isEnabled();
        if (record && !AutogradSurface.available()) return null;
        Backend backend = gates.storage.backend;
        long[] hShape = c.shape.clone();
        Tensor h = Creation.empty(LSTM_CELL.name(), hShape, c.dtype, backend);
        Tensor c2 = Creation.empty(LSTM_CELL.name(), hShape, c.dtype, backend);
        Tensor act = Creation.empty(LSTM_CELL.name(), gates.shape.clone(), c.dtype, backend);
        Tensor tc = Creation.empty(LSTM_CELL.name(), hShape, c.dtype, backend);
        backend.executeFused(LSTM_CELL, new Operand[] {gates.operand(), c.operand()},
                new Operand[] {h.operand(), c2.operand(), act.operand(), tc.operand()});
        if (record) {
            if (!AutogradSurface.engine(LSTM_CELL.name()).recordFused("LstmCellBackward", new Tensor[] {gates, c},
                    new Tensor[] {h, c2}, new Tensor[] {gates, c, act, tc},
                    (saved, grads) -> lstmCellBackward(saved[0], saved[1], saved[2], saved[3], grads[0], grads[1]))) {
                return null;
            }
        }
        return new Tensor[] {h, c2};
    }

    /**
     * The gradients {@code {grad_gates, grad_c_prev}} of the LSTM cell step from the gradients of
     * its outputs {@code gh}, {@code gc} (either may be null: zero), given the forward's inputs
     * and its saved {@code act} and {@code tanh(c)}. While a higher-order graph is being built,
     * they are the composite of primitives recomputed from the inputs (so they are themselves
     * differentiable); otherwise the fused kernel when the device has it.
     */
    static Tensor[] lstmCellBackward(Tensor gates, Tensor c, Tensor act, Tensor tc, Tensor gh, Tensor gc) {
        if (gh == null && gc == null) return new Tensor[] {null, null};
        if (!Grad.isEnabled()) {
            Tensor[] fused = lstmCellBackwardFused(act, c, tc, gh, gc);
            if (fused != null) return fused;
        } else {
            // recompute the activations from the inputs with the graph
            long hs = c.shape[c.shape.length - 1];
            Tensor s = gates.sigmoid();
            Tensor g = gates.narrow(-1, 2 * hs, hs).tanh();
            Tensor c2 = s.narrow(-1, hs, hs).mul(c).add(s.narrow(-1, 0, hs).mul(g));
            act = Tensor.cat(List.of(s.narrow(-1, 0, 2 * hs), g, s.narrow(-1, 3 * hs, hs)), -1);
            tc = c2.tanh();
        }
        return lstmCellBackwardComposite(act, c, tc, gh, gc);
    }

    private static Tensor[] lstmCellBackwardFused(Tensor act, Tensor c, Tensor tc, Tensor gh, Tensor gc) {
        Fused.LstmCellBackward op = new Fused.LstmCellBackward(gh != null, gc != null);
        Backend backend = act.storage.backend;
        for (Tensor t : new Tensor[] {c, tc, gh, gc}) {
            if (t != null && (t.dtype != act.dtype || t.storage.backend != backend || !Arrays.equals(t.shape, c.shape))) {
                return null;
            }
        }
        if (!act.isContiguous() || !c.isContiguous() || !tc.isContiguous() || !offered(op, act)) return null;
        Operand[] in = new Operand[op.inputCount()];
        int n = 0;
        in[n++] = act.operand();
        in[n++] = c.operand();
        in[n++] = tc.operand();
        if (gh != null) in[n++] = gh.contiguous().operand();
        if (gc != null) in[n++] = gc.contiguous().operand();
        Tensor gg = Creation.empty(op.name(), act.shape.clone(), act.dtype, backend);
        Tensor gcp = Creation.empty(op.name(), c.shape.clone(), act.dtype, backend);
        backend.executeFused(op, in, new Operand[] {gg.operand(), gcp.operand()});
        return new Tensor[] {gg, gcp};
    }

    /** {@link Fused.LstmCellBackward}'s equations as primitive ops (recorded when gradients are). */
    private static Tensor[] lstmCellBackwardComposite(Tensor act, Tensor c, Tensor tc, Tensor gh, Tensor gc) {
        long hs = c.shape[c.shape.length - 1];
        Tensor i = act.narrow(-1, 0, hs), f = act.narrow(-1, hs, hs), g = act.narrow(-1, 2 * hs, hs), o = act.narrow(-1, 3 * hs, hs);
        Tensor gct = gc;
        if (gh != null) {
            Tensor viaH = gh.mul(o).mul(tc.mul(tc).rsub(1.0));
            gct = gct == null ? viaH : gc.add(viaH);
        }
        Tensor gi = gct.mul(g).mul(i.mul(i.rsub(1.0)));
        Tensor gf = gct.mul(c).mul(f.mul(f.rsub(1.0)));
        Tensor gg = gct.mul(i).mul(g.mul(g).rsub(1.0));
        Tensor go = gh == null ? Tensor.zerosLike(o) : gh.mul(tc).mul(o.mul(o.rsub(1.0)));
        return new Tensor[] {Tensor.cat(List.of(gi, gf, gg, go), -1), gct.mul(f)};
    }

    // ---------------------------------------------------------------- products with a prepared weight

    /**
     * {@code x @ w^T} read from {@code wT}, a row-major copy of {@code w^T} without history, or
     * null when it does not apply (differing dtypes or devices, a layer that wants primitives,
     * no autograd engine while gradients are needed). Recorded as one node with inputs
     * {@code {x, w}}.
     */
    static Tensor linearPrepared(Tensor x, Tensor w, Tensor wT) {
        if (x.dtype != w.dtype || x.storage.backend != w.storage.backend || !layersAllowFused()) return null;
        boolean record = (x.requiresGrad() || w.requiresGrad()) && Grad.isEnabled();
        if (record && !AutogradSurface.available()) return null;
        Tensor y;
        try (Grad.Scope s = Grad.disabled()) {
            y = x.matmul(wT);
        }
        if (record) {
            if (!AutogradSurface.engine("linear").recordFused("MmBackward", new Tensor[] {x, w}, new Tensor[] {y},
                    new Tensor[] {x, w}, (saved, grads) -> linearPreparedBackward(saved[0], saved[1], grads[0]))) {
                return null;
            }
        }
        return y;
    }

    /** The gradients {@code {g @ w, g^T @ x}} of {@code x @ w^T}; recorded when a higher-order graph is built. */
    static Tensor[] linearPreparedBackward(Tensor x, Tensor w, Tensor g) {
        if (g == null) return new Tensor[] {null, null};
        return new Tensor[] {g.matmul(w), g.t().matmul(x)};
    }

    // ---------------------------------------------------------------- unbind

    /**
     * The slices of {@code x} along {@code dim} as views recorded under one node, or null when
     * gradients are not recorded (the caller then takes plain selects) or no engine records
     * composites.
     */
    static List<Tensor> unbind(Tensor x, int dim) {
        long n = x.shape[dim];
        if (n < 2 || !x.requiresGrad() || !Grad.isEnabled() || !AutogradSurface.available() || !layersAllowFused()) return null;
        Tensor base = x.detach();
        Tensor[] out = new Tensor[(int) n];
        for (int i = 0; i < n; i++) out[i] = base.select(dim, i);
        long[] shape = x.shape.clone();
        DType dtype = x.dtype;
        Device device = x.device();
        if (!AutogradSurface.engine("unbind").recordFused("UnbindBackward", new Tensor[] {x}, out, new Tensor[0],
                (saved, grads) -> {
                    Tensor like = null;
                    for (Tensor g : grads) if (g != null) like = g;
                    if (like == null) return new Tensor[] {null};
                    List<Tensor> parts = new java.util.ArrayList<>(grads.length);
                    Tensor zero = null;
                    for (Tensor g : grads) {
                        if (g == null) {
                            if (zero == null) zero = Tensor.zeros(like.shape, dtype, device);
                            g = zero;
                        }
                        parts.add(g);
                    }
                    Tensor r = Tensor.stack(parts, dim);
                    assert Arrays.equals(r.shape, shape);
                    return new Tensor[] {r};
                })) {
            return null;
        }
        return Arrays.asList(out);
    }
}
