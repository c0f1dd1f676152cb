package dev.balboa.device.cpu.internal.gemm;

import static dev.balboa.device.cpu.internal.gemm.TestOperands.get;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.balboa.spi.DType;
import dev.balboa.spi.Operand;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks {@link Gemm#matmul} against a double-precision triple loop over many shapes, layouts and dtypes. */
class GemmTest {

    /** Layouts of an operand [B, R, C]: row-major, column-major, padded rows with an offset, column stride 2, batch broadcast. */
    enum Layout { ROW, COL, PADDED, COLSTRIDE2, BROADCAST }

    static Operand make(DType dt, int batch, int rows, int cols, Layout layout, Random rnd) {
        long[] shape = {batch, rows, cols};
        long r = Math.max(rows, 1), c = Math.max(cols, 1);
        return switch (layout) {
            case ROW -> TestOperands.random(dt, shape, new long[] {r * c, c, 1}, 0, rnd);
            case COL -> TestOperands.random(dt, shape, new long[] {r * c, 1, r}, 0, rnd);
            case PADDED -> TestOperands.random(dt, shape, new long[] {r * (c + 3) + 5, c + 3, 1}, 7, rnd);
            case COLSTRIDE2 -> TestOperands.random(dt, shape, new long[] {r * c * 2, c * 2, 2}, 1, rnd);
            case BROADCAST -> TestOperands.random(dt, shape, new long[] {0, c, 1}, 0, rnd);
        };
    }

    /** Runs matmul and compares every element with the oracle; returns the output. */
    static Operand check(DType dt, Operand a, Operand b, Operand out, double relTol) {
        int batch = (int) out.shape()[0], m = (int) out.shape()[1], n = (int) out.shape()[2];
        int k = (int) a.shape()[2];
        Gemm.matmul(a, b, out);
        for (int bi = 0; bi < batch; bi++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0, mag = 0;
                    for (int p = 0; p < k; p++) {
                        double x = get(a, bi, i, p), y = get(b, bi, p, j);
                        s += x * y;
                        mag += Math.abs(x * y);
                    }
                    double got = get(out, bi, i, j);
                    if (dt.isIntegral()) {
                        assertEquals(wrap(dt, (long) s), (long) got, "at " + bi + "," + i + "," + j);
                    } else {
                        double tol = relTol * mag + 1e-30 + (dt == DType.FLOAT16 || dt == DType.BFLOAT16 ? relTol * Math.abs(s) : 0);
                        if (!(Math.abs(got - s) <= tol)) {
                            throw new AssertionError(dt + " at " + bi + "," + i + "," + j + ": got " + got + " want " + s);
                        }
                    }
                }
            }
        }
        return out;
    }

    static long wrap(DType dt, long v) {
        return switch (dt) {
            case INT8 -> (byte) v;
            case UINT8 -> v & 0xFF;
            case INT32 -> (int) v;
            default -> v;
        };
    }

    static Operand run(DType dt, int batch, int m, int k, int n, Layout la, Layout lb, double tol, long seed) {
        Random rnd = new Random(seed);
        Operand a = make(dt, batch, m, k, la, rnd);
        Operand b = make(dt, batch, k, n, lb, rnd);
        Operand out = TestOperands.filled(dt, 123, batch, m, n);
        return check(dt, a, b, out, tol);
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(1, 1, 1, 1), Arguments.of(1, 2, 3, 4), Arguments.of(1, 17, 33, 65),
                Arguments.of(2, 31, 20, 47), Arguments.of(1, 64, 64, 64), Arguments.of(1, 130, 257, 300),
                Arguments.of(1, 9, 600, 33), Arguments.of(3, 40, 70, 90), Arguments.of(5, 8, 8, 8),
                Arguments.of(1, 250, 40, 2100), Arguments.of(1, 600, 30, 50), Arguments.of(4, 100, 100, 100),
                Arguments.of(3, 150, 150, 150), Arguments.of(1, 2, 500, 300), Arguments.of(2, 1, 700, 90),
                Arguments.of(1, 512, 600, 32), Arguments.of(1, 203, 520, 64), Arguments.of(2, 96, 40, 17));
    }

    @ParameterizedTest(name = "float32 B={0} M={1} K={2} N={3}")
    @MethodSource("shapes")
    void float32Shapes(int batch, int m, int k, int n) {
        run(DType.FLOAT32, batch, m, k, n, Layout.ROW, Layout.ROW, 1e-5, m * 31 + k);
    }

    @ParameterizedTest(name = "float32 layouts A={0} B={1}")
    @MethodSource("layouts")
    void float32Layouts(Layout la, Layout lb) {
        run(DType.FLOAT32, 2, 37, 45, 51, la, lb, 1e-5, 3);
        run(DType.FLOAT32, 2, 70, 300, 90, la, lb, 1e-5, 4);
        // at most two column panels: A is read in place, with a partial strip of rows at the end
        run(DType.FLOAT32, 1, 77, 300, 50, la, lb, 1e-5, 5);
        // few rows: B read in place (row-major) or dotted with A (column-major)
        run(DType.FLOAT32, 2, 13, 300, 150, la, lb, 1e-5, 6);
        run(DType.FLOAT32, 1, 16, 37, 97, la, lb, 1e-5, 7);
        // up to 64 rows and many columns: a row-major B whose rows do not alias in L1 read in place
        // (several depth blocks, partial row strips and column panels)
        run(DType.FLOAT32, 1, 45, 300, 601, la, lb, 1e-5, 8);
        run(DType.FLOAT32, 2, 64, 40, 300, la, lb, 1e-5, 9);
        run(DType.FLOAT32, 1, 32, 20, 1040, la, lb, 1e-5, 10);
    }

    static Stream<Arguments> layouts() {
        Stream.Builder<Arguments> s = Stream.builder();
        for (Layout a : Layout.values()) for (Layout b : Layout.values()) s.add(Arguments.of(a, b));
        return s.build();
    }

    @Test
    void emptyDimensions() {
        // K = 0 gives zeros; M = 0 or N = 0 writes nothing.
        Operand out = run(DType.FLOAT32, 2, 5, 0, 7, Layout.ROW, Layout.ROW, 1e-5, 1);
        for (int i = 0; i < 5; i++) assertEquals(0.0, get(out, 1, i, 3));
        run(DType.FLOAT64, 1, 4, 0, 3, Layout.ROW, Layout.ROW, 1e-12, 1);
        run(DType.INT32, 1, 4, 0, 3, Layout.ROW, Layout.ROW, 0, 1);
        run(DType.FLOAT16, 1, 4, 0, 3, Layout.ROW, Layout.ROW, 1e-3, 1);
        run(DType.FLOAT32, 1, 0, 5, 7, Layout.ROW, Layout.ROW, 1e-5, 1);
        run(DType.FLOAT32, 1, 5, 5, 0, Layout.ROW, Layout.ROW, 1e-5, 1);
        run(DType.FLOAT32, 0, 5, 5, 5, Layout.ROW, Layout.ROW, 1e-5, 1);
    }

    @Test
    void stridedOutput() {
        Random rnd = new Random(9);
        for (int[] s : new int[][] {{3, 5, 7}, {130, 257, 100}, {45, 270, 60}, {11, 300, 140}}) {
            int m = s[0], k = s[1], n = s[2];
            Operand a = make(DType.FLOAT32, 1, m, k, Layout.ROW, rnd);
            Operand b = make(DType.FLOAT32, 1, k, n, Layout.COL, rnd);
            // Output transposed in memory: column-major [1, M, N].
            Operand out = TestOperands.random(DType.FLOAT32, new long[] {1, m, n}, new long[] {m * n, 1, m}, 0, rnd);
            check(DType.FLOAT32, a, b, out, 1e-5);
        }
    }

    @Test
    void largeSquareParallel() {
        run(DType.FLOAT32, 1, 300, 520, 310, Layout.ROW, Layout.ROW, 1e-5, 11);
        run(DType.FLOAT32, 1, 300, 520, 310, Layout.COL, Layout.COL, 1e-5, 12);
    }

    @ParameterizedTest(name = "float64 B={0} M={1} K={2} N={3}")
    @MethodSource("shapes")
    void float64Shapes(int batch, int m, int k, int n) {
        run(DType.FLOAT64, batch, m, k, n, Layout.ROW, Layout.ROW, 1e-12, m + k);
    }

    @Test
    void float64Layouts() {
        run(DType.FLOAT64, 2, 37, 45, 51, Layout.COL, Layout.PADDED, 1e-12, 5);
        run(DType.FLOAT64, 3, 70, 300, 90, Layout.BROADCAST, Layout.COLSTRIDE2, 1e-12, 6);
    }

    @Test
    void halfPrecision() {
        run(DType.FLOAT16, 2, 17, 33, 65, Layout.ROW, Layout.COL, 1e-3, 7);
        run(DType.FLOAT16, 3, 70, 300, 90, Layout.BROADCAST, Layout.ROW, 1e-3, 8);
        run(DType.BFLOAT16, 2, 17, 33, 65, Layout.PADDED, Layout.ROW, 8e-3, 9);
        run(DType.BFLOAT16, 1, 130, 257, 40, Layout.ROW, Layout.BROADCAST, 8e-3, 10);
    }

    @Test
    void integers() {
        run(DType.INT32, 2, 17, 33, 65, Layout.ROW, Layout.COL, 0, 11);
        run(DType.INT32, 3, 20, 30, 10, Layout.BROADCAST, Layout.PADDED, 0, 12);
        run(DType.INT64, 2, 17, 33, 65, Layout.COLSTRIDE2, Layout.ROW, 0, 13);
        run(DType.INT8, 1, 9, 12, 7, Layout.ROW, Layout.ROW, 0, 14);
        run(DType.UINT8, 1, 9, 12, 7, Layout.ROW, Layout.ROW, 0, 15);
    }
}
