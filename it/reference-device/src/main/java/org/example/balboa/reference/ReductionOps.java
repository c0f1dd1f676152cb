package org.example.balboa.reference;

import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import dev.balboa.spi.Operand;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reductions, arg-reductions, scans and sort of the reference device. Accumulation happens in
 * double when the output is floating and in long otherwise; the result is rounded once, on store.
 */
final class ReductionOps {
    private ReductionOps() {}

    static void reduce(Op.ReduceFn fn, int[] axes, Operand x, Operand out) {
        View vx = new View(x), vo = new View(out);
        DType ot = out.dtype();
        boolean bool = fn == Op.ReduceFn.ANY || fn == Op.ReduceFn.ALL;
        if (bool != (ot == DType.BOOL)) {
            throw ReferenceBackend.unsupported("reduce(" + fn + ")", x.dtype(), ot);
        }
        long[] inner = new long[x.rank()];
        java.util.Arrays.fill(inner, 1);
        for (int a : axes) inner[a] = x.shape()[a];
        long count = View.numel(inner);
        if (count == 0 && (fn == Op.ReduceFn.MAX || fn == Op.ReduceFn.MIN)) {
            throw new IllegalArgumentException("reference: reduce(" + fn + ") over empty axes of " + x);
        }
        long[] xi = new long[x.rank()];
        View.forEach(out.shape(), oi -> {
            if (ot.isFloatingPoint()) {
                double[] acc = {fn == Op.ReduceFn.PROD ? 1 : 0};
                boolean[] first = {true};
                View.forEach(inner, r -> {
                    for (int d = 0; d < xi.length; d++) xi[d] = oi[d] + r[d];
                    double v = vx.getD(xi);
                    acc[0] = switch (fn) {
                        case SUM -> acc[0] + v;
                        case PROD -> acc[0] * v;
                        case MAX -> first[0] ? v : Math.max(acc[0], v);
                        case MIN -> first[0] ? v : Math.min(acc[0], v);
                        default -> throw new AssertionError(fn);
                    };
                    first[0] = false;
                });
                vo.setD(oi, acc[0]);
            } else {
                long[] acc = {switch (fn) { case PROD, ALL -> 1; default -> 0; }};
                boolean[] first = {true};
                View.forEach(inner, r -> {
                    for (int d = 0; d < xi.length; d++) xi[d] = oi[d] + r[d];
                    long v = bool && vx.dtype().isFloatingPoint() ? (vx.getD(xi) != 0 ? 1 : 0) : vx.getL(xi);
                    acc[0] = switch (fn) {
                        case SUM -> acc[0] + v;
                        case PROD -> acc[0] * v;
                        case MAX -> first[0] ? v : Math.max(acc[0], v);
                        case MIN -> first[0] ? v : Math.min(acc[0], v);
                        case ANY -> (acc[0] != 0 || v != 0) ? 1 : 0;
                        case ALL -> (acc[0] != 0 && v != 0) ? 1 : 0;
                    };
                    first[0] = false;
                });
                vo.setL(oi, acc[0]);
            }
        });
    }

    static void argReduce(Op.ArgFn fn, int axis, Operand x, Operand values, Operand indices) {
        View vx = new View(x), vv = new View(values), vi = new View(indices);
        DType t = x.dtype();
        if (t == DType.BOOL) throw ReferenceBackend.unsupported("arg" + fn, t);
        long n = x.shape()[axis];
        long[] xi = new long[x.rank()];
        View.forEach(values.shape(), oi -> {
            System.arraycopy(oi, 0, xi, 0, xi.length);
            long best = 0;
            xi[axis] = 0;
            double bd = t.isFloatingPoint() ? vx.getD(xi) : 0;
            long bl = t.isFloatingPoint() ? 0 : vx.getL(xi);
            for (long k = 1; k < n; k++) {
                xi[axis] = k;
                boolean better;
                if (t.isFloatingPoint()) {
                    double v = vx.getD(xi);
                    better = !Double.isNaN(bd) && (Double.isNaN(v) || (fn == Op.ArgFn.MAX ? v > bd : v < bd));
                    if (better) bd = v;
                } else {
                    long v = vx.getL(xi);
                    better = fn == Op.ArgFn.MAX ? v > bl : v < bl;
                    if (better) bl = v;
                }
                if (better) best = k;
            }
            xi[axis] = best;
            vv.setFrom(oi, vx, xi);
            vi.setL(oi, best);
        });
    }

    static void scan(Op.ScanFn fn, int axis, Operand x, Operand out) {
        View vx = new View(x), vo = new View(out);
        DType ot = out.dtype();
        long[] lines = x.shape().clone();
        lines[axis] = Math.min(1, lines[axis]);
        long n = x.shape()[axis];
        long[] xi = new long[x.rank()];
        View.forEach(lines, li -> {
            System.arraycopy(li, 0, xi, 0, xi.length);
            double dAcc = fn == Op.ScanFn.PROD ? 1 : 0;
            long lAcc = fn == Op.ScanFn.PROD ? 1 : 0;
            for (long k = 0; k < n; k++) {
                xi[axis] = k;
                if (ot.isFloatingPoint()) {
                    double v = vx.getD(xi);
                    dAcc = fn == Op.ScanFn.SUM ? dAcc + v : dAcc * v;
                    vo.setD(xi, dAcc);
                } else {
                    long v = vx.getL(xi);
                    lAcc = fn == Op.ScanFn.SUM ? lAcc + v : lAcc * v;
                    vo.setL(xi, lAcc);
                }
            }
        });
    }

    /** Orders doubles by value with every NaN equal to NaN and larger than every number (so -0.0 == 0.0). */
    static int compareNanLargest(double a, double b) {
        boolean na = Double.isNaN(a), nb = Double.isNaN(b);
        if (na || nb) return na == nb ? 0 : na ? 1 : -1;
        return a < b ? -1 : a > b ? 1 : 0;
    }

    static void sort(int axis, boolean descending, Operand x, Operand values, Operand indices) {
        View vx = new View(x), vv = new View(values), vi = new View(indices);
        DType t = x.dtype();
        long[] lines = x.shape().clone();
        lines[axis] = Math.min(1, lines[axis]);
        int n = (int) x.shape()[axis];
        long[] xi = new long[x.rank()];
        long[] oi = new long[x.rank()];
        View.forEach(lines, li -> {
            System.arraycopy(li, 0, xi, 0, xi.length);
            List<long[]> keyed = new ArrayList<>(); // {position, long value or double bits}
            for (int k = 0; k < n; k++) {
                xi[axis] = k;
                keyed.add(new long[] {k, t.isFloatingPoint() ? Double.doubleToRawLongBits(vx.getD(xi)) : vx.getL(xi)});
            }
            Comparator<long[]> ascending = t.isFloatingPoint()
                    ? (p, q) -> compareNanLargest(Double.longBitsToDouble(p[1]), Double.longBitsToDouble(q[1]))
                    : (p, q) -> Long.compare(p[1], q[1]);
            keyed.sort(descending ? ascending.reversed() : ascending); // List.sort is stable
            System.arraycopy(li, 0, oi, 0, oi.length);
            for (int k = 0; k < n; k++) {
                oi[axis] = k;
                xi[axis] = keyed.get(k)[0];
                vv.setFrom(oi, vx, xi);
                vi.setL(oi, keyed.get(k)[0]);
            }
        });
    }
}
