package dev.balboa.device.cpu.internal;

import dev.balboa.spi.DType;
import dev.balboa.spi.Operand;

/**
 * Stable sort along an axis with int64 positions. Each line's values become order-preserving
 * long keys (floating values by their bits, -0.0 folded onto 0.0 so they tie, NaN above
 * +infinity), which a stable merge sort orders together with the original positions; lines are
 * sorted in parallel.
 */
final class SortKernels {
    private SortKernels() {}

    private static final int INSERTION = 24;

    static void sort(int axis, boolean descending, Operand x, Operand values, Operand indices) {
        String op = "sort";
        Checks.axis(op, axis, x);
        Checks.shape(op, "values", values, x.shape());
        Checks.shape(op, "indices", indices, x.shape());
        Checks.dtype(op, "values", values, x.dtype());
        Checks.dtype(op, "indices", indices, DType.INT64);
        long[] ls = x.shape().clone();
        ls[axis] = 1;
        Strided p = Strided.of(ls, values, indices, x);
        int m = (int) x.shape()[axis];
        if (p.numel == 0 || m == 0) return;
        int sv = p.innerStride(0), si = p.innerStride(1), sx = p.innerStride(2);
        int vst = (int) values.strides()[axis], ist = (int) indices.strides()[axis], xst = (int) x.strides()[axis];
        Access xa = Access.of(x), va = Access.of(values);
        long[] ia = ((CpuBuffer) indices.buffer()).i64();
        boolean floating = x.dtype().isFloatingPoint();
        long cost = (long) m * (4 + 64 - Long.numberOfLeadingZeros(m));
        p.parallel(cost, (off, len, flat) -> {
            long[] keys = new long[m], tk = new long[m];
            int[] pos = new int[m], tp = new int[m];
            for (int j = 0; j < len; j++) {
                int xb = off[2] + j * sx;
                for (int k = 0; k < m; k++) {
                    keys[k] = floating ? key(xa.getD(xb + k * xst)) : xa.getL(xb + k * xst);
                    pos[k] = k;
                }
                sortLine(keys, pos, tk, tp, m, descending);
                int vb = off[0] + j * sv, ib = off[1] + j * si;
                for (int k = 0; k < m; k++) {
                    int src = xb + pos[k] * xst;
                    if (floating) va.setD(vb + k * vst, xa.getD(src));
                    else va.setL(vb + k * vst, xa.getL(src));
                    ia[ib + k * ist] = pos[k];
                }
            }
        });
    }

    /** An order-preserving long for a double: -0.0 ties with 0.0, every NaN is above +infinity. */
    static long key(double d) {
        if (Double.isNaN(d)) return Long.MAX_VALUE;
        long b = Double.doubleToLongBits(d == 0 ? 0.0 : d);
        return b >= 0 ? b : b ^ Long.MAX_VALUE;
    }

    /** Stable sort of keys[0..n) carrying pos along; tk and tp are scratch of length n. */
    static void sortLine(long[] keys, int[] pos, long[] tk, int[] tp, int n, boolean desc) {
        // insertion-sort small runs, then merge runs bottom-up, ping-ponging between the arrays
        for (int s = 0; s < n; s += INSERTION) {
            int e = Math.min(n, s + INSERTION);
            for (int i = s + 1; i < e; i++) {
                long k = keys[i];
                int p = pos[i];
                int j = i - 1;
                while (j >= s && (desc ? keys[j] < k : keys[j] > k)) {
                    keys[j + 1] = keys[j];
                    pos[j + 1] = pos[j];
                    j--;
                }
                keys[j + 1] = k;
                pos[j + 1] = p;
            }
        }
        long[] ak = keys, bk = tk;
        int[] ap = pos, bp = tp;
        for (int width = INSERTION; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(n, lo + width), hi = Math.min(n, lo + 2 * width);
                int i = lo, j = mid, o = lo;
                while (i < mid && j < hi) {
                    // take from the right only when it strictly precedes, which keeps equal keys in order
                    boolean right = desc ? ak[j] > ak[i] : ak[j] < ak[i];
                    if (right) {
                        bk[o] = ak[j];
                        bp[o++] = ap[j++];
                    } else {
                        bk[o] = ak[i];
                        bp[o++] = ap[i++];
                    }
                }
                while (i < mid) {
                    bk[o] = ak[i];
                    bp[o++] = ap[i++];
                }
                while (j < hi) {
                    bk[o] = ak[j];
                    bp[o++] = ap[j++];
                }
            }
            long[] t = ak; ak = bk; bk = t;
            int[] u = ap; ap = bp; bp = u;
        }
        if (ak != keys) {
            System.arraycopy(ak, 0, keys, 0, n);
            System.arraycopy(ap, 0, pos, 0, n);
        }
    }
}
