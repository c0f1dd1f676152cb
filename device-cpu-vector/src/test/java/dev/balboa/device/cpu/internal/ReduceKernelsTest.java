package dev.balboa.device.cpu.internal;

import static dev.balboa.device.cpu.internal.Tensors.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.balboa.spi.DType;
import dev.balboa.spi.Op.ArgFn;
import dev.balboa.spi.Op.ReduceFn;
import dev.balboa.spi.Op.ScanFn;
import dev.balboa.spi.Operand;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Reductions, arg-reductions, scans and sort against plain-loop oracles in double. */
class ReduceKernelsTest {

    static long[] reducedShape(long[] shape, int[] axes) {
        long[] s = shape.clone();
        for (int a : axes) s[a] = 1;
        return s;
    }

    /** Oracle: reduce x over axes in double, by plain loops over logical indices. */
    static double[] oracle(ReduceFn fn, Operand x, int[] axes) {
        long[] shape = x.shape(), os = reducedShape(shape, axes);
        int on = (int) numel(os);
        double[] acc = new double[on];
        Arrays.fill(acc, switch (fn) {
            case SUM, ANY -> 0;
            case PROD, ALL -> 1;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        });
        boolean[] nan = new boolean[on];
        long n = numel(shape);
        for (long f = 0; f < n; f++) {
            long[] idx = index(shape, f);
            for (int a : axes) idx[a] = 0;
            int o = (int) flat(os, idx);
            double v = x.dtype().isFloatingPoint() ? d(x, f) : l(x, f);
            if (Double.isNaN(v)) nan[o] = true;
            acc[o] = switch (fn) {
                case SUM -> acc[o] + v;
                case PROD -> acc[o] * v;
                case MAX -> Math.max(acc[o], v);
                case MIN -> Math.min(acc[o], v);
                case ANY -> v != 0 ? 1 : acc[o];
                case ALL -> v == 0 ? 0 : acc[o];
            };
        }
        for (int o = 0; o < on; o++) if (nan[o] && (fn == ReduceFn.MAX || fn == ReduceFn.MIN)) acc[o] = Double.NaN;
        return acc;
    }

    static List<int[]> axisSets(int rank) {
        List<int[]> l = new ArrayList<>();
        for (int mask = 0; mask < (1 << rank); mask++) {
            int[] a = new int[Integer.bitCount(mask)];
            for (int d = 0, k = 0; d < rank; d++) if ((mask & (1 << d)) != 0) a[k++] = d;
            l.add(a);
        }
        return l;
    }

    static void check(ReduceFn fn, Operand x, int[] axes, DType outType, double tol) {
        Operand out = zeros(outType, reducedShape(x.shape(), axes));
        ReduceKernels.reduce(fn, axes, x, out);
        double[] want = oracle(fn, x, axes);
        for (int i = 0; i < want.length; i++) {
            if (!outType.isFloatingPoint() && Math.abs(want[i]) > 1e15) continue;  // beyond the oracle's exact range
            double w = outType.isFloatingPoint() ? round(outType, want[i]) : d(of(outType, new double[] {want[i]}, 1), 0);
            if (!close(w, d(out, i), tol)) {
                fail(fn + " axes " + Arrays.toString(axes) + " of " + x + " into " + outType + " element " + i
                        + ": want " + w + " got " + d(out, i));
            }
        }
    }

    @Test
    void everyAxisSetLayoutAndDtype() {
        Random r = new Random(11);
        for (DType t : DType.values()) {
            for (long[] shape : new long[][] {{3, 4, 5}, {2, 17, 33}, {1, 5, 1}}) {
                Operand c = random(t, r, shape);
                for (Operand x : new Operand[] {c, transposedCopy(c), slicedCopy(c)}) {
                    for (int[] axes : axisSets(3)) {
                        if (t == DType.BOOL) {
                            check(ReduceFn.ANY, x, axes, DType.BOOL, 0);
                            check(ReduceFn.ALL, x, axes, DType.BOOL, 0);
                            check(ReduceFn.SUM, x, axes, DType.INT64, 0);
                            continue;
                        }
                        for (ReduceFn fn : new ReduceFn[] {ReduceFn.SUM, ReduceFn.MAX, ReduceFn.MIN}) {
                            check(fn, x, axes, t, tol(t) * 4);
                        }
                        if (numel(shape) < 100) check(ReduceFn.PROD, x, axes, t.isFloatingPoint() ? DType.FLOAT64 : DType.INT64, 1e-12);
                    }
                }
            }
        }
    }

    @Test
    void widerOutputDtypes() {
        Random r = new Random(12);
        Operand i32 = random(DType.INT32, r, 40, 50);
        check(ReduceFn.SUM, i32, new int[] {0, 1}, DType.INT64, 0);
        Operand big = of(DType.INT32, new double[] {Integer.MAX_VALUE, Integer.MAX_VALUE}, 2);
        Operand o = zeros(DType.INT64, 1);
        ReduceKernels.reduce(ReduceFn.SUM, new int[] {0}, big, o);
        assertEquals(2L * Integer.MAX_VALUE, l(o, 0));
        Operand h = random(DType.FLOAT16, r, 30, 70);
        check(ReduceFn.SUM, h, new int[] {1}, DType.FLOAT32, 1e-6);
        check(ReduceFn.SUM, random(DType.UINT8, r, 300), new int[] {0}, DType.INT64, 0);
    }

    @Test
    void emptyAxesWriteTheIdentity() {
        Operand x = zeros(DType.FLOAT32, 3, 0);
        Operand s = zeros(DType.FLOAT32, 3, 1), p = zeros(DType.FLOAT32, 3, 1);
        ReduceKernels.reduce(ReduceFn.SUM, new int[] {1}, x, s);
        ReduceKernels.reduce(ReduceFn.PROD, new int[] {1}, x, p);
        assertArrayEquals(new double[] {0, 0, 0}, values(s));
        assertArrayEquals(new double[] {1, 1, 1}, values(p));
        Operand b = zeros(DType.BOOL, 0, 4), all = zeros(DType.BOOL, 1, 4), any = zeros(DType.BOOL, 1, 4);
        ReduceKernels.reduce(ReduceFn.ALL, new int[] {0}, b, all);
        ReduceKernels.reduce(ReduceFn.ANY, new int[] {0}, b, any);
        assertArrayEquals(new double[] {1, 1, 1, 1}, values(all));
        assertArrayEquals(new double[] {0, 0, 0, 0}, values(any));
        assertThrows(IllegalArgumentException.class, () -> ReduceKernels.reduce(ReduceFn.MAX, new int[] {1}, x, zeros(DType.FLOAT32, 3, 1)));
        // empty kept dims: nothing to write
        ReduceKernels.reduce(ReduceFn.SUM, new int[] {1}, zeros(DType.FLOAT32, 0, 5), zeros(DType.FLOAT32, 0, 1));
    }

    @Test
    void largeFloat32SumsAreAccurate() {
        Random r = new Random(13);
        for (int n : new int[] {1, 15, 16, 17, 1000, 100_003, 1_000_000, 3_000_017}) {
            float[] v = new float[n];
            double exact = 0;
            for (int i = 0; i < n; i++) {
                v[i] = r.nextFloat() + 0.1f;
                exact += v[i];
            }
            CpuBuffer b = new CpuBuffer(DType.FLOAT32, n);
            System.arraycopy(v, 0, b.f32(), 0, n);
            Operand out = zeros(DType.FLOAT32, 1);
            ReduceKernels.reduce(ReduceFn.SUM, new int[] {0}, Operand.contiguous(b, n), out);
            double rel = Math.abs(d(out, 0) - exact) / exact;
            assertTrue(rel < 2e-7, n + ": relative error " + rel);
        }
        // columns of a tall matrix, accumulated across rows
        int rows = 200_003, cols = 19;
        Operand m = zeros(DType.FLOAT32, rows, cols);
        float[] a = ((CpuBuffer) m.buffer()).f32();
        double[] exact = new double[cols];
        for (int i = 0; i < rows * cols; i++) {
            a[i] = r.nextFloat() + 0.1f;
            exact[i % cols] += a[i];
        }
        Operand out = zeros(DType.FLOAT32, 1, cols);
        ReduceKernels.reduce(ReduceFn.SUM, new int[] {0}, m, out);
        for (int j = 0; j < cols; j++) {
            double rel = Math.abs(d(out, j) - exact[j]) / exact[j];
            assertTrue(rel < 1e-6, "column " + j + ": relative error " + rel);
        }
    }

    @Test
    void perChannelOverBatchAndSmallPlanes() {
        Random r = new Random(31);
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int plane = 1; plane <= 33; plane++) {
                for (long[] shape : new long[][] {{2, 3, 1, plane}, {5, 7, plane, 1}}) {
                    Operand x = random(t, r, shape);
                    if (plane == 5) Access.of(x).setD(7, Double.NaN);
                    for (ReduceFn fn : new ReduceFn[] {ReduceFn.SUM, ReduceFn.MAX, ReduceFn.MIN}) {
                        check(fn, x, new int[] {0, 2, 3}, t, tol(t) * 4);
                    }
                }
            }
            Operand x = random(t, r, 16, 160, 2, 2);  // parallel over channels
            for (ReduceFn fn : new ReduceFn[] {ReduceFn.SUM, ReduceFn.MAX, ReduceFn.MIN}) {
                check(fn, x, new int[] {0, 2, 3}, t, tol(t) * 4);
                check(fn, transposedCopy(x), new int[] {0, 2, 3}, t, tol(t) * 4);
            }
        }
    }

    @Test
    void maxMinPropagateNaNOnEveryPath() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.BFLOAT16}) {
            for (int n : new int[] {1, 16, 17, 1000}) {
                double[] v = new double[3 * n];
                for (int i = 0; i < v.length; i++) v[i] = i;
                v[2 * n - 1] = Double.NaN;
                Operand x = of(t, v, 3, n);
                for (Operand xv : new Operand[] {x, transposedCopy(x)}) {
                    for (int[] axes : new int[][] {{0}, {1}, {0, 1}}) {
                        check(ReduceFn.MAX, xv, axes, t, 0);
                        check(ReduceFn.MIN, xv, axes, t, 0);
                    }
                }
            }
        }
    }

    @Test
    void argMaxArgMinTiesAndNaN() {
        Operand x = of(DType.FLOAT32, new double[] {1, 5, 5, 0, 0, 2, Double.NaN, 9, Double.NaN, 3, 3, 3}, 3, 4);
        Operand v = zeros(DType.FLOAT32, 3, 1), i = zeros(DType.INT64, 3, 1);
        ReduceKernels.argReduce(ArgFn.MAX, 1, x, v, i);
        assertArrayEquals(new double[] {1, 2, 0}, values(i));
        assertEquals(5, d(v, 0));
        assertTrue(Double.isNaN(d(v, 1)));
        ReduceKernels.argReduce(ArgFn.MIN, 1, x, v, i);
        assertArrayEquals(new double[] {3, 2, 0}, values(i));  // a NaN wins for min too
        // along axis 0 of a transposed int view, against an oracle
        Random r = new Random(14);
        for (DType t : new DType[] {DType.INT8, DType.UINT8, DType.INT64, DType.FLOAT16, DType.FLOAT64}) {
            Operand c = random(t, r, 7, 13);
            Operand xt = transposedCopy(c);
            for (ArgFn fn : ArgFn.values()) {
                Operand vv = zeros(t, 1, 13), ii = zeros(DType.INT64, 1, 13);
                ReduceKernels.argReduce(fn, 0, xt, vv, ii);
                for (int j = 0; j < 13; j++) {
                    int best = 0;
                    for (int k = 1; k < 7; k++) {
                        double a = d(c, k * 13 + j), b = d(c, best * 13 + j);
                        if (fn == ArgFn.MAX ? a > b : a < b) best = k;
                    }
                    assertEquals(best, l(ii, j), t + " " + fn + " column " + j);
                    assertEquals(d(c, best * 13 + j), d(vv, j));
                }
            }
        }
    }

    @Test
    void scansAlongEveryAxis() {
        Random r = new Random(15);
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.FLOAT16, DType.UINT8}) {
            long[] shape = {3, 17, 20};
            Operand c = random(t, r, shape);
            for (Operand x : new Operand[] {c, transposedCopy(c), slicedCopy(c)}) {
                for (int axis = 0; axis < 3; axis++) {
                    for (ScanFn fn : ScanFn.values()) {
                        DType ot = fn == ScanFn.PROD ? (t.isFloatingPoint() ? DType.FLOAT64 : DType.INT64) : t;
                        Operand out = zeros(ot, shape);
                        ReduceKernels.scan(fn, axis, x, out);
                        long n = numel(shape);
                        for (long f = 0; f < n; f++) {
                            long[] idx = index(shape, f);
                            double acc = fn == ScanFn.SUM ? 0 : 1;
                            long[] j = idx.clone();
                            for (long k = 0; k <= idx[axis]; k++) {
                                j[axis] = k;
                                double v = d(x, flat(shape, j));
                                acc = fn == ScanFn.SUM ? acc + v : acc * v;
                            }
                            double want = ot.isFloatingPoint() ? round(ot, acc) : d(of(ot, new double[] {acc}, 1), 0);
                            double tol = fn == ScanFn.PROD && ot == DType.INT64 ? 0 : tol(ot) * 8;
                            if (fn == ScanFn.PROD && ot == DType.INT64 && Math.abs(acc) > 1e15) continue;
                            assertTrue(close(want, d(out, f), tol), t + " cum" + fn + " axis " + axis + " at "
                                    + Arrays.toString(idx) + ": want " + want + " got " + d(out, f));
                        }
                    }
                }
            }
        }
        // long float32 cumsum stays accurate
        int n = 100_003;
        Operand x = zeros(DType.FLOAT32, n);
        float[] a = ((CpuBuffer) x.buffer()).f32();
        Arrays.fill(a, 0.1f);
        Operand out = zeros(DType.FLOAT32, n);
        ReduceKernels.scan(ScanFn.SUM, 0, x, out);
        assertEquals(0.1f * (double) n, d(out, n - 1), 1e-6 * n * 0.1);
    }

    @Test
    void sortIsStableWithNaNLargest() {
        double nan = Double.NaN;
        Operand x = of(DType.FLOAT32, new double[] {3, nan, 1, -0.0, 3, 0.0, -5, nan, 1}, 9);
        Operand v = zeros(DType.FLOAT32, 9), i = zeros(DType.INT64, 9);
        ReduceKernels.sort(0, false, x, v, i);
        assertArrayEquals(new double[] {6, 3, 5, 2, 8, 0, 4, 1, 7}, values(i));
        ReduceKernels.sort(0, true, x, v, i);
        assertArrayEquals(new double[] {1, 7, 0, 4, 2, 8, 3, 5, 6}, values(i));
        assertTrue(Double.isNaN(d(v, 0)));
        assertEquals(-5, d(v, 8));

        Random r = new Random(16);
        for (DType t : new DType[] {DType.INT8, DType.UINT8, DType.INT64, DType.FLOAT32, DType.BFLOAT16, DType.BOOL}) {
            for (int m : new int[] {1, 5, 24, 25, 100, 1000}) {
                Operand c0 = random(t, r, 3, m);
                // few distinct values so stability is exercised
                Operand c = t == DType.INT64 || t == DType.FLOAT32
                        ? of(t, Arrays.stream(values(c0)).map(q -> Math.floor(q / 300)).toArray(), 3, m) : c0;
                for (boolean desc : new boolean[] {false, true}) {
                    for (Operand xv : new Operand[] {c, transposedCopy(c)}) {
                        Operand vv = zeros(t, 3, m), ii = zeros(DType.INT64, 3, m);
                        ReduceKernels.sort(1, desc, xv, vv, ii);
                        for (int row = 0; row < 3; row++) {
                            Integer[] perm = new Integer[m];
                            for (int k = 0; k < m; k++) perm[k] = k;
                            final int rr = row;
                            Arrays.sort(perm, (p, q) -> desc ? Double.compare(d(c, rr * m + q), d(c, rr * m + p))
                                    : Double.compare(d(c, rr * m + p), d(c, rr * m + q)));
                            for (int k = 0; k < m; k++) {
                                assertEquals((long) perm[k], l(ii, row * m + k), t + " m=" + m + " desc=" + desc);
                                assertEquals(d(c, row * m + perm[k]), d(vv, row * m + k));
                            }
                        }
                    }
                }
            }
        }
        // along axis 0
        Operand c = random(DType.INT32, r, 50, 3);
        Operand vv = zeros(DType.INT32, 50, 3), ii = zeros(DType.INT64, 50, 3);
        ReduceKernels.sort(0, false, c, vv, ii);
        for (int col = 0; col < 3; col++) {
            for (int k = 1; k < 50; k++) assertTrue(d(vv, k * 3 + col) >= d(vv, (k - 1) * 3 + col));
            for (int k = 0; k < 50; k++) assertEquals(d(c, l(ii, k * 3 + col) * 3 + col), d(vv, k * 3 + col));
        }
    }
}
