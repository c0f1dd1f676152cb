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

    private static final DoubleVector ONE = DoubleVector.broadcast(S, 1);
    private static final DoubleVector ZERO = DoubleVector.zero(S);

    /**
     * out[i] = fn(x[i]) for n contiguous elements; false when fn has no vector form here. Each
     * function has its own small loop method so that each compiles on its own.
     */
    static boolean unary(UnaryFn fn, double[] x, int xi, double[] o, int oi, int n) {
        int end = S.loopBound(n);
        int i = switch (fn) {
            case NEG -> neg(x, xi, o, oi, end);
            case ABS -> abs(x, xi, o, oi, end);
            case EXP -> exp(x, xi, o, oi, end);
            case LOG -> log(x, xi, o, oi, end);
            case LOG1P -> log1p(x, xi, o, oi, end);
            case EXPM1 -> expm1(x, xi, o, oi, end);
            case SQRT -> sqrt(x, xi, o, oi, end);
            case RSQRT -> rsqrt(x, xi, o, oi, end);
            case SIN -> sin(x, xi, o, oi, end);
            case COS -> cos(x, xi, o, oi, end);
            case TANH -> tanh(x, xi, o, oi, end);
            case SIGMOID -> sigmoid(x, xi, o, oi, end);
            case RECIPROCAL -> reciprocal(x, xi, o, oi, end);
            case RELU -> relu(x, xi, o, oi, end);
            case SIGN -> sign(x, xi, o, oi, end);
            default -> -1;
        };
        if (i < 0) return false;
        for (; i < n; i++) o[oi + i] = ScalarMath.unary(fn, x[xi + i]);
        return true;
    }

    private static DoubleVector sign(DoubleVector a) {
        return ONE.mul(0).blend(ONE, a.compare(VectorOperators.GT, 0)).blend(ONE.neg(), a.compare(VectorOperators.LT, 0));
    }

    private static int neg(double[] x, int xi, double[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).neg().intoArray(o, oi + i);
        return i;
    }

    private static int abs(double[] x, int xi, double[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).abs().intoArray(o, oi + i);
        return i;
    }

    private static int exp(double[] x, int xi, double[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) VecMath.exp(v(x, xi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int log(double[] x, int xi, double[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) VecMath.log(v(x, xi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int log1p(double[] x, int xi, double[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) VecMath.log1p(v(x, xi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int expm1(double[] x, int xi, double[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) VecMath.expm1(v(x, xi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int sqrt(double[] x, int xi, double[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).sqrt().intoArray(o, oi + i);
        return i;
    }

    private static int rsqrt(double[] x, int xi, double[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) ONE.div(v(x, xi + i).sqrt()).intoArray(o, oi + i);
        return i;
    }

    private static int sin(double[] x, int xi, double[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) VecMath.sin(v(x, xi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int cos(double[] x, int xi, double[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) VecMath.cos(v(x, xi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int tanh(double[] x, int xi, double[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) VecMath.tanh(v(x, xi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int sigmoid(double[] x, int xi, double[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) ONE.div(VecMath.exp(v(x, xi + i).neg()).add(ONE)).intoArray(o, oi + i);
        return i;
    }

    private static int reciprocal(double[] x, int xi, double[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) ONE.div(v(x, xi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int relu(double[] x, int xi, double[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).max(ZERO).intoArray(o, oi + i);
        return i;
    }

    private static int sign(double[] x, int xi, double[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) sign(v(x, xi + i)).intoArray(o, oi + i);
        return i;
    }

    /** s[si..si+n) = v: vector stores (the last one overlapping) when n reaches a vector, else scalar. */
    static void spread(double v, double[] s, int si, int n) {
        if (n >= L) {
            DoubleVector b = DoubleVector.broadcast(S, v);
            int i = 0;
            for (; i <= n - L; i += L) b.intoArray(s, si + i);
            if (i < n) b.intoArray(s, si + n - L);
        } else {
            for (int i = 0; i < n; i++) s[si + i] = v;
        }
    }

    /** True for the binary functions {@link #binary} vectorises. */
    static boolean hasBinary(BinaryFn fn) {
        return switch (fn) {
            case ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM, POW -> true;
            default -> false;
        };
    }

    /**
     * out[i] = fn(x[i*sx], y[i*sy]) for n elements with sx, sy in {0, 1} (not both 0) and out
     * contiguous; the stride-0 side is one broadcast value (a scalar, or a row in a bias add).
     * Every (function, stride pattern) pair has its own loop method: the JIT only inlines the
     * vector calls of code it has seen run, so sharing one method between patterns would leave
     * the later pattern with slow, unintrinsified calls.
     */
    static void binary(BinaryFn fn, double[] x, int xi, int sx, double[] y, int yi, int sy, double[] o, int oi, int n) {
        int end = S.loopBound(n);
        int i;
        if (sx == 1 && sy == 1) {
            i = switch (fn) {
                case ADD -> add(x, xi, y, yi, o, oi, end);
                case SUB -> sub(x, xi, y, yi, o, oi, end);
                case MUL -> mul(x, xi, y, yi, o, oi, end);
                case DIV -> div(x, xi, y, yi, o, oi, end);
                case MAXIMUM -> max(x, xi, y, yi, o, oi, end);
                case MINIMUM -> min(x, xi, y, yi, o, oi, end);
                case POW -> pow(x, xi, y, yi, o, oi, end);
                default -> 0;
            };
        } else if (sy == 0) {
            double b = y[yi];
            i = switch (fn) {
                case ADD -> addS(x, xi, b, o, oi, end);
                case SUB -> subS(x, xi, b, o, oi, end);
                case MUL -> mulS(x, xi, b, o, oi, end);
                case DIV -> divS(x, xi, b, o, oi, end);
                case MAXIMUM -> maxS(x, xi, b, o, oi, end);
                case MINIMUM -> minS(x, xi, b, o, oi, end);
                case POW -> powS(x, xi, b, o, oi, end);
                default -> 0;
            };
        } else {
            double a = x[xi];
            i = switch (fn) {
                case ADD -> addR(a, y, yi, o, oi, end);
                case SUB -> subR(a, y, yi, o, oi, end);
                case MUL -> mulR(a, y, yi, o, oi, end);
                case DIV -> divR(a, y, yi, o, oi, end);
                case MAXIMUM -> maxR(a, y, yi, o, oi, end);
                case MINIMUM -> minR(a, y, yi, o, oi, end);
                case POW -> powR(a, y, yi, o, oi, end);
                default -> 0;
            };
        }
        for (; i < n; i++) o[oi + i] = ScalarMath.binary(fn, x[xi + i * sx], y[yi + i * sy]);
    }

    private static int add(double[] x, int xi, double[] y, int yi, double[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).add(v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int addS(double[] x, int xi, double b, double[] o, int oi, int end) {
        DoubleVector vb = DoubleVector.broadcast(S, b);
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).add(vb).intoArray(o, oi + i);
        return i;
    }

    private static int addR(double a, double[] y, int yi, double[] o, int oi, int end) {
        DoubleVector va = DoubleVector.broadcast(S, a);
        int i = 0;
        for (; i < end; i += L) va.add(v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int sub(double[] x, int xi, double[] y, int yi, double[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).sub(v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int subS(double[] x, int xi, double b, double[] o, int oi, int end) {
        DoubleVector vb = DoubleVector.broadcast(S, b);
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).sub(vb).intoArray(o, oi + i);
        return i;
    }

    private static int subR(double a, double[] y, int yi, double[] o, int oi, int end) {
        DoubleVector va = DoubleVector.broadcast(S, a);
        int i = 0;
        for (; i < end; i += L) va.sub(v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int mul(double[] x, int xi, double[] y, int yi, double[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).mul(v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int mulS(double[] x, int xi, double b, double[] o, int oi, int end) {
        DoubleVector vb = DoubleVector.broadcast(S, b);
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).mul(vb).intoArray(o, oi + i);
        return i;
    }

    private static int mulR(double a, double[] y, int yi, double[] o, int oi, int end) {
        DoubleVector va = DoubleVector.broadcast(S, a);
        int i = 0;
        for (; i < end; i += L) va.mul(v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int div(double[] x, int xi, double[] y, int yi, double[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).div(v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int divS(double[] x, int xi, double b, double[] o, int oi, int end) {
        DoubleVector vb = DoubleVector.broadcast(S, b);
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).div(vb).intoArray(o, oi + i);
        return i;
    }

    private static int divR(double a, double[] y, int yi, double[] o, int oi, int end) {
        DoubleVector va = DoubleVector.broadcast(S, a);
        int i = 0;
        for (; i < end; i += L) va.div(v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int max(double[] x, int xi, double[] y, int yi, double[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).max(v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int maxS(double[] x, int xi, double b, double[] o, int oi, int end) {
        DoubleVector vb = DoubleVector.broadcast(S, b);
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).max(vb).intoArray(o, oi + i);
        return i;
    }

    private static int maxR(double a, double[] y, int yi, double[] o, int oi, int end) {
        DoubleVector va = DoubleVector.broadcast(S, a);
        int i = 0;
        for (; i < end; i += L) va.max(v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int min(double[] x, int xi, double[] y, int yi, double[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).min(v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int minS(double[] x, int xi, double b, double[] o, int oi, int end) {
        DoubleVector vb = DoubleVector.broadcast(S, b);
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).min(vb).intoArray(o, oi + i);
        return i;
    }

    private static int minR(double a, double[] y, int yi, double[] o, int oi, int end) {
        DoubleVector va = DoubleVector.broadcast(S, a);
        int i = 0;
        for (; i < end; i += L) va.min(v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int pow(double[] x, int xi, double[] y, int yi, double[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) VecMath.pow(v(x, xi + i), v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int powS(double[] x, int xi, double b, double[] o, int oi, int end) {
        DoubleVector vb = DoubleVector.broadcast(S, b);
        int i = 0;
        for (; i < end; i += L) VecMath.pow(v(x, xi + i), vb).intoArray(o, oi + i);
        return i;
    }

    private static int powR(double a, double[] y, int yi, double[] o, int oi, int end) {
        DoubleVector va = DoubleVector.broadcast(S, a);
        int i = 0;
        for (; i < end; i += L) VecMath.pow(va, v(y, yi + i)).intoArray(o, oi + i);
        return i;
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
        int i = 0;
        int end = S.loopBound(n);
        if (sx == 1 && sy == 1) {
            i = switch (fn) {
                case EQ -> cmpEq(x, xi, y, yi, o, oi, end);
                case NE -> cmpNe(x, xi, y, yi, o, oi, end);
                case LT -> cmpLt(x, xi, y, yi, o, oi, end);
                case LE -> cmpLe(x, xi, y, yi, o, oi, end);
                case GT -> cmpGt(x, xi, y, yi, o, oi, end);
                case GE -> cmpGe(x, xi, y, yi, o, oi, end);
                default -> 0;
            };
        } else if (sx == 1) {
            double b = y[yi];
            i = switch (fn) {
                case EQ -> cmpEqS(x, xi, b, o, oi, end);
                case NE -> cmpNeS(x, xi, b, o, oi, end);
                case LT -> cmpLtS(x, xi, b, o, oi, end);
                case LE -> cmpLeS(x, xi, b, o, oi, end);
                case GT -> cmpGtS(x, xi, b, o, oi, end);
                case GE -> cmpGeS(x, xi, b, o, oi, end);
                default -> 0;
            };
        }
        for (; i < n; i++) o[oi + i] = (byte) ScalarMath.binary(fn, x[xi + i * sx], y[yi + i * sy]);
    }

    private static int cmpEq(double[] x, int xi, double[] y, int yi, byte[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) store(v(x, xi + i).compare(VectorOperators.EQ, v(y, yi + i)), o, oi + i);
        return i;
    }

    private static int cmpEqS(double[] x, int xi, double b, byte[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) store(v(x, xi + i).compare(VectorOperators.EQ, b), o, oi + i);
        return i;
    }

    private static int cmpNe(double[] x, int xi, double[] y, int yi, byte[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) store(v(x, xi + i).compare(VectorOperators.NE, v(y, yi + i)), o, oi + i);
        return i;
    }

    private static int cmpNeS(double[] x, int xi, double b, byte[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) store(v(x, xi + i).compare(VectorOperators.NE, b), o, oi + i);
        return i;
    }

    private static int cmpLt(double[] x, int xi, double[] y, int yi, byte[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) store(v(x, xi + i).compare(VectorOperators.LT, v(y, yi + i)), o, oi + i);
        return i;
    }

    private static int cmpLtS(double[] x, int xi, double b, byte[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) store(v(x, xi + i).compare(VectorOperators.LT, b), o, oi + i);
        return i;
    }

    private static int cmpLe(double[] x, int xi, double[] y, int yi, byte[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) store(v(x, xi + i).compare(VectorOperators.LE, v(y, yi + i)), o, oi + i);
        return i;
    }

    private static int cmpLeS(double[] x, int xi, double b, byte[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) store(v(x, xi + i).compare(VectorOperators.LE, b), o, oi + i);
        return i;
    }

    private static int cmpGt(double[] x, int xi, double[] y, int yi, byte[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) store(v(x, xi + i).compare(VectorOperators.GT, v(y, yi + i)), o, oi + i);
        return i;
    }

    private static int cmpGtS(double[] x, int xi, double b, byte[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) store(v(x, xi + i).compare(VectorOperators.GT, b), o, oi + i);
        return i;
    }

    private static int cmpGe(double[] x, int xi, double[] y, int yi, byte[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) store(v(x, xi + i).compare(VectorOperators.GE, v(y, yi + i)), o, oi + i);
        return i;
    }

    private static int cmpGeS(double[] x, int xi, double b, byte[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) store(v(x, xi + i).compare(VectorOperators.GE, b), o, oi + i);
        return i;
    }

    /**
     * Writes a comparison mask as bool bytes through its bit pattern ({@code toLong}) rather than a
     * mask cast across vector shapes, a path that has produced wrong lanes under C2 on this JDK.
     */
    private static void store(VectorMask<Double> m, byte[] o, int oi) {
        BOOL_ZERO.blend((byte) 1, VectorMask.fromLong(BS, m.toLong())).intoArray(o, oi);
    }

    private static final ByteVector BOOL_ZERO = ByteVector.zero(BS);

    /** out[i] = c[i] != 0 ? a[i*sa] : b[i*sb] with c and out contiguous, sa and sb in {0, 1}. */
    static void where(byte[] c, int ci, double[] a, int ai, int sa, double[] b, int bi, int sb, double[] o, int oi, int n) {
        int end = S.loopBound(n);
        int i;
        if (sa == 1 && sb == 1) i = where11(c, ci, a, ai, b, bi, o, oi, end);
        else if (sa == 1) i = where10(c, ci, a, ai, b[bi], o, oi, end);
        else if (sb == 1) i = where01(c, ci, a[ai], b, bi, o, oi, end);
        else i = where00(c, ci, a[ai], b[bi], o, oi, end);
        for (; i < n; i++) o[oi + i] = c[ci + i] != 0 ? a[ai + i * sa] : b[bi + i * sb];
    }

    private static VectorMask<Double> mask(byte[] c, int ci) {
        // through the bit pattern, like store(): no mask cast across vector shapes
        return VectorMask.fromLong(S, ByteVector.fromArray(BS, c, ci).compare(VectorOperators.NE, 0).toLong());
    }

    private static int where11(byte[] c, int ci, double[] a, int ai, double[] b, int bi, double[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) v(b, bi + i).blend(v(a, ai + i), mask(c, ci + i)).intoArray(o, oi + i);
        return i;
    }

    private static int where10(byte[] c, int ci, double[] a, int ai, double b, double[] o, int oi, int end) {
        DoubleVector vb = DoubleVector.broadcast(S, b);
        int i = 0;
        for (; i < end; i += L) vb.blend(v(a, ai + i), mask(c, ci + i)).intoArray(o, oi + i);
        return i;
    }

    private static int where01(byte[] c, int ci, double a, double[] b, int bi, double[] o, int oi, int end) {
        DoubleVector va = DoubleVector.broadcast(S, a);
        int i = 0;
        for (; i < end; i += L) v(b, bi + i).blend(va, mask(c, ci + i)).intoArray(o, oi + i);
        return i;
    }

    private static int where00(byte[] c, int ci, double a, double b, double[] o, int oi, int end) {
        DoubleVector va = DoubleVector.broadcast(S, a), vb = DoubleVector.broadcast(S, b);
        int i = 0;
        for (; i < end; i += L) vb.blend(va, mask(c, ci + i)).intoArray(o, oi + i);
        return i;
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
                total += VecMath.sum(a0.add(a1));
            }
            double tail = 0;
            for (; i < m; i++) tail += x[base + i];
            total += tail;
        }
        return total;
    }

    /** Max (or min) of n >= 1 contiguous doubles, NaN-propagating. */
    static double maxMin(boolean max, double[] x, int xi, int n) {
        int end = S.loopBound(n);
        double r = x[xi];
        int i = 0;
        if (end > 0) {
            r = max ? maxLanes(x, xi, end) : minLanes(x, xi, end);
            i = end;
        }
        for (; i < n; i++) r = max ? Math.max(r, x[xi + i]) : Math.min(r, x[xi + i]);
        return r;
    }

    private static double maxLanes(double[] x, int xi, int end) {
        DoubleVector acc = v(x, xi);
        for (int i = L; i < end; i += L) acc = acc.max(v(x, xi + i));
        return acc.reduceLanes(VectorOperators.MAX);
    }

    private static double minLanes(double[] x, int xi, int end) {
        DoubleVector acc = v(x, xi);
        for (int i = L; i < end; i += L) acc = acc.min(v(x, xi + i));
        return acc.reduceLanes(VectorOperators.MIN);
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
        int end = S.loopBound(n);
        int i = max ? maxRow(x, xi, acc, ai, end) : minRow(x, xi, acc, ai, end);
        for (; i < n; i++) acc[ai + i] = max ? Math.max(acc[ai + i], x[xi + i]) : Math.min(acc[ai + i], x[xi + i]);
    }

    private static int maxRow(double[] x, int xi, double[] acc, int ai, int end) {
        int i = 0;
        for (; i < end; i += L) v(acc, ai + i).max(v(x, xi + i)).intoArray(acc, ai + i);
        return i;
    }

    private static int minRow(double[] x, int xi, double[] acc, int ai, int end) {
        int i = 0;
        for (; i < end; i += L) v(acc, ai + i).min(v(x, xi + i)).intoArray(acc, ai + i);
        return i;
    }

    /** o[oi + j] = a[ai + j] + x[xi + j] for j < n (one step of a scan along an outer axis). */
    static void addRows(double[] a, int ai, double[] x, int xi, double[] o, int oi, int n) {
        int i = 0;
        int end = S.loopBound(n);
        for (; i < end; i += L) v(a, ai + i).add(v(x, xi + i)).intoArray(o, oi + i);
        for (; i < n; i++) o[oi + i] = a[ai + i] + x[xi + i];
    }
}
