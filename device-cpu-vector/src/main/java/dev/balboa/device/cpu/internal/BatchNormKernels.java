package dev.balboa.device.cpu.internal;

import dev.balboa.spi.DType;
import dev.balboa.spi.Fused;
import dev.balboa.spi.Operand;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The CPU's fused training-mode batch norm ({@link Fused.BatchNormTraining}) and its gradient
 * ({@link Fused.BatchNormTrainingBackward}) over contiguous {@code [N, C, *]} float32 or float64
 * tensors, split across the pool by channel. A channel is {@code N} runs of {@code inner}
 * consecutive elements, {@code C * inner} apart.
 *
 * <p>Forward statistics: for runs long enough to stay in cache, each run's mean and centred
 * sum of squares are computed in two passes over the (cached) run and merged into the channel's
 * with Chan's pairwise update, so the channel is read from memory once for the statistics and
 * once for the output; short runs take two passes over the whole channel. Either way, squares
 * are summed around a shift equal to the mean up to one rounding, so no large terms cancel.
 * Float32 sums are accumulated in float lanes over blocks of {@value #BLOCK} elements and the
 * blocks in double; the per-channel scalars are computed in double and rounded once.
 *
 * <p>Backward: one pass for the channel's {@code sum(g)} and {@code sum(g * (x - mean))}, one
 * for the input's gradient.
 */
final class BatchNormKernels {
    private BatchNormKernels() {}

    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    /** Elements per float-lane partial sum, added into a double. */
    private static final int BLOCK = 1024;
    /** Runs at least this long get their statistics per run (merged with Chan's update). */
    private static final int RUN_STATS_MIN = 64;

    static boolean supports(Fused op) {
        return op instanceof Fused.BatchNormTraining || op instanceof Fused.BatchNormTrainingBackward;
    }

    /** The layout of a {@code [N, C, *]} operand. */
    private record Layout(int n, int c, int inner) {
        long perChannel() { return (long) n * inner; }
    }

    private static Layout layout(String op, Operand x) {
        long[] s = x.shape();
        if (s.length < 2) throw new IllegalArgumentException("cpu: " + op + " needs an input of rank 2 or more, got " + Checks.describe(x));
        long numel = x.numel();
        if (numel == 0) throw new IllegalArgumentException("cpu: " + op + " needs a non-empty input, got " + Checks.describe(x));
        if (numel > Integer.MAX_VALUE) throw new IllegalArgumentException("cpu: " + op + " input too large: " + Checks.describe(x));
        return new Layout((int) s[0], (int) s[1], (int) (numel / (s[0] * s[1])));
    }

    private static void check(String op, String what, Operand o, long[] shape, DType dt) {
        Checks.shape(op, what, o, shape);
        Checks.dtype(op, what, o, dt);
        if (!o.isContiguous()) throw new IllegalArgumentException("cpu: " + op + " needs contiguous operands, got " + what + " " + o);
    }

    private static int off(Operand o) { return (int) o.offset(); }

    static void execute(Fused op, Operand[] in, Operand[] out, DType dt) {
        switch (op) {
            case Fused.BatchNormTraining f -> forward(f, in, out, dt);
            case Fused.BatchNormTrainingBackward b -> backward(b, in, out, dt);
            default -> throw new AssertionError(op);
        }
    }

    // ---------------------------------------------------------------- forward

    private static void forward(Fused.BatchNormTraining op, Operand[] in, Operand[] out, DType dt) {
        String name = op.name();
        if (in.length != op.inputCount() || out.length != 4) {
            throw new IllegalArgumentException("cpu: " + name + " expects " + op.inputCount() + " inputs and 4 outputs, got "
                    + in.length + " and " + out.length);
        }
        Layout l = layout(name, in[0]);
        long[] cs = {l.c()};
        check(name, "x", in[0], in[0].shape(), dt);
        check(name, "out", out[0], in[0].shape(), dt);
        for (int i = 1; i < 4; i++) check(name, "output " + i, out[i], cs, dt);
        if (op.affine()) {
            check(name, "weight", in[1], cs, dt);
            check(name, "bias", in[2], cs, dt);
        }
        long cost = 4 * l.perChannel();
        if (dt == DType.FLOAT32) {
            float[] x = f32(in[0]), o = f32(out[0]), mean = f32(out[1]), var = f32(out[2]), inv = f32(out[3]);
            float[] w = op.affine() ? f32(in[1]) : null, b = op.affine() ? f32(in[2]) : null;
            int xo = off(in[0]), oo = off(out[0]), mo = off(out[1]), vo = off(out[2]), io = off(out[3]);
            int wo = op.affine() ? off(in[1]) : 0, bo = op.affine() ? off(in[2]) : 0;
            Parallel.forRange(l.c(), cost, (from, to) -> {
                double[] st = new double[3];
                for (int c = (int) from; c < to; c++) {
                    statsF32(x, xo, l, c, st);
                    double m = st[0], v = st[1] / l.perChannel(), is = 1 / Math.sqrt(v + op.eps());
                    mean[mo + c] = (float) m;
                    var[vo + c] = (float) v;
                    inv[io + c] = (float) is;
                    float fm = (float) m;
                    float scale = w == null ? (float) is : (float) (is * w[wo + c]);
                    float shift = b == null ? 0f : b[bo + c];
                    for (int r = 0; r < l.n(); r++) {
                        int base = (r * l.c() + c) * l.inner();
                        normalizeF32(x, xo + base, o, oo + base, l.inner(), fm, scale, shift, b != null);
                    }
                }
            });
        } else {
            double[] x = f64(in[0]), o = f64(out[0]), mean = f64(out[1]), var = f64(out[2]), inv = f64(out[3]);
            double[] w = op.affine() ? f64(in[1]) : null, b = op.affine() ? f64(in[2]) : null;
            int xo = off(in[0]), oo = off(out[0]), mo = off(out[1]), vo = off(out[2]), io = off(out[3]);
            int wo = op.affine() ? off(in[1]) : 0, bo = op.affine() ? off(in[2]) : 0;
            Parallel.forRange(l.c(), cost, (from, to) -> {
                double[] st = new double[3];
                for (int c = (int) from; c < to; c++) {
                    statsF64(x, xo, l, c, st);
                    double m = st[0], v = st[1] / l.perChannel(), is = 1 / Math.sqrt(v + op.eps());
                    mean[mo + c] = m;
                    var[vo + c] = v;
                    inv[io + c] = is;
                    double scale = w == null ? is : is * w[wo + c];
                    double shift = b == null ? 0 : b[bo + c];
                    for (int r = 0; r < l.n(); r++) {
                        int base = (r * l.c() + c) * l.inner();
                        normalizeF64(x, xo + base, o, oo + base, l.inner(), m, scale, shift, b != null);
                    }
                }
            });
        }
    }

    /**
     * Channel {@code c}'s mean into {@code st[0]} and centred sum of squares into {@code st[1]}
     * ({@code st[2]} is scratch).
     */
    private static void statsF32(float[] x, int xo, Layout l, int c, double[] st) {
        int inner = l.inner(), stride = l.c() * inner, first = xo + c * inner;
        if (inner >= RUN_STATS_MIN) {
            double count = 0, mean = 0, m2 = 0;
            for (int r = 0; r < l.n(); r++) {
                int o = first + r * stride;
                float shift = (float) (sumF32(x, o, inner) / inner);
                centredSumsF32(x, o, inner, shift, st);
                double runMean = shift + st[0] / inner, runM2 = Math.max(0, st[1] - st[0] * st[0] / inner);
                // Chan et al.'s pairwise update of (count, mean, m2) with the run's
                double total = count + inner, delta = runMean - mean;
                mean += delta * (inner / total);
                m2 += runM2 + delta * delta * (count * inner / total);
                count = total;
            }
            st[0] = mean;
            st[1] = m2;
        } else {
            double sum = 0;
            for (int r = 0; r < l.n(); r++) sum += sumF32(x, first + r * stride, inner);
            double m = sum / l.perChannel();
            float shift = (float) m;
            double s1 = 0, s2 = 0;
            for (int r = 0; r < l.n(); r++) {
                centredSumsF32(x, first + r * stride, inner, shift, st);
                s1 += st[0];
                s2 += st[1];
            }
            st[0] = shift + s1 / l.perChannel();
            st[1] = Math.max(0, s2 - s1 * s1 / l.perChannel());
        }
    }

    private static void statsF64(double[] x, int xo, Layout l, int c, double[] st) {
        int inner = l.inner(), stride = l.c() * inner, first = xo + c * inner;
        if (inner >= RUN_STATS_MIN) {
            double count = 0, mean = 0, m2 = 0;
            for (int r = 0; r < l.n(); r++) {
                int o = first + r * stride;
                double shift = sumF64(x, o, inner) / inner;
                centredSumsF64(x, o, inner, shift, st);
                double runMean = shift + st[0] / inner, runM2 = Math.max(0, st[1] - st[0] * st[0] / inner);
                double total = count + inner, delta = runMean - mean;
                mean += delta * (inner / total);
                m2 += runM2 + delta * delta * (count * inner / total);
                count = total;
            }
            st[0] = mean;
            st[1] = m2;
        } else {
            double sum = 0;
            for (int r = 0; r < l.n(); r++) sum += sumF64(x, first + r * stride, inner);
            double shift = sum / l.perChannel();
            double s1 = 0, s2 = 0;
            for (int r = 0; r < l.n(); r++) {
                centredSumsF64(x, first + r * stride, inner, shift, st);
                s1 += st[0];
                s2 += st[1];
            }
            st[0] = shift + s1 / l.perChannel();
            st[1] = Math.max(0, s2 - s1 * s1 / l.perChannel());
        }
    }

    // ---------------------------------------------------------------- backward

    private static void backward(Fused.BatchNormTrainingBackward op, Operand[] in, Operand[] out, DType dt) {
        String name = op.name();
        if (in.length != op.inputCount() || out.length != op.outputCount()) {
            throw new IllegalArgumentException("cpu: " + name + " expects " + op.inputCount() + " inputs and " + op.outputCount()
                    + " outputs, got " + in.length + " and " + out.length);
        }
        Layout l = layout(name, in[1]);
        long[] shape = in[1].shape(), cs = {l.c()};
        check(name, "grad_out", in[0], shape, dt);
        check(name, "x", in[1], shape, dt);
        check(name, "mean", in[2], cs, dt);
        check(name, "invstd", in[3], cs, dt);
        check(name, "grad_in", out[0], shape, dt);
        if (op.affine()) {
            check(name, "weight", in[4], cs, dt);
            check(name, "grad_weight", out[1], cs, dt);
            check(name, "grad_bias", out[2], cs, dt);
        }
        long cost = 4 * l.perChannel();
        int inner = l.inner(), stride = l.c() * inner;
        double count = l.perChannel();
        int go = off(in[0]), xo = off(in[1]), mo = off(in[2]), io = off(in[3]), oo = off(out[0]);
        int wo = op.affine() ? off(in[4]) : 0, gwo = op.affine() ? off(out[1]) : 0, gbo = op.affine() ? off(out[2]) : 0;
        if (dt == DType.FLOAT32) {
            float[] g = f32(in[0]), x = f32(in[1]), mean = f32(in[2]), inv = f32(in[3]), o = f32(out[0]);
            float[] w = op.affine() ? f32(in[4]) : null, gw = op.affine() ? f32(out[1]) : null, gb = op.affine() ? f32(out[2]) : null;
            Parallel.forRange(l.c(), cost, (from, to) -> {
                double[] st = new double[2];
                for (int c = (int) from; c < to; c++) {
                    float fm = mean[mo + c];
                    double is = inv[io + c], wc = w == null ? 1 : w[wo + c];
                    double sg = 0, sgc = 0;
                    for (int r = 0; r < l.n(); r++) {
                        int base = r * stride + c * inner;
                        gradSumsF32(g, go + base, x, xo + base, inner, fm, st);
                        sg += st[0];
                        sgc += st[1];
                    }
                    double sgx = sgc * is;
                    if (gw != null) {
                        gw[gwo + c] = (float) sgx;
                        gb[gbo + c] = (float) sg;
                    }
                    float k = (float) (is * wc), gm = (float) (sg / count), p = (float) (is * is * wc * (sgx / count));
                    for (int r = 0; r < l.n(); r++) {
                        int base = r * stride + c * inner;
                        gradInF32(g, go + base, x, xo + base, o, oo + base, inner, gm, k, fm, p);
                    }
                }
            });
        } else {
            double[] g = f64(in[0]), x = f64(in[1]), mean = f64(in[2]), inv = f64(in[3]), o = f64(out[0]);
            double[] w = op.affine() ? f64(in[4]) : null, gw = op.affine() ? f64(out[1]) : null, gb = op.affine() ? f64(out[2]) : null;
            Parallel.forRange(l.c(), cost, (from, to) -> {
                double[] st = new double[2];
                for (int c = (int) from; c < to; c++) {
                    double m = mean[mo + c], is = inv[io + c], wc = w == null ? 1 : w[wo + c];
                    double sg = 0, sgc = 0;
                    for (int r = 0; r < l.n(); r++) {
                        int base = r * stride + c * inner;
                        gradSumsF64(g, go + base, x, xo + base, inner, m, st);
                        sg += st[0];
                        sgc += st[1];
                    }
                    double sgx = sgc * is;
                    if (gw != null) {
                        gw[gwo + c] = sgx;
                        gb[gbo + c] = sg;
                    }
                    double k = is * wc, gm = sg / count, p = is * is * wc * (sgx / count);
                    for (int r = 0; r < l.n(); r++) {
                        int base = r * stride + c * inner;
                        gradInF64(g, go + base, x, xo + base, o, oo + base, inner, gm, k, m, p);
                    }
                }
            });
        }
    }

    // ---------------------------------------------------------------- float32 runs

    private static float[] f32(Operand o) { return ((CpuBuffer) o.buffer()).f32(); }

    private static double[] f64(Operand o) { return ((CpuBuffer) o.buffer()).f64(); }

    /** The sum of {@code x[o, o + n)}. */
    private static double sumF32(float[] x, int o, int n) {
        double sum = 0;
        for (int blk = 0; blk < n; blk += BLOCK) {
            int end = Math.min(n, blk + BLOCK), vb = blk + FS.loopBound(end - blk), j = blk;
            FloatVector acc = FloatVector.zero(FS);
            for (; j < vb; j += FS.length()) acc = acc.add(FloatVector.fromArray(FS, x, o + j));
            float part = VecMath.sum(acc);
            for (; j < end; j++) part += x[o + j];
            sum += part;
        }
        return sum;
    }

    /** {@code sum(x - s)} into {@code st[0]} and {@code sum((x - s)^2)} into {@code st[1]} over {@code x[o, o + n)}. */
    private static void centredSumsF32(float[] x, int o, int n, float s, double[] st) {
        double s1 = 0, s2 = 0;
        FloatVector vs = FloatVector.broadcast(FS, s);
        for (int blk = 0; blk < n; blk += BLOCK) {
            int end = Math.min(n, blk + BLOCK), vb = blk + FS.loopBound(end - blk), j = blk;
            FloatVector a1 = FloatVector.zero(FS), a2 = FloatVector.zero(FS);
            for (; j < vb; j += FS.length()) {
                FloatVector d = FloatVector.fromArray(FS, x, o + j).sub(vs);
                a1 = a1.add(d);
                a2 = a2.add(d.mul(d));
            }
            float p1 = VecMath.sum(a1), p2 = VecMath.sum(a2);
            for (; j < end; j++) {
                float d = x[o + j] - s;
                p1 += d;
                p2 += d * d;
            }
            s1 += p1;
            s2 += p2;
        }
        st[0] = s1;
        st[1] = s2;
    }

    /** {@code out = (x - m) * scale (+ shift)} over a run. */
    private static void normalizeF32(float[] x, int xo, float[] out, int oo, int n, float m, float scale, float shift, boolean addShift) {
        int bound = FS.loopBound(n), j = 0;
        FloatVector vm = FloatVector.broadcast(FS, m), vs = FloatVector.broadcast(FS, scale), vb = FloatVector.broadcast(FS, shift);
        if (addShift) {
            for (; j < bound; j += FS.length()) FloatVector.fromArray(FS, x, xo + j).sub(vm).mul(vs).add(vb).intoArray(out, oo + j);
            for (; j < n; j++) out[oo + j] = (x[xo + j] - m) * scale + shift;
        } else {
            for (; j < bound; j += FS.length()) FloatVector.fromArray(FS, x, xo + j).sub(vm).mul(vs).intoArray(out, oo + j);
            for (; j < n; j++) out[oo + j] = (x[xo + j] - m) * scale;
        }
    }

    /** {@code sum(g)} into {@code st[0]} and {@code sum(g * (x - m))} into {@code st[1]} over a run. */
    private static void gradSumsF32(float[] g, int go, float[] x, int xo, int n, float m, double[] st) {
        double s1 = 0, s2 = 0;
        FloatVector vm = FloatVector.broadcast(FS, m);
        for (int blk = 0; blk < n; blk += BLOCK) {
            int end = Math.min(n, blk + BLOCK), vb = blk + FS.loopBound(end - blk), j = blk;
            FloatVector a1 = FloatVector.zero(FS), a2 = FloatVector.zero(FS);
            for (; j < vb; j += FS.length()) {
                FloatVector gv = FloatVector.fromArray(FS, g, go + j);
                a1 = a1.add(gv);
                a2 = a2.add(gv.mul(FloatVector.fromArray(FS, x, xo + j).sub(vm)));
            }
            float p1 = VecMath.sum(a1), p2 = VecMath.sum(a2);
            for (; j < end; j++) {
                float gj = g[go + j];
                p1 += gj;
                p2 += gj * (x[xo + j] - m);
            }
            s1 += p1;
            s2 += p2;
        }
        st[0] = s1;
        st[1] = s2;
    }

    /** {@code out = (g - gm) * k - (x - m) * p} over a run. */
    private static void gradInF32(float[] g, int go, float[] x, int xo, float[] out, int oo, int n, float gm, float k, float m, float p) {
        int bound = FS.loopBound(n), j = 0;
        FloatVector vgm = FloatVector.broadcast(FS, gm), vk = FloatVector.broadcast(FS, k);
        FloatVector vm = FloatVector.broadcast(FS, m), vp = FloatVector.broadcast(FS, p);
        for (; j < bound; j += FS.length()) {
            FloatVector a = FloatVector.fromArray(FS, g, go + j).sub(vgm).mul(vk);
            a.sub(FloatVector.fromArray(FS, x, xo + j).sub(vm).mul(vp)).intoArray(out, oo + j);
        }
        for (; j < n; j++) out[oo + j] = (g[go + j] - gm) * k - (x[xo + j] - m) * p;
    }

    // ---------------------------------------------------------------- float64 runs

    private static double sumF64(double[] x, int o, int n) {
        int vb = DS.loopBound(n), j = 0;
        DoubleVector acc = DoubleVector.zero(DS);
        for (; j < vb; j += DS.length()) acc = acc.add(DoubleVector.fromArray(DS, x, o + j));
        double sum = VecMath.sum(acc);
        for (; j < n; j++) sum += x[o + j];
        return sum;
    }

    private static void centredSumsF64(double[] x, int o, int n, double s, double[] st) {
        int vb = DS.loopBound(n), j = 0;
        DoubleVector vs = DoubleVector.broadcast(DS, s), a1 = DoubleVector.zero(DS), a2 = DoubleVector.zero(DS);
        for (; j < vb; j += DS.length()) {
            DoubleVector d = DoubleVector.fromArray(DS, x, o + j).sub(vs);
            a1 = a1.add(d);
            a2 = a2.add(d.mul(d));
        }
        double s1 = VecMath.sum(a1), s2 = VecMath.sum(a2);
        for (; j < n; j++) {
            double d = x[o + j] - s;
            s1 += d;
            s2 += d * d;
        }
        st[0] = s1;
        st[1] = s2;
    }

    private static void normalizeF64(double[] x, int xo, double[] out, int oo, int n, double m, double scale, double shift, boolean addShift) {
        int bound = DS.loopBound(n), j = 0;
        DoubleVector vm = DoubleVector.broadcast(DS, m), vs = DoubleVector.broadcast(DS, scale), vb = DoubleVector.broadcast(DS, shift);
        if (addShift) {
            for (; j < bound; j += DS.length()) DoubleVector.fromArray(DS, x, xo + j).sub(vm).mul(vs).add(vb).intoArray(out, oo + j);
            for (; j < n; j++) out[oo + j] = (x[xo + j] - m) * scale + shift;
        } else {
            for (; j < bound; j += DS.length()) DoubleVector.fromArray(DS, x, xo + j).sub(vm).mul(vs).intoArray(out, oo + j);
            for (; j < n; j++) out[oo + j] = (x[xo + j] - m) * scale;
        }
    }

    private static void gradSumsF64(double[] g, int go, double[] x, int xo, int n, double m, double[] st) {
        int vb = DS.loopBound(n), j = 0;
        DoubleVector vm = DoubleVector.broadcast(DS, m), a1 = DoubleVector.zero(DS), a2 = DoubleVector.zero(DS);
        for (; j < vb; j += DS.length()) {
            DoubleVector gv = DoubleVector.fromArray(DS, g, go + j);
            a1 = a1.add(gv);
            a2 = a2.add(gv.mul(DoubleVector.fromArray(DS, x, xo + j).sub(vm)));
        }
        double s1 = VecMath.sum(a1), s2 = VecMath.sum(a2);
        for (; j < n; j++) {
            double gj = g[go + j];
            s1 += gj;
            s2 += gj * (x[xo + j] - m);
        }
        st[0] = s1;
        st[1] = s2;
    }

    private static void gradInF64(double[] g, int go, double[] x, int xo, double[] out, int oo, int n, double gm, double k, double m, double p) {
        int bound = DS.loopBound(n), j = 0;
        DoubleVector vgm = DoubleVector.broadcast(DS, gm), vk = DoubleVector.broadcast(DS, k);
        DoubleVector vm = DoubleVector.broadcast(DS, m), vp = DoubleVector.broadcast(DS, p);
        for (; j < bound; j += DS.length()) {
            DoubleVector a = DoubleVector.fromArray(DS, g, go + j).sub(vgm).mul(vk);
            a.sub(DoubleVector.fromArray(DS, x, xo + j).sub(vm).mul(vp)).intoArray(out, oo + j);
        }
        for (; j < n; j++) out[oo + j] = (g[go + j] - gm) * k - (x[xo + j] - m) * p;
    }
}
