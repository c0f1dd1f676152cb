package dev.balboa.api;

import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import dev.balboa.spi.Op.BinaryFn;
import dev.balboa.spi.Op.UnaryFn;

/** Elementwise ops: type promotion, broadcasting, scalars, in-place forms and elementwise composites. */
final class Elementwise {
    private Elementwise() {}

    private static final Op.Unary[] UNARY = new Op.Unary[UnaryFn.values().length];
    private static final Op.Binary[] BINARY = new Op.Binary[BinaryFn.values().length];
    private static final String[] UNARY_NAMES = new String[UnaryFn.values().length];
    private static final String[] BINARY_NAMES = new String[BinaryFn.values().length];
    static final Op.Where WHERE = new Op.Where();

    static {
        for (UnaryFn f : UnaryFn.values()) {
            UNARY[f.ordinal()] = new Op.Unary(f);
            UNARY_NAMES[f.ordinal()] = f.name().toLowerCase();
        }
        for (BinaryFn f : BinaryFn.values()) {
            BINARY[f.ordinal()] = new Op.Binary(f);
            BINARY_NAMES[f.ordinal()] = f.name().toLowerCase();
        }
    }

    static String name(BinaryFn fn) { return BINARY_NAMES[fn.ordinal()]; }

    static String name(UnaryFn fn) { return UNARY_NAMES[fn.ordinal()]; }

    // ---------------------------------------------------------------- type promotion

    /** PyTorch's result type of two tensors: dimensioned tensors take precedence over 0-d ones within a category. */
    static DType resultType(Tensor a, Tensor b) {
        boolean za = a.shape.length == 0, zb = b.shape.length == 0;
        if (za == zb) return DType.promote(a.dtype, b.dtype);
        DType dim = za ? b.dtype : a.dtype, zero = za ? a.dtype : b.dtype;
        return combine(dim, zero);
    }

    private static DType combine(DType higherTier, DType lowerTier) {
        if (higherTier.isFloatingPoint()) return higherTier;
        if (higherTier == DType.BOOL || lowerTier.isFloatingPoint() ) {
            return lowerTier.category().ordinal() > higherTier.category().ordinal() ? DType.promote(higherTier, lowerTier) : higherTier;
        }
        return higherTier;
    }

    /** The result type of a tensor with a Java scalar: a float scalar makes integer tensors float32, an integer scalar makes bool tensors int64. */
    static DType resultType(Tensor a, boolean floatScalar) {
        if (floatScalar) return a.dtype.isFloatingPoint() ? a.dtype : DType.FLOAT32;
        return a.dtype == DType.BOOL ? DType.INT64 : a.dtype;
    }

    /** Whether a value of dtype {@code from} may be written into a tensor of dtype {@code to} by an in-place op. */
    static boolean canCast(DType from, DType to) {
        return from.category().ordinal() <= to.category().ordinal();
    }

    // ---------------------------------------------------------------- scalars

    static Tensor scalar(double value, DType dtype, Tensor like) {
        Op.Fill fill = dtype.isFloatingPoint() ? Op.Fill.of(value) : Op.Fill.of((long) value);
        return Creation.full("scalar", Shapes.SCALAR, fill, dtype, like.backend());
    }

    static Tensor scalar(long value, DType dtype, Tensor like) {
        return Creation.full("scalar", Shapes.SCALAR, Op.Fill.of(value), dtype, like.backend());
    }

    /** A Java double as an operand of {@code a}: 0-d, in the dtype that a float scalar promotes {@code a} to. */
    static Tensor scalarOperand(Tensor a, double value) { return scalar(value, resultType(a, true), a); }

    /**
     * A Java double for an in-place op on {@code self}: integral tensors take only integral values
     * (Java has no separate literal type here, so {@code intTensor.add_(1)} stays valid), a
     * fractional value would be silently truncated and is rejected as PyTorch rejects float scalars.
     */
    static Tensor inPlaceScalar(String op, Tensor self, double value) {
        if (!self.dtype.isFloatingPoint() && value != Math.rint(value)) {
            throw Errors.dtype(op, "the result type float32 of the value " + value + " cannot be written in place into "
                    + self.dtype, self);
        }
        return scalarLike(self, value);
    }

    /** {@code other * alpha} for add's alpha: integral when both tensors are integral and alpha is integral. */
    static Tensor scaled(String op, Tensor self, Tensor other, double alpha) {
        if (alpha == 1.0) return other;
        if (!self.dtype.isFloatingPoint() && !other.dtype.isFloatingPoint()) {
            if (alpha != Math.rint(alpha)) {
                throw Errors.dtype(op, "for integral tensors alpha must be integral, got " + alpha, self, other);
            }
            return other.dtype == DType.BOOL ? other.to(DType.INT64).mul((long) alpha) : other.mul((long) alpha);
        }
        return other.mul(alpha);
    }

    /** A 0-d tensor holding {@code value} in {@code like}'s dtype and device. */
    static Tensor scalarLike(Tensor like, double value) { return scalar(value, like.dtype, like); }

    // ---------------------------------------------------------------- binary

    static Tensor binary(BinaryFn fn, Tensor a, Tensor b) {
        String op = name(fn);
        Errors.sameDevice(op, a, b);
        return binaryAs(fn, a, b, resultType(a, b));
    }

    static Tensor binary(BinaryFn fn, Tensor a, double value) {
        DType dt = resultType(a, true);
        return binaryAs(fn, a, scalar(value, dt, a), dt);
    }

    static Tensor binary(BinaryFn fn, Tensor a, long value) {
        DType dt = resultType(a, false);
        return binaryAs(fn, a, scalar(value, dt, a), dt);
    }

    static Tensor binaryReversed(BinaryFn fn, double value, Tensor a) {
        DType dt = resultType(a, true);
        return binaryAs(fn, scalar(value, dt, a), a, dt);
    }

    private static Tensor binaryAs(BinaryFn fn, Tensor a, Tensor b, DType common) {
        String op = name(fn);
        checkDtype(fn, common, a, b);
        long[] shape = Errors.broadcast(op, a, b);
        Tensor x = Views.expandFor(op, a.to(common), shape);
        Tensor y = Views.expandFor(op, b.to(common), shape);
        Tensor out = Creation.empty(op, shape, fn.isComparison() ? DType.BOOL : common, a.backend());
        Dispatcher.kernel(BINARY[fn.ordinal()], new Tensor[] {x, y}, new Tensor[] {out}, false);
        return out;
    }

    private static void checkDtype(BinaryFn fn, DType common, Tensor a, Tensor b) {
        if (common == DType.BOOL) {
            switch (fn) {
                case ADD, MUL, MAXIMUM, MINIMUM, EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR -> {}
                default -> throw Errors.dtype(name(fn), "bool tensors are not supported (convert with to(DType.INT64) first)", a, b);
            }
        }
        if ((fn == BinaryFn.LOGICAL_AND || fn == BinaryFn.LOGICAL_OR) && common != DType.BOOL) {
            throw Errors.dtype(name(fn), "expected bool tensors", a, b);
        }
    }

    static Tensor binaryInPlace(BinaryFn fn, Tensor self, Tensor other) {
        String op = name(fn) + "_";
        Errors.sameDevice(op, self, other);
        DType common = resultType(self, other);
        if (!canCast(common, self.dtype) || fn.isComparison()) {
            throw Errors.dtype(op, "the result type " + (fn.isComparison() ? DType.BOOL : common)
                    + " cannot be written in place into " + self.dtype, self, other);
        }
        checkDtype(fn, common, self, other);
        checkWritable(op, self);
        long[] shape = Errors.broadcast(op, self, other);
        if (!java.util.Arrays.equals(shape, self.shape)) {
            throw new IllegalArgumentException(op + ": the output of shape " + Shapes.str(self.shape)
                    + " cannot hold the broadcast result of shape " + Shapes.str(shape) + " (" + Errors.describe(self, other) + ")");
        }
        if (common != self.dtype) {
            return Creation.copyInto(self, binaryAs(fn, self, other, common));
        }
        Tensor y = other.storage == self.storage && other != self ? other.clone() : other;
        y = Views.expandFor(op, y.to(common), shape);
        Dispatcher.kernel(BINARY[fn.ordinal()], new Tensor[] {self, y}, new Tensor[] {self}, true);
        return self;
    }

    static Tensor divInPlace(Tensor self, Tensor other) {
        if (!self.dtype.isFloatingPoint()) {
            throw Errors.dtype("div_", "true division cannot be written in place into an integer tensor", self, other);
        }
        return binaryInPlace(BinaryFn.DIV, self, other);
    }

    /** Rejects in-place writes into tensors where several elements share one memory location (expanded views). */
    static void checkWritable(String op, Tensor t) {
        for (int d = 0; d < t.shape.length; d++) {
            if (t.strides[d] == 0 && t.shape[d] > 1) {
                throw new IllegalArgumentException(op + ": cannot write in place into " + Errors.describe(t)
                        + ": more than one element refers to the same memory (an expanded view); clone() it first");
            }
        }
    }

    static Tensor trueDivide(Tensor a, Tensor b) {
        Errors.sameDevice("div", a, b);
        DType dt = resultType(a, b);
        if (!dt.isFloatingPoint()) dt = DType.FLOAT32;
        return binaryAs(BinaryFn.DIV, a, b, dt);
    }

    static Tensor trueDivide(Tensor a, double value) {
        DType dt = resultType(a, true);
        return binaryAs(BinaryFn.DIV, a, scalar(value, dt, a), dt);
    }

    static Tensor trueDivideReversed(double value, Tensor a) {
        DType dt = resultType(a, true);
        return binaryAs(BinaryFn.DIV, scalar(value, dt, a), a, dt);
    }

    static Tensor floorDivide(Tensor a, Tensor b) {
        Errors.sameDevice("floor_divide", a, b);
        DType dt = resultType(a, b);
        if (dt == DType.BOOL) throw Errors.dtype("floor_divide", "bool tensors are not supported", a, b);
        Tensor q = binaryAs(BinaryFn.DIV, a, b, dt);
        return dt.isFloatingPoint() ? q.floor() : q;
    }

    static Tensor pow(Tensor a, double exponent) {
        if (exponent == 2.0 && a.dtype.isFloatingPoint()) return a.mul(a);
        return binary(BinaryFn.POW, a, exponent);
    }

    static Tensor logical(BinaryFn fn, Tensor a, Tensor b) {
        Errors.sameDevice(name(fn), a, b);
        Tensor x = a.dtype == DType.BOOL ? a : a.ne(0.0);
        Tensor y = b.dtype == DType.BOOL ? b : b.ne(0.0);
        return binaryAs(fn, x, y, DType.BOOL);
    }

    // ---------------------------------------------------------------- unary

    static Tensor unary(UnaryFn fn, Tensor x) {
        String op = name(fn);
        if (x.dtype == DType.BOOL) {
            switch (fn) {
                case NEG, ABS, SIGN, RELU -> throw Errors.dtype(op, "bool tensors are not supported (use logicalNot for negation)", x);
                default -> {}
            }
        }
        if (fn.needsFloat() && !x.dtype.isFloatingPoint()) x = x.to(DType.FLOAT32);
        Tensor out = Creation.empty(op, x.shape, fn.isPredicate() ? DType.BOOL : x.dtype, x.backend());
        Dispatcher.kernel(UNARY[fn.ordinal()], new Tensor[] {x}, new Tensor[] {out}, false);
        return out;
    }

    static Tensor unaryInPlace(UnaryFn fn, Tensor x) {
        String op = name(fn) + "_";
        if (fn.isPredicate() || (fn.needsFloat() && !x.dtype.isFloatingPoint())) {
            throw Errors.dtype(op, "the result cannot be written in place into a tensor of dtype " + x.dtype, x);
        }
        if (x.dtype == DType.BOOL) return unary(fn, x); // throws the bool message
        checkWritable(op, x);
        Dispatcher.kernel(UNARY[fn.ordinal()], new Tensor[] {x}, new Tensor[] {x}, true);
        return x;
    }

    // ---------------------------------------------------------------- where and composites

    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        Errors.sameDevice("where", cond, a, b);
        if (cond.dtype != DType.BOOL) throw Errors.dtype("where", "the condition must be a bool tensor", cond, a, b);
        DType dt = resultType(a, b);
        long[] shape = Errors.broadcast("where", cond, a, b);
        Tensor c = Views.expandFor("where", cond, shape);
        Tensor x = Views.expandFor("where", a.to(dt), shape);
        Tensor y = Views.expandFor("where", b.to(dt), shape);
        Tensor out = Creation.empty("where", shape, dt, a.backend());
        Dispatcher.kernel(WHERE, new Tensor[] {c, x, y}, new Tensor[] {out}, false);
        return out;
    }

    static boolean geluMode(String approximate) {
        return switch (approximate) {
            case "none" -> false;
            case "tanh" -> true;
            default -> throw new IllegalArgumentException("gelu: approximate must be \"none\" or \"tanh\", got \"" + approximate + "\"");
        };
    }

    static Tensor gelu(Tensor x, boolean tanh) {
        Errors.requireFloat("gelu", x);
        if (tanh) {
            Tensor inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(Math.sqrt(2.0 / Math.PI));
            return x.mul(0.5).mul(inner.tanh().add(1.0));
        }
        return x.mul(0.5).mul(x.mul(1.0 / Math.sqrt(2.0)).erf().add(1.0));
    }

    static Tensor softplus(Tensor x, double beta, double threshold) {
        Errors.requireFloat("softplus", x);
        Tensor z = beta == 1.0 ? x : x.mul(beta);
        // max(z, 0) + log1p(exp(-|z|)) never overflows
        Tensor soft = z.relu().add(z.abs().neg().exp().log1p());
        if (beta != 1.0) soft = soft.div(beta);
        return where(z.gt(threshold), x, soft);
    }

    static Tensor clamp(Tensor x, double min, double max) {
        if (!Double.isNaN(min) && !Double.isNaN(max) && min > max) {
            // PyTorch sets every element to max in this case
            return where(x.isnan(), x, scalarLike(x, max).expand(x.shape));
        }
        // maximum/minimum give the value; where() routes the gradient so that elements equal to a bound
        // keep all of it, as torch.clamp does (maximum/minimum would split it at ties)
        Tensor out = x;
        if (!Double.isNaN(min)) {
            Tensor lo = scalar(min, resultType(x, min != Math.rint(min)), x);
            Tensor m = out.maximum(lo);
            out = where(out.lt(lo), m, out.to(m.dtype()));
        }
        if (!Double.isNaN(max)) {
            Tensor hi = scalar(max, resultType(out, max != Math.rint(max)), x);
            Tensor m = out.minimum(hi);
            out = where(out.gt(hi), m, out.to(m.dtype()));
        }
        return out == x ? x.clone() : out;
    }
}
