package dev.balboa.device.cpu.internal;

import dev.balboa.spi.DType;
import dev.balboa.spi.Op.ArgFn;
import dev.balboa.spi.Op.ScanFn;
import dev.balboa.spi.Operand;

/**
 * Kernels that walk whole lines along one axis: arg-max/arg-min and inclusive scans. The lines
 * are enumerated by a {@link Strided} plan over the shape with the axis set to 1 and split
 * across threads; a float32/float64 cumulative sum along an outer axis is vectorised across the
 * contiguous inner dimension (row k = row k-1 + x row k).
 */
final class ScanKernels {
    private ScanKernels() {}

    private static long[] lineShape(long[] shape, int axis) {
        long[] s = shape.clone();
        s[axis] = 1;
        return s;
    }

    static void argReduce(ArgFn fn, int axis, Operand x, Operand values, Operand indices) {
        String op = "arg" + fn.name().toLowerCase();
        Checks.axis(op, axis, x);
        long n = x.shape()[axis];
        if (n < 1) throw new IllegalArgumentException(op + ": axis " + axis + " of " + Checks.describe(x) + " is empty");
        long[] ls = lineShape(x.shape(), axis);
        Checks.shape(op, "values", values, ls);
        Checks.shape(op, "indices", indices, ls);
        Checks.dtype(op, "values", values, x.dtype());
        Checks.dtype(op, "indices", indices, DType.INT64);
        Strided p = Strided.of(ls, values, indices, x);
        if (p.numel == 0) return;
        int sv = p.innerStride(0), si = p.innerStride(1), sx = p.innerStride(2);
        int st = (int) x.strides()[axis];
        int m = (int) n;
        boolean max = fn == ArgFn.MAX;
        Access xa = Access.of(x), va = Access.of(values);
        long[] ia = ((CpuBuffer) indices.buffer()).i64();
        boolean floating = x.dtype().isFloatingPoint();
        p.parallel(2L * m, (off, len, flat) -> {
            for (int j = 0; j < len; j++) {
                int b = off[2] + j * sx;
                int best = 0;
                if (floating) {
                    double bv = xa.getD(b);
                    if (!Double.isNaN(bv)) {
                        for (int k = 1; k < m; k++) {
                            double v = xa.getD(b + k * st);
                            if (Double.isNaN(v)) {
                                best = k;
                                break;
                            }
                            if (max ? v > bv : v < bv) {
                                bv = v;
                                best = k;
                            }
                        }
                    }
                } else {
                    long bv = xa.getL(b);
                    for (int k = 1; k < m; k++) {
                        long v = xa.getL(b + k * st);
                        if (max ? v > bv : v < bv) {
                            bv = v;
                            best = k;
                        }
                    }
                }
                int vo = off[0] + j * sv;
                if (floating) va.setD(vo, xa.getD(b + best * st));
                else va.setL(vo, xa.getL(b + best * st));
                ia[off[1] + j * si] = best;
            }
        });
    }

    static void scan(ScanFn fn, int axis, Operand x, Operand out) {
        String op = "cum" + fn.name().toLowerCase();
        Checks.axis(op, axis, x);
        Checks.shape(op, "out", out, x.shape());
        DType t = x.dtype(), ot = out.dtype();
        if (t.isFloatingPoint() && !ot.isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": cannot scan " + Checks.describe(x) + " into " + ot);
        }
        long[] ls = lineShape(x.shape(), axis);
        Strided p = Strided.of(ls, out, x);
        int m = (int) x.shape()[axis];
        if (p.numel == 0 || m == 0) return;
        int so = p.innerStride(0), sx = p.innerStride(1);
        int ost = (int) out.strides()[axis], xst = (int) x.strides()[axis];
        boolean rows = fn == ScanFn.SUM && t == ot && so == 1 && sx == 1 && p.inner() > 1;
        if (rows && t == DType.FLOAT32) {
            float[] xa = (float[]) Checks.array(x), oa = (float[]) Checks.array(out);
            p.parallel(m, (off, len, flat) -> {
                System.arraycopy(xa, off[1], oa, off[0], len);
                for (int k = 1; k < m; k++) {
                    VecF32.addRows(oa, off[0] + (k - 1) * ost, xa, off[1] + k * xst, oa, off[0] + k * ost, len);
                }
            });
            return;
        }
        if (rows && t == DType.FLOAT64) {
            double[] xa = (double[]) Checks.array(x), oa = (double[]) Checks.array(out);
            p.parallel(m, (off, len, flat) -> {
                System.arraycopy(xa, off[1], oa, off[0], len);
                for (int k = 1; k < m; k++) {
                    VecF64.addRows(oa, off[0] + (k - 1) * ost, xa, off[1] + k * xst, oa, off[0] + k * ost, len);
                }
            });
            return;
        }
        Access xa = Access.of(x), oa = Access.of(out);
        boolean floating = ot.isFloatingPoint();
        boolean sum = fn == ScanFn.SUM;
        p.parallel(2L * m, (off, len, flat) -> {
            for (int j = 0; j < len; j++) {
                int xb = off[1] + j * sx, ob = off[0] + j * so;
                if (floating) {
                    double acc = sum ? 0 : 1;
                    for (int k = 0; k < m; k++) {
                        double v = xa.getD(xb + k * xst);
                        acc = sum ? acc + v : acc * v;
                        oa.setD(ob + k * ost, acc);
                    }
                } else {
                    long acc = sum ? 0 : 1;
                    for (int k = 0; k < m; k++) {
                        long v = xa.getL(xb + k * xst);
                        acc = sum ? acc + v : acc * v;
                        oa.setL(ob + k * ost, acc);
                    }
                }
            }
        });
    }
}
