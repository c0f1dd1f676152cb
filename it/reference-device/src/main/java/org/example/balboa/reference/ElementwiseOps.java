package org.example.balboa.reference;

import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import dev.balboa.spi.Operand;
import dev.balboa.spi.Philox;

/** Elementwise, fill, arange and random ops of the reference device, one element at a time. */
final class ElementwiseOps {
    private ElementwiseOps() {}

    static void unary(Op.UnaryFn fn, Operand x, Operand out) {
        View vx = new View(x), vo = new View(out);
        DType t = x.dtype();
        if (!fn.isPredicate() && (t == DType.BOOL || (fn.needsFloat() && !t.isFloatingPoint()))) {
            throw ReferenceBackend.unsupported("unary(" + fn + ")", t);
        }
        // Reading each element before writing it keeps in-place (out == x) correct.
        View.forEach(out.shape(), idx -> {
            if (fn.isPredicate()) {
                boolean r;
                if (t.isFloatingPoint()) {
                    double v = vx.getD(idx);
                    r = switch (fn) {
                        case LOGICAL_NOT -> v == 0;
                        case ISNAN -> Double.isNaN(v);
                        default -> Double.isInfinite(v);
                    };
                } else {
                    r = fn == Op.UnaryFn.LOGICAL_NOT && vx.getL(idx) == 0;
                }
                vo.setL(idx, r ? 1 : 0);
            } else if (t.isFloatingPoint()) {
                vo.setD(idx, unaryDouble(fn, vx.getD(idx)));
            } else {
                vo.setL(idx, unaryLong(fn, vx.getL(idx)));
            }
        });
    }

    static double unaryDouble(Op.UnaryFn fn, double x) {
        return switch (fn) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Double.isNaN(x) ? x : x > 0 ? 1 : x < 0 ? -1 : 0;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case LOG1P -> Math.log1p(x);
            case EXPM1 -> Math.expm1(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1.0 / Math.sqrt(x);
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-x));
            case ERF -> erf(x);
            case RECIPROCAL -> 1.0 / x;
            case RELU -> Double.isNaN(x) ? x : Math.max(x, 0.0);
            case FLOOR -> Math.floor(x);
            case CEIL -> Math.ceil(x);
            case ROUND -> Math.rint(x);
            case LOGICAL_NOT, ISNAN, ISINF -> throw new AssertionError(fn);
        };
    }

    static long unaryLong(Op.UnaryFn fn, long x) {
        return switch (fn) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Long.signum(x);
            case RELU -> Math.max(x, 0);
            case FLOOR, CEIL, ROUND -> x;
            default -> throw new AssertionError(fn);
        };
    }

    /**
     * The error function from its everywhere-convergent series of positive terms,
     * erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)); |x| >= 6 gives +-1.
     */
    static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double a = Math.abs(x);
        if (a >= 6) return Math.copySign(1.0, x);
        double term = a, sum = a;
        for (int n = 1; n < 400 && term > sum * 1e-17; n++) {
            term *= 2 * a * a / (2 * n + 1);
            sum += term;
        }
        return Math.copySign(2 / Math.sqrt(Math.PI) * Math.exp(-a * a) * sum, x);
    }

    static void binary(Op.BinaryFn fn, Operand x, Operand y, Operand out) {
        View vx = new View(x), vy = new View(y), vo = new View(out);
        DType t = x.dtype();
        if (y.dtype() != t) throw ReferenceBackend.unsupported("binary(" + fn + ")", t, y.dtype());
        boolean logical = fn == Op.BinaryFn.LOGICAL_AND || fn == Op.BinaryFn.LOGICAL_OR;
        if (t == DType.BOOL && !fn.isComparison()) throw ReferenceBackend.unsupported("binary(" + fn + ")", t);
        View.forEach(out.shape(), idx -> {
            if (logical) {
                boolean a = t.isFloatingPoint() ? vx.getD(idx) != 0 : vx.getL(idx) != 0;
                boolean b = t.isFloatingPoint() ? vy.getD(idx) != 0 : vy.getL(idx) != 0;
                vo.setL(idx, (fn == Op.BinaryFn.LOGICAL_AND ? a && b : a || b) ? 1 : 0);
            } else if (t.isFloatingPoint()) {
                double a = vx.getD(idx), b = vy.getD(idx);
                if (fn.isComparison()) vo.setL(idx, compare(fn, a == b, a < b, a > b) ? 1 : 0);
                else vo.setD(idx, binaryDouble(fn, a, b));
            } else {
                long a = vx.getL(idx), b = vy.getL(idx);
                if (fn.isComparison()) vo.setL(idx, compare(fn, a == b, a < b, a > b) ? 1 : 0);
                else vo.setL(idx, binaryLong(fn, a, b));
            }
        });
    }

    /** Comparison from the IEEE relations (so NaN compares unequal and unordered). */
    private static boolean compare(Op.BinaryFn fn, boolean eq, boolean lt, boolean gt) {
        return switch (fn) {
            case EQ -> eq;
            case NE -> !eq;
            case LT -> lt;
            case LE -> lt || eq;
            case GT -> gt;
            case GE -> gt || eq;
            default -> throw new AssertionError(fn);
        };
    }

    static double binaryDouble(Op.BinaryFn fn, double a, double b) {
        return switch (fn) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            default -> throw new AssertionError(fn);
        };
    }

    static long binaryLong(Op.BinaryFn fn, long a, long b) {
        return switch (fn) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> {
                if (b == 0) throw new ArithmeticException("reference: integer division by zero");
                yield Math.floorDiv(a, b);
            }
            case POW -> powLong(a, b);
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            default -> throw new AssertionError(fn);
        };
    }

    /** Exact integer power (wrapping modulo 2^64, which the dtype's wrapping then narrows). */
    static long powLong(long a, long b) {
        if (b < 0) {
            if (a == 1) return 1;
            if (a == -1) return (b & 1) == 0 ? 1 : -1;
            throw new ArithmeticException("reference: integer pow with negative exponent " + b + " and base " + a);
        }
        long r = 1, base = a;
        for (long e = b; e > 0; e >>= 1) {   // square and multiply, exact modulo 2^64
            if ((e & 1) != 0) r *= base;
            base *= base;
        }
        return r;
    }

    static void where(Operand cond, Operand a, Operand b, Operand out) {
        View vc = new View(cond), va = new View(a), vb = new View(b), vo = new View(out);
        View.forEach(out.shape(), idx -> {
            boolean c = cond.dtype().isFloatingPoint() ? vc.getD(idx) != 0 : vc.getL(idx) != 0;
            vo.setFrom(idx, c ? va : vb, idx);
        });
    }

    static void copy(Operand x, Operand out) {
        View vx = new View(x), vo = new View(out);
        View.forEach(out.shape(), idx -> vo.setFrom(idx, vx, idx));
    }

    static void fill(Op.Fill f, Operand out) {
        View vo = new View(out);
        View.forEach(out.shape(), idx -> {
            if (out.dtype().isFloatingPoint()) vo.setD(idx, f.value());
            else vo.setL(idx, f.longValue());
        });
    }

    static void arange(Op.Arange a, Operand out) {
        View vo = new View(out);
        View.forEach(out.shape(), idx -> {
            double v = a.start() + idx[0] * a.step();
            if (out.dtype().isFloatingPoint()) vo.setD(idx, v);
            else vo.setL(idx, (long) v);
        });
    }

    /** Row-major position of an index within a shape. */
    static long flat(long[] shape, long[] idx) {
        long p = 0;
        for (int d = 0; d < shape.length; d++) p = p * shape[d] + idx[d];
        return p;
    }

    static void randomUniform(Op.RandomUniform r, Operand out) {
        DType t = out.dtype();
        if (!t.isFloatingPoint()) throw ReferenceBackend.unsupported("random_uniform", t);
        View vo = new View(out);
        boolean narrow = t != DType.FLOAT64;
        View.forEach(out.shape(), idx -> {
            long counter = r.offset() + flat(out.shape(), idx);
            double unit = narrow ? Philox.uniformFloat(r.seed(), counter) : Philox.uniform(r.seed(), counter);
            vo.setD(idx, Philox.scale(unit, r.low(), r.high(), narrow));
        });
    }

    static void randomNormal(Op.RandomNormal r, Operand out) {
        DType t = out.dtype();
        if (!t.isFloatingPoint()) throw ReferenceBackend.unsupported("random_normal", t);
        View vo = new View(out);
        View.forEach(out.shape(), idx -> {
            long counter = r.offset() + flat(out.shape(), idx);
            vo.setD(idx, r.mean() + r.std() * Philox.normal(r.seed(), counter));
        });
    }
}
