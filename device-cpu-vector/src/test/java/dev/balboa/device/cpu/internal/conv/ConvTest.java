package dev.balboa.device.cpu.internal.conv;

import static dev.balboa.device.cpu.internal.gemm.TestOperands.get;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.balboa.device.cpu.internal.gemm.TestOperands;
import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import dev.balboa.spi.Operand;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks conv2d and its two gradients against double-precision scatter/gather loops written
 * here, across stride, padding, dilation, groups (depthwise included), 1x1 and rectangular
 * kernels, several dtypes and strided inputs, plus the adjoint identities that tie the three ops.
 */
class ConvTest {

    /** One convolution configuration. */
    record Case(int n, int c, int h, int w, int o, int kh, int kw, int[] stride, int[] pad, int[] dil, int groups) {
        int oh() { return (h + 2 * pad[0] - dil[0] * (kh - 1) - 1) / stride[0] + 1; }
        int ow() { return (w + 2 * pad[1] - dil[1] * (kw - 1) - 1) / stride[1] + 1; }
        @Override public String toString() {
            return "x[" + n + "," + c + "," + h + "," + w + "] w[" + o + "," + c / groups + "," + kh + "," + kw + "] s"
                    + stride[0] + "x" + stride[1] + " p" + pad[0] + "x" + pad[1] + " d" + dil[0] + "x" + dil[1] + " g" + groups;
        }
    }

    static Case c(int n, int c, int h, int w, int o, int kh, int kw, int s0, int s1, int p0, int p1, int d0, int d1, int g) {
        return new Case(n, c, h, w, o, kh, kw, new int[] {s0, s1}, new int[] {p0, p1}, new int[] {d0, d1}, g);
    }

    static Stream<Case> cases() {
        return Stream.of(
                c(2, 3, 7, 9, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                c(1, 4, 10, 11, 6, 3, 3, 2, 2, 1, 1, 1, 1, 2),
                c(2, 5, 9, 8, 5, 3, 3, 1, 1, 1, 1, 1, 1, 5),
                c(1, 6, 12, 13, 6, 3, 5, 2, 1, 2, 1, 2, 1, 6),
                c(3, 20, 19, 21, 20, 3, 3, 1, 1, 1, 1, 1, 1, 20),
                c(2, 8, 6, 6, 16, 1, 1, 1, 1, 0, 0, 1, 1, 1),
                c(2, 8, 6, 6, 16, 1, 1, 1, 1, 0, 0, 1, 1, 4),
                c(1, 3, 9, 9, 4, 1, 1, 2, 2, 0, 0, 1, 1, 1),
                c(2, 3, 11, 7, 5, 2, 4, 1, 2, 0, 1, 1, 1, 1),
                c(1, 4, 13, 17, 8, 3, 3, 3, 3, 2, 2, 2, 2, 4),
                c(2, 3, 8, 8, 6, 3, 3, 1, 1, 1, 1, 1, 1, 3),
                c(1, 2, 5, 5, 3, 5, 5, 1, 1, 0, 0, 1, 1, 1),
                c(1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1),
                c(3, 16, 20, 20, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                c(1, 64, 14, 14, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                c(1, 32, 15, 15, 48, 3, 3, 2, 2, 1, 1, 1, 1, 2),
                // stride 1 with wide planes (implicit GEMM): a non-square kernel and padding, 5x5,
                // 2x2 without padding, padding only along the width, and channel counts that fill
                // no micro-tile exactly
                c(2, 5, 12, 40, 11, 3, 5, 1, 1, 1, 2, 1, 1, 1),
                c(1, 7, 16, 16, 9, 5, 5, 1, 1, 2, 2, 1, 1, 1),
                c(3, 4, 17, 19, 6, 2, 2, 1, 1, 0, 0, 1, 1, 1),
                c(2, 3, 9, 30, 4, 3, 3, 1, 1, 0, 1, 1, 1, 1),
                // several images per product: tiny planes, pointwise, strided 1x1, groups, and
                // planes large enough that the batch is split into chunks of images
                c(5, 6, 2, 2, 7, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                c(4, 12, 3, 3, 10, 1, 1, 1, 1, 0, 0, 1, 1, 1),
                c(3, 8, 5, 5, 6, 1, 1, 2, 2, 0, 0, 1, 1, 2),
                c(3, 6, 7, 7, 8, 3, 3, 1, 1, 1, 1, 1, 1, 2),
                c(6, 3, 32, 32, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                c(5, 2, 40, 36, 4, 1, 1, 1, 1, 0, 0, 1, 1, 1),
                c(3, 40, 4, 4, 36, 3, 3, 1, 1, 1, 1, 1, 1, 1));
    }

    // ---------------------------------------------------------------- oracles

    /** Forward result and, per element, the sum of |terms| for the tolerance. */
    static double[][] forwardOracle(Case k, Operand x, Operand w, int oh, int ow) {
        int cg = k.c / k.groups, og = k.o / k.groups;
        double[] y = new double[k.n * k.o * oh * ow], mag = new double[y.length];
        for (int n = 0; n < k.n; n++) for (int o = 0; o < k.o; o++) for (int oy = 0; oy < oh; oy++) for (int ox = 0; ox < ow; ox++) {
            int i = ((n * k.o + o) * oh + oy) * ow + ox;
            for (int c = 0; c < cg; c++) for (int ky = 0; ky < k.kh; ky++) for (int kx = 0; kx < k.kw; kx++) {
                int iy = oy * k.stride[0] - k.pad[0] + ky * k.dil[0], ix = ox * k.stride[1] - k.pad[1] + kx * k.dil[1];
                if (iy < 0 || iy >= k.h || ix < 0 || ix >= k.w) continue;
                double t = get(x, n, (o / og) * cg + c, iy, ix) * get(w, o, c, ky, kx);
                y[i] += t;
                mag[i] += Math.abs(t);
            }
        }
        return new double[][] {y, mag};
    }

    /** Input gradient by scattering every output-gradient term back. */
    static double[][] backwardInputOracle(Case k, Operand gy, Operand w, int h, int wd) {
        int cg = k.c / k.groups, og = k.o / k.groups, oh = (int) gy.shape()[2], ow = (int) gy.shape()[3];
        double[] gx = new double[k.n * k.c * h * wd], mag = new double[gx.length];
        for (int n = 0; n < k.n; n++) for (int o = 0; o < k.o; o++) for (int oy = 0; oy < oh; oy++) for (int ox = 0; ox < ow; ox++) {
            double gv = get(gy, n, o, oy, ox);
            for (int c = 0; c < cg; c++) for (int ky = 0; ky < k.kh; ky++) for (int kx = 0; kx < k.kw; kx++) {
                int iy = oy * k.stride[0] - k.pad[0] + ky * k.dil[0], ix = ox * k.stride[1] - k.pad[1] + kx * k.dil[1];
                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                int i = ((n * k.c + (o / og) * cg + c) * h + iy) * wd + ix;
                double t = gv * get(w, o, c, ky, kx);
                gx[i] += t;
                mag[i] += Math.abs(t);
            }
        }
        return new double[][] {gx, mag};
    }

    /** Weight gradient by scattering every term over the batch. */
    static double[][] backwardWeightOracle(Case k, Operand x, Operand gy) {
        int cg = k.c / k.groups, og = k.o / k.groups, oh = (int) gy.shape()[2], ow = (int) gy.shape()[3];
        double[] gw = new double[k.o * cg * k.kh * k.kw], mag = new double[gw.length];
        for (int n = 0; n < k.n; n++) for (int o = 0; o < k.o; o++) for (int oy = 0; oy < oh; oy++) for (int ox = 0; ox < ow; ox++) {
            double gv = get(gy, n, o, oy, ox);
            for (int c = 0; c < cg; c++) for (int ky = 0; ky < k.kh; ky++) for (int kx = 0; kx < k.kw; kx++) {
                int iy = oy * k.stride[0] - k.pad[0] + ky * k.dil[0], ix = ox * k.stride[1] - k.pad[1] + kx * k.dil[1];
                if (iy < 0 || iy >= k.h || ix < 0 || ix >= k.w) continue;
                int i = ((o * cg + c) * k.kh + ky) * k.kw + kx;
                double t = gv * get(x, n, (o / og) * cg + c, iy, ix);
                gw[i] += t;
                mag[i] += Math.abs(t);
            }
        }
        return new double[][] {gw, mag};
    }

    static void compare(String what, double[][] want, Operand got, double rel) {
        double[] v = want[0], mag = want[1];
        long[] s = got.shape();
        int i = 0;
        for (int a = 0; a < s[0]; a++) for (int b = 0; b < s[1]; b++) for (int c = 0; c < s[2]; c++) for (int d = 0; d < s[3]; d++, i++) {
            double g = get(got, a, b, c, d);
            double tol = rel * (mag[i] + Math.abs(v[i])) + 1e-30;
            if (!(Math.abs(g - v[i]) <= tol)) {
                throw new AssertionError(what + " at [" + a + "," + b + "," + c + "," + d + "]: got " + g + " want " + v[i]);
            }
        }
        assertEquals(v.length, i);
    }

    static double tolerance(DType dt) {
        return switch (dt) {
            case FLOAT64 -> 1e-12;
            case FLOAT32 -> 1e-5;
            case FLOAT16 -> 2e-3;
            default -> 1e-2;
        };
    }

    static void runAll(Case k, DType dt, long seed) {
        Random rnd = new Random(seed);
        int oh = k.oh(), ow = k.ow();
        Operand x = TestOperands.random(dt, rnd, k.n, k.c, k.h, k.w);
        Operand w = TestOperands.random(dt, rnd, k.o, k.c / k.groups, k.kh, k.kw);
        Operand y = TestOperands.filled(dt, 99, k.n, k.o, oh, ow);
        Conv.conv2d(new Op.Conv2d(k.stride, k.pad, k.dil, k.groups), x, w, y);
        compare(dt + " conv2d " + k, forwardOracle(k, x, w, oh, ow), y, tolerance(dt));

        Operand gy = TestOperands.random(dt, rnd, k.n, k.o, oh, ow);
        Operand gx = TestOperands.filled(dt, 99, k.n, k.c, k.h, k.w);
        Conv.backwardInput(new Op.Conv2dBackwardInput(k.stride, k.pad, k.dil, k.groups), gy, w, gx);
        compare(dt + " backward input " + k, backwardInputOracle(k, gy, w, k.h, k.w), gx, tolerance(dt));

        Operand gw = TestOperands.filled(dt, 99, k.o, k.c / k.groups, k.kh, k.kw);
        Conv.backwardWeight(new Op.Conv2dBackwardWeight(k.stride, k.pad, k.dil, k.groups), x, gy, gw);
        compare(dt + " backward weight " + k, backwardWeightOracle(k, x, gy), gw, tolerance(dt));
    }

    @ParameterizedTest(name = "float32 {0}")
    @MethodSource("cases")
    void float32(Case k) {
        runAll(k, DType.FLOAT32, k.hashCode());
    }

    @ParameterizedTest(name = "float64 {0}")
    @MethodSource("cases")
    void float64(Case k) {
        if (k.n * k.o * k.c * k.h * k.w > 400_000) return;
        runAll(k, DType.FLOAT64, 7);
    }

    @Test
    void halfPrecision() {
        runAll(c(2, 4, 7, 9, 6, 3, 3, 2, 1, 1, 1, 1, 2, 2), DType.FLOAT16, 3);
        runAll(c(2, 4, 7, 9, 4, 3, 3, 1, 1, 1, 1, 1, 1, 4), DType.BFLOAT16, 4);
    }

    /** Transposed convolution: the gradient input may be larger than the forward formula gives (output padding). */
    @Test
    void backwardInputWithOutputPadding() {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Case k = c(2, 4, 10, 9, 6, 3, 3, 2, 2, 1, 1, 1, 1, 2);
            Random rnd = new Random(5);
            int oh = (k.h + 2 - 2 - 1) / 2 + 1, ow = (k.w + 2 - 2 - 1) / 2 + 1;
            // 10 and 9 give 5x5; an input of 10x10 is the same forward size plus one column of output padding.
            Operand gy = TestOperands.random(dt, rnd, k.n, k.o, oh, ow);
            Operand w = TestOperands.random(dt, rnd, k.o, k.c / k.groups, k.kh, k.kw);
            Operand gx = TestOperands.filled(dt, 99, k.n, k.c, 10, 10);
            Conv.backwardInput(new Op.Conv2dBackwardInput(k.stride, k.pad, k.dil, k.groups), gy, w, gx);
            compare(dt + " transposed", backwardInputOracle(k, gy, w, 10, 10), gx, tolerance(dt));
        }
    }

    /** Non-contiguous operands: a channels-last input view and a permuted weight view. */
    @Test
    void stridedOperands() {
        Case k = c(2, 6, 8, 7, 4, 3, 3, 1, 1, 1, 1, 1, 1, 2);
        Random rnd = new Random(6);
        long n = k.n, ch = k.c, h = k.h, wd = k.w;
        // NHWC memory viewed as NCHW.
        Operand x = TestOperands.random(DType.FLOAT32, new long[] {n, ch, h, wd}, new long[] {h * wd * ch, 1, wd * ch, ch}, 3, rnd);
        long cg = ch / k.groups;
        Operand w = TestOperands.random(DType.FLOAT32, new long[] {k.o, cg, k.kh, k.kw},
                new long[] {1, k.o, cg * k.o * k.kw, cg * k.o}, 0, rnd);
        Operand y = TestOperands.random(DType.FLOAT32, new long[] {n, k.o, k.oh(), k.ow()},
                new long[] {k.o * k.oh() * k.ow(), 1, k.ow() * k.o, k.o}, 0, rnd);
        Conv.conv2d(new Op.Conv2d(k.stride, k.pad, k.dil, k.groups), x, w, y);
        compare("strided conv2d", forwardOracle(k, x, w, k.oh(), k.ow()), y, 1e-5);
    }

    /** {@code <conv(x, w), g> == <x, backwardInput(g, w)> == <w, backwardWeight(x, g)>}. */
    @ParameterizedTest(name = "adjoint {0}")
    @MethodSource("cases")
    void adjointIdentity(Case k) {
        for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            if (dt == DType.FLOAT64 && k.n * k.o * k.c * k.h * k.w > 400_000) continue;
            Random rnd = new Random(17);
            int oh = k.oh(), ow = k.ow();
            Operand x = TestOperands.random(dt, rnd, k.n, k.c, k.h, k.w);
            Operand w = TestOperands.random(dt, rnd, k.o, k.c / k.groups, k.kh, k.kw);
            Operand g = TestOperands.random(dt, rnd, k.n, k.o, oh, ow);
            Operand y = TestOperands.filled(dt, 0, k.n, k.o, oh, ow);
            Operand gx = TestOperands.filled(dt, 0, k.n, k.c, k.h, k.w);
            Operand gw = TestOperands.filled(dt, 0, k.o, k.c / k.groups, k.kh, k.kw);
            Conv.conv2d(new Op.Conv2d(k.stride, k.pad, k.dil, k.groups), x, w, y);
            Conv.backwardInput(new Op.Conv2dBackwardInput(k.stride, k.pad, k.dil, k.groups), g, w, gx);
            Conv.backwardWeight(new Op.Conv2dBackwardWeight(k.stride, k.pad, k.dil, k.groups), x, g, gw);
            double[] a = inner(y, g), b = inner(x, gx), c = inner(w, gw);
            double tol = (dt == DType.FLOAT64 ? 1e-10 : 1e-4) * Math.max(1, Math.max(a[1], Math.max(b[1], c[1])));
            assertEquals(a[0], b[0], tol, dt + " <conv(x,w),g> vs <x,backwardInput(g,w)>");
            assertEquals(a[0], c[0], tol, dt + " <conv(x,w),g> vs <w,backwardWeight(x,g)>");
        }
    }

    /** Inner product of two equally shaped rank-4 operands, and the sum of |products|. */
    static double[] inner(Operand p, Operand q) {
        long[] s = p.shape();
        double sum = 0, mag = 0;
        for (int a = 0; a < s[0]; a++) for (int b = 0; b < s[1]; b++) for (int c = 0; c < s[2]; c++) for (int d = 0; d < s[3]; d++) {
            double t = get(p, a, b, c, d) * get(q, a, b, c, d);
            sum += t;
            mag += Math.abs(t);
        }
        return new double[] {sum, mag};
    }

    @Test
    void emptyBatchAndChannels() {
        Operand x = TestOperands.random(DType.FLOAT32, new Random(1), 0, 3, 5, 5);
        Operand w = TestOperands.random(DType.FLOAT32, new Random(2), 4, 3, 3, 3);
        Operand y = TestOperands.filled(DType.FLOAT32, 0, 0, 4, 3, 3);
        Conv.conv2d(new Op.Conv2d(new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1), x, w, y);
        Operand gw = TestOperands.filled(DType.FLOAT32, 5, 4, 3, 3, 3);
        Conv.backwardWeight(new Op.Conv2dBackwardWeight(new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1), x, y, gw);
        assertEquals(0.0, get(gw, 3, 2, 2, 2));
    }
}
