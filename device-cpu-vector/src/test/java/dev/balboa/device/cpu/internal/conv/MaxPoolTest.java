package dev.balboa.device.cpu.internal.conv;

import static dev.balboa.device.cpu.internal.gemm.TestOperands.get;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.balboa.device.cpu.internal.CpuBuffer;
import dev.balboa.device.cpu.internal.gemm.TestOperands;
import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import dev.balboa.spi.Operand;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Checks max pooling values and indices against a plain loop: padding, dilation, ties, NaN, dtypes. */
class MaxPoolTest {

    /** Runs the kernel and the oracle on x and compares values (bitwise for NaN) and indices. */
    static void check(Operand x, int[] kernel, int[] stride, int[] pad, int[] dil, int oh, int ow) {
        long n = x.shape()[0], c = x.shape()[1];
        int h = (int) x.shape()[2], w = (int) x.shape()[3];
        DType dt = x.dtype();
        Operand values = TestOperands.filled(dt, 7, n, c, oh, ow);
        Operand idx = TestOperands.filled(DType.INT64, -5, n, c, oh, ow);
        Conv.maxPool2d(new Op.MaxPool2d(kernel, stride, pad, dil), x, values, idx);
        for (int a = 0; a < n; a++) for (int b = 0; b < c; b++) for (int oy = 0; oy < oh; oy++) for (int ox = 0; ox < ow; ox++) {
            double best = Double.NEGATIVE_INFINITY;
            long at = -1;
            for (int ky = 0; ky < kernel[0]; ky++) for (int kx = 0; kx < kernel[1]; kx++) {
                int iy = oy * stride[0] - pad[0] + ky * dil[0], ix = ox * stride[1] - pad[1] + kx * dil[1];
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                double v = get(x, a, b, iy, ix);
                boolean take = at < 0 || (!Double.isNaN(best) && (Double.isNaN(v) || v > best));
                if (take) {
                    best = v;
                    at = (long) iy * w + ix;
                }
            }
            String where = dt + " at [" + a + "," + b + "," + oy + "," + ox + "]";
            assertEquals(at, (long) get(idx, a, b, oy, ox), where + " index");
            assertEquals(best, get(values, a, b, oy, ox), where + " value");
        }
    }

    static int out(int size, int k, int s, int p, int d) {
        return (size + 2 * p - d * (k - 1) - 1) / s + 1;
    }

    /** Values from a small set so ties are frequent, with occasional NaN. */
    static Operand tiesAndNaN(DType dt, Random rnd, double nanRate, long... shape) {
        Operand x = TestOperands.random(dt, rnd, shape);
        CpuBuffer b = (CpuBuffer) x.buffer();
        for (int i = 0; i < x.numel(); i++) {
            double v = rnd.nextInt(5) - 2;
            if (dt.isFloatingPoint() && rnd.nextDouble() < nanRate) v = Double.NaN;
            TestOperands.put(b, i, v);
        }
        return x;
    }

    @Test
    void basicWindows() {
        Random rnd = new Random(1);
        Operand x = TestOperands.random(DType.FLOAT32, rnd, 2, 3, 9, 10);
        check(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, 4, 5);
        check(x, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 9, 10);
        check(x, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 1}, new int[] {2, 3}, out(9, 3, 2, 1, 2), out(10, 2, 1, 1, 3));
    }

    @Test
    void ceilModeOutputs() {
        // One more output row and column than floor mode gives; the last windows hang over the edge.
        Random rnd = new Random(2);
        Operand x = TestOperands.random(DType.FLOAT32, rnd, 1, 2, 7, 7);
        check(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, 4, 4);
        check(x, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, 4, 4);
    }

    @Test
    void tiesPickTheFirstAndNaNWins() {
        Random rnd = new Random(3);
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16}) {
            Operand x = tiesAndNaN(dt, rnd, 0.05, 2, 3, 11, 12);
            check(x, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, 6, 6);
            check(x, new int[] {2, 3}, new int[] {1, 2}, new int[] {1, 1}, new int[] {2, 2}, out(11, 2, 1, 1, 2), out(12, 3, 2, 1, 2));
        }
    }

    @Test
    void twoByTwoTiesAndNaNAcrossVectorWidths() {
        // The 2x2 stride-2 fast paths: full eight-column blocks, a masked tail and an odd edge column.
        Random rnd = new Random(7);
        for (int w : new int[] {14, 16, 28, 39}) {
            Operand x = tiesAndNaN(DType.FLOAT32, rnd, 0.05, 2, 3, 9, w);
            check(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, 4, w / 2);
        }
    }

    @Test
    void twoByTwoManyPlanesRunBothLoops() {
        // Enough planes that a call times the scalar and the vector 2x2 loop on some planes each and
        // then runs the rest with one of them; every plane must match the oracle whichever ran it.
        Random rnd = new Random(8);
        for (int round = 0; round < 3; round++) {
            Operand x = tiesAndNaN(DType.FLOAT32, rnd, 0.02, 2, 40, 6, 28);
            check(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, 3, 14);
            x = tiesAndNaN(DType.FLOAT32, rnd, 0.02, 4, 75, 6, 30);
            check(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, 3, 14);
            // Sixteen-column groups of the vector loop: one output column, seven (a half-empty
            // group), exactly sixteen, and two full groups and a tail of three.
            for (int w : new int[] {2, 15, 32, 70}) {
                x = tiesAndNaN(DType.FLOAT32, rnd, 0.02, 2, 40, 5, w);
                check(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, 2, w / 2);
            }
        }
    }

    @Test
    void windowsInsideTheInputTiesAndNaN() {
        // No padding or dilation: AlexNet's 3x3 stride 2, a 3x2 stride 1 and a 2x2 stride 1 window,
        // and AlexNet's also in ceil mode (a last window hanging over the edge takes the general loop).
        Random rnd = new Random(9);
        for (int hw : new int[] {7, 13, 27}) {
            Operand x = tiesAndNaN(DType.FLOAT32, rnd, 0.03, 2, 3, hw, hw + 3);
            check(x, new int[] {3, 3}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, out(hw, 3, 2, 0, 1), out(hw + 3, 3, 2, 0, 1));
            check(x, new int[] {3, 3}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, (hw - 3 + 1) / 2 + 1, (hw + 3 - 3 + 1) / 2 + 1);
            check(x, new int[] {3, 2}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, hw - 2, hw + 2);
            check(x, new int[] {2, 2}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, hw - 1, hw + 2);
        }
    }

    @Test
    void integers() {
        Random rnd = new Random(4);
        for (DType dt : new DType[] {DType.INT32, DType.INT64, DType.INT8, DType.UINT8}) {
            Operand x = tiesAndNaN(dt, rnd, 0, 1, 2, 6, 7);
            check(x, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 0}, new int[] {1, 1}, 7, 6);
        }
    }

    @Test
    void stridedInput() {
        Random rnd = new Random(5);
        // NHWC memory viewed as NCHW.
        Operand x = TestOperands.random(DType.FLOAT32, new long[] {2, 3, 6, 5}, new long[] {90, 1, 15, 3}, 2, rnd);
        check(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, 4, 3);
    }

    @Test
    void emptyOutput() {
        Operand x = TestOperands.random(DType.FLOAT32, new Random(6), 0, 3, 4, 4);
        check(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, 2, 2);
    }
}
