package dev.balboa.device.cpu.internal.conv;

import static dev.balboa.device.cpu.internal.conv.ConvTest.backwardInputOracle;
import static dev.balboa.device.cpu.internal.conv.ConvTest.c;
import static dev.balboa.device.cpu.internal.conv.ConvTest.compare;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.device.cpu.internal.gemm.TestOperands;
import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import dev.balboa.spi.Operand;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Depthwise convolutions ({@link DepthwiseF32}) against the double-precision oracles of
 * {@link ConvTest}: strides 1, 2 and 3, padding wider than the kernel, dilation, odd and tiny
 * planes (down to 1x1 and 2x2), rectangular kernels, channel multipliers, batches that leave a
 * short last image block, and batches large enough to split the work (and the weight-gradient
 * partial sums) across threads.
 */
class DepthwiseF32Test {

    static Stream<ConvTest.Case> cases() {
        return Stream.of(
                // n, c, h, w, o, kh, kw, stride, padding, dilation, groups
                c(16, 96, 16, 16, 96, 3, 3, 1, 1, 1, 1, 1, 1, 96),
                c(16, 24, 16, 16, 24, 3, 3, 2, 2, 1, 1, 1, 1, 24),
                c(16, 32, 4, 4, 32, 3, 3, 1, 1, 1, 1, 1, 1, 32),
                c(8, 16, 2, 2, 16, 3, 3, 1, 1, 1, 1, 1, 1, 16),
                c(3, 5, 1, 1, 5, 3, 3, 1, 1, 1, 1, 1, 1, 5),
                c(2, 7, 13, 11, 7, 3, 3, 2, 2, 1, 1, 1, 1, 7),
                c(2, 7, 9, 10, 7, 3, 3, 2, 2, 0, 0, 1, 1, 7),
                c(2, 4, 15, 17, 4, 3, 3, 1, 1, 2, 2, 2, 2, 4),
                c(2, 4, 15, 17, 4, 3, 3, 2, 2, 2, 2, 2, 2, 4),
                c(1, 3, 14, 13, 3, 3, 3, 3, 3, 1, 1, 1, 1, 3),
                c(2, 6, 11, 12, 6, 5, 5, 1, 1, 2, 2, 1, 1, 6),
                c(2, 6, 11, 12, 6, 5, 5, 2, 2, 2, 2, 1, 1, 6),
                c(2, 3, 8, 9, 3, 3, 5, 2, 1, 1, 2, 1, 2, 3),
                c(2, 3, 7, 7, 3, 3, 3, 1, 1, 4, 4, 1, 1, 3),
                c(2, 3, 7, 7, 3, 1, 1, 2, 2, 0, 0, 1, 1, 3),
                c(2, 3, 7, 7, 3, 2, 2, 2, 2, 0, 0, 1, 1, 3),
                c(2, 4, 9, 9, 8, 3, 3, 1, 1, 1, 1, 1, 1, 4),
                c(2, 4, 9, 9, 12, 3, 3, 2, 2, 1, 1, 1, 1, 4),
                c(4, 8, 10, 10, 16, 3, 3, 1, 2, 1, 0, 2, 1, 8),
                c(1, 1, 5, 5, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                c(2, 64, 33, 31, 64, 3, 3, 1, 1, 1, 1, 1, 1, 64),
                // Batches that do not divide into the image blocks (a short last block).
                c(5, 6, 16, 16, 6, 3, 3, 1, 1, 1, 1, 1, 1, 6),
                c(5, 6, 30, 30, 6, 3, 3, 2, 2, 1, 1, 1, 1, 6),
                c(7, 3, 16, 17, 6, 3, 3, 1, 1, 1, 1, 1, 1, 3),
                c(7, 3, 14, 14, 6, 5, 5, 2, 2, 2, 2, 1, 1, 3));
    }

    @ParameterizedTest(name = "float32 {0}")
    @MethodSource("cases")
    void float32(ConvTest.Case k) {
        assertTrue(DepthwiseF32.accepts(Geometry.of("t", new long[] {k.n(), k.c(), k.h(), k.w()},
                new long[] {k.o(), 1, k.kh(), k.kw()}, new long[] {k.n(), k.o(), k.oh(), k.ow()},
                k.stride(), k.pad(), k.dil(), k.groups())));
        ConvTest.runAll(k, DType.FLOAT32, 31L * k.hashCode());
    }

    /** Twice in a row with the same scratch-free entry point: scratch padding must not leak between calls or planes. */
    @Test
    void repeatedCallsAgree() {
        ConvTest.Case k = c(4, 6, 9, 7, 6, 3, 3, 2, 2, 1, 1, 1, 1, 6);
        ConvTest.runAll(k, DType.FLOAT32, 1);
        ConvTest.runAll(k, DType.FLOAT32, 2);
    }

    /** The input gradient of a transposed convolution with output padding (gradIn larger than the forward size). */
    @Test
    void backwardInputWithOutputPadding() {
        ConvTest.Case k = c(2, 5, 10, 9, 10, 3, 3, 2, 2, 1, 1, 1, 1, 5);
        Random rnd = new Random(9);
        int oh = 5, ow = 5;
        Operand gy = TestOperands.random(DType.FLOAT32, rnd, k.n(), k.o(), oh, ow);
        Operand w = TestOperands.random(DType.FLOAT32, rnd, k.o(), 1, k.kh(), k.kw());
        Operand gx = TestOperands.filled(DType.FLOAT32, 99, k.n(), k.c(), 10, 10);
        Conv.backwardInput(new Op.Conv2dBackwardInput(k.stride(), k.pad(), k.dil(), k.groups()), gy, w, gx);
        compare("depthwise transposed", backwardInputOracle(k, gy, w, 10, 10), gx, 1e-5);
    }

    @Test
    void groupedButNotDepthwiseIsNotAccepted() {
        Geometry g = Geometry.of("t", new long[] {1, 4, 5, 5}, new long[] {4, 2, 3, 3}, new long[] {1, 4, 3, 3},
                new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 2);
        assertFalse(DepthwiseF32.accepts(g));
    }
}
