package dev.balboa.device.cpu.internal.conv;

import dev.balboa.device.cpu.internal.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 max-pooling loop for contiguous NCHW input and outputs: each window's valid rows
 * and columns are computed once, the first maximum wins and a NaN wins over numbers.
 */
final class MaxPoolF32 {
    /** Whether 512-bit vectors are available, which the vectorised 2x2 loop needs. */
    private static final boolean WIDE = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512;
    private static final VectorSpecies<Float> F16 = FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> I16 = IntVector.SPECIES_512;
    private static final VectorSpecies<Long> L8 = LongVector.SPECIES_512;
    private static final VectorSpecies<Float> F8 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> I8 = IntVector.SPECIES_256;
    /** Swaps each pair of adjacent lanes (an in-lane permute). */
    private static final VectorShuffle<Float> SWAP = VectorShuffle.fromOp(F16, i -> i ^ 1);

    private MaxPoolF32() {}

    /** Planes each path runs per chunk while the vector 2x2 loop has not yet proven faster. */
    private static final int PROBE = 16;
    /**
     * Set once the vector 2x2 loop has run at least one and a half times as fast as the scalar one
     * three times in a row, which happens when C2 has compiled it. Until then (interpreted or in C1
     * the Vector API is not intrinsified and the loop is about a hundred times slower than the
     * scalar one, and on a loaded machine its C2 compile can arrive seconds late, while the small
     * scalar loop is compiled early) the scalar loop does the bulk of each call and the vector loop
     * only {@link #PROBE} planes per chunk, enough to reach the compile thresholds in a few calls.
     * Both loops give identical values and indices, so the choice never changes results.
     */
    private static volatile boolean vectorWarm;
    private static int vectorWins;

    static void run(float[] x, int xOff, float[] v, int vOff, long[] idx, int iOff, int planes, int h, int w, int oh, int ow,
                    int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
        boolean twoByTwo = kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 && dh == 1 && dw == 1
                && 2 * oh <= h && 2 * ow <= w;
        // Windows that never leave the input (no padding or dilation, as in AlexNet's 3x3 stride 2).
        boolean inside = ph == 0 && pw == 0 && dh == 1 && dw == 1 && (long) (oh - 1) * sh + kh <= h && (long) (ow - 1) * sw + kw <= w;
        Parallel.forRange(planes, (long) oh * ow * kh * kw, (from, to) -> {
            int pl = (int) from;
            if (twoByTwo) {
                boolean vector = WIDE && vectorWarm;
                if (WIDE && !vector && to - from >= 4 * PROBE) {
                    vector = probeTwoByTwo(x, xOff, v, vOff, idx, iOff, pl, h, w, oh, ow);
                    pl += 2 * PROBE;
                }
                for (; pl < to; pl++) {
                    if (vector) planeTwoByTwoVector(x, xOff + pl * h * w, v, vOff + pl * oh * ow, idx, iOff + pl * oh * ow, w, oh, ow);
                    else planeTwoByTwo(x, xOff + pl * h * w, v, vOff + pl * oh * ow, idx, iOff + pl * oh * ow, w, oh, ow);
                }
                return;
            }
            for (; pl < to; pl++) {
                if (inside) planeInside(x, xOff + pl * h * w, v, vOff + pl * oh * ow, idx, iOff + pl * oh * ow, w, oh, ow, kh, kw, sh, sw);
                else plane(x, xOff + pl * h * w, v, vOff + pl * oh * ow, idx, iOff + pl * oh * ow, h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw);
            }
        });
    }

    /**
     * Runs {@link #PROBE} planes with each 2x2 loop from plane {@code pl} and times them: returns
     * whether the vector loop was the faster (the rest of the chunk then runs with it), and records
     * whether it was at least one and a half times as fast.
     */
    private static boolean probeTwoByTwo(float[] x, int xOff, float[] v, int vOff, long[] idx, int iOff, int pl,
                                     int h, int w, int oh, int ow) {
        long t0 = System.nanoTime();
        for (int end = pl + PROBE; pl < end; pl++) {
            planeTwoByTwoVector(x, xOff + pl * h * w, v, vOff + pl * oh * ow, idx, iOff + pl * oh * ow, w, oh, ow);
        }
        long t1 = System.nanoTime();
        for (int end = pl + PROBE; pl < end; pl++) {
            planeTwoByTwo(x, xOff + pl * h * w, v, vOff + pl * oh * ow, idx, iOff + pl * oh * ow, w, oh, ow);
        }
        long t2 = System.nanoTime();
        if (3 * (t1 - t0) < 2 * (t2 - t1)) {
            if (++vectorWins >= 3) vectorWarm = true;
        } else {
            vectorWins = 0;
        }
        return t1 - t0 <= t2 - t1;
    }

    /**
     * The common 2x2 window with stride 2 and no padding, without data-dependent branches (random
     * data makes a compare-and-branch loop mispredict about half the time): a later element wins
     * when it is greater or NaN, unless the running maximum is already NaN.
     */
    private static void planeTwoByTwo(float[] x, int xb, float[] v, int vb, long[] idx, int ib, int w, int oh, int ow) {
        for (int oy = 0; oy < oh; oy++) {
            int r0 = xb + 2 * oy * w, r1 = r0 + w, o = oy * ow;
            int p0 = 2 * oy * w, p1 = p0 + w;
            for (int ox = 0; ox < ow; ox++) {
                int c = 2 * ox;
                float m = x[r0 + c];
                int at = p0 + c;
                float e = x[r0 + c + 1];
                boolean t = (m == m) & !(e <= m);
                m = t ? e : m;
                at = t ? p0 + c + 1 : at;
                e = x[r1 + c];
                t = (m == m) & !(e <= m);
                m = t ? e : m;
                at = t ? p1 + c : at;
                e = x[r1 + c + 1];
                t = (m == m) & !(e <= m);
                m = t ? e : m;
                at = t ? p1 + c + 1 : at;
                v[vb + o + ox] = m;
                idx[ib + o + ox] = at;
            }
        }
    }

    /**
     * {@link #planeTwoByTwo} eight output columns at a time with no cross-lane shuffle: sixteen
     * input floats of each row are loaded, a swap of adjacent lanes puts each window's right
     * column beside its left one, and the four compare-and-select steps of the scalar loop run in
     * the even lanes (the odd lanes compute values that are dropped), so values and indices match
     * it bit for bit. The even lanes are then narrowed out as the low halves of 64-bit lanes. A
     * row's last group loads and stores under masks.
     */
    private static void planeTwoByTwoVector(float[] x, int xb, float[] v, int vb, long[] idx, int ib, int w, int oh, int ow) {
        IntVector lanes = IntVector.zero(I16).addIndex(1);
        int in = 2 * ow;
        for (int oy = 0; oy < oh; oy++) {
            int r0 = xb + 2 * oy * w, r1 = r0 + w, o = oy * ow;
            int p0 = 2 * oy * w, p1 = p0 + w;
            for (int ox = 0; ox < ow; ox += 8) {
                int n = Math.min(8, ow - ox), c = 2 * ox;
                FloatVector a, b;
                if (n == 8) {
                    a = FloatVector.fromArray(F16, x, r0 + c);
                    b = FloatVector.fromArray(F16, x, r1 + c);
                } else {
                    VectorMask<Float> valid = F16.indexInRange(c, in);
                    a = FloatVector.fromArray(F16, x, r0 + c, valid);
                    b = FloatVector.fromArray(F16, x, r1 + c, valid);
                }
                IntVector cols = lanes.add(c);
                FloatVector m = a;
                IntVector at = cols.add(p0);
                FloatVector e = a.rearrange(SWAP);
                VectorMask<Float> t = wins(m, e);
                m = m.blend(e, t);
                at = at.blend(cols.add(p0 + 1), t.cast(I16));
                t = wins(m, b);
                m = m.blend(b, t);
                at = at.blend(cols.add(p1), t.cast(I16));
                e = b.rearrange(SWAP);
                t = wins(m, e);
                m = m.blend(e, t);
                at = at.blend(cols.add(p1 + 1), t.cast(I16));
                FloatVector values = ((IntVector) m.reinterpretAsLongs().convertShape(VectorOperators.L2I, I8, 0)).reinterpretAsFloats();
                LongVector where = at.reinterpretAsLongs().and(0xFFFF_FFFFL);
                int dst = o + ox;
                if (n == 8) {
                    values.intoArray(v, vb + dst);
                    where.intoArray(idx, ib + dst);
                } else {
                    values.intoArray(v, vb + dst, F8.indexInRange(0, n));
                    where.intoArray(idx, ib + dst, L8.indexInRange(0, n));
                }
            }
        }
    }

    /**
     * Lanes where e replaces the running maximum m: m is a number and e is greater or NaN (the
     * scalar {@code m == m && !(e <= m)}, spelt without a mask negation, which C2 in JDK 25
     * miscompiles here).
     */
    private static VectorMask<Float> wins(FloatVector m, FloatVector e) {
        return e.compare(VectorOperators.GT, m).or(e.compare(VectorOperators.NE, e)).and(m.compare(VectorOperators.EQ, m));
    }

    /**
     * Any window that lies inside the input with unit dilation, with the branch-free
     * compare-and-select of {@link #planeTwoByTwo} over the window in row-major order.
     */
    private static void planeInside(float[] x, int xb, float[] v, int vb, long[] idx, int ib, int w, int oh, int ow,
                                    int kh, int kw, int sh, int sw) {
        for (int oy = 0; oy < oh; oy++) {
            int top = oy * sh * w, o = vb + oy * ow, io = ib + oy * ow;
            for (int ox = 0; ox < ow; ox++) {
                int p0 = top + ox * sw;
                float m = x[xb + p0];
                int at = p0;
                for (int ky = 0; ky < kh; ky++) {
                    int row = p0 + ky * w;
                    for (int kx = 0; kx < kw; kx++) {
                        float e = x[xb + row + kx];
                        boolean t = (m == m) & !(e <= m);
                        m = t ? e : m;
                        at = t ? row + kx : at;
                    }
                }
                v[o + ox] = m;
                idx[io + ox] = at;
            }
        }
    }

    private static int firstValid(int start, int dil, int k, int size) {
        int t = 0;
        while (t < k && start + t * dil < 0) t++;
        return t;
    }

    private static int endValid(int start, int dil, int k, int size) {
        int t = k;
        while (t > 0 && start + (t - 1) * dil >= size) t--;
        return t;
    }

    private static void plane(float[] x, int xb, float[] v, int vb, long[] idx, int ib, int h, int w, int oh, int ow,
                              int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
        for (int oy = 0; oy < oh; oy++) {
            int y0 = oy * sh - ph;
            int kyFrom = firstValid(y0, dh, kh, h), kyTo = endValid(y0, dh, kh, h);
            for (int ox = 0; ox < ow; ox++) {
                int x0 = ox * sw - pw;
                int kxFrom = firstValid(x0, dw, kw, w), kxTo = endValid(x0, dw, kw, w);
                float best = Float.NEGATIVE_INFINITY;
                int bestAt = -1;
                boolean nan = false;
                for (int ky = kyFrom; ky < kyTo && !nan; ky++) {
                    int iy = y0 + ky * dh;
                    int row = iy * w;
                    for (int kx = kxFrom; kx < kxTo; kx++) {
                        int at = row + x0 + kx * dw;
                        float e = x[xb + at];
                        if (e > best || bestAt < 0) {
                            best = e;
                            bestAt = at;
                            if (e != e) {
                                nan = true;
                                break;
                            }
                        } else if (e != e) {
                            best = e;
                            bestAt = at;
                            nan = true;
                            break;
                        }
                    }
                }
                v[vb + oy * ow + ox] = best;
                idx[ib + oy * ow + ox] = bestAt;
            }
        }
    }
}
