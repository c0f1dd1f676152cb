package dev.balboa.device.cpu.internal;

import dev.balboa.spi.DType;
import dev.balboa.spi.Fused;
import dev.balboa.spi.Operand;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The CPU's fused training-mode batch norm ({@link Fused.BatchNormTraining}) and its gradient
 * ({@link Fused.BatchNormTrainingBackward}) over contiguous {@code [N, C, *]} float32 or float64
 * tensors, split across the pool by channel. A channel is {@code N} runs of {@code inner}
 * consecutive elements, {@code C * inner} apart.
 *
 * <p>Forward statistics: a channel small enough to stay in cache takes two passes (the sum,
 * then the sums of {@code x - shift} and its square around the mean rounded to the dtype, so no
 * large terms cancel), the second from cache. A larger channel of long runs gets each run's mean
 * and centred sum of squares the same way, over the cached run, merged into the channel's with
 * Chan's pairwise update: it is read from memory once for the statistics and once for the
 * output. Float32 sums are accumulated in float lanes, flushed into a double about every
 * {@value #BLOCK} elements; the per-channel scalars are computed in double and rounded once.
 * Float32 channels of short runs ({@code [N, C]}, small feature maps) are processed by column
 * instead, a block of channels at a time along each image's contiguous row (see
 * {@code forwardColumnsF32}), with the same passes and sums.
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
    /** Runs at least this long get their statistics per run (merged with Chan's update)... */
    private static final int RUN_STATS_MIN = 256;
    /** ...when their channel has more float32 elements than this, which would not stay in cache between two passes. */
    private static final long CACHED_CHANNEL = 32_768;
    /** Float32 runs shorter than this are processed by column: a block of channels at a time, row by row. */
    private static final int COLUMN_MAX_INNER = 32;
    /** Rows summed in float lanes before the column sums are flushed into double. */
    private static final int ROW_BLOCK = 256;

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
            if (l.inner() < COLUMN_MAX_INNER) {
                Parallel.forRange(l.c(), cost, (from, to) -> forwardColumnsF32(x, xo, o, oo, mean, mo, var, vo, inv, io,
                        w, wo, b, bo, op.eps(), l, (int) from, (int) to));
                return;
            }
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
        long count = l.perChannel();
        if (inner >= RUN_STATS_MIN && count > CACHED_CHANNEL) {
            double total = 0, mean = 0, m2 = 0;
            for (int r = 0; r < l.n(); r++) {
                int o = first + r * stride;
                float shift = (float) (sumF32(x, o, 0, 1, inner) / inner);
                centredSumsF32(x, o, 0, 1, inner, shift, st);
                double runMean = shift + st[0] / inner, runM2 = Math.max(0, st[1] - st[0] * st[0] / inner);
                // Chan et al.'s pairwise update of (count, mean, m2) with the run's
                double merged = total + inner, delta = runMean - mean;
                mean += delta * (inner / merged);
                m2 += runM2 + delta * delta * (total * inner / merged);
                total = merged;
            }
            st[0] = mean;
            st[1] = m2;
        } else {
            float shift = (float) (sumF32(x, first, stride, l.n(), inner) / count);
            centredSumsF32(x, first, stride, l.n(), inner, shift, st);
            double s1 = st[0], s2 = st[1];
            st[0] = shift + s1 / count;
            st[1] = Math.max(0, s2 - s1 * s1 / count);
        }
    }

    private static void statsF64(double[] x, int xo, Layout l, int c, double[] st) {
        int inner = l.inner(), stride = l.c() * inner, first = xo + c * inner;
        long count = l.perChannel();
        if (inner >= RUN_STATS_MIN && count > CACHED_CHANNEL / 2) {
            double total = 0, mean = 0, m2 = 0;
            for (int r = 0; r < l.n(); r++) {
                int o = first + r * stride;
                double shift = sumF64(x, o, 0, 1, inner) / inner;
                centredSumsF64(x, o, 0, 1, inner, shift, st);
                double runMean = shift + st[0] / inner, runM2 = Math.max(0, st[1] - st[0] * st[0] / inner);
                double merged = total + inner, delta = runMean - mean;
                mean += delta * (inner / merged);
                m2 += runM2 + delta * delta * (total * inner / merged);
                total = merged;
            }
            st[0] = mean;
            st[1] = m2;
        } else {
            double shift = sumF64(x, first, stride, l.n(), inner) / count;
            centredSumsF64(x, first, stride, l.n(), inner, shift, st);
            double s1 = st[0], s2 = st[1];
            st[0] = shift + s1 / count;
            st[1] = Math.max(0, s2 - s1 * s1 / count);
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
            if (inner < COLUMN_MAX_INNER) {
                Parallel.forRange(l.c(), cost, (from, to) -> backwardColumnsF32(g, go, x, xo, mean, mo, inv, io, w, wo, o, oo,
                        gw, gwo, gb, gbo, l, (int) from, (int) to));
                return;
            }
            Parallel.forRange(l.c(), cost, (from, to) -> {
                double[] st = new double[2];
                for (int c = (int) from; c < to; c++) {
                    float fm = mean[mo + c];
                    double is = inv[io + c], wc = w == null ? 1 : w[wo + c];
                    gradSumsF32(g, go + c * inner, x, xo + c * inner, stride, l.n(), inner, fm, st);
                    double sg = st[0], sgc = st[1];
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
                    gradSumsF64(g, go + c * inner, x, xo + c * inner, stride, l.n(), inner, m, st);
                    double sg = st[0], sgc = st[1];
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

    // ---------------------------------------------------------------- float32 short runs, by column

    /*
     * With short runs (BatchNorm1d's [N, C], small feature maps), channels c0..c1 of one image are
     * the contiguous "columns" [c0 * inner, c1 * inner) of its row of C * inner elements: sums go
     * down the columns in float lanes (flushed into double every ROW_BLOCK rows), then across
     * each channel's inner columns; the per-channel scalars are spread over the columns so that
     * the elementwise passes run along whole rows.
     */

    private static void forwardColumnsF32(float[] x, int xo, float[] o, int oo, float[] mean, int mo, float[] var, int vo,
                                          float[] inv, int io, float[] w, int wo, float[] b, int bo, double eps,
                                          Layout l, int c0, int c1) {
        int inner = l.inner(), rowLen = l.c() * inner, j0 = c0 * inner, cols = (c1 - c0) * inner;
        double count = l.perChannel();
        float[] f1 = new float[cols], f2 = new float[cols], shift = new float[cols], scale = new float[cols];
        double[] d1 = new double[cols], d2 = new double[cols];
        columnSumsF32(x, xo + j0, rowLen, l.n(), cols, f1, d1);
        for (int c = c0; c < c1; c++) {
            int k = (c - c0) * inner;
            double sum = 0;
            for (int i = 0; i < inner; i++) sum += d1[k + i];
            Arrays.fill(shift, k, k + inner, (float) (sum / count));
        }
        columnCentredSumsF32(x, xo + j0, rowLen, l.n(), cols, shift, f1, f2, d1, d2);
        for (int c = c0; c < c1; c++) {
            int k = (c - c0) * inner;
            double s1 = 0, s2 = 0;
            for (int i = 0; i < inner; i++) {
                s1 += d1[k + i];
                s2 += d2[k + i];
            }
            double m = shift[k] + s1 / count, v = Math.max(0, s2 - s1 * s1 / count) / count, is = 1 / Math.sqrt(v + eps);
            mean[mo + c] = (float) m;
            var[vo + c] = (float) v;
            inv[io + c] = (float) is;
            Arrays.fill(shift, k, k + inner, (float) m);
            Arrays.fill(scale, k, k + inner, w == null ? (float) is : (float) (is * w[wo + c]));
            if (b != null) Arrays.fill(f1, k, k + inner, b[bo + c]);
        }
        int bound = FS.loopBound(cols);
        for (int r = 0; r < l.n(); r++) {
            int xr = xo + r * rowLen + j0, or = oo + r * rowLen + j0, j = 0;
            if (b != null) {
                for (; j < bound; j += FS.length()) {
                    FloatVector.fromArray(FS, x, xr + j).sub(FloatVector.fromArray(FS, shift, j)).mul(FloatVector.fromArray(FS, scale, j))
                            .add(FloatVector.fromArray(FS, f1, j)).intoArray(o, or + j);
                }
                for (; j < cols; j++) o[or + j] = (x[xr + j] - shift[j]) * scale[j] + f1[j];
            } else {
                for (; j < bound; j += FS.length()) {
                    FloatVector.fromArray(FS, x, xr + j).sub(FloatVector.fromArray(FS, shift, j)).mul(FloatVector.fromArray(FS, scale, j))
                            .intoArray(o, or + j);
                }
                for (; j < cols; j++) o[or + j] = (x[xr + j] - shift[j]) * scale[j];
            }
        }
    }

    private static void backwardColumnsF32(float[] g, int go, float[] x, int xo, float[] mean, int mo, float[] inv, int io,
                                           float[] w, int wo, float[] o, int oo, float[] gw, int gwo, float[] gb, int gbo,
                                           Layout l, int c0, int c1) {
        int inner = l.inner(), rowLen = l.c() * inner, j0 = c0 * inner, cols = (c1 - c0) * inner;
        double count = l.perChannel();
        float[] f1 = new float[cols], f2 = new float[cols], m = new float[cols];
        double[] d1 = new double[cols], d2 = new double[cols];
        for (int c = c0; c < c1; c++) Arrays.fill(m, (c - c0) * inner, (c - c0 + 1) * inner, mean[mo + c]);
        columnGradSumsF32(g, go + j0, x, xo + j0, rowLen, l.n(), cols, m, f1, f2, d1, d2);
        // f1 and f2 are reused for the factors k of (g - gm) and p of (x - m), spread over the columns
        float[] gm = new float[cols];
        for (int c = c0; c < c1; c++) {
            int k = (c - c0) * inner;
            double sg = 0, sgc = 0;
            for (int i = 0; i < inner; i++) {
                sg += d1[k + i];
                sgc += d2[k + i];
            }
            double is = inv[io + c], wc = w == null ? 1 : w[wo + c], sgx = sgc * is;
            if (gw != null) {
                gw[gwo + c] = (float) sgx;
                gb[gbo + c] = (float) sg;
            }
            Arrays.fill(gm, k, k + inner, (float) (sg / count));
            Arrays.fill(f1, k, k + inner, (float) (is * wc));
            Arrays.fill(f2, k, k + inner, (float) (is * is * wc * (sgx / count)));
        }
        int bound = FS.loopBound(cols);
        for (int r = 0; r < l.n(); r++) {
            int base = r * rowLen + j0, gr = go + base, xr = xo + base, or = oo + base, j = 0;
            for (; j < bound; j += FS.length()) {
                FloatVector a = FloatVector.fromArray(FS, g, gr + j).sub(FloatVector.fromArray(FS, gm, j)).mul(FloatVector.fromArray(FS, f1, j));
                FloatVector d = FloatVector.fromArray(FS, x, xr + j).sub(FloatVector.fromArray(FS, m, j)).mul(FloatVector.fromArray(FS, f2, j));
                a.sub(d).intoArray(o, or + j);
            }
            for (; j < cols; j++) o[or + j] = (g[gr + j] - gm[j]) * f1[j] - (x[xr + j] - m[j]) * f2[j];
        }
    }

    /** {@code d[j] = sum over rows of x[first + r * rowLen + j]}, {@code f} scratch. */
    private static void columnSumsF32(float[] x, int first, int rowLen, int n, int cols, float[] f, double[] d) {
        int bound = FS.loopBound(cols);
        for (int r0 = 0; r0 < n; r0 += ROW_BLOCK) {
            Arrays.fill(f, 0f);
            for (int r = r0, rend = Math.min(n, r0 + ROW_BLOCK); r < rend; r++) {
                int xr = first + r * rowLen, j = 0;
                for (; j < bound; j += FS.length()) FloatVector.fromArray(FS, f, j).add(FloatVector.fromArray(FS, x, xr + j)).intoArray(f, j);
                for (; j < cols; j++) f[j] += x[xr + j];
            }
            for (int j = 0; j < cols; j++) d[j] += f[j];
        }
    }

    /** Column sums of {@code x - s} into {@code d1} and of its square into {@code d2} (both overwritten). */
    private static void columnCentredSumsF32(float[] x, int first, int rowLen, int n, int cols, float[] s,
                                             float[] f1, float[] f2, double[] d1, double[] d2) {
        Arrays.fill(d1, 0);
        Arrays.fill(d2, 0);
        int bound = FS.loopBound(cols);
        for (int r0 = 0; r0 < n; r0 += ROW_BLOCK) {
            Arrays.fill(f1, 0f);
            Arrays.fill(f2, 0f);
            for (int r = r0, rend = Math.min(n, r0 + ROW_BLOCK); r < rend; r++) {
                int xr = first + r * rowLen, j = 0;
                for (; j < bound; j += FS.length()) {
                    FloatVector dv = FloatVector.fromArray(FS, x, xr + j).sub(FloatVector.fromArray(FS, s, j));
                    FloatVector.fromArray(FS, f1, j).add(dv).intoArray(f1, j);
                    FloatVector.fromArray(FS, f2, j).add(dv.mul(dv)).intoArray(f2, j);
                }
                for (; j < cols; j++) {
                    float dv = x[xr + j] - s[j];
                    f1[j] += dv;
                    f2[j] += dv * dv;
                }
            }
            for (int j = 0; j < cols; j++) {
                d1[j] += f1[j];
                d2[j] += f2[j];
            }
        }
    }

    /** Column sums of {@code g} into {@code d1} and of {@code g * (x - m)} into {@code d2}. */
    private static void columnGradSumsF32(float[] g, int gfirst, float[] x, int xfirst, int rowLen, int n, int cols, float[] m,
                                          float[] f1, float[] f2, double[] d1, double[] d2) {
        int bound = FS.loopBound(cols);
        for (int r0 = 0; r0 < n; r0 += ROW_BLOCK) {
            Arrays.fill(f1, 0f);
            Arrays.fill(f2, 0f);
            for (int r = r0, rend = Math.min(n, r0 + ROW_BLOCK); r < rend; r++) {
                int gr = gfirst + r * rowLen, xr = xfirst + r * rowLen, j = 0;
                for (; j < bound; j += FS.length()) {
                    FloatVector gv = FloatVector.fromArray(FS, g, gr + j);
                    FloatVector.fromArray(FS, f1, j).add(gv).intoArray(f1, j);
                    FloatVector dv = FloatVector.fromArray(FS, x, xr + j).sub(FloatVector.fromArray(FS, m, j));
                    FloatVector.fromArray(FS, f2, j).add(gv.mul(dv)).intoArray(f2, j);
                }
                for (; j < cols; j++) {
                    float gj = g[gr + j];
                    f1[j] += gj;
                    f2[j] += gj * (x[xr + j] - m[j]);
                }
            }
            for (int j = 0; j < cols; j++) {
                d1[j] += f1[j];
                d2[j] += f2[j];
            }
        }
    }

    // ---------------------------------------------------------------- float32 runs

    private static float[] f32(Operand o) { return ((CpuBuffer) o.buffer()).f32(); }

    private static double[] f64(Operand o) { return ((CpuBuffer) o.buffer()).f64(); }

    /**
     * The sum of {@code n} runs of {@code inner} elements, {@code stride} apart from {@code first}:
     * float lanes, flushed into a double every {@value #BLOCK} elements or so, so short runs
     * share the lanes' reduction.
     */
    private static double sumF32(float[] x, int first, int stride, int n, int inner) {
        double sum = 0;
        FloatVector acc = FloatVector.zero(FS);
        float tail = 0;
        int pending = 0;
        for (int r = 0; r < n; r++) {
            int o = first + r * stride;
            for (int blk = 0; blk < inner; blk += BLOCK) {
                int end = Math.min(inner, blk + BLOCK), vb = blk + FS.loopBound(end - blk), j = blk;
                for (; j < vb; j += FS.length()) acc = acc.add(FloatVector.fromArray(FS, x, o + j));
                for (; j < end; j++) tail += x[o + j];
                pending += end - blk;
                if (pending >= BLOCK) {
                    sum += VecMath.sum(acc) + tail;
                    acc = FloatVector.zero(FS);
                    tail = 0;
                    pending = 0;
                }
            }
        }
        return sum + (VecMath.sum(acc) + tail);
    }

    /**
     * {@code sum(x - s)} into {@code st[0]} and {@code sum((x - s)^2)} into {@code st[1]} over
     * runs laid out as in {@link #sumF32}.
     */
    private static void centredSumsF32(float[] x, int first, int stride, int n, int inner, float s, double[] st) {
        double s1 = 0, s2 = 0;
        FloatVector vs = FloatVector.broadcast(FS, s), a1 = FloatVector.zero(FS), a2 = FloatVector.zero(FS);
        float t1 = 0, t2 = 0;
        int pending = 0;
        for (int r = 0; r < n; r++) {
            int o = first + r * stride;
            for (int blk = 0; blk < inner; blk += BLOCK) {
                int end = Math.min(inner, blk + BLOCK), vb = blk + FS.loopBound(end - blk), j = blk;
                for (; j < vb; j += FS.length()) {
                    FloatVector d = FloatVector.fromArray(FS, x, o + j).sub(vs);
                    a1 = a1.add(d);
                    a2 = a2.add(d.mul(d));
                }
                for (; j < end; j++) {
                    float d = x[o + j] - s;
                    t1 += d;
                    t2 += d * d;
                }
                pending += end - blk;
                if (pending >= BLOCK) {
                    s1 += VecMath.sum(a1) + t1;
                    s2 += VecMath.sum(a2) + t2;
                    a1 = FloatVector.zero(FS);
                    a2 = FloatVector.zero(FS);
                    t1 = 0;
                    t2 = 0;
                    pending = 0;
                }
            }
        }
        st[0] = s1 + (VecMath.sum(a1) + t1);
        st[1] = s2 + (VecMath.sum(a2) + t2);
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

    /**
     * {@code sum(g)} into {@code st[0]} and {@code sum(g * (x - m))} into {@code st[1]} over
     * runs laid out as in {@link #sumF32} (the same layout for both).
     */
    private static void gradSumsF32(float[] g, int gfirst, float[] x, int xfirst, int stride, int n, int inner, float m, double[] st) {
        double s1 = 0, s2 = 0;
        FloatVector vm = FloatVector.broadcast(FS, m), a1 = FloatVector.zero(FS), a2 = FloatVector.zero(FS);
        float t1 = 0, t2 = 0;
        int pending = 0;
        for (int r = 0; r < n; r++) {
            int go = gfirst + r * stride, xo = xfirst + r * stride;
            for (int blk = 0; blk < inner; blk += BLOCK) {
                int end = Math.min(inner, blk + BLOCK), vb = blk + FS.loopBound(end - blk), j = blk;
                for (; j < vb; j += FS.length()) {
                    FloatVector gv = FloatVector.fromArray(FS, g, go + j);
                    a1 = a1.add(gv);
                    a2 = a2.add(gv.mul(FloatVector.fromArray(FS, x, xo + j).sub(vm)));
                }
                for (; j < end; j++) {
                    float gj = g[go + j];
                    t1 += gj;
                    t2 += gj * (x[xo + j] - m);
                }
                pending += end - blk;
                if (pending >= BLOCK) {
                    s1 += VecMath.sum(a1) + t1;
                    s2 += VecMath.sum(a2) + t2;
                    a1 = FloatVector.zero(FS);
                    a2 = FloatVector.zero(FS);
                    t1 = 0;
                    t2 = 0;
                    pending = 0;
                }
            }
        }
        st[0] = s1 + (VecMath.sum(a1) + t1);
        st[1] = s2 + (VecMath.sum(a2) + t2);
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

    private static double sumF64(double[] x, int first, int stride, int n, int inner) {
        DoubleVector acc = DoubleVector.zero(DS);
        double tail = 0;
        int vb = DS.loopBound(inner);
        for (int r = 0; r < n; r++) {
            int o = first + r * stride, j = 0;
            for (; j < vb; j += DS.length()) acc = acc.add(DoubleVector.fromArray(DS, x, o + j));
            for (; j < inner; j++) tail += x[o + j];
        }
        return VecMath.sum(acc) + tail;
    }

    private static void centredSumsF64(double[] x, int first, int stride, int n, int inner, double s, double[] st) {
        DoubleVector vs = DoubleVector.broadcast(DS, s), a1 = DoubleVector.zero(DS), a2 = DoubleVector.zero(DS);
        double t1 = 0, t2 = 0;
        int vb = DS.loopBound(inner);
        for (int r = 0; r < n; r++) {
            int o = first + r * stride, j = 0;
            for (; j < vb; j += DS.length()) {
                DoubleVector d = DoubleVector.fromArray(DS, x, o + j).sub(vs);
                a1 = a1.add(d);
                a2 = a2.add(d.mul(d));
            }
            for (; j < inner; j++) {
                double d = x[o + j] - s;
                t1 += d;
                t2 += d * d;
            }
        }
        st[0] = VecMath.sum(a1) + t1;
        st[1] = VecMath.sum(a2) + t2;
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

    private static void gradSumsF64(double[] g, int gfirst, double[] x, int xfirst, int stride, int n, int inner, double m, double[] st) {
        DoubleVector vm = DoubleVector.broadcast(DS, m), a1 = DoubleVector.zero(DS), a2 = DoubleVector.zero(DS);
        double t1 = 0, t2 = 0;
        int vb = DS.loopBound(inner);
        for (int r = 0; r < n; r++) {
            int go = gfirst + r * stride, xo = xfirst + r * stride, j = 0;
            for (; j < vb; j += DS.length()) {
                DoubleVector gv = DoubleVector.fromArray(DS, g, go + j);
                a1 = a1.add(gv);
                a2 = a2.add(gv.mul(DoubleVector.fromArray(DS, x, xo + j).sub(vm)));
            }
            for (; j < inner; j++) {
                double gj = g[go + j];
                t1 += gj;
                t2 += gj * (x[xo + j] - m);
            }
        }
        st[0] = VecMath.sum(a1) + t1;
        st[1] = VecMath.sum(a2) + t2;
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
