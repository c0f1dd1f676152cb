package dev.balboa.device.cpu.internal;

import dev.balboa.spi.DType;
import dev.balboa.spi.Op.BinaryFn;
import dev.balboa.spi.Op.UnaryFn;

/**
 * The scalar meaning of every unary and binary function: floating-point values in double,
 * integer and bool values in long (the caller narrows with wrap-around when it stores). The
 * vector kernels agree with these up to the rounding of their lanewise math functions, and use
 * them for tails and for functions without a vector form.
 */
final class ScalarMath {
    private ScalarMath() {}

    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;

    /** fn(x) in double; predicates give 1 or 0. */
    static double unary(UnaryFn fn, double x) {
        return switch (fn) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Double.isNaN(x) ? x : Math.signum(x);
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case LOG1P -> Math.log1p(x);
            case EXPM1 -> Math.expm1(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1.0 / Math.sqrt(x);
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> sigmoid(x);
            case ERF -> erf(x);
            case RECIPROCAL -> 1.0 / x;
            case RELU -> x > 0 ? x : (Double.isNaN(x) ? x : 0.0);
            case FLOOR -> Math.floor(x);
            case CEIL -> Math.ceil(x);
            case ROUND -> Math.rint(x);
            case LOGICAL_NOT -> x == 0 ? 1 : 0;
            case ISNAN -> Double.isNaN(x) ? 1 : 0;
            case ISINF -> Double.isInfinite(x) ? 1 : 0;
        };
    }

    /** fn(x) for integer and bool inputs (bool is 0 or 1); the math functions are rejected earlier. */
    static long unary(UnaryFn fn, long x) {
        return switch (fn) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Long.signum(x);
            case RELU -> Math.max(x, 0);
            case FLOOR, CEIL, ROUND -> x;
            case LOGICAL_NOT -> x == 0 ? 1 : 0;
            case ISNAN, ISINF -> 0;
            default -> throw new UnsupportedOperationException("unary(" + fn.name().toLowerCase()
                    + ") needs a floating-point input");
        };
    }

    static double sigmoid(double x) {
        if (x >= 0) return 1.0 / (1.0 + Math.exp(-x));
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /**
     * The error function to about 1e-15 absolute: its Maclaurin series for |x| < 3 and a
     * continued fraction for erfc above, where the result is within 2.3e-5 of +-1.
     */
    static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double ax = Math.abs(x);
        if (ax >= 6) return Math.copySign(1.0, x);
        if (ax < 3) {
            double x2 = x * x;
            double term = x;   // x^(2n+1) (-1)^n / n!
            double sum = x;
            for (int n = 1; n < 80; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
            }
            return TWO_OVER_SQRT_PI * sum;
        }
        // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated bottom-up
        double f = ax;
        for (int k = 60; k >= 1; k--) f = ax + (k / 2.0) / f;
        double erfc = Math.exp(-ax * ax) / (Math.sqrt(Math.PI) * f);
        return Math.copySign(1.0 - erfc, x);
    }

    /** fn(x, y) in double; comparisons and logical ops give 1 or 0. */
    static double binary(BinaryFn fn, double x, double y) {
        return switch (fn) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case POW -> Math.pow(x, y);
            case MAXIMUM -> Math.max(x, y);
            case MINIMUM -> Math.min(x, y);
            case EQ -> x == y ? 1 : 0;
            case NE -> x != y ? 1 : 0;
            case LT -> x < y ? 1 : 0;
            case LE -> x <= y ? 1 : 0;
            case GT -> x > y ? 1 : 0;
            case GE -> x >= y ? 1 : 0;
            case LOGICAL_AND -> x != 0 && y != 0 ? 1 : 0;
            case LOGICAL_OR -> x != 0 || y != 0 ? 1 : 0;
        };
    }

    /** fn(x, y) for integer and bool values; DIV is floor division, POW exact (wrapping like multiplication). */
    static long binary(BinaryFn fn, long x, long y, DType dtype) {
        return switch (fn) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> {
                if (y == 0) throw new ArithmeticException("binary(div): integer division by zero (" + dtype + ")");
                yield Math.floorDiv(x, y);
            }
            case POW -> ipow(x, y, dtype);
            case MAXIMUM -> Math.max(x, y);
            case MINIMUM -> Math.min(x, y);
            case EQ -> x == y ? 1 : 0;
            case NE -> x != y ? 1 : 0;
            case LT -> x < y ? 1 : 0;
            case LE -> x <= y ? 1 : 0;
            case GT -> x > y ? 1 : 0;
            case GE -> x >= y ? 1 : 0;
            case LOGICAL_AND -> x != 0 && y != 0 ? 1 : 0;
            case LOGICAL_OR -> x != 0 || y != 0 ? 1 : 0;
        };
    }

    /** x^y by squaring in wrapping long arithmetic; negative y only for x = 1 or -1. */
    static long ipow(long x, long y, DType dtype) {
        if (y < 0) {
            if (x == 1) return 1;
            if (x == -1) return (y & 1) == 0 ? 1 : -1;
            throw new ArithmeticException("binary(pow): integer " + x + " to the negative power " + y + " (" + dtype
                    + "); only 1 and -1 have integer results, use a floating-point dtype");
        }
        long result = 1, base = x;
        while (y != 0) {
            if ((y & 1) != 0) result *= base;
            y >>>= 1;
            if (y != 0) base *= base;
        }
        return result;
    }
}
