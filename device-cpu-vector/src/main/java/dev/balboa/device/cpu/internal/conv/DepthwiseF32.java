package dev.balboa.device.cpu.internal.conv;

import dev.balboa.device.cpu.internal.Parallel;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct float32 depthwise convolution ({@code groups == C_in}, {@code C_out = multiplier * C_in})
 * for any stride, padding and dilation: the forward pass and both gradients.
 *
 * <p>The input planes of one channel for a block of {@code t} images are copied into a
 * zero-padded scratch, stacked vertically ({@code hq} rows per image) and split into
 * {@code sh * sw} stride phases (phase {@code (a, b)} holds padded pixels
 * {@code (r*sh + a, q*sw + b)}). Every kernel tap {@code (ky, kx)} then reads one phase at a
 * fixed offset, so the outputs, laid out with the phase row width {@code wq} (a few junk columns
 * and rows per image), are a sum of {@code kh*kw} shifted contiguous runs: the vector loops have
 * no borders, masks or bounds logic whatever the stride, padding or plane size, and small planes
 * (4x4, 8x8) are batched into whole vectors. A valid output never reads outside its own image's
 * rows; junk outputs are dropped when stored. The input gradient is the exact adjoint: the output
 * gradient, placed in the same layout with zero junk positions, is correlated back into each
 * phase and the phases are copied back into the input planes. The weight gradient is a dot product
 * of that layout with each tap's run (3x3 kernels keep all nine sums in registers).
 *
 * <p>Work is split over (channel, image block) units; the weight gradient gives each thread its
 * own partial sums, added in a fixed order at the end.
 */
final class DepthwiseF32 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * Species and one-vector shuffles of the stride-2 (de)interleave: 256 bits so that 16-wide rows
     * use whole vectors, 128 bits for rows of 8 to 15. Each half of a result comes from one source
     * vector, joined by a blend (one-vector rearranges compile to single permutes).
     */
    private static final VectorSpecies<Float> H = FloatVector.SPECIES_256;
    private static final int HL = H.length();
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(H, i -> (2 * i) & (HL - 1));
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(H, i -> (2 * i + 1) & (HL - 1));
    private static final VectorShuffle<Float> ZIP_LO = VectorShuffle.fromOp(H, i -> i / 2);
    private static final VectorShuffle<Float> ZIP_HI = VectorShuffle.fromOp(H, i -> HL / 2 + i / 2);
    private static final VectorMask<Float> UPPER = H.indexInRange(-HL / 2, HL / 2);
    private static final VectorMask<Float> ODD_LANES = VectorMask.fromLong(H, 0xAAAAAAAAL & ((1L << HL) - 1));
    private static final VectorSpecies<Float> Q = FloatVector.SPECIES_128;
    private static final int QL = Q.length();
    private static final VectorShuffle<Float> EVEN_Q = VectorShuffle.fromOp(Q, i -> (2 * i) & (QL - 1));
    private static final VectorShuffle<Float> ODD_Q = VectorShuffle.fromOp(Q, i -> (2 * i + 1) & (QL - 1));
    private static final VectorShuffle<Float> ZIP_LO_Q = VectorShuffle.fromOp(Q, i -> i / 2);
    private static final VectorShuffle<Float> ZIP_HI_Q = VectorShuffle.fromOp(Q, i -> QL / 2 + i / 2);
    private static final VectorMask<Float> UPPER_Q = Q.indexInRange(-QL / 2, QL / 2);
    private static final VectorMask<Float> ODD_LANES_Q = VectorMask.fromLong(Q, 0xAAL & ((1L << QL) - 1));
    /** Images stacked per block until a phase plane holds about this many floats. */
    private static final int BLOCK_FLOATS = 768;

    private DepthwiseF32() {}

    /** True when the geometry is a depthwise convolution this class runs: groups == C_in, C_out a multiple of it. */
    static boolean accepts(Geometry g) {
        return g.groups() == g.c() && g.c() > 0 && g.o() % g.c() == 0 && g.o() > 0;
    }

    /** The scratch layout shared by the three passes of one geometry. */
    private static final class Plan {
        final int n, c, o, h, w, oh, ow, sh, sw, ph, pw, kk, mult, inPlane, outPlane;
        /** Rows per image and row width of a phase plane; images per block and number of blocks. */
        final int hq, wq, t, blocks;
        /** Distance between phase planes (whole vectors). */
        final int phaseStride;
        /** Flat length of a block of outputs in the wq-wide layout, rounded up to whole vectors. */
        final int outFlat;
        /** Scratch sizes: the phase planes, and the wq-wide output-gradient layout with its leading margin. */
        final int pSize, margin, gySize;
        /** Per tap: the phase plane it reads and its offset inside that plane. */
        final int[] phase, rel;

        Plan(Geometry g) {
            n = g.n(); c = g.c(); o = g.o();
            h = g.h(); w = g.w(); oh = g.oh(); ow = g.ow();
            sh = g.sh(); sw = g.sw(); ph = g.ph(); pw = g.pw();
            kk = g.kh() * g.kw();
            mult = g.o() / g.c();
            inPlane = g.inPlane();
            outPlane = g.outPlane();
            int hp = Math.max(h + ph, (oh - 1) * sh + (g.kh() - 1) * g.dh() + 1);
            int wp = Math.max(w + pw, (ow - 1) * sw + (g.kw() - 1) * g.dw() + 1);
            hq = Math.ceilDiv(hp, sh);
            wq = Math.ceilDiv(wp, sw);
            int tMax = Math.max(1, Math.min(Math.max(n, 1), BLOCK_FLOATS / (hq * wq)));
            blocks = Math.ceilDiv(Math.max(n, 1), tMax);
            t = Math.ceilDiv(Math.max(n, 1), blocks);
            phaseStride = roundUp(t * hq * wq);
            outFlat = roundUp(((t - 1) * hq + oh) * wq);
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
            // A read at tap offset + i (i < outFlat) ends before phase base + t*hq*wq + wq + L.
            pSize = sh * sw * phaseStride + wq + L;
            margin = maxRel;
            gySize = margin + phaseStride + L;
        }

        /** Images in block {@code blk}: {@code [blk*t, min(n, blk*t + t))}. */
        int count(int blk) { return Math.min(n, blk * t + t) - blk * t; }

        /** Offsets into the phase scratch of every tap. */
        int[] forwardOffsets() {
            int[] off = new int[kk];
            for (int k = 0; k < kk; k++) off[k] = phase[k] * phaseStride + rel[k];
            return off;
        }

        /**
         * Copies the input planes of channel {@code ch} for the images of a block into the phase
         * scratch. Only pixel positions are written, the same ones for every block, so the padding
         * stays zero from the scratch's allocation.
         */
        void scatterInput(float[] x, int xo, int ch, int n0, int cnt, float[] p) {
            for (int u = 0; u < cnt; u++) {
                int xb = xo + ((n0 + u) * c + ch) * inPlane;
                if (sh == 1 && sw == 1) {
                    copyRows(x, xb, w, p, (u * hq + ph) * wq + pw, wq, h, w);
                    continue;
                }
                for (int iy = 0; iy < h; iy++) {
                    int r = iy + ph, rowBase = (r % sh) * sw * phaseStride + (u * hq + r / sh) * wq, src = xb + iy * w;
                    if (sw == 1) {
                        copy(x, src, p, rowBase + pw, w);
                    } else if (sw == 2) {
                        deinterleave(x, src, w, p, rowBase + (pw & 1) * phaseStride + pw / 2,
                                rowBase + ((pw + 1) & 1) * phaseStride + (pw + 1) / 2);
                    } else {
                        for (int b = 0; b < sw; b++) {
                            int ix0 = Math.floorMod(b - pw, sw);
                            int dst = rowBase + b * phaseStride + (ix0 + pw) / sw;
                            for (int ix = ix0; ix < w; ix += sw) p[dst++] = x[src + ix];
                        }
                    }
                }
            }
        }

        /** The adjoint of {@link #scatterInput}: reads the pixel positions of the phase scratch into the input planes. */
        void gatherInput(float[] p, float[] x, int xo, int ch, int n0, int cnt) {
            for (int u = 0; u < cnt; u++) {
                int xb = xo + ((n0 + u) * c + ch) * inPlane;
                if (sh == 1 && sw == 1) {
                    copyRows(p, (u * hq + ph) * wq + pw, wq, x, xb, w, h, w);
                    continue;
                }
                for (int iy = 0; iy < h; iy++) {
                    int r = iy + ph, rowBase = (r % sh) * sw * phaseStride + (u * hq + r / sh) * wq, dst = xb + iy * w;
                    if (sw == 1) {
                        copy(p, rowBase + pw, x, dst, w);
                    } else if (sw == 2) {
                        interleave(p, rowBase + (pw & 1) * phaseStride + pw / 2,
                                rowBase + ((pw + 1) & 1) * phaseStride + (pw + 1) / 2, x, dst, w);
                    } else {
                        for (int b = 0; b < sw; b++) {
                            int ix0 = Math.floorMod(b - pw, sw);
                            int src = rowBase + b * phaseStride + (ix0 + pw) / sw;
                            for (int ix = ix0; ix < w; ix += sw) x[dst + ix] = p[src++];
                        }
                    }
                }
            }
        }

        /**
         * Places the output(-gradient) planes of channel {@code oc} for a block of images into the
         * wq-wide layout after the margin. Junk positions stay zero; when the block is short, the
         * slots of the missing images are cleared.
         */
        void spreadOutput(float[] gy, int gyo, int oc, int n0, int cnt, float[] q) {
            for (int u = 0; u < cnt; u++) {
                int gb = gyo + ((n0 + u) * o + oc) * outPlane, qb = margin + u * hq * wq;
                copyRows(gy, gb, ow, q, qb, wq, oh, ow);
            }
            if (cnt < t) Arrays.fill(q, margin + cnt * hq * wq, q.length, 0f);
        }

        /** Stores the valid columns of a block of wq-wide output planes into channel {@code oc}. */
        void storeOutput(float[] acc, float[] y, int yo, int oc, int n0, int cnt) {
            for (int u = 0; u < cnt; u++) {
                int yb = yo + ((n0 + u) * o + oc) * outPlane, ab = u * hq * wq;
                copyRows(acc, ab, wq, y, yb, ow, oh, ow);
            }
        }
    }

    /**
     * Copies {@code rows} rows of {@code len} floats (row strides {@code ss} and {@code ds}). Short
     * rows, as in small planes, go through whole vectors and one masked vector built once, where
     * {@link System#arraycopy}'s per-call overhead would dominate.
     */
    private static void copyRows(float[] src, int s, int ss, float[] dst, int d, int ds, int rows, int len) {
        if (len > 4 * L) {
            for (int r = 0; r < rows; r++) System.arraycopy(src, s + r * ss, dst, d + r * ds, len);
            return;
        }
        int full = len / L * L;
        VectorMask<Float> tail = S.indexInRange(full, len);
        for (int r = 0; r < rows; r++) {
            int so = s + r * ss, o = d + r * ds;
            for (int i = 0; i < full; i += L) FloatVector.fromArray(S, src, so + i).intoArray(dst, o + i);
            if (full == len) continue;
            if (so + full + L <= src.length && o + full + L <= dst.length) {
                // In range; at either array's end a masked access would take a slow checked path.
                FloatVector.fromArray(S, src, so + full, tail).intoArray(dst, o + full, tail);
            } else {
                for (int i = full; i < len; i++) dst[o + i] = src[so + i];
            }
        }
    }

    /** One row of {@link #copyRows}. */
    private static void copy(float[] src, int s, float[] dst, int d, int len) {
        copyRows(src, s, 0, dst, d, 0, 1, len);
    }

    /** {@code even[k] = x[src + 2k]}, {@code odd[k] = x[src + 2k + 1]} for one row of {@code len} floats. */
    private static void deinterleave(float[] x, int src, int len, float[] p, int even, int odd) {
        int k = 0;
        for (; 2 * k + 2 * HL <= len; k += HL) {
            FloatVector a = FloatVector.fromArray(H, x, src + 2 * k), b = FloatVector.fromArray(H, x, src + 2 * k + HL);
            a.rearrange(EVEN).blend(b.rearrange(EVEN), UPPER).intoArray(p, even + k);
            a.rearrange(ODD).blend(b.rearrange(ODD), UPPER).intoArray(p, odd + k);
        }
        if (2 * k + 2 * QL <= len) {
            FloatVector a = FloatVector.fromArray(Q, x, src + 2 * k), b = FloatVector.fromArray(Q, x, src + 2 * k + QL);
            a.rearrange(EVEN_Q).blend(b.rearrange(EVEN_Q), UPPER_Q).intoArray(p, even + k);
            a.rearrange(ODD_Q).blend(b.rearrange(ODD_Q), UPPER_Q).intoArray(p, odd + k);
            k += QL;
        }
        for (int i = 2 * k; i < len; i += 2) {
            p[even + i / 2] = x[src + i];
            if (i + 1 < len) p[odd + i / 2] = x[src + i + 1];
        }
    }

    /** The inverse of {@link #deinterleave}. */
    private static void interleave(float[] p, int even, int odd, float[] x, int dst, int len) {
        int k = 0;
        for (; 2 * k + 2 * HL <= len; k += HL) {
            FloatVector e = FloatVector.fromArray(H, p, even + k), d = FloatVector.fromArray(H, p, odd + k);
            e.rearrange(ZIP_LO).blend(d.rearrange(ZIP_LO), ODD_LANES).intoArray(x, dst + 2 * k);
            e.rearrange(ZIP_HI).blend(d.rearrange(ZIP_HI), ODD_LANES).intoArray(x, dst + 2 * k + HL);
        }
        if (2 * k + 2 * QL <= len) {
            FloatVector e = FloatVector.fromArray(Q, p, even + k), d = FloatVector.fromArray(Q, p, odd + k);
            e.rearrange(ZIP_LO_Q).blend(d.rearrange(ZIP_LO_Q), ODD_LANES_Q).intoArray(x, dst + 2 * k);
            e.rearrange(ZIP_HI_Q).blend(d.rearrange(ZIP_HI_Q), ODD_LANES_Q).intoArray(x, dst + 2 * k + QL);
            k += QL;
        }
        for (int i = 2 * k; i < len; i += 2) {
            x[dst + i] = p[even + i / 2];
            if (i + 1 < len) x[dst + i + 1] = p[odd + i / 2];
        }
    }

    private static int roundUp(int v) {
        return (v + L - 1) / L * L;
    }

    // ---------------------------------------------------------------- forward

    /** {@code y = depthwise_conv(x, w)}; y is overwritten. */
    static void forward(Geometry g, float[] x, int xo, float[] w, int wo, float[] y, int yo) {
        Plan pl = new Plan(g);
        int kk = pl.kk, mult = pl.mult;
        int[] off = pl.forwardOffsets();
        long cost = (long) (pl.outFlat * kk + pl.t * pl.inPlane) * mult;
        Parallel.forRange((long) pl.c * pl.blocks, cost, (from, to) -> {
            float[] p = new float[pl.pSize], acc = new float[pl.outFlat];
            for (int unit = (int) from; unit < to; unit++) {
                int ch = unit / pl.blocks, blk = unit % pl.blocks, n0 = blk * pl.t, cnt = pl.count(blk);
                pl.scatterInput(x, xo, ch, n0, cnt, p);
                for (int m = 0; m < mult; m++) {
                    int oc = ch * mult + m;
                    correlate(p, off, w, wo + oc * kk, null, kk, acc, 0, pl.outFlat, false);
                    pl.storeOutput(acc, y, yo, oc, n0, cnt);
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
        for (int k = 0; k < nt; k++) wt[k] = w[wb + (tap == null ? k : tap[k])];
        for (int i = 0; i < len; i += L) {
            FloatVector a = accumulate ? FloatVector.fromArray(S, out, oo + i) : FloatVector.zero(S);
            for (int k = 0; k < nt; k++) a = FloatVector.fromArray(S, src, base[k] + i).fma(FloatVector.broadcast(S, wt[k]), a);
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
        int kk = pl.kk, mult = pl.mult, phases = pl.sh * pl.sw;
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
        long cost = (long) (pl.phaseStride * (kk + phases) + pl.t * pl.outPlane) * mult;
        Parallel.forRange((long) pl.c * pl.blocks, cost, (from, to) -> {
            float[] p = new float[pl.pSize], q = new float[pl.gySize];
            for (int unit = (int) from; unit < to; unit++) {
                int ch = unit / pl.blocks, blk = unit % pl.blocks, n0 = blk * pl.t, cnt = pl.count(blk);
                for (int m = 0; m < mult; m++) {
                    int oc = ch * mult + m;
                    pl.spreadOutput(gy, gyo, oc, n0, cnt, q);
                    for (int f = 0; f < phases; f++) {
                        // With one phase the taps are all of them, in order.
                        correlate(q, bases[f], w, wo + oc * kk, phases == 1 ? null : taps[f], taps[f].length, p,
                                f * pl.phaseStride, pl.phaseStride, m > 0);
                    }
                }
                pl.gatherInput(p, gx, gxo, ch, n0, cnt);
            }
        });
    }

    // ---------------------------------------------------------------- backward weight

    /** {@code gw = sum over images of correlation(gy, x)}; gw is overwritten. */
    static void backwardWeight(Geometry g, float[] x, int xo, float[] gy, int gyo, float[] gw, int gwo) {
        Plan pl = new Plan(g);
        int kk = pl.kk, mult = pl.mult, size = pl.o * kk;
        int[] off = pl.forwardOffsets();
        long units = (long) pl.c * pl.blocks, cost = (long) (pl.outFlat * kk + pl.t * pl.inPlane) * mult;
        int chunks = (int) Math.max(1, Math.min(Math.min(Parallel.threads(), units), units * cost / Parallel.GRAIN));
        float[][] partial = new float[chunks][];
        // Units in channel-major order (channel, image block): a chunk touches few channels.
        Parallel.forChunks(units, chunks, (from, to) -> {
            int id = 0;
            while (units * id / chunks != from) id++;
            float[] acc = new float[size], p = new float[pl.pSize], q = new float[pl.gySize];
            for (int unit = (int) from; unit < to; unit++) {
                int ch = unit / pl.blocks, blk = unit % pl.blocks, n0 = blk * pl.t, cnt = pl.count(blk);
                pl.scatterInput(x, xo, ch, n0, cnt, p);
                for (int m = 0; m < mult; m++) {
                    int oc = ch * mult + m;
                    pl.spreadOutput(gy, gyo, oc, n0, cnt, q);
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
