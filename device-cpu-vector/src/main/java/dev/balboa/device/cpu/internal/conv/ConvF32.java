package dev.balboa.device.cpu.internal.conv;

import dev.balboa.device.cpu.internal.Parallel;
import dev.balboa.device.cpu.internal.gemm.Sgemm;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 convolution on dense NCHW arrays: im2col (or nothing, for pointwise convolutions)
 * into per-group {@link Sgemm} products for the forward pass and both gradients, col2im for the
 * input gradient, and direct vectorised loops for depthwise convolution.
 */
final class ConvF32 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** im2col rows (C_in/groups * KH * KW) up to which the weight gradient runs {@link ThinGemmF32#productTransB}. */
    static final int THIN = 32;

    private ConvF32() {}

    // ---------------------------------------------------------------- forward

    /** {@code y = conv(x, w)}; x, w and y are dense row-major arrays starting at the given offsets. */
    static void forward(Geometry g, float[] x, int xo, float[] w, int wo, float[] y, int yo) {
        if (g.depthwise()) {
            depthwise(g, x, xo, w, wo, y, yo, Mode.FORWARD);
            return;
        }
        int cg = g.cg(), og = g.og(), rows = g.colRows(), plane = g.outPlane(), inPlane = g.inPlane();
        boolean pointwise = g.pointwise();
        long perImage = (long) og * g.groups() * plane * rows;
        boolean parallelImages = g.n() >= Parallel.threads() && Parallel.threads() > 1;
        Parallel.RangeBody body = (from, to) -> {
            float[] col = pointwise ? null : new float[rows * plane + L];
            for (int n = (int) from; n < to; n++) {
                for (int grp = 0; grp < g.groups(); grp++) {
                    int xBase = xo + (n * g.c() + grp * cg) * inPlane;
                    int yBase = yo + (n * g.o() + grp * og) * plane;
                    int wBase = wo + grp * og * rows;
                    if (pointwise) {
                        gemm(parallelImages, og, plane, rows, w, wBase, rows, 1, x, xBase, plane, 1, y, yBase, plane, 1, false);
                    } else {
                        im2col(g, x, xBase, col);
                        gemm(parallelImages, og, plane, rows, w, wBase, rows, 1, col, 0, plane, 1, y, yBase, plane, 1, false);
                    }
                }
            }
        };
        if (parallelImages) Parallel.forRange(g.n(), perImage, body);
        else body.run(0, g.n());
    }

    // ---------------------------------------------------------------- backward input

    /** {@code gx = conv_transpose(gy, w)}; gx is overwritten. */
    static void backwardInput(Geometry g, float[] gy, int gyo, float[] w, int wo, float[] gx, int gxo) {
        if (g.depthwise()) {
            depthwise(g, gx, gxo, w, wo, gy, gyo, Mode.BACKWARD_INPUT);
            return;
        }
        int cg = g.cg(), og = g.og(), rows = g.colRows(), plane = g.outPlane(), inPlane = g.inPlane();
        boolean pointwise = g.pointwise();
        long perImage = (long) og * g.groups() * plane * rows;
        boolean parallelImages = g.n() >= Parallel.threads() && Parallel.threads() > 1;
        Parallel.RangeBody body = (from, to) -> {
            float[] col = pointwise ? null : new float[rows * plane + L];
            for (int n = (int) from; n < to; n++) {
                for (int grp = 0; grp < g.groups(); grp++) {
                    int gxBase = gxo + (n * g.c() + grp * cg) * inPlane;
                    int gyBase = gyo + (n * g.o() + grp * og) * plane;
                    int wBase = wo + grp * og * rows;
                    // W_g^T (rows x og) @ gy_g (og x plane)
                    if (pointwise) {
                        gemm(parallelImages, rows, plane, og, w, wBase, 1, rows, gy, gyBase, plane, 1, gx, gxBase, plane, 1, false);
                    } else {
                        gemm(parallelImages, rows, plane, og, w, wBase, 1, rows, gy, gyBase, plane, 1, col, 0, plane, 1, false);
                        Arrays.fill(gx, gxBase, gxBase + cg * inPlane, 0f);
                        col2im(g, col, gx, gxBase);
                    }
                }
            }
        };
        if (parallelImages) Parallel.forRange(g.n(), perImage, body);
        else body.run(0, g.n());
    }

    // ---------------------------------------------------------------- backward weight

    /** {@code gw = sum over images of gy @ im2col(x)^T}; gw is overwritten. */
    static void backwardWeight(Geometry g, float[] x, int xo, float[] gy, int gyo, float[] gw, int gwo) {
        if (g.depthwise()) {
            depthwise(g, x, xo, gw, gwo, gy, gyo, Mode.BACKWARD_WEIGHT);
            return;
        }
        int size = g.o() * g.colRows();
        int threads = Parallel.threads();
        long perImage = (long) g.og() * g.groups() * g.outPlane() * g.colRows();
        if (g.n() >= 2 && threads > 1 && perImage * g.n() >= Parallel.GRAIN) {
            // One partial gradient per chunk of images, summed at the end.
            int chunks = Math.min(threads, g.n());
            float[][] partial = new float[chunks][];
            Parallel.forChunks(g.n(), chunks, (from, to) -> {
                int id = 0;
                while ((long) g.n() * id / chunks != from) id++;
                float[] acc = new float[size];
                weightImages(g, x, xo, gy, gyo, acc, 0, (int) from, (int) to, false);
                partial[id] = acc;
            });
            for (int i = 0; i < size; i++) {
                float s = 0f;
                for (float[] p : partial) s += p[i];
                gw[gwo + i] = s;
            }
        } else {
            Arrays.fill(gw, gwo, gwo + size, 0f);
            weightImages(g, x, xo, gy, gyo, gw, gwo, 0, g.n(), true);
        }
    }

    /** Adds the weight gradient of images {@code [from, to)} into gw (which starts zeroed). */
    private static void weightImages(Geometry g, float[] x, int xo, float[] gy, int gyo, float[] gw, int gwo,
                                     int from, int to, boolean parallelGemm) {
        int cg = g.cg(), og = g.og(), rows = g.colRows(), plane = g.outPlane(), inPlane = g.inPlane();
        boolean pointwise = g.pointwise(), thin = rows <= THIN;
        float[] col = pointwise ? null : new float[rows * plane + L];
        for (int n = from; n < to; n++) {
            for (int grp = 0; grp < g.groups(); grp++) {
                int xBase = xo + (n * g.c() + grp * cg) * inPlane;
                int gyBase = gyo + (n * g.o() + grp * og) * plane;
                int gwBase = gwo + grp * og * rows;
                // gy_g (og x plane) @ col^T (plane x rows)
                if (pointwise) {
                    gemm(!parallelGemm, og, rows, plane, gy, gyBase, plane, 1, x, xBase, 1, plane, gw, gwBase, rows, 1, true);
                } else if (thin) {
                    im2col(g, x, xBase, col);
                    ThinGemmF32.productTransB(og, rows, plane, gy, gyBase, plane, col, 0, plane, gw, gwBase, rows);
                } else {
                    im2col(g, x, xBase, col);
                    gemm(!parallelGemm, og, rows, plane, gy, gyBase, plane, 1, col, 0, 1, plane, gw, gwBase, rows, 1, true);
                }
            }
        }
    }

    private static void gemm(boolean serial, int m, int n, int k, float[] a, int ao, int ars, int acs,
                             float[] b, int bo, int brs, int bcs, float[] c, int co, int crs, int ccs, boolean acc) {
        if (serial) Sgemm.gemmSerial(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, crs, ccs, acc);
        else Sgemm.gemm(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, crs, ccs, acc);
    }

    // ---------------------------------------------------------------- im2col / col2im

    /**
     * Unfolds the {@code cg} input planes at {@code xBase} into {@code col}: row
     * {@code (c*kh + ky)*kw + kx}, column {@code oy*ow + ox} holds the input pixel that kernel
     * position (ky, kx) of channel c meets at output pixel (oy, ox), or 0 in the padding.
     */
    static void im2col(Geometry g, float[] x, int xBase, float[] col) {
        int ow = g.ow(), oh = g.oh(), h = g.h(), w = g.w(), plane = g.outPlane();
        int row = 0;
        for (int c = 0; c < g.cg(); c++) {
            int chan = xBase + c * g.inPlane();
            for (int ky = 0; ky < g.kh(); ky++) {
                for (int kx = 0; kx < g.kw(); kx++, row++) {
                    int dst = row * plane;
                    int lo = g.owLo(kx), hi = g.owHi(kx);
                    int colOff = kx * g.dw() - g.pw();
                    if (g.sw() == 1 && ow <= 2 * L && col.length >= row * plane + plane + L) {
                        im2colRow(g, x, chan, col, dst, ky, lo, hi, colOff);
                        continue;
                    }
                    for (int oy = 0; oy < oh; oy++, dst += ow) {
                        int iy = oy * g.sh() - g.ph() + ky * g.dh();
                        if (iy < 0 || iy >= h) {
                            Arrays.fill(col, dst, dst + ow, 0f);
                            continue;
                        }
                        int src = chan + iy * w + colOff;
                        if (lo > 0) Arrays.fill(col, dst, dst + lo, 0f);
                        if (g.sw() == 1) {
                            System.arraycopy(x, src + lo, col, dst + lo, hi - lo);
                        } else {
                            int sw = g.sw();
                            for (int ox = lo; ox < hi; ox++) col[dst + ox] = x[src + ox * sw];
                        }
                        if (hi < ow) Arrays.fill(col, dst + hi, dst + ow, 0f);
                    }
                }
            }
        }
    }

    /**
     * One im2col row (kernel position ky, kx of one channel) for stride 1 and {@code ow <= 2L}:
     * each output row is one or two whole vectors with zeros outside {@code [lo, hi)}; a store may
     * run past the row into the next one (or the buffer's slack), which is written later.
     */
    private static void im2colRow(Geometry g, float[] x, int chan, float[] col, int dst, int ky, int lo, int hi, int colOff) {
        int ow = g.ow(), h = g.h(), w = g.w();
        VectorMask<Float> m0 = S.indexInRange(-lo, hi - lo);
        VectorMask<Float> m1 = S.indexInRange(L - lo, hi - lo);
        FloatVector zero = FloatVector.zero(S);
        boolean two = ow > L;
        for (int oy = 0; oy < g.oh(); oy++, dst += ow) {
            int iy = oy * g.sh() - g.ph() + ky * g.dh();
            if (iy < 0 || iy >= h) {
                Arrays.fill(col, dst, dst + ow, 0f);
                continue;
            }
            int src = chan + iy * w + colOff;
            if (src < 0 || src + (two ? 2 * L : L) > x.length) {
                // Near either end of the array a masked load would take the slow checked path.
                Arrays.fill(col, dst, dst + ow, 0f);
                System.arraycopy(x, src + lo, col, dst + lo, hi - lo);
                continue;
            }
            // Unmasked loads (in range, checked above) with the padding lanes zeroed by a blend:
            // cheaper than masked loads here.
            zero.blend(FloatVector.fromArray(S, x, src), m0).intoArray(col, dst);
            if (two) zero.blend(FloatVector.fromArray(S, x, src + L), m1).intoArray(col, dst + L);
        }
    }

    /** The adjoint of {@link #im2colRow}: adds one column row back into its input rows. */
    private static void col2imRow(Geometry g, float[] col, int src, float[] x, int chan, int ky, int lo, int hi, int colOff) {
        int ow = g.ow(), h = g.h(), w = g.w();
        VectorMask<Float> m0 = S.indexInRange(-lo, hi - lo);
        VectorMask<Float> m1 = S.indexInRange(L - lo, hi - lo);
        boolean two = ow > L;
        for (int oy = 0; oy < g.oh(); oy++, src += ow) {
            int iy = oy * g.sh() - g.ph() + ky * g.dh();
            if (iy < 0 || iy >= h) continue;
            int dst = chan + iy * w + colOff;
            if (dst < 0 || dst + (two ? 2 * L : L) > x.length) {
                // Near either end of the array a masked access would take the slow checked path.
                for (int ox = lo; ox < hi; ox++) x[dst + ox] += col[src + ox];
                continue;
            }
            FloatVector.fromArray(S, x, dst, m0).add(FloatVector.fromArray(S, col, src, m0)).intoArray(x, dst, m0);
            if (two) {
                FloatVector.fromArray(S, x, dst + L, m1).add(FloatVector.fromArray(S, col, src + L, m1)).intoArray(x, dst + L, m1);
            }
        }
    }

    /** The adjoint of {@link #im2col}: adds every column entry back into its input pixel. */
    static void col2im(Geometry g, float[] col, float[] x, int xBase) {
        int ow = g.ow(), oh = g.oh(), h = g.h(), w = g.w(), plane = g.outPlane();
        int row = 0;
        for (int c = 0; c < g.cg(); c++) {
            int chan = xBase + c * g.inPlane();
            for (int ky = 0; ky < g.kh(); ky++) {
                for (int kx = 0; kx < g.kw(); kx++, row++) {
                    int srcRow = row * plane;
                    int lo = g.owLo(kx), hi = g.owHi(kx);
                    int colOff = kx * g.dw() - g.pw();
                    if (g.sw() == 1 && ow <= 2 * L) {
                        col2imRow(g, col, srcRow, x, chan, ky, lo, hi, colOff);
                        continue;
                    }
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * g.sh() - g.ph() + ky * g.dh();
                        if (iy < 0 || iy >= h) continue;
                        int dst = chan + iy * w + colOff, src = srcRow + oy * ow;
                        if (g.sw() == 1) {
                            for (int j = lo; j < hi; j += L) {
                                VectorMask<Float> m = S.indexInRange(j, hi);
                                FloatVector.fromArray(S, x, dst + j, m).add(FloatVector.fromArray(S, col, src + j, m))
                                        .intoArray(x, dst + j, m);
                            }
                        } else {
                            int sw = g.sw();
                            for (int ox = lo; ox < hi; ox++) x[dst + ox * sw] += col[src + ox];
                        }
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- depthwise

    /** Which depthwise loop to run. */
    enum Mode { FORWARD, BACKWARD_INPUT, BACKWARD_WEIGHT }

    /**
     * Direct depthwise convolution (one filter per channel), parallel over channel planes.
     * FORWARD: {@code out = conv(in, w)}; BACKWARD_INPUT: {@code in = conv_transpose(out, w)};
     * BACKWARD_WEIGHT: {@code w = sum over images of correlation(out, in)}. "in" is the
     * {@code [n, c, h, w]} array, "out" the {@code [n, c, oh, ow]} one.
     */
    static void depthwise(Geometry g, float[] in, int ino, float[] wt, int wo, float[] out, int outo, Mode mode) {
        int c = g.c(), kk = g.kh() * g.kw(), plane = g.outPlane(), inPlane = g.inPlane();
        long cost = (long) plane * kk * (mode == Mode.BACKWARD_WEIGHT ? g.n() : 1);
        if (mode == Mode.BACKWARD_WEIGHT) {
            Parallel.forRange(c, cost, (from, to) -> {
                for (int ch = (int) from; ch < to; ch++) {
                    int wb = wo + ch * kk;
                    Arrays.fill(wt, wb, wb + kk, 0f);
                    for (int n = 0; n < g.n(); n++) {
                        int p = n * c + ch;
                        depthwisePlane(g, in, ino + p * inPlane, wt, wb, out, outo + p * plane, mode);
                    }
                }
            });
            return;
        }
        Parallel.forRange((long) g.n() * c, cost, (from, to) -> {
            for (int p = (int) from; p < to; p++) {
                int ch = p % c;
                int ib = ino + p * inPlane, ob = outo + p * plane;
                if (mode == Mode.FORWARD) Arrays.fill(out, ob, ob + plane, 0f);
                else Arrays.fill(in, ib, ib + inPlane, 0f);
                depthwisePlane(g, in, ib, wt, wo + ch * kk, out, ob, mode);
            }
        });
    }

    private static void depthwisePlane(Geometry g, float[] in, int ib, float[] wt, int wb, float[] out, int ob, Mode mode) {
        int ow = g.ow(), sw = g.sw();
        for (int oy = 0; oy < g.oh(); oy++) {
            for (int ky = 0; ky < g.kh(); ky++) {
                int iy = oy * g.sh() - g.ph() + ky * g.dh();
                if (iy < 0 || iy >= g.h()) continue;
                for (int kx = 0; kx < g.kw(); kx++) {
                    int lo = g.owLo(kx), hi = g.owHi(kx);
                    if (lo >= hi) continue;
                    int widx = wb + ky * g.kw() + kx;
                    int irow = ib + iy * g.w() + kx * g.dw() - g.pw(), orow = ob + oy * ow;
                    switch (mode) {
                        case FORWARD -> {
                            if (sw == 1) axpy(wt[widx], in, irow + lo, out, orow + lo, hi - lo);
                            else for (int ox = lo; ox < hi; ox++) out[orow + ox] += wt[widx] * in[irow + ox * sw];
                        }
                        case BACKWARD_INPUT -> {
                            if (sw == 1) axpy(wt[widx], out, orow + lo, in, irow + lo, hi - lo);
                            else for (int ox = lo; ox < hi; ox++) in[irow + ox * sw] += wt[widx] * out[orow + ox];
                        }
                        case BACKWARD_WEIGHT -> {
                            float s;
                            if (sw == 1) {
                                s = dot(out, orow + lo, in, irow + lo, hi - lo);
                            } else {
                                s = 0f;
                                for (int ox = lo; ox < hi; ox++) s += out[orow + ox] * in[irow + ox * sw];
                            }
                            wt[widx] += s;
                        }
                    }
                }
            }
        }
    }

    /** {@code y[yo..yo+len) += alpha * x[xo..xo+len)}. */
    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int len) {
        int i = 0;
        if (len >= L) {
            FloatVector va = FloatVector.broadcast(S, alpha);
            for (int end = len - L; i <= end; i += L) {
                va.fma(FloatVector.fromArray(S, x, xo + i), FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
            }
        }
        for (; i < len; i++) y[yo + i] += alpha * x[xo + i];
    }

    /** The dot product of two contiguous runs. */
    static float dot(float[] a, int ao, float[] b, int bo, int len) {
        int i = 0;
        float s = 0f;
        if (len >= L) {
            FloatVector acc = FloatVector.zero(S);
            for (int end = len - L; i <= end; i += L) {
                acc = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc);
            }
            s = dev.balboa.device.cpu.internal.VecMath.sum(acc);
        }
        for (; i < len; i++) s += a[ao + i] * b[bo + i];
        return s;
    }
}
