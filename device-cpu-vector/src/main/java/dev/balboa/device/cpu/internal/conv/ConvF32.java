package dev.balboa.device.cpu.internal.conv;

import dev.balboa.device.cpu.internal.Parallel;
import dev.balboa.device.cpu.internal.gemm.Sgemm;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 convolution on dense NCHW arrays: stride-1 convolutions with wide planes run
 * {@link ImplicitConvF32}; the rest im2col (or nothing, for pointwise convolutions)
 * into per-group {@link Sgemm} products for the forward pass and both gradients, col2im for the
 * input gradient; depthwise convolutions run {@link DepthwiseF32}. Several images share one
 * product (their columns side by side, see {@link #imagesPerGemm}), so small output planes still
 * give wide products; scratch matrices are kept per thread and reused.
 */
final class ConvF32 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** im2col rows (C_in/groups * KH * KW) up to which the weight gradient runs {@link ThinGemmF32#productTransB}. */
    static final int THIN = 32;

    private ConvF32() {}

    // ---------------------------------------------------------------- batching

    /**
     * Columns (images x output pixels) one batched GEMM aims for: the weight matrix is packed once
     * per product, so small output planes (a 7x7 or 4x4 layer) are multiplied several images at a
     * time rather than one thin product per image.
     */
    static final int COLS = 4096;
    /** Most floats one im2col (or gathered) matrix may hold; larger layers take fewer images per product. */
    static final int COL_CAP = 1 << 22;

    /**
     * Reusable per-thread scratch: [0] the im2col matrix, [1] and [2] gathered operands or a
     * product before scattering, [3] a transposed weight gradient.
     */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[4][0]);

    private static float[] scratch(int slot, int size) {
        float[][] s = SCRATCH.get();
        if (s[slot].length < size) s[slot] = new float[size];
        return s[slot];
    }

    /** How many images one GEMM covers: about {@link #COLS} columns, within {@link #COL_CAP}, in balanced chunks. */
    static int imagesPerGemm(Geometry g) {
        int plane = Math.max(1, g.outPlane());
        int nb = Math.min(g.n(), Math.max(1, Math.ceilDiv(COLS, plane)));
        long perImage = (long) Math.max(g.colRows(), Math.max(g.og(), g.cg())) * plane;
        nb = (int) Math.max(1, Math.min(nb, COL_CAP / Math.max(1, perImage)));
        int chunks = Math.ceilDiv(g.n(), nb);
        return Math.ceilDiv(g.n(), chunks);
    }

    // ---------------------------------------------------------------- forward

    /** {@code y = conv(x, w)}; x, w and y are dense row-major arrays starting at the given offsets. */
    static void forward(Geometry g, float[] x, int xo, float[] w, int wo, float[] y, int yo) {
        if (DepthwiseF32.accepts(g)) {
            DepthwiseF32.forward(g, x, xo, w, wo, y, yo);
            return;
        }
        if (ImplicitConvF32.accepts(g)) {
            ImplicitConvF32.forward(g, x, xo, w, wo, y, yo);
            return;
        }
        int cg = g.cg(), og = g.og(), rows = g.colRows(), plane = g.outPlane(), inPlane = g.inPlane();
        boolean pointwise = g.pointwise();
        int nb = imagesPerGemm(g);
        for (int n0 = 0; n0 < g.n(); n0 += nb) {
            int cnt = Math.min(nb, g.n() - n0), ld = cnt * plane;
            for (int grp = 0; grp < g.groups(); grp++) {
                int xBase = xo + (n0 * g.c() + grp * cg) * inPlane;
                int yBase = yo + (n0 * g.o() + grp * og) * plane;
                int wBase = wo + grp * og * rows;
                float[] b = x;
                int bo = xBase;
                if (!pointwise) {
                    b = scratch(0, rows * ld + L);
                    bo = 0;
                    im2col(g, x, xBase, g.c() * inPlane, cnt, b, ld);
                } else if (cnt > 1) {
                    b = scratch(1, rows * ld);
                    bo = 0;
                    gather(x, xBase, g.c() * inPlane, cnt, cg, plane, b);
                }
                // W_g (og x rows) @ col (rows x images*plane)
                if (cnt == 1) {
                    Sgemm.gemm(og, plane, rows, w, wBase, rows, 1, b, bo, ld, 1, y, yBase, plane, 1, false);
                } else {
                    float[] t = scratch(2, og * ld);
                    Sgemm.gemm(og, ld, rows, w, wBase, rows, 1, b, bo, ld, 1, t, 0, ld, 1, false);
                    scatter(t, cnt, og, plane, y, yBase, g.o() * plane);
                }
            }
        }
    }

    // ---------------------------------------------------------------- backward input

    /** {@code gx = conv_transpose(gy, w)}; gx is overwritten. */
    static void backwardInput(Geometry g, float[] gy, int gyo, float[] w, int wo, float[] gx, int gxo) {
        if (DepthwiseF32.accepts(g)) {
            DepthwiseF32.backwardInput(g, gy, gyo, w, wo, gx, gxo);
            return;
        }
        if (ImplicitConvF32.accepts(g)) {
            ImplicitConvF32.backwardInput(g, gy, gyo, w, wo, gx, gxo);
            return;
        }
        int cg = g.cg(), og = g.og(), rows = g.colRows(), plane = g.outPlane(), inPlane = g.inPlane();
        boolean pointwise = g.pointwise();
        int nb = imagesPerGemm(g);
        for (int n0 = 0; n0 < g.n(); n0 += nb) {
            int cnt = Math.min(nb, g.n() - n0), ld = cnt * plane;
            for (int grp = 0; grp < g.groups(); grp++) {
                int gxBase = gxo + (n0 * g.c() + grp * cg) * inPlane;
                int gyBase = gyo + (n0 * g.o() + grp * og) * plane;
                int wBase = wo + grp * og * rows;
                float[] b = gy;
                int bo = gyBase;
                if (cnt > 1) {
                    b = scratch(1, og * ld);
                    bo = 0;
                    gather(gy, gyBase, g.o() * plane, cnt, og, plane, b);
                }
                // W_g^T (rows x og) @ gy (og x images*plane)
                if (pointwise && cnt == 1) {
                    Sgemm.gemm(rows, plane, og, w, wBase, 1, rows, b, bo, ld, 1, gx, gxBase, plane, 1, false);
                } else if (pointwise) {
                    float[] t = scratch(2, rows * ld);
                    Sgemm.gemm(rows, ld, og, w, wBase, 1, rows, b, bo, ld, 1, t, 0, ld, 1, false);
                    scatter(t, cnt, cg, plane, gx, gxBase, g.c() * inPlane);
                } else {
                    float[] col = scratch(0, rows * ld + L);
                    Sgemm.gemm(rows, ld, og, w, wBase, 1, rows, b, bo, ld, 1, col, 0, ld, 1, false);
                    col2im(g, col, ld, cnt, gx, gxBase, g.c() * inPlane);
                }
            }
        }
    }

    // ---------------------------------------------------------------- backward weight

    /** {@code gw = sum over images of gy @ im2col(x)^T}; gw is overwritten. */
    static void backwardWeight(Geometry g, float[] x, int xo, float[] gy, int gyo, float[] gw, int gwo) {
        if (DepthwiseF32.accepts(g)) {
            DepthwiseF32.backwardWeight(g, x, xo, gy, gyo, gw, gwo);
            return;
        }
        if (ImplicitConvF32.accepts(g)) {
            ImplicitConvF32.backwardWeight(g, x, xo, gy, gyo, gw, gwo);
            return;
        }
        int cg = g.cg(), og = g.og(), rows = g.colRows(), plane = g.outPlane(), inPlane = g.inPlane();
        boolean pointwise = g.pointwise(), thin = !pointwise && rows <= THIN;
        // With few output channels and many im2col rows, gw^T = col @ gy^T is cheaper than
        // gw = gy @ col^T: the transposed operand GEMM packs is gy (og x pixels) rather than the
        // larger col (rows x pixels), and col is read in place. The product goes to a scratch gw^T.
        boolean transposed = !thin && og <= Sgemm.directColumns() && og < rows;
        float[] gwT = transposed ? scratch(3, g.o() * rows) : null;
        if (transposed) Arrays.fill(gwT, 0, g.o() * rows, 0f);
        Arrays.fill(gw, gwo, gwo + g.o() * rows, 0f);
        int nb = imagesPerGemm(g);
        for (int n0 = 0; n0 < g.n(); n0 += nb) {
            int cnt = Math.min(nb, g.n() - n0), ld = cnt * plane;
            for (int grp = 0; grp < g.groups(); grp++) {
                int xBase = xo + (n0 * g.c() + grp * cg) * inPlane;
                int gyBase = gyo + (n0 * g.o() + grp * og) * plane;
                int gwBase = gwo + grp * og * rows;
                float[] a = gy;
                int ao = gyBase;
                if (cnt > 1) {
                    a = scratch(1, og * ld);
                    ao = 0;
                    gather(gy, gyBase, g.o() * plane, cnt, og, plane, a);
                }
                float[] b = x;
                int bo = xBase;
                if (!pointwise) {
                    b = scratch(0, rows * ld + L);
                    bo = 0;
                    im2col(g, x, xBase, g.c() * inPlane, cnt, b, ld);
                } else if (cnt > 1) {
                    b = scratch(2, rows * ld);
                    bo = 0;
                    gather(x, xBase, g.c() * inPlane, cnt, cg, plane, b);
                }
                // gy (og x images*plane) @ col^T (images*plane x rows), added up over the chunks
                if (thin) {
                    thinProduct(og, rows, ld, a, ao, b, bo, gw, gwBase);
                } else if (transposed) {
                    Sgemm.gemm(rows, og, ld, b, bo, ld, 1, a, ao, 1, ld, gwT, grp * og * rows, og, 1, true);
                } else {
                    Sgemm.gemm(og, rows, ld, a, ao, ld, 1, b, bo, 1, ld, gw, gwBase, rows, 1, true);
                }
            }
        }
        if (transposed) {
            for (int grp = 0; grp < g.groups(); grp++) {
                int t = grp * og * rows, d = gwo + grp * og * rows;
                for (int o = 0; o < og; o++) {
                    for (int r = 0; r < rows; r++) gw[d + o * rows + r] = gwT[t + r * og + o];
                }
            }
        }
    }

    /** {@link ThinGemmF32#productTransB} split over blocks of four output rows. */
    private static void thinProduct(int m, int k, int n, float[] a, int ao, float[] b, int bo, float[] c, int co) {
        int blocks = Math.ceilDiv(m, 4);
        Parallel.forRange(blocks, 4L * k * n, (from, to) -> {
            int i0 = (int) from * 4, i1 = (int) Math.min(m, to * 4);
            ThinGemmF32.productTransB(i1 - i0, k, n, a, ao + i0 * n, n, b, bo, n, c, co + i0 * k, k);
        });
    }

    // ---------------------------------------------------------------- gather / scatter

    /**
     * Lays {@code images} consecutive images of {@code chans} planes side by side: row c of dst
     * ({@code images * plane} long) holds plane c of each image in turn.
     */
    static void gather(float[] src, int base, int imgStride, int images, int chans, int plane, float[] dst) {
        int ld = images * plane;
        Parallel.forRange((long) images * chans, plane, (from, to) -> {
            for (long t = from; t < to; t++) {
                int c = (int) (t / images), i = (int) (t % images);
                System.arraycopy(src, base + i * imgStride + c * plane, dst, c * ld + i * plane, plane);
            }
        });
    }

    /** The inverse of {@link #gather}: copies row segments back into image planes. */
    static void scatter(float[] src, int images, int chans, int plane, float[] dst, int base, int imgStride) {
        int ld = images * plane;
        Parallel.forRange((long) images * chans, plane, (from, to) -> {
            for (long t = from; t < to; t++) {
                int c = (int) (t / images), i = (int) (t % images);
                System.arraycopy(src, c * ld + i * plane, dst, base + i * imgStride + c * plane, plane);
            }
        });
    }

    // ---------------------------------------------------------------- im2col / col2im

    /**
     * Unfolds {@code images} consecutive images (their group's {@code cg} planes start at
     * {@code xBase + i * imgStride}) into {@code col}, whose rows are {@code ld} floats apart: row
     * {@code (c*kh + ky)*kw + kx}, column {@code i*oh*ow + oy*ow + ox} holds the input pixel that
     * kernel position (ky, kx) of channel c meets at output pixel (oy, ox) of image i, or 0 in the
     * padding.
     */
    static void im2col(Geometry g, float[] x, int xBase, int imgStride, int images, float[] col, int ld) {
        int cg = g.cg(), kk = g.kh() * g.kw(), plane = g.outPlane();
        Parallel.forRange((long) cg * images, (long) kk * plane, (from, to) -> {
            for (long t = from; t < to; t++) {
                int c = (int) (t / images), i = (int) (t % images);
                im2colChannel(g, x, xBase + i * imgStride + c * g.inPlane(), col, c * kk, i * plane, ld);
            }
        });
    }

    /** The {@code kh*kw} im2col rows of one channel of one image, each written at {@code row*ld + at}. */
    private static void im2colChannel(Geometry g, float[] x, int chan, float[] col, int row, int at, int ld) {
        int ow = g.ow(), oh = g.oh(), h = g.h(), w = g.w();
        for (int ky = 0; ky < g.kh(); ky++) {
            for (int kx = 0; kx < g.kw(); kx++, row++) {
                int dst = row * ld + at;
                int lo = g.owLo(kx), hi = g.owHi(kx);
                int colOff = kx * g.dw() - g.pw();
                if (g.sw() == 1 && ow <= 2 * L) {
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

    /**
     * One im2col row (kernel position ky, kx of one channel) for stride 1 and {@code ow <= 2L}:
     * each output row is one or two whole vectors with zeros outside {@code [lo, hi)}; a store may
     * run past an output row into the next one, which is written afterwards, and the last output
     * rows are copied exactly so nothing past this image's segment is touched.
     */
    private static void im2colRow(Geometry g, float[] x, int chan, float[] col, int dst, int ky, int lo, int hi, int colOff) {
        int ow = g.ow(), h = g.h(), w = g.w(), oh = g.oh();
        VectorMask<Float> m0 = S.indexInRange(-lo, hi - lo);
        VectorMask<Float> m1 = S.indexInRange(L - lo, hi - lo);
        FloatVector zero = FloatVector.zero(S);
        boolean two = ow > L;
        int width = two ? 2 * L : L, end = dst + oh * ow;
        for (int oy = 0; oy < oh; oy++, dst += ow) {
            int iy = oy * g.sh() - g.ph() + ky * g.dh();
            if (iy < 0 || iy >= h) {
                Arrays.fill(col, dst, dst + ow, 0f);
                continue;
            }
            int src = chan + iy * w + colOff;
            if (src < 0 || src + width > x.length || dst + width > end) {
                // Near either end of the array a masked load would take the slow checked path;
                // the last rows must not spill over into another image's segment.
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
            if (dst < 0 || dst + (two ? 2 * L : L) > x.length || src + (two ? 2 * L : L) > col.length) {
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

    /**
     * The adjoint of {@link #im2col}: overwrites the {@code cg} planes of each of the
     * {@code images} images with the sum of their column entries.
     */
    static void col2im(Geometry g, float[] col, int ld, int images, float[] x, int xBase, int imgStride) {
        int cg = g.cg(), kk = g.kh() * g.kw(), plane = g.outPlane(), inPlane = g.inPlane();
        Parallel.forRange((long) images * cg, (long) kk * plane, (from, to) -> {
            for (long t = from; t < to; t++) {
                int i = (int) (t / cg), c = (int) (t % cg);
                int chan = xBase + i * imgStride + c * inPlane;
                Arrays.fill(x, chan, chan + inPlane, 0f);
                col2imChannel(g, col, c * kk, i * plane, ld, x, chan);
            }
        });
    }

    /** Adds the {@code kh*kw} column rows of one channel of one image (at {@code row*ld + at}) into its plane. */
    private static void col2imChannel(Geometry g, float[] col, int row, int at, int ld, float[] x, int chan) {
        int ow = g.ow(), oh = g.oh(), h = g.h(), w = g.w();
        for (int ky = 0; ky < g.kh(); ky++) {
            for (int kx = 0; kx < g.kw(); kx++, row++) {
                int srcRow = row * ld + at;
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

    // ---------------------------------------------------------------- helpers

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
