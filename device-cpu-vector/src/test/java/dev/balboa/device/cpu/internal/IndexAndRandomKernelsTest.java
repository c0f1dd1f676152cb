package dev.balboa.device.cpu.internal;

import static dev.balboa.device.cpu.internal.Tensors.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import dev.balboa.spi.Operand;
import dev.balboa.spi.Philox;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Gather, scatter, random fills and the strided run walker. */
class IndexAndRandomKernelsTest {

    static Operand indices(Random r, long bound, long... shape) {
        Operand o = zeros(DType.INT64, shape);
        long[] a = ((CpuBuffer) o.buffer()).i64();
        for (int i = 0; i < a.length; i++) a[i] = r.nextInt((int) bound);
        return o;
    }

    @Test
    void gatherEveryAxisDtypeAndLayout() {
        Random r = new Random(21);
        for (DType t : DType.values()) {
            long[] xs = {4, 5, 6};
            Operand c = random(t, r, xs);
            for (Operand x : new Operand[] {c, transposedCopy(c), slicedCopy(c)}) {
                for (int axis = 0; axis < 3; axis++) {
                    long[] is = {3, 5, 2};
                    is[axis] = 7;
                    Operand idx0 = indices(r, xs[axis], is);
                    for (Operand idx : new Operand[] {idx0, transposedCopy(idx0)}) {
                        Operand out = zeros(t, is);
                        IndexKernels.gather(axis, x, idx, out);
                        for (long f = 0; f < numel(is); f++) {
                            long[] j = index(is, f);
                            j[axis] = l(idx, f);
                            assertEquals(d(x, flat(xs, j)), d(out, f), t + " axis " + axis);
                        }
                    }
                }
            }
        }
        // index expanded with stride 0 along a dimension
        Operand x = random(DType.FLOAT32, r, 6, 4);
        Operand row = of(DType.INT64, new double[] {5, 0, 2, 5}, 1, 4);
        Operand idx = view(row, new long[] {3, 4}, new long[] {0, 1}, 0);
        Operand out = zeros(DType.FLOAT32, 3, 4);
        IndexKernels.gather(0, x, idx, out);
        for (int i = 0; i < 12; i++) assertEquals(d(x, l(row, i % 4) * 4 + i % 4), d(out, i));
        assertThrows(IndexOutOfBoundsException.class, () -> IndexKernels.gather(0, x,
                of(DType.INT64, new double[] {6}, 1, 1), zeros(DType.FLOAT32, 1, 1)));
    }

    @Test
    void scatterReplaceLastWinsAndAddAccumulates() {
        Random r = new Random(22);
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT8, DType.BFLOAT16, DType.UINT8}) {
            for (int axis = 0; axis < 2; axis++) {
                long[] os = {5, 6};
                long[] is = {5, 6};
                is[axis] = 9;   // more sources than slots: duplicates are certain
                Operand base = random(t, r, os);
                Operand idx0 = indices(r, os[axis], is);
                Operand src0 = random(t, r, is);
                for (Operand[] is2 : new Operand[][] {{idx0, src0}, {transposedCopy(idx0), slicedCopy(src0)}}) {
                    for (Op.ScatterMode mode : Op.ScatterMode.values()) {
                        Operand out = zeros(t, os);
                        copyValues(base, out);
                        Operand outView = transposedCopy(out);
                        IndexKernels.scatter(axis, mode, is2[0], is2[1], outView);
                        double[] want = values(base);
                        for (long f = 0; f < numel(is); f++) {
                            long[] j = index(is, f);
                            j[axis] = l(is2[0], f);
                            int o = (int) flat(os, j);
                            double s = d(is2[1], f);
                            want[o] = mode == Op.ScatterMode.REPLACE ? s : want[o] + s;
                        }
                        for (int o = 0; o < want.length; o++) {
                            double w = t.isFloatingPoint() ? want[o] : d(of(t, new double[] {want[o]}, 1), 0);
                            assertTrue(close(w, d(outView, o), tol(t) * 8), t + " " + mode + " axis " + axis + " at " + o
                                    + ": want " + w + " got " + d(outView, o));
                        }
                    }
                }
            }
        }
        // index with stride 0: every source row adds into the same row
        Operand out = zeros(DType.FLOAT32, 3, 4);
        Operand idx = view(of(DType.INT64, new double[] {1}, 1), new long[] {5, 4}, new long[] {0, 0}, 0);
        Operand src = of(DType.FLOAT32, new double[20], 5, 4);
        Arrays.fill(((CpuBuffer) src.buffer()).f32(), 1f);
        IndexKernels.scatter(0, Op.ScatterMode.ADD, idx, src, out);
        assertArrayEquals(new double[] {0, 0, 0, 0, 5, 5, 5, 5, 0, 0, 0, 0}, values(out));
    }

    /** index_select / embedding rows: an index [n] broadcast along the rows of [n, dim] (strides 1, 0). */
    static Operand rowIndex(Random r, long bound, int n, long dim) {
        Operand flat = indices(r, bound, n);
        return view(flat, new long[] {n, dim}, new long[] {1, 0}, 0);
    }

    @Test
    void gatherOfWholeRowsCopiesEveryRowAcrossThreads() {
        Random r = new Random(24);
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.BFLOAT16, DType.INT64}) {
            for (long dim : new long[] {8, 33, 300}) {
                long rows = 50;
                int n = 3000;   // n * dim is past the parallel grain
                Operand table = random(t, r, rows, dim);
                Operand idx = rowIndex(r, rows, n, dim);
                Operand out = zeros(t, n, dim);
                IndexKernels.gather(0, table, idx, out);
                for (int i = 0; i < n; i++) {
                    long row = l(idx, (long) i * dim);
                    for (long k = 0; k < dim; k++) {
                        if (d(table, row * dim + k) != d(out, i * dim + k)) fail(t + " dim " + dim + " row " + i + " col " + k);
                    }
                }
            }
        }
        // a table view with a row stride wider than its rows, and a 3-D table with the index broadcast over two dims
        Operand wide = random(DType.FLOAT32, r, 10, 40);
        Operand tv = view(wide, new long[] {10, 16}, new long[] {40, 1}, 3);
        Operand idx = rowIndex(r, 10, 100, 16);
        Operand out = zeros(DType.FLOAT32, 100, 16);
        IndexKernels.gather(0, tv, idx, out);
        for (int i = 0; i < 1600; i++) assertEquals(d(wide, 3 + l(idx, i) * 40 + i % 16), d(out, i));
        Operand t3 = random(DType.FLOAT32, r, 7, 3, 12);
        Operand i1 = indices(r, 7, 20);
        Operand i3 = view(i1, new long[] {20, 3, 12}, new long[] {1, 0, 0}, 0);
        Operand o3 = zeros(DType.FLOAT32, 20, 3, 12);
        IndexKernels.gather(0, t3, i3, o3);
        for (int i = 0; i < 720; i++) assertEquals(d(t3, l(i1, i / 36) * 36 + i % 36), d(o3, i));
        Operand bad = view(of(DType.INT64, new double[] {0, 10}, 2), new long[] {2, 16}, new long[] {1, 0}, 0);
        assertThrows(IndexOutOfBoundsException.class, () -> IndexKernels.gather(0, tv, bad, zeros(DType.FLOAT32, 2, 16)));
    }

    @Test
    void scatterOfWholeRowsMatchesTheSerialOrder() {
        Random r = new Random(25);
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32}) {
            for (long dim : new long[] {8, 33, 64}) {
                int rows = 40, n = 4000;   // many duplicates per row, split across threads
                Operand idx = rowIndex(r, rows, n, dim);
                Operand src = random(t, r, n, dim);
                Operand base = random(t, r, rows, dim);
                for (Op.ScatterMode mode : Op.ScatterMode.values()) {
                    Operand out = zeros(t, rows, dim);
                    copyValues(base, out);
                    IndexKernels.scatter(0, mode, idx, src, out);
                    // the oracle: row-major order, in the dtype's own arithmetic
                    float[] wf = new float[rows * (int) dim];
                    double[] wd = values(base);
                    long[] wl = new long[wd.length];
                    for (int o = 0; o < wd.length; o++) {
                        wf[o] = (float) wd[o];
                        wl[o] = (long) wd[o];
                    }
                    for (int i = 0; i < n; i++) {
                        long row = l(idx, (long) i * dim);
                        for (int k = 0; k < dim; k++) {
                            int o = (int) (row * dim + k);
                            double s = d(src, i * dim + k);
                            if (mode == Op.ScatterMode.REPLACE) {
                                wf[o] = (float) s;
                                wd[o] = s;
                                wl[o] = (long) s;
                            } else {
                                wf[o] += (float) s;
                                wd[o] += s;
                                wl[o] = (int) (wl[o] + (long) s);
                            }
                        }
                    }
                    for (int o = 0; o < wd.length; o++) {
                        double want = switch (t) {
                            case FLOAT32 -> wf[o];
                            case FLOAT64 -> wd[o];
                            default -> wl[o];
                        };
                        if (want != d(out, o)) fail(t + " " + mode + " dim " + dim + " at " + o + ": want " + want + " got " + d(out, o));
                    }
                }
            }
        }
        // the destination is a view: a row stride wider than its rows and an offset
        Operand wide = zeros(DType.FLOAT32, 6, 20);
        Operand ov = view(wide, new long[] {6, 9}, new long[] {20, 1}, 5);
        Operand idx = rowIndex(r, 6, 30, 9);
        Operand src = random(DType.FLOAT32, r, 30, 9);
        IndexKernels.scatter(0, Op.ScatterMode.ADD, idx, src, ov);
        float[] want = new float[120];
        for (int i = 0; i < 270; i++) want[(int) (5 + l(idx, i) * 20 + i % 9)] += (float) d(src, i);
        for (int o = 0; o < 120; o++) assertEquals(want[o], d(wide, o), "at " + o);
        Operand bad = view(of(DType.INT64, new double[] {0, -1}, 2), new long[] {2, 9}, new long[] {1, 0}, 0);
        assertThrows(IndexOutOfBoundsException.class,
                () -> IndexKernels.scatter(0, Op.ScatterMode.ADD, bad, random(DType.FLOAT32, r, 2, 9), ov));
    }

    @Test
    void randomMatchesPhiloxElementByElementAndAcrossSplits() {
        long seed = 0x1234_5678_9ABCL, offset = 1000;
        int n = 100_003;   // big enough to be split across threads
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16}) {
            boolean f32 = t != DType.FLOAT64;
            Operand u = zeros(t, n), g = zeros(t, n);
            ElementwiseKernels.randomUniform(new Op.RandomUniform(seed, offset, -2, 3), u);
            ElementwiseKernels.randomNormal(new Op.RandomNormal(seed, offset, 0.5, 2), g);
            for (int i = 0; i < n; i++) {
                double unit = f32 ? Philox.uniformFloat(seed, offset + i) : Philox.uniform(seed, offset + i);
                double wu = round(t, Philox.scale(unit, -2, 3, f32));
                double wg = round(t, 0.5 + 2 * Philox.normal(seed, offset + i));
                if (wu != d(u, i) || wg != d(g, i)) fail(t + " element " + i + ": " + wu + "/" + d(u, i) + " " + wg + "/" + d(g, i));
            }
            // a small request (kept on the calling thread) at a later counter equals the matching slice
            Operand small = zeros(t, 2, 10);
            ElementwiseKernels.randomUniform(new Op.RandomUniform(seed, offset + 777, -2, 3), small);
            for (int i = 0; i < 20; i++) assertEquals(d(u, 777 + i), d(small, i));
            // a strided output takes numbers in its logical row-major order
            Operand tv = transposedCopy(zeros(t, 4, 5));
            ElementwiseKernels.randomNormal(new Op.RandomNormal(seed, offset + 50, 0.5, 2), tv);
            for (int i = 0; i < 20; i++) assertEquals(d(g, 50 + i), d(tv, i));
        }
        assertThrows(UnsupportedOperationException.class,
                () -> ElementwiseKernels.randomUniform(new Op.RandomUniform(1, 0, 0, 1), zeros(DType.INT32, 3)));
        Operand u = zeros(DType.FLOAT32, 1000);
        ElementwiseKernels.randomUniform(new Op.RandomUniform(3, 0, 1, 1.0000001), u);
        for (int i = 0; i < 1000; i++) assertTrue(d(u, i) >= 1 && d(u, i) < 1.0000001);
    }

    @Test
    void stridedWalkerVisitsEveryElementOnceInRowMajorOrder() {
        Random r = new Random(23);
        for (int trial = 0; trial < 200; trial++) {
            int rank = 1 + r.nextInt(4);
            long[] shape = new long[rank];
            for (int d = 0; d < rank; d++) shape[d] = r.nextInt(4) == 0 ? 1 : 1 + r.nextInt(6);
            Operand a = transposedCopy(zeros(DType.FLOAT32, shape));
            Operand b = zeros(DType.FLOAT32, shape);
            long[] bs = b.strides().clone();
            if (rank > 1) bs[r.nextInt(rank)] = 0;
            Operand bb = view(b, shape, bs, 0);
            Strided p = Strided.of(shape, a, bb);
            long n = numel(shape);
            long from = n == 0 ? 0 : r.nextInt((int) n), to = from + (n == from ? 0 : r.nextInt((int) (n - from) + 1));
            long[] next = {from};
            p.forRange(from, to, (off, len, flat) -> {
                assertEquals(next[0], flat);
                for (int k = 0; k < len; k++) {
                    assertEquals(off(a, flat + k), off[0] + k * p.innerStride(0));
                    assertEquals(off(bb, flat + k), off[1] + k * p.innerStride(1));
                }
                next[0] += len;
            });
            assertEquals(to, next[0]);
        }
        // a contiguous tensor is one run
        Strided c = Strided.of(new long[] {4, 5, 6}, zeros(DType.FLOAT32, 4, 5, 6));
        assertEquals(1, c.rank);
        assertEquals(120, c.inner());
    }
}
