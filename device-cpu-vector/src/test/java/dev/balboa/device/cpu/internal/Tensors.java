package dev.balboa.device.cpu.internal;

import dev.balboa.spi.DType;
import dev.balboa.spi.Operand;
import java.util.Random;

/** Test helpers: build CPU views from logical values and read them back by logical row-major index. */
final class Tensors {
    private Tensors() {}

    static long numel(long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }

    /** A fresh contiguous tensor (contents zero). */
    static Operand zeros(DType t, long... shape) {
        return Operand.contiguous(new CpuBuffer(t, numel(shape)), shape);
    }

    /** A contiguous tensor holding vals in row-major order, converted to t. */
    static Operand of(DType t, double[] vals, long... shape) {
        Operand o = zeros(t, shape);
        Access a = Access.of(o);
        for (int i = 0; i < vals.length; i++) {
            if (t.isFloatingPoint()) a.setD(i, vals[i]);
            else a.setL(i, (long) vals[i]);
        }
        return o;
    }

    /** Random values suited to the dtype (small integers for integer types, 0/1 for bool). */
    static double[] randomValues(DType t, int n, Random r) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (t) {
                case BOOL -> r.nextInt(2);
                case UINT8 -> r.nextInt(256);
                case INT8 -> r.nextInt(256) - 128;
                case INT32, INT64 -> r.nextInt(2001) - 1000;
                default -> Math.round(r.nextGaussian() * 4 * 64) / 64.0;  // exact in float16 and bfloat16
            };
        }
        return v;
    }

    static Operand random(DType t, Random r, long... shape) {
        return of(t, randomValues(t, (int) numel(shape), r), shape);
    }

    /** A view with explicit shape, strides and offset over the buffer of base. */
    static Operand view(Operand base, long[] shape, long[] strides, long offset) {
        return new Operand(base.buffer(), shape, strides, offset);
    }

    /**
     * A non-contiguous view of the given logical shape holding the same values as {@code src}
     * (a contiguous tensor): stored transposed (last two axes swapped) inside a larger buffer at an offset.
     */
    static Operand transposedCopy(Operand src) {
        long[] shape = src.shape();
        int r = shape.length;
        if (r < 2) return slicedCopy(src);
        long[] stored = shape.clone();
        stored[r - 1] = shape[r - 2];
        stored[r - 2] = shape[r - 1];
        long n = numel(shape);
        CpuBuffer b = new CpuBuffer(src.dtype(), n + 3);
        long[] cs = Operand.contiguousStrides(stored);
        long[] strides = cs.clone();
        strides[r - 1] = cs[r - 2];
        strides[r - 2] = cs[r - 1];
        Operand v = new Operand(b, shape, strides, 3);
        copyValues(src, v);
        return v;
    }

    /** A view of the given logical shape with every element two apart (a slice with step 2). */
    static Operand slicedCopy(Operand src) {
        long[] shape = src.shape();
        long n = numel(shape);
        CpuBuffer b = new CpuBuffer(src.dtype(), 2 * n + 1);
        long[] s = Operand.contiguousStrides(shape);
        for (int d = 0; d < s.length; d++) s[d] *= 2;
        Operand v = new Operand(b, shape, s, 1);
        copyValues(src, v);
        return v;
    }

    /** Copies logical values of a into view b (same shape), raw by dtype. */
    static void copyValues(Operand a, Operand b) {
        long n = numel(a.shape());
        Access x = Access.of(a), y = Access.of(b);
        for (long i = 0; i < n; i++) {
            if (a.dtype().isFloatingPoint()) y.setD(off(b, i), x.getD(off(a, i)));
            else y.setL(off(b, i), x.getL(off(a, i)));
        }
    }

    /** Buffer index of the element with row-major logical index flat. */
    static int off(Operand o, long flat) {
        long[] sh = o.shape(), st = o.strides();
        long off = o.offset();
        for (int d = sh.length - 1; d >= 0; d--) {
            off += (flat % sh[d]) * st[d];
            flat /= sh[d];
        }
        return (int) off;
    }

    static double d(Operand o, long flat) { return Access.of(o).getD(off(o, flat)); }

    static long l(Operand o, long flat) { return Access.of(o).getL(off(o, flat)); }

    /** Logical values of a view as doubles. */
    static double[] values(Operand o) {
        int n = (int) numel(o.shape());
        double[] v = new double[n];
        Access a = Access.of(o);
        for (int i = 0; i < n; i++) v[i] = a.getD(off(o, i));
        return v;
    }

    /** Multi-index of a row-major flat index. */
    static long[] index(long[] shape, long flat) {
        long[] idx = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }

    static long flat(long[] shape, long[] idx) {
        long f = 0;
        for (int d = 0; d < shape.length; d++) f = f * shape[d] + idx[d];
        return f;
    }

    /** Rounds a double the way storing it in dtype t does (for oracles). */
    static double round(DType t, double v) {
        return switch (t) {
            case FLOAT32 -> (float) v;
            case FLOAT16 -> Access.f16ToFloat(Access.doubleToF16(v));
            case BFLOAT16 -> Access.bf16ToFloat(Access.doubleToBf16(v));
            default -> v;
        };
    }

    /** Relative tolerance for results computed in dtype t. */
    static double tol(DType t) {
        return switch (t) {
            case FLOAT64 -> 1e-12;
            case FLOAT32 -> 2e-6;
            case FLOAT16 -> 2e-3;
            case BFLOAT16 -> 1.6e-2;
            default -> 0;
        };
    }

    /** True when got matches want within a relative tolerance (NaNs equal, infinities exact). */
    static boolean close(double want, double got, double tol) {
        if (Double.isNaN(want)) return Double.isNaN(got);
        if (Double.isInfinite(want)) return want == got;
        return Math.abs(want - got) <= tol * Math.max(1e-30, Math.abs(want)) + tol * 1e-3;
    }
}
