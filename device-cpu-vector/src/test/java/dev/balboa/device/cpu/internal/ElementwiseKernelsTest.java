package dev.balboa.device.cpu.internal;

import static dev.balboa.device.cpu.internal.Tensors.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import dev.balboa.spi.Op.BinaryFn;
import dev.balboa.spi.Op.UnaryFn;
import dev.balboa.spi.Operand;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Elementwise kernels against double-precision oracles over contiguous, strided, broadcast, empty and aliased views. */
class ElementwiseKernelsTest {

    static final int[] SIZES = {0, 1, 15, 16, 17, 1000, 100_003};
    static final DType[] FLOATS = {DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16};
    static final DType[] ALL = DType.values();

    /** The oracle's unary function, in double. */
    static double unaryOracle(UnaryFn fn, double x, boolean integral) {
        if (integral) {
            return switch (fn) {
                case NEG -> -x;
                case ABS -> Math.abs(x);
                case SIGN -> Math.signum(x);
                case RELU -> Math.max(x, 0);
                case LOGICAL_NOT -> x == 0 ? 1 : 0;
                case ISNAN, ISINF -> 0;
                default -> x;
            };
        }
        return switch (fn) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> x > 0 ? 1 : x < 0 ? -1 : 0; // PyTorch: 0 for NaN and for both zeros
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case LOG1P -> Math.log1p(x);
            case EXPM1 -> Math.expm1(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1 / Math.sqrt(x);
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case ERF -> erfReference(x);
            case RECIPROCAL -> 1 / x;
            case RELU -> Double.isNaN(x) ? x : Math.max(x, 0);
            case FLOOR -> Math.floor(x);
            case CEIL -> Math.ceil(x);
            case ROUND -> Math.rint(x);
            case LOGICAL_NOT -> x == 0 ? 1 : 0;
            case ISNAN -> Double.isNaN(x) ? 1 : 0;
            case ISINF -> Double.isInfinite(x) ? 1 : 0;
        };
    }

    /** erf by Simpson integration of 2/sqrt(pi) exp(-t^2) (independent of the kernel's series). */
    static double erfReference(double x) {
        if (Double.isNaN(x)) return x;
        if (Math.abs(x) > 8) return Math.signum(x);
        int n = 2000;
        double h = x / n, s = 1 + Math.exp(-x * x);
        for (int i = 1; i < n; i++) s += (i % 2 == 1 ? 4 : 2) * Math.exp(-(i * h) * (i * h));
        return s * h / 3 * 2 / Math.sqrt(Math.PI);
    }

    static double[] specialValues(int n, Random r) {
        double[] v = new double[n];
        double[] specials = {0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.5, -2.5, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, 1e-3, 20, -20, 3.7, -3.7};
        for (int i = 0; i < n; i++) v[i] = i < specials.length && n < 100 ? specials[i] : r.nextGaussian() * 3;
        return v;
    }

    static List<Operand> layouts(Operand contiguous) {
        List<Operand> l = new ArrayList<>();
        l.add(contiguous);
        l.add(transposedCopy(contiguous));
        l.add(slicedCopy(contiguous));
        return l;
    }

    static void checkUnary(UnaryFn fn, Operand x, Operand out) {
        DType t = x.dtype();
        long n = numel(x.shape());
        double tol = fn == UnaryFn.ERF ? Math.max(tol(t), 1e-9) : tol(t);
        for (long i = 0; i < n; i++) {
            double in = d(x, i);
            double want = unaryOracle(fn, in, !t.isFloatingPoint());
            if (!fn.isPredicate()) want = t.isFloatingPoint() ? round(t, want) : want;
            double got = d(out, i);
            if (t.isIntegral() && !fn.isPredicate()) {
                Operand w = of(t, new double[] {want}, 1);  // wrap like a store
                want = d(w, 0);
            }
            double tt = (fn == UnaryFn.SIN || fn == UnaryFn.COS || fn == UnaryFn.TANH || fn == UnaryFn.EXPM1
                    || fn == UnaryFn.LOG1P) && t == DType.FLOAT32 ? 1e-5 : tol;
            if (!close(want, got, tt)) {
                fail(fn + " " + t + " " + x + " element " + i + ": x=" + in + " want " + want + " got " + got);
            }
        }
    }

    @Test
    void unaryFloat32AllFunctionsSizesAndLayouts() {
        Random r = new Random(1);
        for (UnaryFn fn : UnaryFn.values()) {
            for (int n : SIZES) {
                if (n == 100_003 && fn.ordinal() % 4 != 0) continue;
                Operand c = of(DType.FLOAT32, specialValues(n, r), n);
                Operand out = zeros(fn.isPredicate() ? DType.BOOL : DType.FLOAT32, n);
                ElementwiseKernels.unary(fn, c, out);
                checkUnary(fn, c, out);
            }
            Operand m = of(DType.FLOAT32, specialValues(7 * 33, r), 7, 33);
            for (Operand x : layouts(m)) {
                Operand out = zeros(fn.isPredicate() ? DType.BOOL : DType.FLOAT32, 7, 33);
                ElementwiseKernels.unary(fn, x, out);
                checkUnary(fn, x, out);
            }
        }
    }

    @Test
    void unaryOtherDtypes() {
        Random r = new Random(2);
        for (DType t : ALL) {
            for (UnaryFn fn : UnaryFn.values()) {
                if (fn.needsFloat() && !t.isFloatingPoint()) {
                    assertThrows(UnsupportedOperationException.class,
                            () -> ElementwiseKernels.unary(fn, zeros(t, 3), zeros(t, 3)));
                    continue;
                }
                if (t == DType.BOOL && (fn == UnaryFn.NEG || fn == UnaryFn.SIGN)) continue;
                Operand c = t.isFloatingPoint() ? of(t, specialValues(5 * 19, r), 5, 19) : random(t, r, 5, 19);
                for (Operand x : layouts(c)) {
                    Operand out = zeros(fn.isPredicate() ? DType.BOOL : t, 5, 19);
                    ElementwiseKernels.unary(fn, x, out);
                    checkUnary(fn, x, out);
                }
            }
        }
    }

    @Test
    void logicalNotOnBoolAllSizesAndInPlace() {
        Random r = new Random(21);
        for (int n : new int[] {1, 31, 32, 33, 64, 65, 257, 100_003}) {
            Operand x = random(DType.BOOL, r, n), out = zeros(DType.BOOL, n);
            double[] before = values(x);
            ElementwiseKernels.unary(UnaryFn.LOGICAL_NOT, x, out);
            ElementwiseKernels.unary(UnaryFn.LOGICAL_NOT, x, x);
            for (int i = 0; i < n; i++) {
                double want = before[i] == 0 ? 1 : 0;
                assertEquals(want, d(out, i), "n=" + n + " element " + i);
                assertEquals(want, d(x, i), "in place n=" + n + " element " + i);
            }
        }
    }

    @Test
    void unaryInPlaceOnStridedView() {
        Random r = new Random(3);
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.BFLOAT16, DType.INT32}) {
            Operand x = transposedCopy(random(t, r, 9, 40));
            double[] before = values(x);
            UnaryFn fn = t.isFloatingPoint() ? UnaryFn.EXP : UnaryFn.NEG;
            ElementwiseKernels.unary(fn, x, x);
            for (int i = 0; i < before.length; i++) {
                double want = t.isFloatingPoint() ? round(t, Math.exp(before[i])) : -before[i];
                assertTrue(close(want, d(x, i), tol(t)), t + " element " + i);
            }
            Operand y = random(t, r, 1000);
            before = values(y);
            ElementwiseKernels.unary(fn, y, y);
            for (int i = 0; i < before.length; i++) {
                double want = t.isFloatingPoint() ? round(t, Math.exp(before[i])) : -before[i];
                assertTrue(close(want, d(y, i), tol(t)));
            }
        }
    }

    /** The oracle's binary function; integer DIV is floor division. */
    static double binaryOracle(BinaryFn fn, double x, double y, boolean integral) {
        return switch (fn) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> integral ? Math.floor(x / y) : x / y;
            case POW -> Math.pow(x, y);
            case MAXIMUM -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.max(x, y);
            case MINIMUM -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.min(x, y);
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

    static void checkBinary(BinaryFn fn, Operand x, Operand y, Operand out) {
        DType t = x.dtype();
        long n = numel(out.shape());
        for (long i = 0; i < n; i++) {
            double a = d(x, i), b = d(y, i);
            double want = binaryOracle(fn, a, b, !t.isFloatingPoint());
            if (!fn.isComparison()) {
                if (t.isFloatingPoint()) want = round(t, want);
                else want = d(of(t, new double[] {want}, 1), 0);  // wrap like a store
            }
            double tol = fn == BinaryFn.POW && t == DType.FLOAT32 ? 1e-5 : tol(t);
            if (!close(want, d(out, i), tol)) {
                fail(fn + " " + x + " " + y + " element " + i + ": " + a + ", " + b + " want " + want + " got " + d(out, i));
            }
        }
    }

    /** x and y of shape [rows, cols] in several broadcast patterns. */
    static List<Operand[]> binaryCases(DType t, int rows, int cols, Random r) {
        List<Operand[]> l = new ArrayList<>();
        long[] sh = {rows, cols};
        Operand a = random(t, r, rows, cols), b = random(t, r, rows, cols);
        if (t.isFloatingPoint() && rows * cols > 0) {
            Access.of(a).setD(0, Double.NaN);
            Access.of(b).setD(Math.min(1, rows * cols - 1), Double.NaN);
        }
        if (rows * cols == 0) {
            l.add(new Operand[] {a, b});
            return l;
        }
        Operand s = random(t, r, 1);
        Operand row = random(t, r, cols);
        Operand col = random(t, r, rows);
        l.add(new Operand[] {a, b});
        l.add(new Operand[] {a, view(s, sh, new long[] {0, 0}, 0)});
        l.add(new Operand[] {view(s, sh, new long[] {0, 0}, 0), b});
        l.add(new Operand[] {a, view(row, sh, new long[] {0, 1}, 0)});
        l.add(new Operand[] {view(col, sh, new long[] {1, 0}, 0), b});
        l.add(new Operand[] {transposedCopy(a), slicedCopy(b)});
        return l;
    }

    @Test
    void binaryFloatAllFunctionsWithBroadcasts() {
        Random r = new Random(4);
        for (DType t : FLOATS) {
            for (BinaryFn fn : BinaryFn.values()) {
                int[][] shapes = t == DType.FLOAT32 || t == DType.FLOAT64
                        ? new int[][] {{1, 1}, {3, 15}, {2, 16}, {4, 17}, {10, 100}, {0, 5}, {1, 100_003}}
                        : new int[][] {{3, 17}, {0, 2}};
                for (int[] shp : shapes) {
                    if (shp[1] == 100_003 && fn.ordinal() % 3 != 0) continue;
                    for (Operand[] xy : binaryCases(t, shp[0], shp[1], r)) {
                        Operand out = zeros(fn.isComparison() ? DType.BOOL : t, shp[0], shp[1]);
                        ElementwiseKernels.binary(fn, xy[0], xy[1], out);
                        checkBinary(fn, xy[0], xy[1], out);
                    }
                }
            }
        }
    }

    @Test
    void binaryIntegerAndBool() {
        Random r = new Random(5);
        for (DType t : new DType[] {DType.BOOL, DType.UINT8, DType.INT8, DType.INT32, DType.INT64}) {
            for (BinaryFn fn : BinaryFn.values()) {
                if (fn == BinaryFn.DIV || fn == BinaryFn.POW || (t == DType.BOOL && fn == BinaryFn.SUB)) continue;
                for (Operand[] xy : binaryCases(t, 5, 21, r)) {
                    Operand out = zeros(fn.isComparison() ? DType.BOOL : t, 5, 21);
                    ElementwiseKernels.binary(fn, xy[0], xy[1], out);
                    checkBinary(fn, xy[0], xy[1], out);
                }
            }
        }
    }

    @Test
    void integerDivisionFloorsAndRejectsZero() {
        Operand x = of(DType.INT32, new double[] {7, -7, 7, -7, 0, -1}, 6);
        Operand y = of(DType.INT32, new double[] {2, 2, -2, -2, 3, 3}, 6);
        Operand out = zeros(DType.INT32, 6);
        ElementwiseKernels.binary(BinaryFn.DIV, x, y, out);
        assertArrayEquals(new double[] {3, -4, -4, 3, 0, -1}, values(out));
        Operand z = of(DType.INT64, new double[] {1, 0}, 2);
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> ElementwiseKernels.binary(BinaryFn.DIV, z, z, zeros(DType.INT64, 2)));
        assertTrue(e.getMessage().contains("binary(div)"), e.getMessage());
        // uint8 is unsigned: 200 / 3 = 66
        Operand u = of(DType.UINT8, new double[] {200}, 1), three = of(DType.UINT8, new double[] {3}, 1);
        Operand uo = zeros(DType.UINT8, 1);
        ElementwiseKernels.binary(BinaryFn.DIV, u, three, uo);
        assertEquals(66, l(uo, 0));
    }

    @Test
    void integerPowIsExactAndWraps() {
        Operand x = of(DType.INT64, new double[] {3, -2, 1, -1, -1, 0, 7}, 7);
        Operand y = of(DType.INT64, new double[] {39, 5, -5, -3, -4, 0, 0}, 7);
        Operand out = zeros(DType.INT64, 7);
        ElementwiseKernels.binary(BinaryFn.POW, x, y, out);
        long p = 1;
        for (int i = 0; i < 39; i++) p *= 3;
        assertEquals(p, l(out, 0));   // 3^39 exceeds 2^53: needs exact integer arithmetic
        assertEquals(-32, l(out, 1));
        assertEquals(1, l(out, 2));
        assertEquals(-1, l(out, 3));
        assertEquals(1, l(out, 4));
        assertEquals(1, l(out, 5));
        Operand two = of(DType.INT32, new double[] {2}, 1), neg = of(DType.INT32, new double[] {-1}, 1);
        assertThrows(ArithmeticException.class, () -> ElementwiseKernels.binary(BinaryFn.POW, two, neg, zeros(DType.INT32, 1)));
        // int8 wraps: 2^7 = 128 -> -128
        Operand b2 = of(DType.INT8, new double[] {2}, 1), b7 = of(DType.INT8, new double[] {7}, 1);
        Operand bo = zeros(DType.INT8, 1);
        ElementwiseKernels.binary(BinaryFn.POW, b2, b7, bo);
        assertEquals(-128, l(bo, 0));
    }

    @Test
    void binaryInPlaceAliasingWithBroadcastOperand() {
        Random r = new Random(6);
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.FLOAT16}) {
            for (int cols : new int[] {15, 16, 17, 1000}) {
                Operand x = random(t, r, 4, cols);
                Operand bias = random(t, r, cols);
                Operand bb = view(bias, new long[] {4, cols}, new long[] {0, 1}, 0);
                double[] before = values(x);
                ElementwiseKernels.binary(BinaryFn.ADD, x, bb, x);
                for (int i = 0; i < before.length; i++) {
                    double want = round(t, before[i] + d(bias, i % cols));
                    assertTrue(close(want, d(x, i), tol(t)), t + " " + i);
                }
                Operand xt = transposedCopy(random(t, r, 4, cols));
                before = values(xt);
                Operand s = random(t, r, 1);
                ElementwiseKernels.binary(BinaryFn.MUL, view(s, new long[] {4, cols}, new long[] {0, 0}, 0), xt, xt);
                for (int i = 0; i < before.length; i++) {
                    assertTrue(close(round(t, before[i] * d(s, 0)), d(xt, i), tol(t)), t + " " + i);
                }
            }
        }
    }

    @Test
    void comparisonsWithNaNAndBothBroadcastSides() {
        double nan = Double.NaN;
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int n : new int[] {5, 16, 33}) {
                double[] xs = new double[n];
                for (int i = 0; i < n; i++) xs[i] = i % 3 == 0 ? nan : i - n / 2.0;
                Operand x = of(t, xs, n);
                Operand s = view(of(t, new double[] {nan}, 1), new long[] {n}, new long[] {0}, 0);
                Operand z = view(of(t, new double[] {0.5}, 1), new long[] {n}, new long[] {0}, 0);
                for (BinaryFn fn : new BinaryFn[] {BinaryFn.EQ, BinaryFn.NE, BinaryFn.LT, BinaryFn.LE, BinaryFn.GT, BinaryFn.GE}) {
                    for (Operand[] xy : new Operand[][] {{x, x}, {x, s}, {s, x}, {x, z}, {z, x}}) {
                        Operand out = zeros(DType.BOOL, n);
                        ElementwiseKernels.binary(fn, xy[0], xy[1], out);
                        checkBinary(fn, xy[0], xy[1], out);
                    }
                }
            }
        }
    }

    @Test
    void whereAllDtypesAndBroadcasts() {
        Random r = new Random(7);
        for (DType t : ALL) {
            for (int n : new int[] {0, 1, 15, 16, 17, 1000}) {
                Operand c = random(DType.BOOL, r, 3, n);
                Operand a = random(t, r, 3, n), b = random(t, r, 3, n);
                Operand s = view(random(t, r, 1), new long[] {3, n}, new long[] {0, 0}, 0);
                for (Operand[] ab : new Operand[][] {{a, b}, {s, b}, {a, s}, {transposedCopy(a), slicedCopy(b)}}) {
                    for (Operand cc : new Operand[] {c, transposedCopy(c)}) {
                        Operand out = zeros(t, 3, n);
                        ElementwiseKernels.where(cc, ab[0], ab[1], out);
                        for (int i = 0; i < 3 * n; i++) {
                            double want = l(cc, i) != 0 ? d(ab[0], i) : d(ab[1], i);
                            assertEquals(want, d(out, i), t + " " + n + " " + i);
                        }
                    }
                }
            }
        }
        // in place: out is the same view as a
        Operand c = random(DType.BOOL, r, 100);
        Operand a = random(DType.FLOAT32, r, 100), b = random(DType.FLOAT32, r, 100);
        double[] before = values(a);
        ElementwiseKernels.where(c, a, b, a);
        for (int i = 0; i < 100; i++) assertEquals(l(c, i) != 0 ? before[i] : d(b, i), d(a, i));
    }

    /** The Op.Copy conversion rules, as the oracle. */
    static double convert(double v, DType from, DType to) {
        if (to == DType.BOOL) return v != 0 || Double.isNaN(v) ? 1 : 0;
        if (to.isFloatingPoint()) return round(to, v);
        long l = Double.isNaN(v) ? 0 : (long) v;   // truncation toward zero
        return switch (to) {
            case UINT8 -> l & 0xFF;
            case INT8 -> (byte) l;
            case INT32 -> (int) l;
            default -> l;
        };
    }

    @Test
    void copyCastsBetweenEveryPairOfDtypes() {
        double[] vals = {0, -0.0, 1, -1, 2.7, -2.7, 127.5, 128.9, 255.2, 300.5, -129.7, 65504, 1e6 + 0.5,
                Double.NaN, 3.0e9, -3.0e9, 1.00390625, 0.1};
        for (DType from : ALL) {
            Operand x = of(from, vals, vals.length);
            for (DType to : ALL) {
                for (Operand xv : new Operand[] {x, slicedCopy(x)}) {
                    Operand out = zeros(to, vals.length);
                    ElementwiseKernels.copy(xv, out);
                    for (int i = 0; i < vals.length; i++) {
                        double src = d(xv, i);
                        if (!from.isFloatingPoint()) src = l(xv, i);
                        if (Double.isInfinite(src) && !to.isFloatingPoint() && to != DType.BOOL) continue;
                        double want = convert(src, from, to);
                        assertEquals(want, d(out, i), from + " -> " + to + " value " + src);
                    }
                }
            }
        }
    }

    @Test
    void copyStridedAllSizesAndTransposes() {
        Random r = new Random(8);
        for (DType t : ALL) {
            for (int n : SIZES) {
                if (n == 100_003 && t != DType.FLOAT32) continue;
                Operand x = random(t, r, 2, n);
                for (Operand xv : layouts(x)) {
                    Operand out = zeros(t, 2, n);
                    ElementwiseKernels.copy(xv, out);
                    assertArrayEquals(values(x), values(out), t + " " + n);
                    Operand outT = transposedCopy(zeros(t, 2, n));
                    ElementwiseKernels.copy(xv, outT);
                    assertArrayEquals(values(x), values(outT), t + " " + n);
                }
            }
        }
    }

    @Test
    void copyOfTransposesUsesTilesCorrectly() {
        Random r = new Random(9);
        for (DType t : ALL) {
            for (long[] shape : new long[][] {{100, 33}, {3, 37, 70}, {32, 32}, {2, 64, 31}}) {
                Operand x = random(t, r, shape);
                Operand xt = transposedCopy(x);   // logical shape as x, stored with the last two axes swapped
                Operand out = zeros(t, shape);
                ElementwiseKernels.copy(xt, out);
                assertArrayEquals(values(x), values(out), t + " " + java.util.Arrays.toString(shape));
            }
        }
    }

    @Test
    void float32ErfIsAccurateAcrossItsRange() {
        int n = 200_000;
        float[] xs = new float[n];
        for (int i = 0; i < n; i++) xs[i] = -5f + 10f * i / n;
        Operand x = zeros(DType.FLOAT32, n);
        System.arraycopy(xs, 0, ((CpuBuffer) x.buffer()).f32(), 0, n);
        Operand out = zeros(DType.FLOAT32, n);
        ElementwiseKernels.unary(UnaryFn.ERF, x, out);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double want = erfReference(xs[i]);
            float got = (float) d(out, i);
            double ulps = Math.abs(got - want) / Math.ulp((float) want);
            worst = Math.max(worst, ulps);
            assertEquals(ErfF32.erf(xs[i]), ErfF32.erf(xs[i]));
        }
        assertTrue(worst <= 4, "worst error " + worst + " ulps");
        for (float v : new float[] {0f, -0f, 1f, -1f, 4f, -4f, 1e-30f, 1e-6f}) {
            assertTrue(Math.abs(ErfF32.erf(v) - erfReference(v)) <= 2 * Math.ulp((float) erfReference(v)) + 1e-45, "erf " + v);
        }
    }

    @Test
    void bfloat16RoundsToNearestEven() {
        // 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties to even (1.0); 1 + 3*2^-8 rounds up to 1 + 2^-6
        assertEquals(1.0f, Access.bf16ToFloat(Access.floatToBf16(1f + 0x1p-8f)));
        assertEquals(1f + 0x1p-6f, Access.bf16ToFloat(Access.floatToBf16(1f + 3 * 0x1p-8f)));
        assertEquals(1f + 0x1p-7f, Access.bf16ToFloat(Access.floatToBf16(1f + 0x1p-7f + 0x1p-9f)));
        assertTrue(Float.isNaN(Access.bf16ToFloat(Access.floatToBf16(Float.NaN))));
        assertEquals(Float.POSITIVE_INFINITY, Access.bf16ToFloat(Access.floatToBf16(Float.MAX_VALUE)));
        assertEquals(-0.0f, Access.bf16ToFloat(Access.floatToBf16(-0.0f)));
    }

    @Test
    void fillEveryDtypeAndStridedView() {
        for (DType t : ALL) {
            Operand x = zeros(t, 3, 17);
            ElementwiseKernels.fill(new Op.Fill(2.75, 2), x);
            for (int i = 0; i < 51; i++) {
                assertEquals(t.isFloatingPoint() ? 2.75 : (t == DType.BOOL ? 1 : 2), d(x, i), t.toString());
            }
            Operand big = zeros(t, 40);
            Operand v = view(big, new long[] {4, 5}, new long[] {10, 2}, 1);
            ElementwiseKernels.fill(Op.Fill.of(-3L), v);
            for (int i = 0; i < 40; i++) {
                boolean inView = i % 10 >= 1 && i % 10 <= 9 && (i % 10 - 1) % 2 == 0;
                double want = inView ? (t == DType.BOOL ? 1 : t == DType.UINT8 ? 253 : -3) : 0;
                assertEquals(want, d(big, i), t + " " + i);
            }
        }
        Operand e = zeros(DType.FLOAT32, 0, 4);
        ElementwiseKernels.fill(Op.Fill.of(1.0), e);
    }

    @Test
    void arangeFloatAndInteger() {
        Operand f = zeros(DType.FLOAT32, 1000);
        ElementwiseKernels.arange(new Op.Arange(0.5, 0.25), f);
        for (int i = 0; i < 1000; i++) assertEquals((float) (0.5 + i * 0.25), d(f, i));
        Operand l = zeros(DType.INT64, 7);
        ElementwiseKernels.arange(new Op.Arange(-3, 1.5), l);
        for (int i = 0; i < 7; i++) assertEquals((long) (-3 + i * 1.5), l(l, i));
    }
}
