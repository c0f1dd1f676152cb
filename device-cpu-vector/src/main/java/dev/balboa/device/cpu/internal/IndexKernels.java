package dev.balboa.device.cpu.internal;

import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import dev.balboa.spi.Operand;
import java.util.Arrays;

/**
 * Gather and scatter along one axis. Both walk the index's shape with a {@link Strided} plan
 * in which the indexed tensor's view has stride 0 on the axis, and add {@code index * stride}
 * per element. Gather runs in parallel; scatter runs in row-major order on the calling thread so
 * that the last duplicate wins for REPLACE and sums are reproducible for ADD.
 *
 * <p>Row fast paths (index_select, embedding and their gradients): when the index is constant
 * along the innermost run and the data views are contiguous along it, whole rows are copied
 * (gather) or added (scatter). The row scatter is split across threads by destination row, each
 * thread visiting the rows in row-major order and taking those whose index falls in its range, so
 * no two threads write one element and every element sees its contributions in the serial order.
 */
final class IndexKernels {
    private IndexKernels() {}

    /** x's strides and offset with the axis stride zeroed, i.e. the base position of each index element. */
    private static long[] baseStrides(Operand t, int axis) {
        long[] s = t.strides().clone();
        s[axis] = 0;
        return s;
    }

    private static void sameRank(String op, Operand a, Operand b) {
        if (a.rank() != b.rank()) {
            throw new IllegalArgumentException(op + ": " + Checks.describe(a) + " and " + Checks.describe(b)
                    + " must have the same rank");
        }
    }

    private static IndexOutOfBoundsException outOfRange(String op, long idx, long size, int axis) {
        return new IndexOutOfBoundsException(op + ": index " + idx + " is out of bounds for axis " + axis
                + " with size " + size);
    }

    static void gather(int axis, Operand x, Operand index, Operand out) {
        String op = "gather";
        Checks.axis(op, axis, x);
        Checks.dtype(op, "index", index, DType.INT64);
        Checks.dtype(op, "out", out, x.dtype());
        sameRank(op, x, index);
        Checks.shape(op, "out", out, index.shape());
        long[] shape = index.shape();
        Strided p = Strided.of(shape, new long[][] {out.strides(), index.strides(), baseStrides(x, axis)},
                new long[] {out.offset(), index.offset(), x.offset()});
        if (p.numel == 0) return;
        int so = p.innerStride(0), si = p.innerStride(1), sb = p.innerStride(2);
        long ax = x.strides()[axis], size = x.shape()[axis];
        long[] ia = ((CpuBuffer) index.buffer()).i64();
        Object xa = Checks.array(x), oa = Checks.array(out);
        if (p.rank >= 2 && so == 1 && si == 0 && sb == 1 && p.inner() >= MIN_ROW) {
            long inner = p.inner();
            Parallel.forRange(p.numel / inner, inner, (r0, r1) -> p.forRange(r0 * inner, r1 * inner, (off, len, flat) -> {
                long idx = ia[off[1]];
                if (idx < 0 || idx >= size) throw outOfRange(op, idx, size, axis);
                System.arraycopy(xa, (int) (off[2] + idx * ax), oa, off[0], len);
            }));
            return;
        }
        p.parallel(2, (off, len, flat) -> {
            int o = off[0], i = off[1], b = off[2];
            for (int k = 0; k < len; k++, o += so, i += si, b += sb) {
                long idx = ia[i];
                if (idx < 0 || idx >= size) throw outOfRange(op, idx, size, axis);
                int s = (int) (b + idx * ax);
                switch (oa) {
                    case float[] d -> d[o] = ((float[]) xa)[s];
                    case double[] d -> d[o] = ((double[]) xa)[s];
                    case short[] d -> d[o] = ((short[]) xa)[s];
                    case byte[] d -> d[o] = ((byte[]) xa)[s];
                    case int[] d -> d[o] = ((int[]) xa)[s];
                    case long[] d -> d[o] = ((long[]) xa)[s];
                    default -> throw new AssertionError(oa.getClass());
                }
            }
        });
    }

    static void scatter(int axis, Op.ScatterMode mode, Operand index, Operand src, Operand out) {
        String op = "scatter_" + mode.name().toLowerCase();
        Checks.axis(op, axis, out);
        Checks.dtype(op, "index", index, DType.INT64);
        Checks.dtype(op, "src", src, out.dtype());
        sameRank(op, out, index);
        if (!Arrays.equals(index.shape(), src.shape())) {
            throw new IllegalArgumentException(op + ": index " + Checks.describe(index) + " and src "
                    + Checks.describe(src) + " must have the same shape");
        }
        long[] shape = index.shape();
        Strided p = Strided.of(shape, new long[][] {baseStrides(out, axis), index.strides(), src.strides()},
                new long[] {out.offset(), index.offset(), src.offset()});
        if (p.numel == 0) return;
        int sb = p.innerStride(0), si = p.innerStride(1), ss = p.innerStride(2);
        long ax = out.strides()[axis], size = out.shape()[axis];
        long[] ia = ((CpuBuffer) index.buffer()).i64();
        boolean add = mode == Op.ScatterMode.ADD;
        DType t = out.dtype();
        Object oa = Checks.array(out), sa = Checks.array(src);
        if (p.rank == 2 && sb == 1 && si == 0 && ss == 1 && p.strides[0][0] == 0 && p.inner() >= MIN_ROW
                && (!add || t == DType.FLOAT32 || t == DType.FLOAT64)) {
            scatterRows(op, axis, add, p, ia, ax, size, oa, sa);
            return;
        }
        if (add && p.rank == 2 && sb == 0 && ax > 0 && p.strides[0][0] >= size * ax
                && (t == DType.FLOAT32 || t == DType.FLOAT64)) {
            scatterAddWithinRows(op, axis, p, ia, ax, size, oa, sa);
            return;
        }
        Access oacc = Access.of(out), sacc = Access.of(src);
        boolean floating = t.isFloatingPoint();
        p.forRange(0, p.numel, (off, len, flat) -> {
            int b = off[0], i = off[1], s = off[2];
            for (int k = 0; k < len; k++, b += sb, i += si, s += ss) {
                long idx = ia[i];
                if (idx < 0 || idx >= size) throw outOfRange(op, idx, size, axis);
                int d = (int) (b + idx * ax);
                if (!add) {
                    switch (oa) {
                        case float[] a -> a[d] = ((float[]) sa)[s];
                        case double[] a -> a[d] = ((double[]) sa)[s];
                        case short[] a -> a[d] = ((short[]) sa)[s];
                        case byte[] a -> a[d] = ((byte[]) sa)[s];
                        case int[] a -> a[d] = ((int[]) sa)[s];
                        case long[] a -> a[d] = ((long[]) sa)[s];
                        default -> throw new AssertionError(oa.getClass());
                    }
                } else if (t == DType.FLOAT32) {
                    ((float[]) oa)[d] += ((float[]) sa)[s];
                } else if (t == DType.FLOAT64) {
                    ((double[]) oa)[d] += ((double[]) sa)[s];
                } else if (floating) {
                    oacc.setD(d, oacc.getD(d) + sacc.getD(s));
                } else {
                    oacc.setL(d, oacc.getL(d) + sacc.getL(s));
                }
            }
        });
    }

    /** Shortest inner run that takes the row paths (shorter rows are cheaper element by element). */
    private static final long MIN_ROW = 8;

    /**
     * Scatter of whole rows: the plan is {@code [rows, inner]} with the destination's row start
     * depending only on the index ({@code out} base stride 0 over rows), the index constant along
     * a row and source and destination contiguous along it.
     */
    private static void scatterRows(String op, int axis, boolean add, Strided p, long[] ia, long ax, long size, Object oa,
                                    Object sa) {
        int rows = (int) p.shape[0], inner = (int) p.inner();
        long si = p.strides[1][0], ss = p.strides[2][0];
        long ob = p.offsets[0], ib = p.offsets[1], sbase = p.offsets[2];
        for (int r = 0; r < rows; r++) {
            long idx = ia[(int) (ib + r * si)];
            if (idx < 0 || idx >= size) throw outOfRange(op, idx, size, axis);
        }
        // a thread owns the destination rows with index in [lo, hi); rows are visited in order
        int chunks = (int) Math.min(Parallel.threads(), Math.max(1, (long) rows * inner / Parallel.GRAIN));
        Parallel.forChunks(chunks, chunks, (c0, c1) -> {
            for (long c = c0; c < c1; c++) {
                long lo = size * c / chunks, hi = size * (c + 1) / chunks;
                for (int r = 0; r < rows; r++) {
                    long idx = ia[(int) (ib + r * si)];
                    if (idx < lo || idx >= hi) continue;
                    int d = (int) (ob + idx * ax), s = (int) (sbase + r * ss);
                    if (!add) {
                        System.arraycopy(sa, s, oa, d, inner);
                    } else if (oa instanceof float[] o) {
                        float[] a = (float[]) sa;
                        for (int k = 0; k < inner; k++) o[d + k] += a[s + k];
                    } else {
                        double[] o = (double[]) oa, a = (double[]) sa;
                        for (int k = 0; k < inner; k++) o[d + k] += a[s + k];
                    }
                }
            }
        });
    }

    /**
     * Scatter-add whose plan is {@code [rows, inner]} with the scattered axis inside each row and
     * disjoint destination rows (as in the max-pooling gradient, a row per plane): the rows run in
     * parallel, each one's elements in order.
     */
    private static void scatterAddWithinRows(String op, int axis, Strided p, long[] ia, long ax, long size, Object oa,
                                             Object sa) {
        int rows = (int) p.shape[0], inner = (int) p.shape[1];
        long ob = p.offsets[0], ib = p.offsets[1], sbase = p.offsets[2];
        long os = p.strides[0][0], is0 = p.strides[1][0], ss0 = p.strides[2][0];
        int is1 = (int) p.strides[1][1], ss1 = (int) p.strides[2][1];
        Parallel.forRange(rows, inner, (from, to) -> {
            for (long r = from; r < to; r++) {
                int d = (int) (ob + r * os), i = (int) (ib + r * is0), s = (int) (sbase + r * ss0);
                if (oa instanceof float[] o) {
                    float[] a = (float[]) sa;
                    for (int k = 0; k < inner; k++, i += is1, s += ss1) {
                        long idx = ia[i];
                        if (idx < 0 || idx >= size) throw outOfRange(op, idx, size, axis);
                        o[(int) (d + idx * ax)] += a[s];
                    }
                } else {
                    double[] o = (double[]) oa, a = (double[]) sa;
                    for (int k = 0; k < inner; k++, i += is1, s += ss1) {
                        long idx = ia[i];
                        if (idx < 0 || idx >= size) throw outOfRange(op, idx, size, axis);
                        o[(int) (d + idx * ax)] += a[s];
                    }
                }
            }
        });
    }
}
