package dev.balboa.device.cpu.internal;

import dev.balboa.spi.DType;
import dev.balboa.spi.Op.ReduceFn;
import dev.balboa.spi.Operand;
import java.util.Arrays;

/**
 * Reductions over any set of axes. The kept dimensions and the reduced dimensions are each
 * coalesced into a {@link Strided} plan; then float32/float64 take one of two vector paths (the
 * reduced elements of each output form one contiguous run, or the outputs form contiguous rows
 * that are accumulated across the reduced axes) and everything else takes a scalar path that
 * accumulates in double (floating outputs) or long (integer and bool outputs). Results depend
 * only on the shapes and strides, never on the number of threads. Arg-reductions, scans and
 * sorting live in {@link ScanKernels} and {@link SortKernels}.
 */
final class ReduceKernels {
    private ReduceKernels() {}

    private static final String[] NAMES = Arrays.stream(ReduceFn.values())
            .map(f -> new dev.balboa.spi.Op.Reduce(f, new int[0]).name()).toArray(String[]::new);

    /** Elements per partial sum when one output reduces a long contiguous run in parallel. */
    static final int BLOCK = 1 << 16;
    /** Rows accumulated in float lanes before they are added into double totals (column sums). */
    private static final int ROW_BLOCK = 64;
    /** Most reduced rows whose offsets are listed up front by the row-accumulating path. */
    private static final long MAX_ROWS = 1 << 24;

    static void reduce(ReduceFn fn, int[] axes, Operand x, Operand out) {
        String op = NAMES[fn.ordinal()];
        int rank = x.rank();
        boolean[] red = new boolean[rank];
        int prev = -1;
        for (int a : axes) {
            if (a <= prev || a >= rank) {
                throw new IllegalArgumentException(op + ": axes " + Arrays.toString(axes)
                        + " must be sorted, distinct and below the rank of " + Checks.describe(x));
            }
            red[a] = true;
            prev = a;
        }
        long[] expect = x.shape().clone();
        for (int a : axes) expect[a] = 1;
        Checks.shape(op, "out", out, expect);
        DType t = x.dtype(), ot = out.dtype();
        if (t.isFloatingPoint() && !ot.isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": cannot reduce " + Checks.describe(x) + " into " + ot);
        }
        if ((fn == ReduceFn.ANY || fn == ReduceFn.ALL) && ot != DType.BOOL) {
            throw new IllegalArgumentException(op + ": output must be bool, got " + Checks.describe(out));
        }
        if (out.numel() == 0) return;

        int kd = 0, rd = 0;
        for (boolean b : red) if (b) rd++; else kd++;
        long[] kShape = new long[kd], kx = new long[kd], ko = new long[kd], rShape = new long[rd], rx = new long[rd];
        for (int d = 0, i = 0, j = 0; d < rank; d++) {
            if (red[d]) {
                rShape[j] = x.shape()[d];
                rx[j++] = x.strides()[d];
            } else {
                kShape[i] = x.shape()[d];
                kx[i] = x.strides()[d];
                ko[i++] = out.strides()[d];
            }
        }
        Strided kp = Strided.of(kShape, new long[][] {ko, kx}, new long[] {out.offset(), x.offset()});
        Strided rp = Strided.of(rShape, new long[][] {rx}, new long[] {0});
        long redN = rp.numel;
        if (redN == 0) {
            if (fn == ReduceFn.MAX || fn == ReduceFn.MIN) {
                throw new IllegalArgumentException(op + ": cannot reduce over empty axes " + Arrays.toString(axes)
                        + " of " + Checks.describe(x) + " (no identity)");
            }
            writeIdentity(fn, kp, Access.of(out));
            return;
        }
        boolean vecOp = fn == ReduceFn.SUM || fn == ReduceFn.MAX || fn == ReduceFn.MIN;
        boolean vecType = t == ot && (t == DType.FLOAT32 || t == DType.FLOAT64);
        if (vecOp && vecType && rp.rank == 1 && rp.innerStride(0) == 1) {
            innerRuns(fn, x, out, kp, redN);
        } else if (vecOp && vecType && kp.innerStride(0) == 1 && kp.innerStride(1) == 1 && kp.inner() > 1
                && redN <= MAX_ROWS) {
            outerRows(fn, x, out, kp, rp);
        } else if (vecOp && vecType && rp.rank >= 2 && rp.innerStride(0) == 1 && rp.inner() >= MIN_RUN
                && rp.numel / rp.inner() <= MAX_ROWS) {
            stridedRuns(fn, x, out, kp, rp);
        } else {
            generic(fn, x, out, kp, rp);
        }
    }

    /** Shortest contiguous reduced run for which {@link #stridedRuns} beats the scalar walk. */
    private static final int MIN_RUN = 16;

    /**
     * The reduced elements of each output form several contiguous runs of equal length (a
     * per-channel sum over the batch and spatial axes of NCHW: one run per image): every run is
     * reduced with the vector loop and the run results are combined in order in double.
     */
    private static void stridedRuns(ReduceFn fn, Operand x, Operand out, Strided kp, Strided rp) {
        boolean f32 = x.dtype() == DType.FLOAT32;
        Object xa = Checks.array(x), oa = Checks.array(out);
        int len = (int) rp.inner();
        int[] starts = new int[(int) (rp.numel / len)];
        rp.forRange(0, rp.numel, (off, n, flat) -> starts[(int) (flat / len)] = off[0]);
        int so = kp.innerStride(0), sx = kp.innerStride(1);
        kp.parallel(rp.numel, (off, n, flat) -> {
            for (int j = 0; j < n; j++) {
                int xb = off[1] + j * sx;
                double acc = runValue(fn, f32, xa, xb + starts[0], len);
                for (int r = 1; r < starts.length; r++) acc = combine(fn, acc, runValue(fn, f32, xa, xb + starts[r], len));
                store(f32, oa, off[0] + j * so, acc);
            }
        });
    }

    private static void writeIdentity(ReduceFn fn, Strided kp, Access oa) {
        long v = fn == ReduceFn.PROD || fn == ReduceFn.ALL ? 1 : 0;
        int so = kp.innerStride(0);
        kp.forRange(0, kp.numel, (off, len, flat) -> {
            for (int j = 0, o = off[0]; j < len; j++, o += so) oa.setL(o, v);
        });
    }

    // ------------------------------------------------------------------ vector: contiguous runs

    /** Each output reduces x[base .. base + m) with base from the kept plan. */
    private static void innerRuns(ReduceFn fn, Operand x, Operand out, Strided kp, long redN) {
        int m = (int) redN;
        int so = kp.innerStride(0), sx = kp.innerStride(1);
        boolean f32 = x.dtype() == DType.FLOAT32;
        Object xa = Checks.array(x), oa = Checks.array(out);
        if (kp.numel == 1 && m > 2 * BLOCK) {
            // one long run: fixed blocks reduced in parallel, partials combined in order
            int nb = (m + BLOCK - 1) / BLOCK;
            double[] part = new double[nb];
            int base = (int) kp.offsets[1];
            Parallel.forRange(nb, BLOCK, (from, to) -> {
                for (int b = (int) from; b < to; b++) {
                    int s = base + b * BLOCK, len = Math.min(BLOCK, m - b * BLOCK);
                    part[b] = runValue(fn, f32, xa, s, len);
                }
            });
            double r = part[0];
            for (int b = 1; b < nb; b++) r = combine(fn, r, part[b]);
            store(f32, oa, (int) kp.offsets[0], r);
            return;
        }
        kp.parallel(m, (off, len, flat) -> {
            for (int j = 0; j < len; j++) store(f32, oa, off[0] + j * so, runValue(fn, f32, xa, off[1] + j * sx, m));
        });
    }

    private static double runValue(ReduceFn fn, boolean f32, Object xa, int s, int len) {
        if (fn == ReduceFn.SUM) return f32 ? VecF32.sum((float[]) xa, s, len) : VecF64.sum((double[]) xa, s, len);
        boolean max = fn == ReduceFn.MAX;
        return f32 ? VecF32.maxMin(max, (float[]) xa, s, len) : VecF64.maxMin(max, (double[]) xa, s, len);
    }

    private static double combine(ReduceFn fn, double a, double b) {
        return switch (fn) {
            case SUM -> a + b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            default -> throw new AssertionError(fn);
        };
    }

    private static void store(boolean f32, Object oa, int o, double v) {
        if (f32) ((float[]) oa)[o] = (float) v;
        else ((double[]) oa)[o] = v;
    }

    // ------------------------------------------------------------------ vector: rows across outer axes

    /** Outputs form contiguous runs; each reduced element contributes one contiguous row of x. */
    private static void outerRows(ReduceFn fn, Operand x, Operand out, Strided kp, Strided rp) {
        boolean f32 = x.dtype() == DType.FLOAT32;
        Object xa = Checks.array(x), oa = Checks.array(out);
        int[] rel = relativeOffsets(rp);
        kp.parallel(rel.length, (off, len, flat) -> {
            int o = off[0], xb = off[1];
            if (fn == ReduceFn.SUM) {
                double[] tot = new double[len];
                if (f32) {
                    float[] blk = new float[len];
                    float[] xf = (float[]) xa;
                    for (int r0 = 0; r0 < rel.length; r0 += ROW_BLOCK) {
                        Arrays.fill(blk, 0f);
                        int r1 = Math.min(rel.length, r0 + ROW_BLOCK);
                        for (int r = r0; r < r1; r++) VecF32.addRow(xf, xb + rel[r], blk, 0, len);
                        for (int j = 0; j < len; j++) tot[j] += blk[j];
                    }
                    float[] of = (float[]) oa;
                    for (int j = 0; j < len; j++) of[o + j] = (float) tot[j];
                } else {
                    double[] xd = (double[]) xa;
                    for (int r = 0; r < rel.length; r++) VecF64.addRow(xd, xb + rel[r], tot, 0, len);
                    System.arraycopy(tot, 0, (double[]) oa, o, len);
                }
            } else {
                boolean max = fn == ReduceFn.MAX;
                System.arraycopy(xa, xb + rel[0], oa, o, len);
                for (int r = 1; r < rel.length; r++) {
                    if (f32) VecF32.maxMinRow(max, (float[]) xa, xb + rel[r], (float[]) oa, o, len);
                    else VecF64.maxMinRow(max, (double[]) xa, xb + rel[r], (double[]) oa, o, len);
                }
            }
        });
    }

    /** The offsets of all elements of a plan with one view, relative to its base, in row-major order. */
    static int[] relativeOffsets(Strided rp) {
        if (rp.numel > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("too many reduced elements: " + rp.numel);
        int[] rel = new int[(int) rp.numel];
        int s = rp.innerStride(0);
        rp.forRange(0, rp.numel, (off, len, flat) -> {
            for (int q = 0; q < len; q++) rel[(int) flat + q] = off[0] + q * s;
        });
        return rel;
    }

    // ------------------------------------------------------------------ generic scalar

    private static void generic(ReduceFn fn, Operand x, Operand out, Strided kp, Strided rp) {
        Access xa = Access.of(x), oa = Access.of(out);
        boolean floating = out.dtype().isFloatingPoint();
        int so = kp.innerStride(0), sx = kp.innerStride(1);
        kp.parallel(rp.numel * 2, (off, len, flat) -> {
            long[] idx = new long[rp.rank];
            for (int j = 0; j < len; j++) {
                int base = off[1] + j * sx, o = off[0] + j * so;
                if (floating) oa.setD(o, reduceD(fn, xa, base, rp, idx));
                else oa.setL(o, reduceL(fn, xa, base, rp, idx));
            }
        });
    }

    private static double reduceD(ReduceFn fn, Access xa, long base, Strided rp, long[] idx) {
        double acc = switch (fn) {
            case SUM, ANY -> 0;
            case PROD, ALL -> 1;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        };
        int rr = rp.rank;
        long[] shape = rp.shape, st = rp.strides[0];
        long inner = shape[rr - 1], is = st[rr - 1];
        Arrays.fill(idx, 0);
        long off = base;
        while (true) {
            long o = off;
            switch (fn) {
                case SUM -> { for (long q = 0; q < inner; q++, o += is) acc += xa.getD((int) o); }
                case PROD -> { for (long q = 0; q < inner; q++, o += is) acc *= xa.getD((int) o); }
                case MAX -> { for (long q = 0; q < inner; q++, o += is) acc = Math.max(acc, xa.getD((int) o)); }
                case MIN -> { for (long q = 0; q < inner; q++, o += is) acc = Math.min(acc, xa.getD((int) o)); }
                case ANY -> { for (long q = 0; q < inner; q++, o += is) if (xa.getD((int) o) != 0) acc = 1; }
                case ALL -> { for (long q = 0; q < inner; q++, o += is) if (xa.getD((int) o) == 0) acc = 0; }
            }
            int d = rr - 2;
            for (; d >= 0; d--) {
                idx[d]++;
                off += st[d];
                if (idx[d] < shape[d]) break;
                off -= shape[d] * st[d];
                idx[d] = 0;
            }
            if (d < 0) return acc;
        }
    }

    private static long reduceL(ReduceFn fn, Access xa, long base, Strided rp, long[] idx) {
        long acc = switch (fn) {
            case SUM, ANY -> 0;
            case PROD, ALL -> 1;
            case MAX -> Long.MIN_VALUE;
            case MIN -> Long.MAX_VALUE;
        };
        int rr = rp.rank;
        long[] shape = rp.shape, st = rp.strides[0];
        long inner = shape[rr - 1], is = st[rr - 1];
        Arrays.fill(idx, 0);
        long off = base;
        while (true) {
            long o = off;
            switch (fn) {
                case SUM -> { for (long q = 0; q < inner; q++, o += is) acc += xa.getL((int) o); }
                case PROD -> { for (long q = 0; q < inner; q++, o += is) acc *= xa.getL((int) o); }
                case MAX -> { for (long q = 0; q < inner; q++, o += is) acc = Math.max(acc, xa.getL((int) o)); }
                case MIN -> { for (long q = 0; q < inner; q++, o += is) acc = Math.min(acc, xa.getL((int) o)); }
                case ANY -> { for (long q = 0; q < inner; q++, o += is) if (xa.getL((int) o) != 0) acc = 1; }
                case ALL -> { for (long q = 0; q < inner; q++, o += is) if (xa.getL((int) o) == 0) acc = 0; }
            }
            int d = rr - 2;
            for (; d >= 0; d--) {
                idx[d]++;
                off += st[d];
                if (idx[d] < shape[d]) break;
                off -= shape[d] * st[d];
                idx[d] = 0;
            }
            if (d < 0) return acc;
        }
    }

    // ------------------------------------------------------------------ delegations kept for CpuBackend

    static void argReduce(dev.balboa.spi.Op.ArgFn fn, int axis, Operand x, Operand values, Operand indices) {
        ScanKernels.argReduce(fn, axis, x, values, indices);
    }

    static void scan(dev.balboa.spi.Op.ScanFn fn, int axis, Operand x, Operand out) {
        ScanKernels.scan(fn, axis, x, out);
    }

    static void sort(int axis, boolean descending, Operand x, Operand values, Operand indices) {
        SortKernels.sort(axis, descending, x, values, indices);
    }
}
