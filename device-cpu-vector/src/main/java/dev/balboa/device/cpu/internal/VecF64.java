package dev.balboa.device.cpu.internal;

import dev.balboa.spi.Op.BinaryFn;
import dev.balboa.spi.Op.UnaryFn;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * float64 inner loops on the Vector API (preferred species, scalar tail): unary, binary with
 * either operand broadcast, comparisons, where, and the row kernels of reductions. Each loop
 * works on one contiguous run; {@link Strided} supplies the runs. Every operator is a constant
 * at its call site so the JIT compiles it to SIMD instructions.
 */
final class VecF64 {
    private VecF64() {}

    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Byte lanes matching the double lanes one to one, for bool inputs and outputs. */
    static final VectorSpecies<Byte> BS = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8));
    private static final int SUM_BLOCK = 1024;

    private static DoubleVector v(double[] a, int i) { return DoubleVector.fromArray(S, a, i); }

    /** out[i] = fn(x[i]) for n contiguous elements; false when fn has no vector form here. */
    static boolean unary(UnaryFn fn, double[] x, int xi, double[] o, int oi, int n) {
        int i = 0;
        int end = S.loopBound(n);
        switch (fn) {
            case NEG -> { for (; i < end; i += L) v(x, xi + i).neg().intoArray(o, oi + i); }
            case ABS -> { for (; i < end; i += L) v(x, xi + i).abs().intoArray(o, oi + i); }
            case EXP -> { for (; i < end; i += L) v(x, xi + i).lanewise(VectorOperators.EXP).intoArray(o, oi + i); }
            case LOG -> { for (; i < end; i += L) v(x, xi + i).lanewise(VectorOperators.LOG).intoArray(o, oi + i); }
            case LOG1P -> { for (; i < end; i += L) v(x, xi + i).lanewise(VectorOperators.LOG1P).intoArray(o, oi + i); }
            case EXPM1 -> { for (; i < end; i += L) v(x, xi + i).lanewise(VectorOperators.EXPM1).intoArray(o, oi + i); }
            case SQRT -> { for (; i < end; i += L) v(x, xi + i).sqrt().intoArray(o, oi + i); }
            case RSQRT -> {
                DoubleVector one = DoubleVector.broadcast(S, 1);
                for (; i < end; i += L) one.div(v(x, xi + i).sqrt()).intoArray(o, oi + i);
            }
            case SIN -> { for (; i < end; i += L) v(x, xi + i).lanewise(VectorOperators.SIN).intoArray(o, oi + i); }
            case COS -> { for (; i < end; i += L) v(x, xi + i).lanewise(VectorOperators.COS).intoArray(o, oi + i); }
            case TANH -> { for (; i < end; i += L) v(x, xi + i).lanewise(VectorOperators.TANH).intoArray(o, oi + i); }
            case SIGMOID -> {
                DoubleVector one = DoubleVector.broadcast(S, 1);
                for (; i < end; i += L) {
                    one.div(v(x, xi + i).neg().lanewise(VectorOperators.EXP).add(one)).intoArray(o, oi + i);
                }
            }
            case RECIPROCAL -> {
                DoubleVector one = DoubleVector.broadcast(S, 1);
                for (; i < end; i += L) one.div(v(x, xi + i)).intoArray(o, oi + i);
            }
            case RELU -> { for (; i < end; i += L) v(x, xi + i).max(0).intoArray(o, oi + i); }
            case SIGN -> {
                for (; i < end; i += L) {
                    DoubleVector a = v(x, xi + i);
                    a.blend(1, a.compare(VectorOperators.GT, 0)).blend(-1, a.compare(VectorOperators.LT, 0))
                            .intoArray(o, oi + i);
                }
            }
            default -> { return false; }
        }
        for (; i < n; i++) o[oi + i] = ScalarMath.unary(fn, x[xi + i]);
        return true;
    }

    /** True for the binary functions {@link #binary} vectorises. */
    static boolean hasBinary(BinaryFn fn) {
        return switch (fn) {
            case ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM, POW -> true;
            default -> false;
        };
    }

    /**
     * out[i] = fn(x[i*sx], y[i*sy]) for n elements with sx, sy in {0, 1} and out contiguous; the
     * stride-0 side is one broadcast value (a scalar, or a row in a bias add).
     */
    static void binary(BinaryFn fn, double[] x, int xi, int sx, double[] y, int yi, int sy, double[] o, int oi, int n) {
        int i = 0;
        int end = S.loopBound(n);
        if (sx == 1 && sy == 1) {
            switch (fn) {
                case ADD -> { for (; i < end; i += L) v(x, xi + i).add(v(y, yi + i)).intoArray(o, oi + i); }
                case SUB -> { for (; i < end; i += L) v(x, xi + i).sub(v(y, yi + i)).intoArray(o, oi + i); }
                case MUL -> { for (; i < end; i += L) v(x, xi + i).mul(v(y, yi + i)).intoArray(o, oi + i); }
                case DIV -> { for (; i < end; i += L) v(x, xi + i).div(v(y, yi + i)).intoArray(o, oi + i); }
                case MAXIMUM -> { for (; i < end; i += L) v(x, xi + i).max(v(y, yi + i)).intoArray(o, oi + i); }
                case MINIMUM -> { for (; i < end; i += L) v(x, xi + i).min(v(y, yi + i)).intoArray(o, oi + i); }
                case POW -> { for (; i < end; i += L) v(x, xi + i).lanewise(VectorOperators.POW, v(y, yi + i)).intoArray(o, oi + i); }
                default -> throw new IllegalArgumentException(fn.name());
            }
        } else if (sx == 1 && sy == 0) {
            DoubleVector b = DoubleVector.broadcast(S, y[yi]);
            switch (fn) {
                case ADD -> { for (; i < end; i += L) v(x, xi + i).add(b).intoArray(o, oi + i); }
                case SUB -> { for (; i < end; i += L) v(x, xi + i).sub(b).intoArray(o, oi + i); }
                case MUL -> { for (; i < end; i += L) v(x, xi + i).mul(b).intoArray(o, oi + i); }
                case DIV -> { for (; i < end; i += L) v(x, xi + i).div(b).intoArray(o, oi + i); }
                case MAXIMUM -> { for (; i < end; i += L) v(x, xi + i).max(b).intoArray(o, oi + i); }
                case MINIMUM -> { for (; i < end; i += L) v(x, xi + i).min(b).intoArray(o, oi + i); }
                case POW -> { for (; i < end; i += L) v(x, xi + i).lanewise(VectorOperators.POW, b).intoArray(o, oi + i); }
                default -> throw new IllegalArgumentException(fn.name());
            }
        } else if (sx == 0 && sy == 1) {
            DoubleVector a = DoubleVector.broadcast(S, x[xi]);
            switch (fn) {
                case ADD -> { for (; i < end; i += L) a.add(v(y, yi + i)).intoArray(o, oi + i); }
                case SUB -> { for (; i < end; i += L) a.sub(v(y, yi + i)).intoArray(o, oi + i); }
                case MUL -> { for (; i < end; i += L) a.mul(v(y, yi + i)).intoArray(o, oi + i); }
                case DIV -> { for (; i < end; i += L) a.div(v(y, yi + i)).intoArray(o, oi + i); }
                case MAXIMUM -> { for (; i < end; i += L) a.max(v(y, yi + i)).intoArray(o, oi + i); }
                case MINIMUM -> { for (; i < end; i += L) a.min(v(y, yi + i)).intoArray(o, oi + i); }
                case POW -> { for (; i < end; i += L) a.lanewise(VectorOperators.POW, v(y, yi + i)).intoArray(o, oi + i); }
                default -> throw new IllegalArgumentException(fn.name());
            }
        }
        for (; i < n; i++) o[oi + i] = ScalarMath.binary(fn, x[xi + i * sx], y[yi + i * sy]);
    }

    /** Comparison into bool bytes: out[i] = x[i*sx] fn y[i*sy] with sx, sy in {0, 1}, out contiguous. */
    static void compare(BinaryFn fn, double[] x, int xi, int sx, double[] y, int yi, int sy, byte[] o, int oi, int n) {
        if (sx == 0 && sy == 1) {   // a op b == b (reversed op) a
            BinaryFn rev = switch (fn) {
                case LT -> BinaryFn.GT;
                case LE -> BinaryFn.GE;
                case GT -> BinaryFn.LT;
                case GE -> BinaryFn.LE;
                default -> fn;
            };
            compare(rev, y, yi, 1, x, xi, 0, o, oi, n);
            return;
        }
        VectorOperators.Comparison c = switch (fn) {
            case EQ -> VectorOperators.EQ;
            case NE -> VectorOperators.NE;
            case LT -> VectorOperators.LT;
            case LE -> VectorOperators.LE;
            case GT -> VectorOperators.GT;
            case GE -> VectorOperators.GE;
            default -> null;
        };
        int i = 0;
        if (c != null && sx == 1) {
            int end = S.loopBound(n);
            ByteVector zero = ByteVector.zero(BS);
            if (sy == 1) {
                switch (fn) {
                    case EQ -> { for (; i < end; i += L) store(zero, v(x, xi + i).compare(VectorOperators.EQ, v(y, yi + i)), o, oi + i); }
                    case NE -> { for (; i < end; i += L) store(zero, v(x, xi + i).compare(VectorOperators.NE, v(y, yi + i)), o, oi + i); }
                    case LT -> { for (; i < end; i += L) store(zero, v(x, xi + i).compare(VectorOperators.LT, v(y, yi + i)), o, oi + i); }
                    case LE -> { for (; i < end; i += L) store(zero, v(x, xi + i).compare(VectorOperators.LE, v(y, yi + i)), o, oi + i); }
                    case GT -> { for (; i < end; i += L) store(zero, v(x, xi + i).compare(VectorOperators.GT, v(y, yi + i)), o, oi + i); }
                    case GE -> { for (; i < end; i += L) store(zero, v(x, xi + i).compare(VectorOperators.GE, v(y, yi + i)), o, oi + i); }
                    default -> { }
                }
            } else {
                double b = y[yi];
                switch (fn) {
                    case EQ -> { for (; i < end; i += L) store(zero, v(x, xi + i).compare(VectorOperators.EQ, b), o, oi + i); }
                    case NE -> { for (; i < end; i += L) store(zero, v(x, xi + i).compare(VectorOperators.NE, b), o, oi + i); }
                    case LT -> { for (; i < end; i += L) store(zero, v(x, xi + i).compare(VectorOperators.LT, b), o, oi + i); }
                    case LE -> { for (; i < end; i += L) store(zero, v(x, xi + i).compare(VectorOperators.LE, b), o, oi + i); }
                    case GT -> { for (; i < end; i += L) store(zero, v(x, xi + i).compare(VectorOperators.GT, b), o, oi + i); }
                    case GE -> { for (; i < end; i += L) store(zero, v(x, xi + i).compare(VectorOperators.GE, b), o, oi + i); }
                    default -> { }
                }
            }
        }
        for (; i < n; i++) o[oi + i] = (byte) ScalarMath.binary(fn, x[xi + i * sx], y[yi + i * sy]);
    }

    private static void store(ByteVector zero, VectorMask<Double> m, byte[] o, int oi) {
        zero.blend((byte) 1, m.cast(BS)).intoArray(o, oi);
    }

    /** out[i] = c[i] != 0 ? a[i*sa] : b[i*sb] with c and out contiguous, sa and sb in {0, 1}. */
    static void where(byte[] c, int ci, double[] a, int ai, int sa, double[] b, int bi, int sb, double[] o, int oi, int n) {
        int i = 0;
        int end = S.loopBound(n);
        DoubleVector ba = DoubleVector.broadcast(S, a[ai]);
        DoubleVector bb = DoubleVector.broadcast(S, b[bi]);
        for (; i < end; i += L) {
            VectorMask<Double> m = ByteVector.fromArray(BS, c, ci + i).compare(VectorOperators.NE, 0).cast(S);
            DoubleVector va = sa == 0 ? ba : v(a, ai + i);
            DoubleVector vb = sb == 0 ? bb : v(b, bi + i);
            vb.blend(va, m).intoArray(o, oi + i);
        }
        for (; i < n; i++) o[oi + i] = c[ci + i] != 0 ? a[ai + i * sa] : b[bi + i * sb];
    }

    /** Sum of n contiguous doubles: double lanes within blocks of 1024, blocks added in double. */
    static double sum(double[] x, int xi, int n) {
        double total = 0;
        for (int blk = 0; blk < n; blk += SUM_BLOCK) {
            int m = Math.min(SUM_BLOCK, n - blk);
            int base = xi + blk;
            int i = 0;
            int end = S.loopBound(m);
            if (end > 0) {
                DoubleVector a0 = DoubleVector.zero(S), a1 = DoubleVector.zero(S);
                for (; i + L < end; i += 2 * L) {
                    a0 = a0.add(v(x, base + i));
                    a1 = a1.add(v(x, base + i + L));
                }
                for (; i < end; i += L) a0 = a0.add(v(x, base + i));
                total += a0.add(a1).reduceLanes(VectorOperators.ADD);
            }
            double tail = 0;
            for (; i < m; i++) tail += x[base + i];
            total += tail;
        }
        return total;
    }

    /** Max (or min) of n >= 1 contiguous doubles, NaN-propagating. */
    static double maxMin(boolean max, double[] x, int xi, int n) {
        int i = 0;
        int end = S.loopBound(n);
        double r = x[xi];
        if (end > 0) {
            DoubleVector acc = v(x, xi);
            if (max) {
                for (i = L; i < end; i += L) acc = acc.max(v(x, xi + i));
                r = acc.reduceLanes(VectorOperators.MAX);
            } else {
                for (i = L; i < end; i += L) acc = acc.min(v(x, xi + i));
                r = acc.reduceLanes(VectorOperators.MIN);
            }
        }
        for (; i < n; i++) r = max ? Math.max(r, x[xi + i]) : Math.min(r, x[xi + i]);
        return r;
    }

    /** acc[j] += x[xi + j] for j < n (acc contiguous from ai). */
    static void addRow(double[] x, int xi, double[] acc, int ai, int n) {
        int i = 0;
        int end = S.loopBound(n);
        for (; i < end; i += L) v(acc, ai + i).add(v(x, xi + i)).intoArray(acc, ai + i);
        for (; i < n; i++) acc[ai + i] += x[xi + i];
    }

    /** acc[j] = max or min(acc[j], x[xi + j]) for j < n. */
    static void maxMinRow(boolean max, double[] x, int xi, double[] acc, int ai, int n) {
        int i = 0;
        int end = S.loopBound(n);
        if (max) {
            for (; i < end; i += L) v(acc, ai + i).max(v(x, xi + i)).intoArray(acc, ai + i);
        } else {
            for (; i < end; i += L) v(acc, ai + i).min(v(x, xi + i)).intoArray(acc, ai + i);
        }
        for (; i < n; i++) acc[ai + i] = max ? Math.max(acc[ai + i], x[xi + i]) : Math.min(acc[ai + i], x[xi + i]);
    }

    /** o[oi + j] = a[ai + j] + x[xi + j] for j < n (one step of a scan along an outer axis). */
    static void addRows(double[] a, int ai, double[] x, int xi, double[] o, int oi, int n) {
        int i = 0;
        int end = S.loopBound(n);
        for (; i < end; i += L) v(a, ai + i).add(v(x, xi + i)).intoArray(o, oi + i);
        for (; i < n; i++) o[oi + i] = a[ai + i] + x[xi + i];
    }
}
