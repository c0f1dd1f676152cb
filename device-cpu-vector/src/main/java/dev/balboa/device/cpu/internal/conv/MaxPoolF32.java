package dev.balboa.device.cpu.internal.conv;

import dev.balboa.device.cpu.internal.Parallel;

/**
 * The float32 max-pooling loop for contiguous NCHW input and outputs: each window's valid rows
 * and columns are computed once, the first maximum wins and a NaN wins over numbers.
 */
final class MaxPoolF32 {
    private MaxPoolF32() {}

    static void run(float[] x, int xOff, float[] v, int vOff, long[] idx, int iOff, int planes, int h, int w, int oh, int ow,
                    int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
        Parallel.forRange(planes, (long) oh * ow * kh * kw, (from, to) -> {
            boolean twoByTwo = kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 && dh == 1 && dw == 1
                    && 2 * oh <= h && 2 * ow <= w;
            for (int pl = (int) from; pl < to; pl++) {
                if (twoByTwo) {
                    planeTwoByTwo(x, xOff + pl * h * w, v, vOff + pl * oh * ow, idx, iOff + pl * oh * ow, w, oh, ow);
                    continue;
                }
                plane(x, xOff + pl * h * w, v, vOff + pl * oh * ow, idx, iOff + pl * oh * ow, h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw);
            }
        });
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
