package dev.balboa.device.cpu.internal;

import dev.balboa.spi.DType;
import dev.balboa.spi.Fused;
import dev.balboa.spi.Operand;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The CPU's fused kernels ({@link Fused}): one vectorised pass over contiguous float32 or
 * float64 operands, split across the pool for large tensors. Each keeps the operation order its
 * record documents (scalars rounded once to the dtype, no FMA), so results equal the composite
 * of primitive kernels bit for bit.
 */
final class FusedKernels {
    private FusedKernels() {}

    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    /** Rough element operations per element of an optimizer step, for {@link Parallel#forRange}. */
    private static final long STEP_COST = 8;

    /** Whether a fused op has a kernel here for dtype. */
    static boolean supports(Fused op, DType dtype) {
        if (dtype != DType.FLOAT32 && dtype != DType.FLOAT64) return false;
        return op instanceof Fused.AdamStep || op instanceof Fused.SgdStep
                || op instanceof Fused.RmspropStep || op instanceof Fused.AdagradStep
                || op instanceof Fused.SoftmaxLastDim || op instanceof Fused.SoftmaxLastDimBackward
                || op instanceof Fused.ReluBackward
                || BatchNormKernels.supports(op)
                || op instanceof Fused.LstmCell || op instanceof Fused.LstmCellBackward;
    }

    static void execute(Fused op, Operand[] in, Operand[] out) {
        DType dt = out[0].dtype();
        if (!supports(op, dt)) {
            throw new UnsupportedOperationException("cpu: no fused kernel for " + op.name() + " on " + dt);
        }
        if (op instanceof Fused.SoftmaxLastDim || op instanceof Fused.SoftmaxLastDimBackward) {
            softmax(op, in, out, dt);
            return;
        }
        if (op instanceof Fused.ReluBackward) {
            reluBackward(op, in, out, dt);
            return;
        }
        if (BatchNormKernels.supports(op)) {
            BatchNormKernels.execute(op, in, out, dt);
            return;
        }
        if (op instanceof Fused.LstmCell || op instanceof Fused.LstmCellBackward) {
            lstm(op, in, out, dt);
            return;
        }
        int expectedOuts = switch (op) {
            case Fused.AdamStep a -> a.outputCount();
            case Fused.SgdStep s -> s.outputCount();
            case Fused.RmspropStep r -> r.outputCount();
            case Fused.AdagradStep a -> 2;
            default -> -1;
        };
        if (in.length != 1 || out.length != expectedOuts) {
            throw new IllegalArgumentException("cpu: " + op.name() + " expects 1 input and " + expectedOuts
                    + " outputs, got " + in.length + " and " + out.length);
        }
        long[] shape = out[0].shape();
        for (Operand o : out) check(op, o, shape, dt);
        check(op, in[0], shape, dt);
        int n = (int) out[0].numel();
        if (n == 0) return;
        switch (op) {
            case Fused.AdamStep a -> {
                if (dt == DType.FLOAT32) adamF32(a, in[0], out, n);
                else adamF64(a, in[0], out, n);
            }
            case Fused.SgdStep s -> {
                if (dt == DType.FLOAT32) sgdF32(s, in[0], out, n);
                else sgdF64(s, in[0], out, n);
            }
            case Fused.RmspropStep r -> {
                if (dt == DType.FLOAT32) rmspropF32(r, in[0], out, n);
                else rmspropF64(r, in[0], out, n);
            }
            case Fused.AdagradStep a -> {
                if (dt == DType.FLOAT32) adagradF32(a, in[0], out, n);
                else adagradF64(a, in[0], out, n);
            }
            default -> throw new AssertionError(op);
        }
    }

    private static void check(Fused op, Operand o, long[] shape, DType dt) {
        Checks.shape(op.name(), "an operand", o, shape);
        Checks.dtype(op.name(), "an operand", o, dt);
        if (!o.isContiguous()) {
            throw new IllegalArgumentException("cpu: " + op.name() + " needs contiguous operands, got " + o);
        }
    }

    private static int off(Operand o) { return (int) o.offset(); }

    // ---------------------------------------------------------------- ReLU gradient

    /** {@code grad_in = out > 0 ? grad_out : +0} in one pass. */
    private static void reluBackward(Fused op, Operand[] in, Operand[] out, DType dt) {
        if (in.length != 2 || out.length != 1) {
            throw new IllegalArgumentException("cpu: " + op.name() + " expects 2 inputs and 1 output, got " + in.length + " and " + out.length);
        }
        long[] shape = out[0].shape();
        check(op, out[0], shape, dt);
        check(op, in[0], shape, dt);
        check(op, in[1], shape, dt);
        int n = (int) out[0].numel(), go = off(in[0]), yo = off(in[1]), oo = off(out[0]);
        if (dt == DType.FLOAT32) {
            float[] g = ((CpuBuffer) in[0].buffer()).f32(), y = ((CpuBuffer) in[1].buffer()).f32(), o = ((CpuBuffer) out[0].buffer()).f32();
            Parallel.forRange(n, 2, (from, to) -> {
                int i = (int) from, end = (int) to;
                FloatVector zero = FloatVector.zero(FS);
                for (int vEnd = end - FS.length(); i <= vEnd; i += FS.length()) {
                    FloatVector yv = FloatVector.fromArray(FS, y, yo + i);
                    zero.blend(FloatVector.fromArray(FS, g, go + i), yv.compare(VectorOperators.GT, 0f)).intoArray(o, oo + i);
                }
                for (; i < end; i++) o[oo + i] = y[yo + i] > 0f ? g[go + i] : 0f;
            });
        } else {
            double[] g = ((CpuBuffer) in[0].buffer()).f64(), y = ((CpuBuffer) in[1].buffer()).f64(), o = ((CpuBuffer) out[0].buffer()).f64();
            Parallel.forRange(n, 2, (from, to) -> {
                int i = (int) from, end = (int) to;
                DoubleVector zero = DoubleVector.zero(DS);
                for (int vEnd = end - DS.length(); i <= vEnd; i += DS.length()) {
                    DoubleVector yv = DoubleVector.fromArray(DS, y, yo + i);
                    zero.blend(DoubleVector.fromArray(DS, g, go + i), yv.compare(VectorOperators.GT, 0d)).intoArray(o, oo + i);
                }
                for (; i < end; i++) o[oo + i] = y[yo + i] > 0d ? g[go + i] : 0d;
            });
        }
    }


    // ---------------------------------------------------------------- Adam

    private static void adamF32(Fused.AdamStep h, Operand gradOp, Operand[] out, int n) {
        float[] g = ((CpuBuffer) gradOp.buffer()).f32(), p = ((CpuBuffer) out[0].buffer()).f32();
        float[] m = ((CpuBuffer) out[1].buffer()).f32(), v = ((CpuBuffer) out[2].buffer()).f32();
        float[] vm = h.amsgrad() ? ((CpuBuffer) out[3].buffer()).f32() : null;
        int go = off(gradOp), po = off(out[0]), mo = off(out[1]), vo = off(out[2]), vmo = h.amsgrad() ? off(out[3]) : 0;
        AdamF32 k = new AdamF32(h);
        Parallel.forRange(n, STEP_COST, (from, to) ->
                k.run(g, go, p, po, m, mo, v, vo, vm, vmo, (int) from, (int) to));
    }

    /** The float32 Adam step with its scalars rounded once. */
    private static final class AdamF32 {
        final boolean maximize, decoupled, l2, amsgrad;
        final float decay, wd, b1, omb1, b2, omb2, bc2s, eps, negStep;

        AdamF32(Fused.AdamStep h) {
            maximize = h.maximize();
            decoupled = h.decoupledWeightDecay();
            l2 = !decoupled && h.weightDecay() != 0;
            amsgrad = h.amsgrad();
            decay = (float) (1 - h.lr() * h.weightDecay());
            wd = (float) h.weightDecay();
            b1 = (float) h.beta1();
            omb1 = (float) (1 - h.beta1());
            b2 = (float) h.beta2();
            omb2 = (float) (1 - h.beta2());
            bc2s = (float) h.biasCorrection2Sqrt();
            eps = (float) h.eps();
            negStep = (float) -h.stepSize();
        }

        void run(float[] g, int go, float[] p, int po, float[] m, int mo, float[] v, int vo, float[] vm, int vmo, int from, int to) {
            int i = from;
            int bound = from + FS.loopBound(to - from);
            for (; i < bound; i += FS.length()) {
                FloatVector gi = FloatVector.fromArray(FS, g, go + i);
                FloatVector pi = FloatVector.fromArray(FS, p, po + i);
                if (maximize) gi = gi.neg();
                if (decoupled) pi = pi.mul(decay);
                else if (l2) gi = gi.add(pi.mul(wd));
                FloatVector mi = FloatVector.fromArray(FS, m, mo + i).mul(b1).add(gi.mul(omb1));
                FloatVector vi = FloatVector.fromArray(FS, v, vo + i).mul(b2).add(gi.mul(omb2).mul(gi));
                mi.intoArray(m, mo + i);
                vi.intoArray(v, vo + i);
                if (amsgrad) {
                    vi = FloatVector.fromArray(FS, vm, vmo + i).max(vi);
                    vi.intoArray(vm, vmo + i);
                }
                FloatVector denom = vi.sqrt().div(bc2s).add(eps);
                pi.add(mi.mul(negStep).div(denom)).intoArray(p, po + i);
            }
            for (; i < to; i++) {
                float gi = g[go + i], pi = p[po + i];
                if (maximize) gi = -gi;
                if (decoupled) pi = pi * decay;
                else if (l2) gi = gi + pi * wd;
                float mi = m[mo + i] * b1 + gi * omb1;
                float vi = v[vo + i] * b2 + (gi * omb2) * gi;
                m[mo + i] = mi;
                v[vo + i] = vi;
                if (amsgrad) {
                    vi = Math.max(vm[vmo + i], vi);
                    vm[vmo + i] = vi;
                }
                float denom = (float) Math.sqrt(vi) / bc2s + eps;
                p[po + i] = pi + mi * negStep / denom;
            }
        }
    }

    private static void adamF64(Fused.AdamStep h, Operand gradOp, Operand[] out, int n) {
        double[] g = ((CpuBuffer) gradOp.buffer()).f64(), p = ((CpuBuffer) out[0].buffer()).f64();
        double[] m = ((CpuBuffer) out[1].buffer()).f64(), v = ((CpuBuffer) out[2].buffer()).f64();
        double[] vm = h.amsgrad() ? ((CpuBuffer) out[3].buffer()).f64() : null;
        int go = off(gradOp), po = off(out[0]), mo = off(out[1]), vo = off(out[2]), vmo = h.amsgrad() ? off(out[3]) : 0;
        AdamF64 k = new AdamF64(h);
        Parallel.forRange(n, STEP_COST, (from, to) ->
                k.run(g, go, p, po, m, mo, v, vo, vm, vmo, (int) from, (int) to));
    }

    /** The float64 Adam step. */
    private static final class AdamF64 {
        final boolean maximize, decoupled, l2, amsgrad;
        final double decay, wd, b1, omb1, b2, omb2, bc2s, eps, negStep;

        AdamF64(Fused.AdamStep h) {
            maximize = h.maximize();
            decoupled = h.decoupledWeightDecay();
            l2 = !decoupled && h.weightDecay() != 0;
            amsgrad = h.amsgrad();
            decay = 1 - h.lr() * h.weightDecay();
            wd = h.weightDecay();
            b1 = h.beta1();
            omb1 = 1 - h.beta1();
            b2 = h.beta2();
            omb2 = 1 - h.beta2();
            bc2s = h.biasCorrection2Sqrt();
            eps = h.eps();
            negStep = -h.stepSize();
        }

        void run(double[] g, int go, double[] p, int po, double[] m, int mo, double[] v, int vo, double[] vm, int vmo, int from, int to) {
            int i = from;
            int bound = from + DS.loopBound(to - from);
            for (; i < bound; i += DS.length()) {
                DoubleVector gi = DoubleVector.fromArray(DS, g, go + i);
                DoubleVector pi = DoubleVector.fromArray(DS, p, po + i);
                if (maximize) gi = gi.neg();
                if (decoupled) pi = pi.mul(decay);
                else if (l2) gi = gi.add(pi.mul(wd));
                DoubleVector mi = DoubleVector.fromArray(DS, m, mo + i).mul(b1).add(gi.mul(omb1));
                DoubleVector vi = DoubleVector.fromArray(DS, v, vo + i).mul(b2).add(gi.mul(omb2).mul(gi));
                mi.intoArray(m, mo + i);
                vi.intoArray(v, vo + i);
                if (amsgrad) {
                    vi = DoubleVector.fromArray(DS, vm, vmo + i).max(vi);
                    vi.intoArray(vm, vmo + i);
                }
                DoubleVector denom = vi.sqrt().div(bc2s).add(eps);
                pi.add(mi.mul(negStep).div(denom)).intoArray(p, po + i);
            }
            for (; i < to; i++) {
                double gi = g[go + i], pi = p[po + i];
                if (maximize) gi = -gi;
                if (decoupled) pi = pi * decay;
                else if (l2) gi = gi + pi * wd;
                double mi = m[mo + i] * b1 + gi * omb1;
                double vi = v[vo + i] * b2 + (gi * omb2) * gi;
                m[mo + i] = mi;
                v[vo + i] = vi;
                if (amsgrad) {
                    vi = Math.max(vm[vmo + i], vi);
                    vm[vmo + i] = vi;
                }
                double denom = Math.sqrt(vi) / bc2s + eps;
                p[po + i] = pi + mi * negStep / denom;
            }
        }
    }

    // ---------------------------------------------------------------- SGD

    private static void sgdF32(Fused.SgdStep h, Operand gradOp, Operand[] out, int n) {
        float[] g = ((CpuBuffer) gradOp.buffer()).f32(), p = ((CpuBuffer) out[0].buffer()).f32();
        boolean hasBuf = h.momentum() != 0;
        float[] b = hasBuf ? ((CpuBuffer) out[1].buffer()).f32() : null;
        int go = off(gradOp), po = off(out[0]), bo = hasBuf ? off(out[1]) : 0;
        SgdF32 k = new SgdF32(h);
        Parallel.forRange(n, STEP_COST / 2, (from, to) -> k.run(g, go, p, po, b, bo, (int) from, (int) to));
    }

    /** The float32 SGD step with its scalars rounded once. */
    private static final class SgdF32 {
        final boolean maximize, decay, momentum, first, nesterov;
        final float wd, mu, omd, negLr;

        SgdF32(Fused.SgdStep h) {
            maximize = h.maximize();
            decay = h.weightDecay() != 0;
            momentum = h.momentum() != 0;
            first = h.firstStep();
            nesterov = h.nesterov();
            wd = (float) h.weightDecay();
            mu = (float) h.momentum();
            omd = (float) (1 - h.dampening());
            negLr = (float) -h.lr();
        }

        void run(float[] g, int go, float[] p, int po, float[] b, int bo, int from, int to) {
            int i = from;
            int bound = from + FS.loopBound(to - from);
            for (; i < bound; i += FS.length()) {
                FloatVector d = FloatVector.fromArray(FS, g, go + i);
                FloatVector pi = FloatVector.fromArray(FS, p, po + i);
                if (maximize) d = d.neg();
                if (decay) d = d.add(pi.mul(wd));
                if (momentum) {
                    FloatVector bi = first ? d : FloatVector.fromArray(FS, b, bo + i).mul(mu).add(d.mul(omd));
                    bi.intoArray(b, bo + i);
                    d = nesterov ? d.add(bi.mul(mu)) : bi;
                }
                pi.add(d.mul(negLr)).intoArray(p, po + i);
            }
            for (; i < to; i++) {
                float d = g[go + i], pi = p[po + i];
                if (maximize) d = -d;
                if (decay) d = d + pi * wd;
                if (momentum) {
                    float bi = first ? d : b[bo + i] * mu + d * omd;
                    b[bo + i] = bi;
                    d = nesterov ? d + bi * mu : bi;
                }
                p[po + i] = pi + d * negLr;
            }
        }
    }

    private static void sgdF64(Fused.SgdStep h, Operand gradOp, Operand[] out, int n) {
        double[] g = ((CpuBuffer) gradOp.buffer()).f64(), p = ((CpuBuffer) out[0].buffer()).f64();
        boolean hasBuf = h.momentum() != 0;
        double[] b = hasBuf ? ((CpuBuffer) out[1].buffer()).f64() : null;
        int go = off(gradOp), po = off(out[0]), bo = hasBuf ? off(out[1]) : 0;
        SgdF64 k = new SgdF64(h);
        Parallel.forRange(n, STEP_COST / 2, (from, to) -> k.run(g, go, p, po, b, bo, (int) from, (int) to));
    }

    /** The float64 SGD step. */
    private static final class SgdF64 {
        final boolean maximize, decay, momentum, first, nesterov;
        final double wd, mu, omd, negLr;

        SgdF64(Fused.SgdStep h) {
            maximize = h.maximize();
            decay = h.weightDecay() != 0;
            momentum = h.momentum() != 0;
            first = h.firstStep();
            nesterov = h.nesterov();
            wd = h.weightDecay();
            mu = h.momentum();
            omd = 1 - h.dampening();
            negLr = -h.lr();
        }

        void run(double[] g, int go, double[] p, int po, double[] b, int bo, int from, int to) {
            int i = from;
            int bound = from + DS.loopBound(to - from);
            for (; i < bound; i += DS.length()) {
                DoubleVector d = DoubleVector.fromArray(DS, g, go + i);
                DoubleVector pi = DoubleVector.fromArray(DS, p, po + i);
                if (maximize) d = d.neg();
                if (decay) d = d.add(pi.mul(wd));
                if (momentum) {
                    DoubleVector bi = first ? d : DoubleVector.fromArray(DS, b, bo + i).mul(mu).add(d.mul(omd));
                    bi.intoArray(b, bo + i);
                    d = nesterov ? d.add(bi.mul(mu)) : bi;
                }
                pi.add(d.mul(negLr)).intoArray(p, po + i);
            }
            for (; i < to; i++) {
                double d = g[go + i], pi = p[po + i];
                if (maximize) d = -d;
                if (decay) d = d + pi * wd;
                if (momentum) {
                    double bi = first ? d : b[bo + i] * mu + d * omd;
                    b[bo + i] = bi;
                    d = nesterov ? d + bi * mu : bi;
                }
                p[po + i] = pi + d * negLr;
            }
        }
    }

    // ---------------------------------------------------------------- RMSprop

    private static void rmspropF32(Fused.RmspropStep h, Operand gradOp, Operand[] out, int n) {
        boolean hasBuf = h.momentum() > 0;
        int bi = 2, ai = hasBuf ? 3 : 2;
        float[] g = ((CpuBuffer) gradOp.buffer()).f32(), p = ((CpuBuffer) out[0].buffer()).f32();
        float[] s = ((CpuBuffer) out[1].buffer()).f32();
        float[] b = hasBuf ? ((CpuBuffer) out[bi].buffer()).f32() : null;
        float[] a = h.centered() ? ((CpuBuffer) out[ai].buffer()).f32() : null;
        int go = off(gradOp), po = off(out[0]), so = off(out[1]), bo = hasBuf ? off(out[bi]) : 0, ao = h.centered() ? off(out[ai]) : 0;
        RmspropF32 k = new RmspropF32(h);
        Parallel.forRange(n, STEP_COST, (from, to) -> k.run(g, go, p, po, s, so, b, bo, a, ao, (int) from, (int) to));
    }

    /** The float32 RMSprop step with its scalars rounded once. */
    private static final class RmspropF32 {
        final boolean maximize, decay, momentum, centered;
        final float wd, alpha, oma, eps, mu, negLr;

        RmspropF32(Fused.RmspropStep h) {
            maximize = h.maximize();
            decay = h.weightDecay() != 0;
            momentum = h.momentum() > 0;
            centered = h.centered();
            wd = (float) h.weightDecay();
            alpha = (float) h.alpha();
            oma = (float) (1 - h.alpha());
            eps = (float) h.eps();
            mu = (float) h.momentum();
            negLr = (float) -h.lr();
        }

        void run(float[] g, int go, float[] p, int po, float[] s, int so, float[] b, int bo, float[] a, int ao, int from, int to) {
            int i = from;
            int bound = from + FS.loopBound(to - from);
            for (; i < bound; i += FS.length()) {
                FloatVector gi = FloatVector.fromArray(FS, g, go + i);
                FloatVector pi = FloatVector.fromArray(FS, p, po + i);
                if (maximize) gi = gi.neg();
                if (decay) gi = gi.add(pi.mul(wd));
                FloatVector si = FloatVector.fromArray(FS, s, so + i).mul(alpha).add(gi.mul(oma).mul(gi));
                si.intoArray(s, so + i);
                FloatVector avg;
                if (centered) {
                    FloatVector ai = FloatVector.fromArray(FS, a, ao + i).mul(alpha).add(gi.mul(oma));
                    ai.intoArray(a, ao + i);
                    avg = si.sub(ai.mul(ai)).sqrt().add(eps);
                } else {
                    avg = si.sqrt().add(eps);
                }
                if (momentum) {
                    FloatVector bi = FloatVector.fromArray(FS, b, bo + i).mul(mu).add(gi.div(avg));
                    bi.intoArray(b, bo + i);
                    pi = pi.add(bi.mul(negLr));
                } else {
                    pi = pi.add(gi.mul(negLr).div(avg));
                }
                pi.intoArray(p, po + i);
            }
            for (; i < to; i++) {
                float gi = g[go + i], pi = p[po + i];
                if (maximize) gi = -gi;
                if (decay) gi = gi + pi * wd;
                float si = s[so + i] * alpha + gi * oma * gi;
                s[so + i] = si;
                float avg;
                if (centered) {
                    float ai = a[ao + i] * alpha + gi * oma;
                    a[ao + i] = ai;
                    avg = (float) Math.sqrt(si - ai * ai) + eps;
                } else {
                    avg = (float) Math.sqrt(si) + eps;
                }
                if (momentum) {
                    float bi = b[bo + i] * mu + gi / avg;
                    b[bo + i] = bi;
                    p[po + i] = pi + bi * negLr;
                } else {
                    p[po + i] = pi + gi * negLr / avg;
                }
            }
        }
    }

    // ---------------------------------------------------------------- Adagrad

    private static void adagradF32(Fused.AdagradStep h, Operand gradOp, Operand[] out, int n) {
        float[] g = ((CpuBuffer) gradOp.buffer()).f32(), p = ((CpuBuffer) out[0].buffer()).f32();
        float[] s = ((CpuBuffer) out[1].buffer()).f32();
        int go = off(gradOp), po = off(out[0]), so = off(out[1]);
        boolean maximize = h.maximize(), decay = h.weightDecay() != 0;
        float wd = (float) h.weightDecay(), eps = (float) h.eps(), negClr = (float) -h.clr();
        Parallel.forRange(n, STEP_COST / 2, (from0, to0) -> {
            int from = (int) from0, to = (int) to0, i = from;
            int bound = from + FS.loopBound(to - from);
            for (; i < bound; i += FS.length()) {
                FloatVector gi = FloatVector.fromArray(FS, g, go + i);
                FloatVector pi = FloatVector.fromArray(FS, p, po + i);
                if (maximize) gi = gi.neg();
                if (decay) gi = gi.add(pi.mul(wd));
                FloatVector si = FloatVector.fromArray(FS, s, so + i).add(gi.mul(gi));
                si.intoArray(s, so + i);
                pi.add(gi.mul(negClr).div(si.sqrt().add(eps))).intoArray(p, po + i);
            }
            for (; i < to; i++) {
                float gi = g[go + i], pi = p[po + i];
                if (maximize) gi = -gi;
                if (decay) gi = gi + pi * wd;
                float si = s[so + i] + gi * gi;
                s[so + i] = si;
                p[po + i] = pi + gi * negClr / ((float) Math.sqrt(si) + eps);
            }
        });
    }

        private static void rmspropF64(Fused.RmspropStep h, Operand gradOp, Operand[] out, int n) {
        boolean hasBuf = h.momentum() > 0;
        int bi = 2, ai = hasBuf ? 3 : 2;
        double[] g = ((CpuBuffer) gradOp.buffer()).f64(), p = ((CpuBuffer) out[0].buffer()).f64();
        double[] s = ((CpuBuffer) out[1].buffer()).f64();
        double[] b = hasBuf ? ((CpuBuffer) out[bi].buffer()).f64() : null;
        double[] a = h.centered() ? ((CpuBuffer) out[ai].buffer()).f64() : null;
        int go = off(gradOp), po = off(out[0]), so = off(out[1]), bo = hasBuf ? off(out[bi]) : 0, ao = h.centered() ? off(out[ai]) : 0;
        RmspropF64 k = new RmspropF64(h);
        Parallel.forRange(n, STEP_COST, (from, to) -> k.run(g, go, p, po, s, so, b, bo, a, ao, (int) from, (int) to));
    }

    /** The float64 RMSprop step. */
    private static final class RmspropF64 {
        final boolean maximize, decay, momentum, centered;
        final double wd, alpha, oma, eps, mu, negLr;

        RmspropF64(Fused.RmspropStep h) {
            maximize = h.maximize();
            decay = h.weightDecay() != 0;
            momentum = h.momentum() > 0;
            centered = h.centered();
            wd = h.weightDecay();
            alpha = h.alpha();
            oma = (1 - h.alpha());
            eps = h.eps();
            mu = h.momentum();
            negLr = -h.lr();
        }

        void run(double[] g, int go, double[] p, int po, double[] s, int so, double[] b, int bo, double[] a, int ao, int from, int to) {
            int i = from;
            int bound = from + DS.loopBound(to - from);
            for (; i < bound; i += DS.length()) {
                DoubleVector gi = DoubleVector.fromArray(DS, g, go + i);
                DoubleVector pi = DoubleVector.fromArray(DS, p, po + i);
                if (maximize) gi = gi.neg();
                if (decay) gi = gi.add(pi.mul(wd));
                DoubleVector si = DoubleVector.fromArray(DS, s, so + i).mul(alpha).add(gi.mul(oma).mul(gi));
                si.intoArray(s, so + i);
                DoubleVector avg;
                if (centered) {
                    DoubleVector ai = DoubleVector.fromArray(DS, a, ao + i).mul(alpha).add(gi.mul(oma));
                    ai.intoArray(a, ao + i);
                    avg = si.sub(ai.mul(ai)).sqrt().add(eps);
                } else {
                    avg = si.sqrt().add(eps);
                }
                if (momentum) {
                    DoubleVector bi = DoubleVector.fromArray(DS, b, bo + i).mul(mu).add(gi.div(avg));
                    bi.intoArray(b, bo + i);
                    pi = pi.add(bi.mul(negLr));
                } else {
                    pi = pi.add(gi.mul(negLr).div(avg));
                }
                pi.intoArray(p, po + i);
            }
            for (; i < to; i++) {
                double gi = g[go + i], pi = p[po + i];
                if (maximize) gi = -gi;
                if (decay) gi = gi + pi * wd;
                double si = s[so + i] * alpha + gi * oma * gi;
                s[so + i] = si;
                double avg;
                if (centered) {
                    double ai = a[ao + i] * alpha + gi * oma;
                    a[ao + i] = ai;
                    avg = Math.sqrt(si - ai * ai) + eps;
                } else {
                    avg = Math.sqrt(si) + eps;
                }
                if (momentum) {
                    double bi = b[bo + i] * mu + gi / avg;
                    b[bo + i] = bi;
                    p[po + i] = pi + bi * negLr;
                } else {
                    p[po + i] = pi + gi * negLr / avg;
                }
            }
        }
    }

        private static void adagradF64(Fused.AdagradStep h, Operand gradOp, Operand[] out, int n) {
        double[] g = ((CpuBuffer) gradOp.buffer()).f64(), p = ((CpuBuffer) out[0].buffer()).f64();
        double[] s = ((CpuBuffer) out[1].buffer()).f64();
        int go = off(gradOp), po = off(out[0]), so = off(out[1]);
        boolean maximize = h.maximize(), decay = h.weightDecay() != 0;
        double wd = h.weightDecay(), eps = h.eps(), negClr = -h.clr();
        Parallel.forRange(n, STEP_COST / 2, (from0, to0) -> {
            int from = (int) from0, to = (int) to0, i = from;
            int bound = from + DS.loopBound(to - from);
            for (; i < bound; i += DS.length()) {
                DoubleVector gi = DoubleVector.fromArray(DS, g, go + i);
                DoubleVector pi = DoubleVector.fromArray(DS, p, po + i);
                if (maximize) gi = gi.neg();
                if (decay) gi = gi.add(pi.mul(wd));
                DoubleVector si = DoubleVector.fromArray(DS, s, so + i).add(gi.mul(gi));
                si.intoArray(s, so + i);
                pi.add(gi.mul(negClr).div(si.sqrt().add(eps))).intoArray(p, po + i);
            }
            for (; i < to; i++) {
                double gi = g[go + i], pi = p[po + i];
                if (maximize) gi = -gi;
                if (decay) gi = gi + pi * wd;
                double si = s[so + i] + gi * gi;
                s[so + i] = si;
                p[po + i] = pi + gi * negClr / (Math.sqrt(si) + eps);
            }
        });
    }

    // ---------------------------------------------------------------- softmax over the last dimension

    private static void softmax(Fused op, Operand[] in, Operand[] out, DType dt) {
        boolean backward = op instanceof Fused.SoftmaxLastDimBackward;
        int inputs = backward ? 2 : 1;
        if (in.length != inputs || out.length != 1) {
            throw new IllegalArgumentException("cpu: " + op.name() + " expects " + inputs + " inputs and 1 output, got "
                    + in.length + " and " + out.length);
        }
        long[] shape = out[0].shape();
        if (shape.length == 0 || shape[shape.length - 1] == 0) {
            throw new IllegalArgumentException("cpu: " + op.name() + " needs rank >= 1 and a non-empty last dimension, got " + out[0]);
        }
        check(op, out[0], shape, dt);
        for (Operand o : in) check(op, o, shape, dt);
        int cols = (int) shape[shape.length - 1];
        int rows = (int) (out[0].numel() / cols);
        if (rows == 0) return;
        boolean log = backward ? ((Fused.SoftmaxLastDimBackward) op).log() : ((Fused.SoftmaxLastDim) op).log();
        int o0 = off(out[0]), a0 = off(in[0]), b0 = backward ? off(in[1]) : 0;
        if (dt == DType.FLOAT32) {
            float[] o = ((CpuBuffer) out[0].buffer()).f32(), a = ((CpuBuffer) in[0].buffer()).f32();
            float[] b = backward ? ((CpuBuffer) in[1].buffer()).f32() : null;
            Parallel.forRange(rows, 4L * cols, (from, to) -> {
                for (int r = (int) from; r < to; r++) {
                    int ro = o0 + r * cols, ra = a0 + r * cols;
                    if (!backward) softmaxRowF32(a, ra, o, ro, cols, log);
                    else softmaxBackwardRowF32(a, ra, b, b0 + r * cols, o, ro, cols, log);
                }
            });
        } else {
            double[] o = ((CpuBuffer) out[0].buffer()).f64(), a = ((CpuBuffer) in[0].buffer()).f64();
            double[] b = backward ? ((CpuBuffer) in[1].buffer()).f64() : null;
            Parallel.forRange(rows, 4L * cols, (from, to) -> {
                for (int r = (int) from; r < to; r++) {
                    int ro = o0 + r * cols, ra = a0 + r * cols;
                    if (!backward) softmaxRowF64(a, ra, o, ro, cols, log);
                    else softmaxBackwardRowF64(a, ra, b, b0 + r * cols, o, ro, cols, log);
                }
            });
        }
    }

    /** Elements per partial sum of a float32 row, added into a double so long rows keep their precision. */
    private static final int SUM_BLOCK = 1024;

    private static void softmaxRowF32(float[] x, int xo, float[] o, int oo, int n, boolean log) {
        int bound = FS.loopBound(n), i = 0;
        float max = Float.NEGATIVE_INFINITY;
        if (bound > 0) {
            FloatVector vm = FloatVector.broadcast(FS, Float.NEGATIVE_INFINITY);
            for (; i < bound; i += FS.length()) vm = vm.max(FloatVector.fromArray(FS, x, xo + i));
            max = vm.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) max = Math.max(max, x[xo + i]);
        FloatVector vmax = FloatVector.broadcast(FS, max);
        double sum = 0;
        for (int blk = 0; blk < n; blk += SUM_BLOCK) {
            int end = Math.min(n, blk + SUM_BLOCK), vb = blk + FS.loopBound(end - blk);
            FloatVector acc = FloatVector.zero(FS);
            int j = blk;
            for (; j < vb; j += FS.length()) {
                FloatVector e = VecMath.exp(FloatVector.fromArray(FS, x, xo + j).sub(vmax));
                if (!log) e.intoArray(o, oo + j);
                acc = acc.add(e);
            }
            float part = VecMath.sum(acc);
            for (; j < end; j++) {
                float e = (float) Math.exp(x[xo + j] - max);
                if (!log) o[oo + j] = e;
                part += e;
            }
            sum += part;
        }
        float s = (float) sum;
        if (log) {
            float ls = (float) Math.log(s);
            FloatVector vls = FloatVector.broadcast(FS, ls);
            int j = 0;
            for (; j < bound; j += FS.length()) FloatVector.fromArray(FS, x, xo + j).sub(vmax).sub(vls).intoArray(o, oo + j);
            for (; j < n; j++) o[oo + j] = (x[xo + j] - max) - ls;
        } else {
            int j = 0;
            for (; j < bound; j += FS.length()) FloatVector.fromArray(FS, o, oo + j).div(s).intoArray(o, oo + j);
            for (; j < n; j++) o[oo + j] = o[oo + j] / s;
        }
    }

    /** One row of the softmax gradient: {@code g} is the output's gradient, {@code y} the forward's output. */
    private static void softmaxBackwardRowF32(float[] g, int go, float[] y, int yo, float[] o, int oo, int n, boolean log) {
        int bound = FS.loopBound(n);
        double sum = 0;
        for (int blk = 0; blk < n; blk += SUM_BLOCK) {
            int end = Math.min(n, blk + SUM_BLOCK), vb = blk + FS.loopBound(end - blk);
            FloatVector acc = FloatVector.zero(FS);
            int j = blk;
            for (; j < vb; j += FS.length()) {
                FloatVector gv = FloatVector.fromArray(FS, g, go + j);
                acc = acc.add(log ? gv : gv.mul(FloatVector.fromArray(FS, y, yo + j)));
            }
            float part = VecMath.sum(acc);
            for (; j < end; j++) part += log ? g[go + j] : g[go + j] * y[yo + j];
            sum += part;
        }
        float s = (float) sum;
        int j = 0;
        if (log) {
            for (; j < bound; j += FS.length()) {
                FloatVector e = VecMath.exp(FloatVector.fromArray(FS, y, yo + j));
                FloatVector.fromArray(FS, g, go + j).sub(e.mul(s)).intoArray(o, oo + j);
            }
            for (; j < n; j++) o[oo + j] = g[go + j] - (float) Math.exp(y[yo + j]) * s;
        } else {
            for (; j < bound; j += FS.length()) {
                FloatVector yv = FloatVector.fromArray(FS, y, yo + j);
                yv.mul(FloatVector.fromArray(FS, g, go + j).sub(s)).intoArray(o, oo + j);
            }
            for (; j < n; j++) o[oo + j] = y[yo + j] * (g[go + j] - s);
        }
    }

    private static void softmaxRowF64(double[] x, int xo, double[] o, int oo, int n, boolean log) {
        int bound = DS.loopBound(n), i = 0;
        double max = Double.NEGATIVE_INFINITY;
        if (bound > 0) {
            DoubleVector vm = DoubleVector.broadcast(DS, Double.NEGATIVE_INFINITY);
            for (; i < bound; i += DS.length()) vm = vm.max(DoubleVector.fromArray(DS, x, xo + i));
            max = vm.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) max = Math.max(max, x[xo + i]);
        DoubleVector vmax = DoubleVector.broadcast(DS, max);
        DoubleVector acc = DoubleVector.zero(DS);
        int j = 0;
        for (; j < bound; j += DS.length()) {
            DoubleVector e = VecMath.exp(DoubleVector.fromArray(DS, x, xo + j).sub(vmax));
            if (!log) e.intoArray(o, oo + j);
            acc = acc.add(e);
        }
        double s = VecMath.sum(acc);
        for (; j < n; j++) {
            double e = Math.exp(x[xo + j] - max);
            if (!log) o[oo + j] = e;
            s += e;
        }
        j = 0;
        if (log) {
            double ls = Math.log(s);
            for (; j < bound; j += DS.length()) DoubleVector.fromArray(DS, x, xo + j).sub(vmax).sub(ls).intoArray(o, oo + j);
            for (; j < n; j++) o[oo + j] = (x[xo + j] - max) - ls;
        } else {
            for (; j < bound; j += DS.length()) DoubleVector.fromArray(DS, o, oo + j).div(s).intoArray(o, oo + j);
            for (; j < n; j++) o[oo + j] = o[oo + j] / s;
        }
    }

    private static void softmaxBackwardRowF64(double[] g, int go, double[] y, int yo, double[] o, int oo, int n, boolean log) {
        int bound = DS.loopBound(n);
        DoubleVector acc = DoubleVector.zero(DS);
        int j = 0;
        for (; j < bound; j += DS.length()) {
            DoubleVector gv = DoubleVector.fromArray(DS, g, go + j);
            acc = acc.add(log ? gv : gv.mul(DoubleVector.fromArray(DS, y, yo + j)));
        }
        double s = VecMath.sum(acc);
        for (; j < n; j++) s += log ? g[go + j] : g[go + j] * y[yo + j];
        j = 0;
        if (log) {
            for (; j < bound; j += DS.length()) {
                DoubleVector e = VecMath.exp(DoubleVector.fromArray(DS, y, yo + j));
                DoubleVector.fromArray(DS, g, go + j).sub(e.mul(s)).intoArray(o, oo + j);
            }
            for (; j < n; j++) o[oo + j] = g[go + j] - Math.exp(y[yo + j]) * s;
        } else {
            for (; j < bound; j += DS.length()) {
                DoubleVector yv = DoubleVector.fromArray(DS, y, yo + j);
                yv.mul(DoubleVector.fromArray(DS, g, go + j).sub(s)).intoArray(o, oo + j);
            }
            for (; j < n; j++) o[oo + j] = y[yo + j] * (g[go + j] - s);
        }
    }

    // ---------------------------------------------------------------- LSTM cell

    private static void lstm(Fused op, Operand[] in, Operand[] out, DType dt) {
        boolean backward = op instanceof Fused.LstmCellBackward;
        Fused.LstmCellBackward bw = backward ? (Fused.LstmCellBackward) op : null;
        int inputs = backward ? bw.inputCount() : 2, outputs = backward ? 2 : 4;
        if (in.length != inputs || out.length != outputs) {
            throw new IllegalArgumentException("cpu: " + op.name() + " expects " + inputs + " inputs and " + outputs
                    + " outputs, got " + in.length + " and " + out.length);
        }
        // the [B, H] shape from c_prev (input 1 both ways), the [B, 4H] one from gates / act (input 0)
        long[] wide = in[0].shape(), narrow = in[1].shape();
        if (wide.length != 2 || narrow.length != 2 || wide[0] != narrow[0] || wide[1] != 4 * narrow[1] || narrow[1] < 1) {
            throw new IllegalArgumentException("cpu: " + op.name() + " needs operands [B, 4H] and [B, H] with H >= 1, got "
                    + in[0] + " and " + in[1]);
        }
        check(op, in[0], wide, dt);
        for (int k = 1; k < in.length; k++) check(op, in[k], narrow, dt);
        if (backward) {
            check(op, out[0], wide, dt);
            check(op, out[1], narrow, dt);
        } else {
            check(op, out[0], narrow, dt);
            check(op, out[1], narrow, dt);
            check(op, out[2], wide, dt);
            check(op, out[3], narrow, dt);
        }
        int rows = (int) narrow[0], hs = (int) narrow[1];
        if (rows == 0) return;
        long cost = 16L * hs;
        if (dt == DType.FLOAT32) {
            if (backward) {
                float[] act = f32(in[0]), c = f32(in[1]), tc = f32(in[2]);
                int k = 3;
                Operand ghOp = bw.gradH() ? in[k++] : null, gcOp = bw.gradC() ? in[k] : null;
                float[] gh = ghOp == null ? null : f32(ghOp), gc = gcOp == null ? null : f32(gcOp);
                int ao = off(in[0]), co = off(in[1]), to = off(in[2]);
                int gho = ghOp == null ? 0 : off(ghOp), gco = gcOp == null ? 0 : off(gcOp);
                float[] gg = f32(out[0]), gcp = f32(out[1]);
                int ggo = off(out[0]), gcpo = off(out[1]);
                Parallel.forRange(rows, cost, (from, to2) -> {
                    for (int r = (int) from; r < to2; r++) {
                        lstmBackwardRowF32(act, ao + 4 * r * hs, c, co + r * hs, tc, to + r * hs,
                                gh, gho + r * hs, gc, gco + r * hs, gg, ggo + 4 * r * hs, gcp, gcpo + r * hs, hs);
                    }
                });
            } else {
                float[] g = f32(in[0]), c = f32(in[1]);
                float[] h = f32(out[0]), c2 = f32(out[1]), act = f32(out[2]), tc = f32(out[3]);
                int go = off(in[0]), co = off(in[1]), ho = off(out[0]), c2o = off(out[1]), ao = off(out[2]), to = off(out[3]);
                Parallel.forRange(rows, cost, (from, to2) -> {
                    for (int r = (int) from; r < to2; r++) {
                        lstmRowF32(g, go + 4 * r * hs, c, co + r * hs, h, ho + r * hs, c2, c2o + r * hs,
                                act, ao + 4 * r * hs, tc, to + r * hs, hs);
                    }
                });
            }
        } else {
            if (backward) {
                double[] act = f64(in[0]), c = f64(in[1]), tc = f64(in[2]);
                int k = 3;
                Operand ghOp = bw.gradH() ? in[k++] : null, gcOp = bw.gradC() ? in[k] : null;
                double[] gh = ghOp == null ? null : f64(ghOp), gc = gcOp == null ? null : f64(gcOp);
                int ao = off(in[0]), co = off(in[1]), to = off(in[2]);
                int gho = ghOp == null ? 0 : off(ghOp), gco = gcOp == null ? 0 : off(gcOp);
                double[] gg = f64(out[0]), gcp = f64(out[1]);
                int ggo = off(out[0]), gcpo = off(out[1]);
                Parallel.forRange(rows, cost, (from, to2) -> {
                    for (int r = (int) from; r < to2; r++) {
                        lstmBackwardRowF64(act, ao + 4 * r * hs, c, co + r * hs, tc, to + r * hs,
                                gh, gho + r * hs, gc, gco + r * hs, gg, ggo + 4 * r * hs, gcp, gcpo + r * hs, hs);
                    }
                });
            } else {
                double[] g = f64(in[0]), c = f64(in[1]);
                double[] h = f64(out[0]), c2 = f64(out[1]), act = f64(out[2]), tc = f64(out[3]);
                int go = off(in[0]), co = off(in[1]), ho = off(out[0]), c2o = off(out[1]), ao = off(out[2]), to = off(out[3]);
                Parallel.forRange(rows, cost, (from, to2) -> {
                    for (int r = (int) from; r < to2; r++) {
                        lstmRowF64(g, go + 4 * r * hs, c, co + r * hs, h, ho + r * hs, c2, c2o + r * hs,
                                act, ao + 4 * r * hs, tc, to + r * hs, hs);
                    }
                });
            }
        }
    }

    private static float[] f32(Operand o) { return ((CpuBuffer) o.buffer()).f32(); }

    private static double[] f64(Operand o) { return ((CpuBuffer) o.buffer()).f64(); }

    /**
     * One row of the forward: {@code g}/{@code act} rows are 4*hs wide, the others hs. Three
     * passes over the row (it stays in L1), each a small loop with one transcendental function,
     * so that each compiles to vector code on its own.
     */
    private static void lstmRowF32(float[] g, int go, float[] c, int co, float[] h, int ho, float[] c2, int c2o,
                                   float[] act, int ao, float[] tc, int to, int hs) {
        sigmoidF32(g, go, act, ao, 2 * hs);
        tanhF32(g, go + 2 * hs, act, ao + 2 * hs, hs);
        sigmoidF32(g, go + 3 * hs, act, ao + 3 * hs, hs);
        int bound = FS.loopBound(hs), j = 0;
        for (; j < bound; j += FS.length()) {
            FloatVector i = FloatVector.fromArray(FS, act, ao + j), f = FloatVector.fromArray(FS, act, ao + hs + j);
            FloatVector gg = FloatVector.fromArray(FS, act, ao + 2 * hs + j);
            f.mul(FloatVector.fromArray(FS, c, co + j)).add(i.mul(gg)).intoArray(c2, c2o + j);
        }
        for (; j < hs; j++) c2[c2o + j] = act[ao + hs + j] * c[co + j] + act[ao + j] * act[ao + 2 * hs + j];
        tanhF32(c2, c2o, tc, to, hs);
        j = 0;
        for (; j < bound; j += FS.length()) {
            FloatVector.fromArray(FS, act, ao + 3 * hs + j).mul(FloatVector.fromArray(FS, tc, to + j)).intoArray(h, ho + j);
        }
        for (; j < hs; j++) h[ho + j] = act[ao + 3 * hs + j] * tc[to + j];
    }

    /** o[oo..oo+n) = 1 / (1 + exp(-x)), as the unary sigmoid kernel computes it. */
    private static void sigmoidF32(float[] x, int xo, float[] o, int oo, int n) {
        FloatVector one = FloatVector.broadcast(FS, 1f);
        int bound = FS.loopBound(n), j = 0;
        for (; j < bound; j += FS.length()) {
            one.div(VecMath.exp(FloatVector.fromArray(FS, x, xo + j).neg()).add(one)).intoArray(o, oo + j);
        }
        for (; j < n; j++) o[oo + j] = (float) ScalarMath.sigmoid(x[xo + j]);
    }

    private static void tanhF32(float[] x, int xo, float[] o, int oo, int n) {
        int bound = FS.loopBound(n), j = 0;
        for (; j < bound; j += FS.length()) VecMath.tanh(FloatVector.fromArray(FS, x, xo + j)).intoArray(o, oo + j);
        for (; j < n; j++) o[oo + j] = (float) Math.tanh(x[xo + j]);
    }

    /** One row of the backward; {@code gh}/{@code gc} may be null (zero). */
    private static void lstmBackwardRowF32(float[] act, int ao, float[] c, int co, float[] tc, int to,
                                           float[] gh, int gho, float[] gc, int gco, float[] gg, int ggo,
                                           float[] gcp, int gcpo, int hs) {
        int bound = FS.loopBound(hs), j = 0;
        FloatVector zero = FloatVector.zero(FS);
        for (; j < bound; j += FS.length()) {
            FloatVector i = FloatVector.fromArray(FS, act, ao + j), f = FloatVector.fromArray(FS, act, ao + hs + j);
            FloatVector g = FloatVector.fromArray(FS, act, ao + 2 * hs + j), o = FloatVector.fromArray(FS, act, ao + 3 * hs + j);
            FloatVector t = FloatVector.fromArray(FS, tc, to + j);
            FloatVector gct = gc == null ? null : FloatVector.fromArray(FS, gc, gco + j);
            FloatVector go = zero;
            if (gh != null) {
                FloatVector ghv = FloatVector.fromArray(FS, gh, gho + j);
                FloatVector viaH = ghv.mul(o).mul(t.mul(t).neg().add(1f));
                gct = gct == null ? viaH : gct.add(viaH);
                go = ghv.mul(t).mul(o.mul(o.neg().add(1f)));
            }
            gct.mul(g).mul(i.mul(i.neg().add(1f))).intoArray(gg, ggo + j);
            gct.mul(FloatVector.fromArray(FS, c, co + j)).mul(f.mul(f.neg().add(1f))).intoArray(gg, ggo + hs + j);
            gct.mul(i).mul(g.mul(g).neg().add(1f)).intoArray(gg, ggo + 2 * hs + j);
            go.intoArray(gg, ggo + 3 * hs + j);
            gct.mul(f).intoArray(gcp, gcpo + j);
        }
        for (; j < hs; j++) {
            float i = act[ao + j], f = act[ao + hs + j], g = act[ao + 2 * hs + j], o = act[ao + 3 * hs + j], t = tc[to + j];
            float gct = gc == null ? 0f : gc[gco + j], go = 0f;
            if (gh != null) {
                float viaH = gh[gho + j] * o * (1f - t * t);
                gct = gc == null ? viaH : gct + viaH;
                go = gh[gho + j] * t * (o * (1f - o));
            }
            gg[ggo + j] = gct * g * (i * (1f - i));
            gg[ggo + hs + j] = gct * c[co + j] * (f * (1f - f));
            gg[ggo + 2 * hs + j] = gct * i * (1f - g * g);
            gg[ggo + 3 * hs + j] = go;
            gcp[gcpo + j] = gct * f;
        }
    }

    private static void lstmRowF64(double[] g, int go, double[] c, int co, double[] h, int ho, double[] c2, int c2o,
                                   double[] act, int ao, double[] tc, int to, int hs) {
        sigmoidF64(g, go, act, ao, 2 * hs);
        tanhF64(g, go + 2 * hs, act, ao + 2 * hs, hs);
        sigmoidF64(g, go + 3 * hs, act, ao + 3 * hs, hs);
        int bound = DS.loopBound(hs), j = 0;
        for (; j < bound; j += DS.length()) {
            DoubleVector i = DoubleVector.fromArray(DS, act, ao + j), f = DoubleVector.fromArray(DS, act, ao + hs + j);
            DoubleVector gg = DoubleVector.fromArray(DS, act, ao + 2 * hs + j);
            f.mul(DoubleVector.fromArray(DS, c, co + j)).add(i.mul(gg)).intoArray(c2, c2o + j);
        }
        for (; j < hs; j++) c2[c2o + j] = act[ao + hs + j] * c[co + j] + act[ao + j] * act[ao + 2 * hs + j];
        tanhF64(c2, c2o, tc, to, hs);
        j = 0;
        for (; j < bound; j += DS.length()) {
            DoubleVector.fromArray(DS, act, ao + 3 * hs + j).mul(DoubleVector.fromArray(DS, tc, to + j)).intoArray(h, ho + j);
        }
        for (; j < hs; j++) h[ho + j] = act[ao + 3 * hs + j] * tc[to + j];
    }

    private static void sigmoidF64(double[] x, int xo, double[] o, int oo, int n) {
        DoubleVector one = DoubleVector.broadcast(DS, 1.0);
        int bound = DS.loopBound(n), j = 0;
        for (; j < bound; j += DS.length()) {
            one.div(VecMath.exp(DoubleVector.fromArray(DS, x, xo + j).neg()).add(one)).intoArray(o, oo + j);
        }
        for (; j < n; j++) o[oo + j] = ScalarMath.sigmoid(x[xo + j]);
    }

    private static void tanhF64(double[] x, int xo, double[] o, int oo, int n) {
        int bound = DS.loopBound(n), j = 0;
        for (; j < bound; j += DS.length()) VecMath.tanh(DoubleVector.fromArray(DS, x, xo + j)).intoArray(o, oo + j);
        for (; j < n; j++) o[oo + j] = Math.tanh(x[xo + j]);
    }

    private static void lstmBackwardRowF64(double[] act, int ao, double[] c, int co, double[] tc, int to,
                                           double[] gh, int gho, double[] gc, int gco, double[] gg, int ggo,
                                           double[] gcp, int gcpo, int hs) {
        int bound = DS.loopBound(hs), j = 0;
        DoubleVector zero = DoubleVector.zero(DS);
        for (; j < bound; j += DS.length()) {
            DoubleVector i = DoubleVector.fromArray(DS, act, ao + j), f = DoubleVector.fromArray(DS, act, ao + hs + j);
            DoubleVector g = DoubleVector.fromArray(DS, act, ao + 2 * hs + j), o = DoubleVector.fromArray(DS, act, ao + 3 * hs + j);
            DoubleVector t = DoubleVector.fromArray(DS, tc, to + j);
            DoubleVector gct = gc == null ? null : DoubleVector.fromArray(DS, gc, gco + j);
            DoubleVector go = zero;
            if (gh != null) {
                DoubleVector ghv = DoubleVector.fromArray(DS, gh, gho + j);
                DoubleVector viaH = ghv.mul(o).mul(t.mul(t).neg().add(1.0));
                gct = gct == null ? viaH : gct.add(viaH);
                go = ghv.mul(t).mul(o.mul(o.neg().add(1.0)));
            }
            gct.mul(g).mul(i.mul(i.neg().add(1.0))).intoArray(gg, ggo + j);
            gct.mul(DoubleVector.fromArray(DS, c, co + j)).mul(f.mul(f.neg().add(1.0))).intoArray(gg, ggo + hs + j);
            gct.mul(i).mul(g.mul(g).neg().add(1.0)).intoArray(gg, ggo + 2 * hs + j);
            go.intoArray(gg, ggo + 3 * hs + j);
            gct.mul(f).intoArray(gcp, gcpo + j);
        }
        for (; j < hs; j++) {
            double i = act[ao + j], f = act[ao + hs + j], g = act[ao + 2 * hs + j], o = act[ao + 3 * hs + j], t = tc[to + j];
            double gct = gc == null ? 0 : gc[gco + j], go = 0;
            if (gh != null) {
                double viaH = gh[gho + j] * o * (1 - t * t);
                gct = gc == null ? viaH : gct + viaH;
                go = gh[gho + j] * t * (o * (1 - o));
            }
            gg[ggo + j] = gct * g * (i * (1 - i));
            gg[ggo + hs + j] = gct * c[co + j] * (f * (1 - f));
            gg[ggo + 2 * hs + j] = gct * i * (1 - g * g);
            gg[ggo + 3 * hs + j] = go;
            gcp[gcpo + j] = gct * f;
        }
    }
}
