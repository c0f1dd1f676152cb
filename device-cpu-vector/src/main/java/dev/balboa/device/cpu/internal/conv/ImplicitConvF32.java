package dev.balboa.device.cpu.internal.conv;

import dev.balboa.device.cpu.internal.Parallel;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stride-1 float32 convolutions (groups 1, dilation 1, kernels larger than 1x1) as implicit
 * GEMM, with no im2col matrix. Each image is copied once into a zero-padded layout
 * {@code [c][hp][wp]}; in it, output pixel {@code (oy, ox)} meets kernel position
 * {@code (ci, ky, kx)} at {@code ci*hp*wp + ky*wp + kx + q} with {@code q = oy*wp + ox}, so for
 * a run of consecutive q (output rows laid out wp wide, the last {@code wp - ow} columns of each
 * being discarded) a row of the im2col matrix is a contiguous run of the padded image at a fixed
 * offset. The micro-kernel reads those runs in place through a table of offsets, one per kernel
 * position, instead of a packed panel.
 *
 * <p>The forward pass is {@code y = W @ col(x)}; the input gradient is the same computation on the
 * output gradient padded by {@code k - 1 - p} with the kernel flipped and its channel axes
 * swapped; the weight gradient is {@code gW^T = col(x) @ gy^T}, reading col(x) in place at the
 * valid output pixels only (so values in discarded columns never enter a sum) against a packed gy^T.
 */
final class ImplicitConvF32 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of the micro-tile. */
    private static final int MR = 8;
    /** Columns of the micro-tile: two vectors. */
    private static final int NR = 2 * L;
    /** Depth of one block of the reduction. */
    private static final int KC = 256;
    /** Fewest columns (output rows times padded width) per image for this path; smaller planes batch images in im2col. */
    static final int MIN_COLUMNS = 4 * NR;

    /** Per-thread scratch: [0] padded images, [1] an output block, [2] packed gy^T panels. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    private ImplicitConvF32() {}

    private static float[] scratch(int slot, long size) {
        float[][] s = SCRATCH.get();
        if (s[slot].length < size) s[slot] = new float[(int) size];
        return s[slot];
    }

    /** Whether this path runs the convolution: stride and dilation 1, one group, a kernel larger than 1x1, wide planes. */
    static boolean accepts(Geometry g) {
        if (g.groups() != 1 || g.sh() != 1 || g.sw() != 1 || g.dh() != 1 || g.dw() != 1 || g.kh() * g.kw() <= 1) return false;
        if (g.ph() >= g.kh() || g.pw() >= g.kw() || g.n() == 0 || g.c() == 0 || g.o() == 0) return false;
        int hp = g.h() + 2 * g.ph(), wp = g.w() + 2 * g.pw();
        if (g.oh() != hp - g.kh() + 1 || g.ow() != wp - g.kw() + 1 || g.oh() <= 0 || g.ow() <= 0) return false;
        if ((long) g.oh() * wp < MIN_COLUMNS) return false;
        // Both directions pad an image of the larger channel count; everything must index with int.
        long padded = (long) Math.max(g.c(), g.o()) * hp * wp + (long) g.kh() * wp + g.kw() + (long) g.oh() * wp + 2L * NR;
        long block = (long) Math.ceilDiv(Math.max(g.c(), g.o()), MR) * MR * ((long) hp * wp + NR);
        // The weight gradient pads every image and packs every gy^T at once.
        long allImages = (long) g.n() * ((long) g.c() * hp * wp + 2L * g.pw() + (long) Math.ceilDiv(g.o(), NR) * NR * g.oh() * g.ow());
        return padded < Integer.MAX_VALUE / 2 && block < Integer.MAX_VALUE / 2 && allImages < Integer.MAX_VALUE / 4
                && (long) g.o() * g.c() * g.kh() * g.kw() < Integer.MAX_VALUE / 2;
    }

    // ---------------------------------------------------------------- forward and input gradient

    /**
     * {@code y = conv(x, w)} (x, w, y dense row-major from the given offsets). The weights are
     * packed into MR-row panels, each k-major with its MR values side by side (rows past o zero).
     */
    static void forward(Geometry g, float[] x, int xo, float[] w, int wo, float[] y, int yo) {
        int k = g.c() * g.kh() * g.kw(), o = g.o();
        float[] pa = new float[Math.ceilDiv(o, MR) * MR * k];
        for (int row = 0; row < o; row++) {
            int d = (row / MR) * MR * k + row % MR, src = wo + row * k;
            for (int j = 0; j < k; j++, d += MR) pa[d] = w[src + j];
        }
        correlate(g.n(), g.c(), g.h(), g.w(), g.ph(), g.pw(), g.kh(), g.kw(), g.o(), pa, x, xo, y, yo);
    }

    /**
     * {@code gx = conv_transpose(gy, w)}: the correlation of gy, padded by {@code k - 1 - p}, with
     * {@code w'[ci][co][ky][kx] = w[co][ci][kh-1-ky][kw-1-kx]}; gx is overwritten.
     */
    static void backwardInput(Geometry g, float[] gy, int gyo, float[] w, int wo, float[] gx, int gxo) {
        int kh = g.kh(), kw = g.kw(), kk = kh * kw, c = g.c(), k = g.o() * kk;
        float[] pa = new float[Math.ceilDiv(c, MR) * MR * k];
        for (int ci = 0; ci < c; ci++) {
            int d = (ci / MR) * MR * k + ci % MR;
            for (int co = 0; co < g.o(); co++) {
                int src = wo + (co * c + ci) * kk + kk - 1;
                for (int pos = 0; pos < kk; pos++, d += MR) pa[d] = w[src - pos];
            }
        }
        correlate(g.n(), g.o(), g.oh(), g.ow(), kh - 1 - g.ph(), kw - 1 - g.pw(), kh, kw, c, pa, gy, gyo, gx, gxo);
    }

    /**
     * The stride-1 correlation of {@code n} images {@code [cin, hin, win]} at src, padded by
     * (padH, padW), with the packed {@code cout x cin*kh*kw} weights pa, into dst
     * {@code [n, cout, hout, wout]}. Work is split over images, and over column tiles when there
     * are fewer images than threads.
     */
    private static void correlate(int n, int cin, int hin, int win, int padH, int padW, int kh, int kw, int cout,
                                  float[] pa, float[] src, int srcOff, float[] dst, int dstOff) {
        int hp = hin + 2 * padH, wp = win + 2 * padW, plane = hp * wp;
        int hout = hp - kh + 1, wout = wp - kw + 1;
        int q = hout * wp, tiles = Math.ceilDiv(q, NR), qt = tiles * NR;
        int k = cin * kh * kw, panels = Math.ceilDiv(cout, MR);
        int[] boff = new int[k];
        for (int ci = 0, r = 0; ci < cin; ci++) {
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) boff[r++] = ci * plane + ky * wp + kx;
            }
        }
        int padLen = cin * plane + (kh - 1) * wp + kw + qt + 2 * padW + NR;
        int threads = Parallel.threads();
        int split = n >= threads ? 1 : Math.min(tiles, Math.ceilDiv(threads, n));
        int inImage = cin * hin * win, outImage = cout * hout * wout;
        Parallel.forRange((long) n * split, (long) k * cout * qt / split, (from, to) -> {
            float[] xp = scratch(0, padLen), cp = scratch(1, (long) panels * MR * qt);
            int padded = -1;
            for (long u = from; u < to; u++) {
                int img = (int) (u / split), part = (int) (u % split);
                int t0 = (int) ((long) tiles * part / split), t1 = (int) ((long) tiles * (part + 1) / split);
                if (t0 == t1) continue;
                if (img != padded) {
                    pad(src, srcOff + img * inImage, cin, hin, win, padH, padW, xp, 0);
                    padded = img;
                }
                for (int pc = 0; pc < k; pc += KC) {
                    int kc = Math.min(KC, k - pc);
                    boolean acc = pc > 0;
                    for (int j = t0; j < t1; j++) {
                        for (int i = 0; i < panels; i++) {
                            kernelOffsets(kc, pa, i * MR * k + pc * MR, xp, j * NR, boff, pc, cp, i * MR * qt + j * NR, qt, acc);
                        }
                    }
                }
                // The valid columns of this block's output rows into dst.
                int c0 = t0 * NR, c1 = Math.min(q, t1 * NR), out = dstOff + img * outImage;
                for (int oy = c0 / wp; oy * wp < c1; oy++) {
                    int lo = Math.max(c0, oy * wp), hi = Math.min(c1, oy * wp + wout);
                    if (lo >= hi) continue;
                    int ox = lo - oy * wp, len = hi - lo;
                    for (int co = 0; co < cout; co++) {
                        System.arraycopy(cp, co * qt + lo, dst, out + (co * hout + oy) * wout + ox, len);
                    }
                }
            }
        });
    }

    /** Copies one image {@code [c, h, w]} into the padded layout {@code [c][h + 2ph][w + 2pw]} with zero borders. */
    private static void pad(float[] src, int off, int c, int h, int w, int ph, int pw, float[] xp, int at) {
        int wp = w + 2 * pw, plane = (h + 2 * ph) * wp;
        for (int ci = 0; ci < c; ci++) {
            int d = at + ci * plane, s = off + ci * h * w;
            Arrays.fill(xp, d, d + ph * wp + pw, 0f);
            for (int y = 0; y < h; y++) {
                int row = d + (ph + y) * wp + pw;
                System.arraycopy(src, s + y * w, xp, row, w);
                // the right border of this row and the left border of the next
                Arrays.fill(xp, row + w, row + w + 2 * pw, 0f);
            }
            int tail = d + (ph + h) * wp + pw;
            Arrays.fill(xp, Math.min(tail, d + plane), d + plane, 0f);
        }
    }

    /**
     * An MR x NR tile of C from packed A and B read in place: step p of the reduction reads the
     * 2L floats at {@code b[bj + boff[p0 + p]]}.
     */
    private static void kernelOffsets(int kc, float[] ap, int ai, float[] b, int bj, int[] boff, int p0, float[] c, int ci,
                                      int ldc, boolean acc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bj + boff[p0 + p];
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector a;
            a = FloatVector.broadcast(S, ap[ai + 0]); c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ai + 4]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[ai + 5]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, ap[ai + 6]); c60 = a.fma(b0, c60); c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, ap[ai + 7]); c70 = a.fma(b0, c70); c71 = a.fma(b1, c71);
            ai += MR;
        }
        // written out here: a helper taking sixteen vectors would be too large to inline and box them
        if (acc) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci)); c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc)); c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc)); c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc)); c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, ci + 4 * ldc)); c41 = c41.add(FloatVector.fromArray(S, c, ci + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(S, c, ci + 5 * ldc)); c51 = c51.add(FloatVector.fromArray(S, c, ci + 5 * ldc + L));
            c60 = c60.add(FloatVector.fromArray(S, c, ci + 6 * ldc)); c61 = c61.add(FloatVector.fromArray(S, c, ci + 6 * ldc + L));
            c70 = c70.add(FloatVector.fromArray(S, c, ci + 7 * ldc)); c71 = c71.add(FloatVector.fromArray(S, c, ci + 7 * ldc + L));
        }
        c00.intoArray(c, ci); c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc); c51.intoArray(c, ci + 5 * ldc + L);
        c60.intoArray(c, ci + 6 * ldc); c61.intoArray(c, ci + 6 * ldc + L);
        c70.intoArray(c, ci + 7 * ldc); c71.intoArray(c, ci + 7 * ldc + L);
        }

    // ---------------------------------------------------------------- weight gradient

    /**
     * {@code gw = sum over images of gy @ col(x)^T}, computed as {@code gw^T = col(x) @ gy^T}:
     * row r of col(x) is read in place in the padded image at the valid output pixels, gy^T is
     * packed into NR-column panels per image. Work is split over blocks of MR rows of gw^T; gw is
     * overwritten.
     */
    static void backwardWeight(Geometry g, float[] x, int xo, float[] gy, int gyo, float[] gw, int gwo) {
        int c = g.c(), h = g.h(), w = g.w(), kh = g.kh(), kw = g.kw(), o = g.o();
        int ph = g.ph(), pw = g.pw(), hp = h + 2 * ph, wp = w + 2 * pw, plane = hp * wp;
        int oh = g.oh(), ow = g.ow(), pixels = oh * ow;
        int k = c * kh * kw, rowPanels = Math.ceilDiv(k, MR), colPanels = Math.ceilDiv(o, NR), ldc = colPanels * NR;
        int[] boff = new int[rowPanels * MR];
        for (int ci = 0, r = 0; ci < c; ci++) {
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) boff[r++] = ci * plane + ky * wp + kx;
            }
        }
        int[] qoff = new int[pixels];
        for (int p = 0; p < pixels; p++) qoff[p] = (p / ow) * wp + p % ow;
        float[] gwT = new float[rowPanels * MR * ldc];
        // Every image padded and its gy^T packed once, in parallel, before the product reads them.
        int n = g.n(), inImage = c * h * w, outImage = o * pixels;
        int padStride = c * plane + 2 * pw, packStride = colPanels * NR * pixels;
        float[] xp = scratch(0, (long) n * padStride + NR), pb = scratch(2, (long) n * packStride);
        Parallel.forRange(n, (long) c * plane + (long) colPanels * NR * pixels, (from, to) -> {
            for (int img = (int) from; img < to; img++) {
                pad(x, xo + img * inImage, c, h, w, ph, pw, xp, img * padStride);
                packTransposed(gy, gyo + img * outImage, o, pixels, colPanels, pb, img * packStride);
            }
        });
        int chunks = (int) Math.min(Parallel.threads(), Math.max(1, (long) k * o * pixels * n / Parallel.GRAIN));
        chunks = Math.min(chunks, rowPanels);
        int nChunks = chunks;
        Parallel.forChunks(nChunks, nChunks, (from, to) -> {
            int r0 = (int) ((long) rowPanels * from / nChunks), r1 = (int) ((long) rowPanels * to / nChunks);
            for (int img = 0; img < n; img++) {
                int xb = img * padStride, pbb = img * packStride;
                for (int pc = 0; pc < pixels; pc += KC) {
                    int kc = Math.min(KC, pixels - pc);
                    for (int i = r0; i < r1; i++) {
                        for (int j = 0; j < colPanels; j++) {
                            kernelRows(kc, xp, xb, boff, i * MR, qoff, pc, pb, pbb + j * NR * pixels + pc * NR, gwT,
                                    i * MR * ldc + j * NR, ldc);
                        }
                    }
                }
            }
        });
        for (int co = 0; co < o; co++) {
            for (int r = 0; r < k; r++) gw[gwo + co * k + r] = gwT[r * ldc + co];
        }
    }

    /** Packs gy {@code [o][pixels]} (rows at src) as NR-column panels of gy^T: panel j holds, per pixel, NR channels; channels past o are zero. */
    private static void packTransposed(float[] gy, int src, int o, int pixels, int colPanels, float[] pb, int at) {
        for (int j = 0; j < colPanels; j++) {
            int base = at + j * NR * pixels;
            for (int q = 0; q < NR; q++) {
                int co = j * NR + q;
                if (co < o) {
                    int s = src + co * pixels;
                    for (int p = 0, d = base + q; p < pixels; p++, d += NR) pb[d] = gy[s + p];
                } else {
                    for (int p = 0, d = base + q; p < pixels; p++, d += NR) pb[d] = 0f;
                }
            }
        }
    }

    /**
     * Adds an MR x NR tile to C: row r of A is read at {@code a[ab + boff[row0 + r] + qoff[p0 + p]]},
     * B is a packed panel (NR floats per step).
     */
    private static void kernelRows(int kc, float[] a, int ab, int[] boff, int row0, int[] qoff, int p0, float[] bp, int bi,
                                   float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        int a0 = ab + boff[row0], a1 = ab + boff[row0 + 1], a2 = ab + boff[row0 + 2], a3 = ab + boff[row0 + 3];
        int a4 = ab + boff[row0 + 4], a5 = ab + boff[row0 + 5], a6 = ab + boff[row0 + 6], a7 = ab + boff[row0 + 7];
        for (int p = 0; p < kc; p++) {
            int q = qoff[p0 + p];
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector v;
            v = FloatVector.broadcast(S, a[a0 + q]); c00 = v.fma(b0, c00); c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[a1 + q]); c10 = v.fma(b0, c10); c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[a2 + q]); c20 = v.fma(b0, c20); c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, a[a3 + q]); c30 = v.fma(b0, c30); c31 = v.fma(b1, c31);
            v = FloatVector.broadcast(S, a[a4 + q]); c40 = v.fma(b0, c40); c41 = v.fma(b1, c41);
            v = FloatVector.broadcast(S, a[a5 + q]); c50 = v.fma(b0, c50); c51 = v.fma(b1, c51);
            v = FloatVector.broadcast(S, a[a6 + q]); c60 = v.fma(b0, c60); c61 = v.fma(b1, c61);
            v = FloatVector.broadcast(S, a[a7 + q]); c70 = v.fma(b0, c70); c71 = v.fma(b1, c71);
            bi += NR;
        }
        c00 = c00.add(FloatVector.fromArray(S, c, ci)); c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
        c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc)); c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
        c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc)); c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
        c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc)); c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
        c40 = c40.add(FloatVector.fromArray(S, c, ci + 4 * ldc)); c41 = c41.add(FloatVector.fromArray(S, c, ci + 4 * ldc + L));
        c50 = c50.add(FloatVector.fromArray(S, c, ci + 5 * ldc)); c51 = c51.add(FloatVector.fromArray(S, c, ci + 5 * ldc + L));
        c60 = c60.add(FloatVector.fromArray(S, c, ci + 6 * ldc)); c61 = c61.add(FloatVector.fromArray(S, c, ci + 6 * ldc + L));
        c70 = c70.add(FloatVector.fromArray(S, c, ci + 7 * ldc)); c71 = c71.add(FloatVector.fromArray(S, c, ci + 7 * ldc + L));
        c00.intoArray(c, ci); c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc); c51.intoArray(c, ci + 5 * ldc + L);
        c60.intoArray(c, ci + 6 * ldc); c61.intoArray(c, ci + 6 * ldc + L);
        c70.intoArray(c, ci + 7 * ldc); c71.intoArray(c, ci + 7 * ldc + L);
    }
}
