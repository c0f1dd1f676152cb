package dev.balboa.device.cpu.internal.conv;

import dev.balboa.device.cpu.internal.Parallel;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct float32 depthwise convolution ({@code groups == C_in}, {@code C_out = multiplier * C_in})
 * for any stride, padding and dilation: the forward pass and both gradients.
 *
 * <p>Each input plane is copied once into a zero-padded scratch plane split into
 * {@code sh * sw} stride phases (phase {@code (a, b)} holds padded pixels {@code (r*sh + a, q*sw + b)}).
 * Every kernel tap {@code (ky, kx)} then reads one phase at a fixed offset, so an output plane
 * laid out with the phase row width {@code wq} (a few junk columns per row) is a sum of
 * {@code kh*kw} shifted, contiguous, unit-stride runs: the vector loops have no borders, no masks
 * and no per-element bounds logic, whatever the stride, padding or plane size, and small planes
 * (4x4, 8x8) still fill whole vectors. The junk columns are dropped when the plane is stored.
 * The input gradient is the adjoint: the output gradient, placed in the same {@code wq}-wide
 * layout with zero junk columns, is correlated back into each phase and the phases are scattered
 * back into the input plane. The weight gradient is a dot product of that layout with each tap's
 * phase run, accumulated in vector registers (3x3 kernels keep all nine in registers).
 *
 * <p>Work is split over (image, channel) planes; the weight gradient gives each thread its own
 * partial sums, added in a fixed order at the end.
 */
final class DepthwiseF32 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private DepthwiseF32() {}

    /** True when the geometry is a depthwise convolution this class runs: groups == C_in, C_out a multiple of it. */
    static boolean accepts(Geometry g) {
        return g.groups() == g.c() && g.c() > 0 && g.o() % g.c() == 0 && g.o() > 0;
    }

    /** The scratch layout shared by the three passes of one geometry. */
    private static final class Plan {
        final int h, w, oh, ow, sh, sw, ph, pw, kk, mult;
        /** Rows and row width of one phase plane; distance between phase planes (a multiple of L). */
        final int hq, wq, phaseStride;
        /** Flat length of one output plane in the wq-wide layout, rounded up to whole vectors. */
        final int outFlat;
        /** Scratch sizes: the phase planes, and the wq-wide output-gradient layout with its leading margin. */
        final int pSize, margin, gySize;
        /** Per tap: the phase plane it reads and its offset inside that plane. */
        final int[] phase, rel;

        Plan(Geometry g) {
            h = g.h(); w = g.w(); oh = g.oh(); ow = g.ow();
            sh = g.sh(); sw = g.sw(); ph = g.ph(); pw = g.pw();
            kk = g.kh() * g.kw();
            mult = g.o() / g.c();
            int hp = Math.max(h + ph, (oh - 1) * sh + (g.kh() - 1) * g.dh() + 1);
            int wp = Math.max(w + pw, (ow - 1) * sw + (g.kw() - 1) * g.dw() + 1);
            hq = Math.ceilDiv(hp, sh);
            wq = Math.ceilDiv(wp, sw);
            phaseStride = roundUp(hq * wq);
            outFlat = roundUp(oh * wq);
            phase = new int[kk];
            rel = new int[kk];
            int maxRel = 0;
            for (int ky = 0; ky < g.kh(); ky++) {
                for (int kx = 0; kx < g.kw(); kx++) {
                    int k = ky * g.kw() + kx, ry = ky * g.dh(), rx = kx * g.dw();
                    phase[k] = (ry % sh) * sw + rx % sw;
                    rel[k] = (ry / sh) * wq + rx / sw;
                    maxRel = Math.max(maxRel, rel[k]);
                }
            }
            // A forward read ends before phase base + hq*wq + wq + L (see the class comment).
            pSize = sh * sw * phaseStride + wq + L;
            margin = maxRel;
            gySize = margin + phaseStride + L;
        }

        /** Offsets into the phase scratch of every tap. */
        int[] forwardOffsets() {
            int[] off = new int[kk];
            for (int k = 0; k < kk; k++) off[k] = phase[k] * phaseStride + rel[k];
            return off;
        }

        /**
         * Copies one input plane into the phase scratch. Only pixel positions are written, the same
         * ones for every plane, so the padding stays zero from the scratch's allocation.
         */
        void scatterInput(float[] x, int xb, float[] p) {
            for (int iy = 0; iy < h; iy++) {
                int r = iy + ph, rowBase = (r % sh) * sw * phaseStride + (r / sh) * wq, src = xb + iy * w;
                if (sw == 1) {
                    System.arraycopy(x, src, p, rowBase + pw, w);
                    continue;
                }
                for (int b = 0; b < sw; b++) {
                    int ix0 = Math.floorMod(b - pw, sw);
                    int dst = rowBase + b * phaseStride + (ix0 + pw) / sw;
                    for (int ix = ix0; ix < w; ix += sw) p[dst++] = x[src + ix];
                }
            }
        }

        /** The adjoint of {@link #scatterInput}: reads the pixel positions of the phase scratch into an input plane. */
        void gatherInput(float[] p, float[] x, int xb) {
            for (int iy = 0; iy < h; iy++) {
                int r = iy + ph, rowBase = (r % sh) * sw * phaseStride + (r / sh) * wq, dstRow = xb + iy * w;
                if (sw == 1) {
                    System.arraycopy(p, rowBase + pw, x, dstRow, w);
                    continue;
                }
                for (int b = 0; b < sw; b++) {
                    int ix0 = Math.floorMod(b - pw, sw);
                    int src = rowBase + b * phaseStride + (ix0 + pw) / sw;
                    for (int ix = ix0; ix < w; ix += sw) x[dstRow + ix] = p[src++];
                }
            }
        }

        /** Places one output(-gradient) plane into the wq-wide layout after the margin; junk columns stay zero. */
        void spreadOutput(float[] gy, int gyb, float[] q) {
            for (int oy = 0; oy < oh; oy++) System.arraycopy(gy, gyb + oy * ow, q, margin + oy * wq, ow);
        }

        /** Stores the valid columns of a wq-wide output plane. */
        void storeOutput(float[] acc, float[] y, int yb) {
            for (int oy = 0; oy < oh; oy++) System.arraycopy(acc, oy * wq, y, yb + oy * ow, ow);
        }
    }

    private static int roundUp(int v) {
        return (v + L - 1) / L * L;
    }

    // ---------------------------------------------------------------- forward

    /** {@code y = depthwise_conv(x, w)}; y is overwritten. */
    static void forward(Geometry g, float[] x, int xo, float[] w, int wo, float[] y, int yo) {
        Plan pl = new Plan(g);
        int c = g.c(), kk = pl.kk, mult = pl.mult, inPlane = g.inPlane(), outPlane = g.outPlane();
        int[] off = pl.forwardOffsets();
        long cost = (long) pl.outFlat * kk * mult + inPlane;
        Parallel.forRange((long) g.n() * c, cost, (from, to) -> {
            float[] p = new float[pl.pSize], acc = new float[pl.outFlat];
            for (int q = (int) from; q < to; q++) {
                int n = q / c, ch = q % c;
                pl.scatterInput(x, xo + q * inPlane, p);
                for (int m = 0; m < mult; m++) {
                    int oc = ch * mult + m;
                    correlate(p, off, w, wo + oc * kk, null, kk, acc, 0, pl.outFlat, false);
                    pl.storeOutput(acc, y, yo + (n * g.o() + oc) * outPlane);
                }
            }
        });
    }

    /**
     * {@code out[oo + i] (+)= sum_t w[wb + tap(t)] * src[base[t] + i]} for {@code i < len} (a
     * multiple of L), over {@code nt} taps; {@code tap} maps t to the weight index (identity when null).
     */
    private static void correlate(float[] src, int[] base, float[] w, int wb, int[] tap, int nt,
                                  float[] out, int oo, int len, boolean accumulate) {
        if (nt == 9 && tap == null && !accumulate) {
            correlate9(src, base, w, wb, out, oo, len);
            return;
        }
        if (nt == 0) {
            if (!accumulate) Arrays.fill(out, oo, oo + len, 0f);
            return;
        }
        float[] wt = new float[nt];
        for (int t = 0; t < nt; t++) wt[t] = w[wb + (tap == null ? t : tap[t])];
        for (int i = 0; i < len; i += L) {
            FloatVector a = accumulate ? FloatVector.fromArray(S, out, oo + i) : FloatVector.zero(S);
            for (int t = 0; t < nt; t++) a = FloatVector.fromArray(S, src, base[t] + i).fma(FloatVector.broadcast(S, wt[t]), a);
            a.intoArray(out, oo + i);
        }
    }

    /** {@link #correlate} for nine taps (3x3 kernels) with the weights held in registers. */
    private static void correlate9(float[] src, int[] base, float[] w, int wb, float[] out, int oo, int len) {
        FloatVector w0 = FloatVector.broadcast(S, w[wb]), w1 = FloatVector.broadcast(S, w[wb + 1]),
                w2 = FloatVector.broadcast(S, w[wb + 2]), w3 = FloatVector.broadcast(S, w[wb + 3]),
                w4 = FloatVector.broadcast(S, w[wb + 4]), w5 = FloatVector.broadcast(S, w[wb + 5]),
                w6 = FloatVector.broadcast(S, w[wb + 6]), w7 = FloatVector.broadcast(S, w[wb + 7]),
                w8 = FloatVector.broadcast(S, w[wb + 8]);
        int b0 = base[0], b1 = base[1], b2 = base[2], b3 = base[3], b4 = base[4], b5 = base[5], b6 = base[6],
                b7 = base[7], b8 = base[8];
        for (int i = 0; i < len; i += L) {
            FloatVector a = FloatVector.fromArray(S, src, b0 + i).mul(w0);
            FloatVector b = FloatVector.fromArray(S, src, b1 + i).mul(w1);
            a = FloatVector.fromArray(S, src, b2 + i).fma(w2, a);
            b = FloatVector.fromArray(S, src, b3 + i).fma(w3, b);
            a = FloatVector.fromArray(S, src, b4 + i).fma(w4, a);
            b = FloatVector.fromArray(S, src, b5 + i).fma(w5, b);
            a = FloatVector.fromArray(S, src, b6 + i).fma(w6, a);
            b = FloatVector.fromArray(S, src, b7 + i).fma(w7, b);
            a = FloatVector.fromArray(S, src, b8 + i).fma(w8, a);
            a.add(b).intoArray(out, oo + i);
        }
    }

    // ---------------------------------------------------------------- backward input

    /** {@code gx = depthwise_conv_transpose(gy, w)}; gx is overwritten. */
    static void backwardInput(Geometry g, float[] gy, int gyo, float[] w, int wo, float[] gx, int gxo) {
        Plan pl = new Plan(g);
        int c = g.c(), kk = pl.kk, mult = pl.mult, inPlane = g.inPlane(), outPlane = g.outPlane();
        int phases = pl.sh * pl.sw;
        // Per phase: its taps and where each reads the output-gradient layout (margin - offset).
        int[][] taps = new int[phases][], bases = new int[phases][];
        for (int f = 0; f < phases; f++) {
            int cnt = 0;
            for (int k = 0; k < kk; k++) if (pl.phase[k] == f) cnt++;
            taps[f] = new int[cnt];
            bases[f] = new int[cnt];
            cnt = 0;
            for (int k = 0; k < kk; k++) {
                if (pl.phase[k] != f) continue;
                taps[f][cnt] = k;
                bases[f][cnt++] = pl.margin - pl.rel[k];
            }
        }
        long cost = (long) pl.phaseStride * phases * (kk / phases + 1) * mult + inPlane;
        Parallel.forRange((long) g.n() * c, cost, (from, to) -> {
            float[] p = new float[pl.pSize], q = new float[pl.gySize];
            for (int i = (int) from; i < to; i++) {
                int n = i / c, ch = i % c;
                for (int m = 0; m < mult; m++) {
                    int oc = ch * mult + m;
                    pl.spreadOutput(gy, gyo + (n * g.o() + oc) * outPlane, q);
                    for (int f = 0; f < phases; f++) {
                        // With one phase the taps are all of them, in order.
                        correlate(q, bases[f], w, wo + oc * kk, phases == 1 ? null : taps[f], taps[f].length, p, f * pl.phaseStride,
                                pl.phaseStride, m > 0);
                    }
                }
                pl.gatherInput(p, gx, gxo + i * inPlane);
            }
        });
    }

    // ---------------------------------------------------------------- backward weight

    /** {@code gw = sum over images of correlation(gy, x)}; gw is overwritten. */
    static void backwardWeight(Geometry g, float[] x, int xo, float[] gy, int gyo, float[] gw, int gwo) {
        Plan pl = new Plan(g);
        int c = g.c(), n = g.n(), kk = pl.kk, mult = pl.mult, inPlane = g.inPlane(), outPlane = g.outPlane();
        int size = g.o() * kk;
        int[] off = pl.forwardOffsets();
        long planes = (long) n * c, cost = (long) pl.outFlat * kk * mult + inPlane;
        int chunks = (int) Math.max(1, Math.min(Math.min(Parallel.threads(), planes), planes * cost / Parallel.GRAIN));
        float[][] partial = new float[chunks][];
        // Planes in channel-major order (channel, image): a chunk touches few channels.
        Parallel.forChunks(planes, chunks, (from, to) -> {
            int id = 0;
            while (planes * id / chunks != from) id++;
            float[] acc = new float[size], p = new float[pl.pSize], q = new float[pl.gySize];
            for (long i = from; i < to; i++) {
                int ch = (int) (i / n), img = (int) (i % n);
                pl.scatterInput(x, xo + (img * c + ch) * inPlane, p);
                for (int m = 0; m < mult; m++) {
                    int oc = ch * mult + m;
                    pl.spreadOutput(gy, gyo + (img * g.o() + oc) * outPlane, q);
                    if (kk == 9) dots9(q, pl.margin, p, off, pl.outFlat, acc, oc * kk);
                    else for (int k = 0; k < kk; k++) acc[oc * kk + k] += dot(q, pl.margin, p, off[k], pl.outFlat);
                }
            }
            partial[id] = acc;
        });
        // A nested call runs as one chunk: later slots stay empty.
        Arrays.fill(gw, gwo, gwo + size, 0f);
        for (float[] part : partial) {
            if (part == null) continue;
            for (int i = 0; i < size; i++) gw[gwo + i] += part[i];
        }
    }

    /** {@code acc[ao + k] += sum_i q[qb + i] * p[off[k] + i]} for the nine taps, in one pass. */
    private static void dots9(float[] q, int qb, float[] p, int[] off, int len, float[] acc, int ao) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0, s8 = s0;
        int o0 = off[0], o1 = off[1], o2 = off[2], o3 = off[3], o4 = off[4], o5 = off[5], o6 = off[6], o7 = off[7],
                o8 = off[8];
        for (int i = 0; i < len; i += L) {
            FloatVector v = FloatVector.fromArray(S, q, qb + i);
            s0 = FloatVector.fromArray(S, p, o0 + i).fma(v, s0);
            s1 = FloatVector.fromArray(S, p, o1 + i).fma(v, s1);
            s2 = FloatVector.fromArray(S, p, o2 + i).fma(v, s2);
            s3 = FloatVector.fromArray(S, p, o3 + i).fma(v, s3);
            s4 = FloatVector.fromArray(S, p, o4 + i).fma(v, s4);
            s5 = FloatVector.fromArray(S, p, o5 + i).fma(v, s5);
            s6 = FloatVector.fromArray(S, p, o6 + i).fma(v, s6);
            s7 = FloatVector.fromArray(S, p, o7 + i).fma(v, s7);
            s8 = FloatVector.fromArray(S, p, o8 + i).fma(v, s8);
        }
        acc[ao] += s0.reduceLanes(VectorOperators.ADD);
        acc[ao + 1] += s1.reduceLanes(VectorOperators.ADD);
        acc[ao + 2] += s2.reduceLanes(VectorOperators.ADD);
        acc[ao + 3] += s3.reduceLanes(VectorOperators.ADD);
        acc[ao + 4] += s4.reduceLanes(VectorOperators.ADD);
        acc[ao + 5] += s5.reduceLanes(VectorOperators.ADD);
        acc[ao + 6] += s6.reduceLanes(VectorOperators.ADD);
        acc[ao + 7] += s7.reduceLanes(VectorOperators.ADD);
        acc[ao + 8] += s8.reduceLanes(VectorOperators.ADD);
    }

    /** {@code sum_i a[ao + i] * b[bo + i]} over {@code len} (a multiple of L) elements. */
    private static float dot(float[] a, int ao, float[] b, int bo, int len) {
        FloatVector s = FloatVector.zero(S);
        for (int i = 0; i < len; i += L) s = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), s);
        return s.reduceLanes(VectorOperators.ADD);
    }
}
