package dev.balboa.device.cpu.internal;

import dev.balboa.spi.Op.BinaryFn;
import dev.balboa.spi.Op.UnaryFn;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 inner loops on the Vector API (preferred species, scalar tail): unary, binary with
 * either operand broadcast, comparisons, where, and the row kernels of reductions. Each loop
 * works on one contiguous run; {@link Strided} supplies the runs. Every operator is a constant
 * at its call site so the JIT compiles it to SIMD instructions.
 */
final class VecF32 {
    private VecF32() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Byte lanes matching the float lanes one to one, for bool inputs and outputs. */
    static final VectorSpecies<Byte> BS = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8));
    private static final int SUM_BLOCK = 1024;

    private static FloatVector v(float[] a, int i) { return FloatVector.fromArray(S, a, i); }

    private static final FloatVector ONE = FloatVector.broadcast(S, 1);
    private static final FloatVector ZERO = FloatVector.zero(S);

    /**
     * out[i] = fn(x[i]) for n contiguous elements; false when fn has no vector form here. Each
     * function has its own small loop method so that each compiles on its own.
     */
    static boolean unary(UnaryFn fn, float[] x, int xi, float[] o, int oi, int n) {
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
            case ERF -> ErfF32.erf(x, xi, o, oi, end);
            default -> -1;
        };
        if (i < 0) return false;
        for (; i < n; i++) o[oi + i] = (float) ScalarMath.unary(fn, x[xi + i]);
        return true;
    }

    private static FloatVector sign(FloatVector a) {
        return ONE.mul(0).blend(ONE, a.compare(VectorOperators.GT, 0)).blend(ONE.neg(), a.compare(VectorOperators.LT, 0));
    }

    private static int neg(float[] x, int xi, float[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).neg().intoArray(o, oi + i);
        return i;
    }

    private static int abs(float[] x, int xi, float[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).abs().intoArray(o, oi + i);
        return i;
    }

    private static int exp(float[] x, int xi, float[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) VecMath.exp(v(x, xi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int log(float[] x, int xi, float[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) VecMath.log(v(x, xi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int log1p(float[] x, int xi, float[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) VecMath.log1p(v(x, xi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int expm1(float[] x, int xi, float[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) VecMath.expm1(v(x, xi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int sqrt(float[] x, int xi, float[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).sqrt().intoArray(o, oi + i);
        return i;
    }

    private static int rsqrt(float[] x, int xi, float[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) ONE.div(v(x, xi + i).sqrt()).intoArray(o, oi + i);
        return i;
    }

    private static int sin(float[] x, int xi, float[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) VecMath.sin(v(x, xi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int cos(float[] x, int xi, float[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) VecMath.cos(v(x, xi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int tanh(float[] x, int xi, float[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) VecMath.tanh(v(x, xi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int sigmoid(float[] x, int xi, float[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) ONE.div(VecMath.exp(v(x, xi + i).neg()).add(ONE)).intoArray(o, oi + i);
        return i;
    }

    private static int reciprocal(float[] x, int xi, float[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) ONE.div(v(x, xi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int relu(float[] x, int xi, float[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).max(ZERO).intoArray(o, oi + i);
        return i;
    }

    private static int sign(float[] x, int xi, float[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) sign(v(x, xi + i)).intoArray(o, oi + i);
        return i;
    }

    /** s[si..si+n) = v: vector stores (the last one overlapping) when n reaches a vector, else scalar. */
    static void spread(float v, float[] s, int si, int n) {
        if (n >= L) {
            FloatVector b = FloatVector.broadcast(S, v);
            int i = 0;
            for (; i <= n - L; i += L) b.intoArray(s, si + i);
            if (i < n) b.intoArray(s, si + n - L);
        } else {
            for (int i = 0; i < n; i++) s[si + i] = v;
        }
    }

    /** Byte lanes of the preferred shape, for bool-only loops. */
    private static final VectorSpecies<Byte> BP = ByteVector.SPECIES_PREFERRED;

    /** o[i] = x[i] == 0 ? 1 : 0 for n contiguous bool bytes (logical_not). */
    static void logicalNot(byte[] x, int xi, byte[] o, int oi, int n) {
        int end = BP.loopBound(n), i = 0;
        ByteVector zero = ByteVector.zero(BP), one = ByteVector.broadcast(BP, (byte) 1);
        for (; i < end; i += BP.length()) {
            zero.blend(one, ByteVector.fromArray(BP, x, xi + i).compare(VectorOperators.EQ, 0)).intoArray(o, oi + i);
        }
        for (; i < n; i++) o[oi + i] = (byte) (x[xi + i] == 0 ? 1 : 0);
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
    static void binary(BinaryFn fn, float[] x, int xi, int sx, float[] y, int yi, int sy, float[] o, int oi, int n) {
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
            float b = y[yi];
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
            float a = x[xi];
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
        for (; i < n; i++) o[oi + i] = (float) ScalarMath.binary(fn, x[xi + i * sx], y[yi + i * sy]);
    }

    private static int add(float[] x, int xi, float[] y, int yi, float[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).add(v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int addS(float[] x, int xi, float b, float[] o, int oi, int end) {
        FloatVector vb = FloatVector.broadcast(S, b);
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).add(vb).intoArray(o, oi + i);
        return i;
    }

    private static int addR(float a, float[] y, int yi, float[] o, int oi, int end) {
        FloatVector va = FloatVector.broadcast(S, a);
        int i = 0;
        for (; i < end; i += L) va.add(v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int sub(float[] x, int xi, float[] y, int yi, float[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).sub(v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int subS(float[] x, int xi, float b, float[] o, int oi, int end) {
        FloatVector vb = FloatVector.broadcast(S, b);
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).sub(vb).intoArray(o, oi + i);
        return i;
    }

    private static int subR(float a, float[] y, int yi, float[] o, int oi, int end) {
        FloatVector va = FloatVector.broadcast(S, a);
        int i = 0;
        for (; i < end; i += L) va.sub(v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int mul(float[] x, int xi, float[] y, int yi, float[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).mul(v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int mulS(float[] x, int xi, float b, float[] o, int oi, int end) {
        FloatVector vb = FloatVector.broadcast(S, b);
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).mul(vb).intoArray(o, oi + i);
        return i;
    }

    private static int mulR(float a, float[] y, int yi, float[] o, int oi, int end) {
        FloatVector va = FloatVector.broadcast(S, a);
        int i = 0;
        for (; i < end; i += L) va.mul(v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int div(float[] x, int xi, float[] y, int yi, float[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).div(v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int divS(float[] x, int xi, float b, float[] o, int oi, int end) {
        FloatVector vb = FloatVector.broadcast(S, b);
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).div(vb).intoArray(o, oi + i);
        return i;
    }

    private static int divR(float a, float[] y, int yi, float[] o, int oi, int end) {
        FloatVector va = FloatVector.broadcast(S, a);
        int i = 0;
        for (; i < end; i += L) va.div(v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int max(float[] x, int xi, float[] y, int yi, float[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).max(v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int maxS(float[] x, int xi, float b, float[] o, int oi, int end) {
        FloatVector vb = FloatVector.broadcast(S, b);
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).max(vb).intoArray(o, oi + i);
        return i;
    }

    private static int maxR(float a, float[] y, int yi, float[] o, int oi, int end) {
        FloatVector va = FloatVector.broadcast(S, a);
        int i = 0;
        for (; i < end; i += L) va.max(v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int min(float[] x, int xi, float[] y, int yi, float[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).min(v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int minS(float[] x, int xi, float b, float[] o, int oi, int end) {
        FloatVector vb = FloatVector.broadcast(S, b);
        int i = 0;
        for (; i < end; i += L) v(x, xi + i).min(vb).intoArray(o, oi + i);
        return i;
    }

    private static int minR(float a, float[] y, int yi, float[] o, int oi, int end) {
        FloatVector va = FloatVector.broadcast(S, a);
        int i = 0;
        for (; i < end; i += L) va.min(v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int pow(float[] x, int xi, float[] y, int yi, float[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) VecMath.pow(v(x, xi + i), v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    private static int powS(float[] x, int xi, float b, float[] o, int oi, int end) {
        FloatVector vb = FloatVector.broadcast(S, b);
        int i = 0;
        for (; i < end; i += L) VecMath.pow(v(x, xi + i), vb).intoArray(o, oi + i);
        return i;
    }

    private static int powR(float a, float[] y, int yi, float[] o, int oi, int end) {
        FloatVector va = FloatVector.broadcast(S, a);
        int i = 0;
        for (; i < end; i += L) VecMath.pow(va, v(y, yi + i)).intoArray(o, oi + i);
        return i;
    }

    /** Comparison into bool bytes: out[i] = x[i*sx] fn y[i*sy] with sx, sy in {0, 1}, out contiguous. */
    static void compare(BinaryFn fn, float[] x, int xi, int sx, float[] y, int yi, int sy, byte[] o, int oi, int n) {
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
            float b = y[yi];
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

    private static int cmpEq(float[] x, int xi, float[] y, int yi, byte[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) store(v(x, xi + i).compare(VectorOperators.EQ, v(y, yi + i)), o, oi + i);
        return i;
    }

    private static int cmpEqS(float[] x, int xi, float b, byte[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) store(v(x, xi + i).compare(VectorOperators.EQ, b), o, oi + i);
        return i;
    }

    private static int cmpNe(float[] x, int xi, float[] y, int yi, byte[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) store(v(x, xi + i).compare(VectorOperators.NE, v(y, yi + i)), o, oi + i);
        return i;
    }

    private static int cmpNeS(float[] x, int xi, float b, byte[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) store(v(x, xi + i).compare(VectorOperators.NE, b), o, oi + i);
        return i;
    }

    private static int cmpLt(float[] x, int xi, float[] y, int yi, byte[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) store(v(x, xi + i).compare(VectorOperators.LT, v(y, yi + i)), o, oi + i);
        return i;
    }

    private static int cmpLtS(float[] x, int xi, float b, byte[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) store(v(x, xi + i).compare(VectorOperators.LT, b), o, oi + i);
        return i;
    }

    private static int cmpLe(float[] x, int xi, float[] y, int yi, byte[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) store(v(x, xi + i).compare(VectorOperators.LE, v(y, yi + i)), o, oi + i);
        return i;
    }

    private static int cmpLeS(float[] x, int xi, float b, byte[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) store(v(x, xi + i).compare(VectorOperators.LE, b), o, oi + i);
        return i;
    }

    private static int cmpGt(float[] x, int xi, float[] y, int yi, byte[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) store(v(x, xi + i).compare(VectorOperators.GT, v(y, yi + i)), o, oi + i);
        return i;
    }

    private static int cmpGtS(float[] x, int xi, float b, byte[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) store(v(x, xi + i).compare(VectorOperators.GT, b), o, oi + i);
        return i;
    }

    private static int cmpGe(float[] x, int xi, float[] y, int yi, byte[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) store(v(x, xi + i).compare(VectorOperators.GE, v(y, yi + i)), o, oi + i);
        return i;
    }

    private static int cmpGeS(float[] x, int xi, float b, byte[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) store(v(x, xi + i).compare(VectorOperators.GE, b), o, oi + i);
        return i;
    }

    /**
     * Writes a comparison mask as bool bytes through its bit pattern ({@code toLong}) rather than a
     * mask cast across vector shapes, a path that has produced wrong lanes under C2 on this JDK.
     */
    private static void store(VectorMask<Float> m, byte[] o, int oi) {
        BOOL_ZERO.blend((byte) 1, VectorMask.fromLong(BS, m.toLong())).intoArray(o, oi);
    }

    private static final ByteVector BOOL_ZERO = ByteVector.zero(BS);

    /** out[i] = c[i] != 0 ? a[i*sa] : b[i*sb] with c and out contiguous, sa and sb in {0, 1}. */
    static void where(byte[] c, int ci, float[] a, int ai, int sa, float[] b, int bi, int sb, float[] o, int oi, int n) {
        int end = S.loopBound(n);
        int i;
        if (sa == 1 && sb == 1) i = where11(c, ci, a, ai, b, bi, o, oi, end);
        else if (sa == 1) i = where10(c, ci, a, ai, b[bi], o, oi, end);
        else if (sb == 1) i = where01(c, ci, a[ai], b, bi, o, oi, end);
        else i = where00(c, ci, a[ai], b[bi], o, oi, end);
        for (; i < n; i++) o[oi + i] = c[ci + i] != 0 ? a[ai + i * sa] : b[bi + i * sb];
    }

    private static VectorMask<Float> mask(byte[] c, int ci) {
        // through the bit pattern, like store(): no mask cast across vector shapes
        return VectorMask.fromLong(S, ByteVector.fromArray(BS, c, ci).compare(VectorOperators.NE, 0).toLong());
    }

    private static int where11(byte[] c, int ci, float[] a, int ai, float[] b, int bi, float[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += L) v(b, bi + i).blend(v(a, ai + i), mask(c, ci + i)).intoArray(o, oi + i);
        return i;
    }

    private static int where10(byte[] c, int ci, float[] a, int ai, float b, float[] o, int oi, int end) {
        FloatVector vb = FloatVector.broadcast(S, b);
        int i = 0;
        for (; i < end; i += L) vb.blend(v(a, ai + i), mask(c, ci + i)).intoArray(o, oi + i);
        return i;
    }

    private static int where01(byte[] c, int ci, float a, float[] b, int bi, float[] o, int oi, int end) {
        FloatVector va = FloatVector.broadcast(S, a);
        int i = 0;
        for (; i < end; i += L) v(b, bi + i).blend(va, mask(c, ci + i)).intoArray(o, oi + i);
        return i;
    }

    private static int where00(byte[] c, int ci, float a, float b, float[] o, int oi, int end) {
        FloatVector va = FloatVector.broadcast(S, a), vb = FloatVector.broadcast(S, b);
        int i = 0;
        for (; i < end; i += L) vb.blend(va, mask(c, ci + i)).intoArray(o, oi + i);
        return i;
    }

    /** Sum of n contiguous floats: float lanes within blocks of 1024, blocks added in double. */
    static double sum(float[] x, int xi, int n) {
        double total = 0;
        for (int blk = 0; blk < n; blk += SUM_BLOCK) {
            int m = Math.min(SUM_BLOCK, n - blk);
            int base = xi + blk;
            int i = 0;
            int end = S.loopBound(m);
            if (end > 0) {
                FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
                for (; i + L < end; i += 2 * L) {
                    a0 = a0.add(v(x, base + i));
                    a1 = a1.add(v(x, base + i + L));
                }
                for (; i < end; i += L) a0 = a0.add(v(x, base + i));
                total += VecMath.sum(a0.add(a1));
            }
            float tail = 0;
            for (; i < m; i++) tail += x[base + i];
            total += tail;
        }
        return total;
    }

    /** Max (or min) of n >= 1 contiguous floats, NaN-propagating. */
    static float maxMin(boolean max, float[] x, int xi, int n) {
        int end = S.loopBound(n);
        float r = x[xi];
        int i = 0;
        if (end > 0) {
            r = max ? maxLanes(x, xi, end) : minLanes(x, xi, end);
            i = end;
        }
        for (; i < n; i++) r = max ? Math.max(r, x[xi + i]) : Math.min(r, x[xi + i]);
        return r;
    }

    private static float maxLanes(float[] x, int xi, int end) {
        FloatVector acc = v(x, xi);
        for (int i = L; i < end; i += L) acc = acc.max(v(x, xi + i));
        return acc.reduceLanes(VectorOperators.MAX);
    }

    private static float minLanes(float[] x, int xi, int end) {
        FloatVector acc = v(x, xi);
        for (int i = L; i < end; i += L) acc = acc.min(v(x, xi + i));
        return acc.reduceLanes(VectorOperators.MIN);
    }

    /** acc[j] += x[xi + j] for j < n (acc contiguous from ai). */
    static void addRow(float[] x, int xi, float[] acc, int ai, int n) {
        int i = 0;
        int end = S.loopBound(n);
        for (; i < end; i += L) v(acc, ai + i).add(v(x, xi + i)).intoArray(acc, ai + i);
        for (; i < n; i++) acc[ai + i] += x[xi + i];
    }

    /** acc[j] = max or min(acc[j], x[xi + j]) for j < n. */
    static void maxMinRow(boolean max, float[] x, int xi, float[] acc, int ai, int n) {
        int end = S.loopBound(n);
        int i = max ? maxRow(x, xi, acc, ai, end) : minRow(x, xi, acc, ai, end);
        for (; i < n; i++) acc[ai + i] = max ? Math.max(acc[ai + i], x[xi + i]) : Math.min(acc[ai + i], x[xi + i]);
    }

    private static int maxRow(float[] x, int xi, float[] acc, int ai, int end) {
        int i = 0;
        for (; i < end; i += L) v(acc, ai + i).max(v(x, xi + i)).intoArray(acc, ai + i);
        return i;
    }

    private static int minRow(float[] x, int xi, float[] acc, int ai, int end) {
        int i = 0;
        for (; i < end; i += L) v(acc, ai + i).min(v(x, xi + i)).intoArray(acc, ai + i);
        return i;
    }

    /** o[oi + j] = a[ai + j] + x[xi + j] for j < n (one step of a scan along an outer axis). */
    static void addRows(float[] a, int ai, float[] x, int xi, float[] o, int oi, int n) {
        int i = 0;
        int end = S.loopBound(n);
        for (; i < end; i += L) v(a, ai + i).add(v(x, xi + i)).intoArray(o, oi + i);
        for (; i < n; i++) o[oi + i] = a[ai + i] + x[xi + i];
    }
}
