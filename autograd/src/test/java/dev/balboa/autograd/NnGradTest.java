package dev.balboa.autograd;

import static dev.balboa.autograd.GradCase.distinct;
import static dev.balboa.autograd.GradCase.in;
import static dev.balboa.autograd.GradCase.index;
import static dev.balboa.autograd.GradCase.mask;
import static dev.balboa.autograd.GradCase.randn;

import dev.balboa.api.Functional;
import dev.balboa.api.Functional.PadMode;
import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;
import dev.balboa.spi.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Gradient checks of the neural-network composites (convolutions, pooling, padding, embedding,
 * linear, dropout), dtype round trips and in-place ops on non-leaf tensors and on views.
 */
class NnGradTest {
    private static int[] i(int... v) { return v; }

    static List<GradCase> cases() {
        List<GradCase> c = new ArrayList<>();
        // convolutions
        c.add(GradCase.of("conv2d plain with bias", xs -> Functional.conv2d(xs.get(0), xs.get(1), xs.get(2)),
                () -> in(randn(1, 2, 4, 4), randn(3, 2, 2, 2), randn(3))));
        c.add(GradCase.of("conv2d stride 2 padding 1", xs -> Functional.conv2d(xs.get(0), xs.get(1), null, i(2), i(1), i(1), 1),
                () -> in(randn(2, 1, 5, 5), randn(2, 1, 3, 3))));
        c.add(GradCase.of("conv2d dilation 2 asymmetric", xs -> Functional.conv2d(xs.get(0), xs.get(1), null, i(1, 2), i(0, 1), i(2, 1), 1),
                () -> in(randn(1, 2, 5, 4), randn(2, 2, 2, 2))));
        c.add(GradCase.of("conv2d groups 2", xs -> Functional.conv2d(xs.get(0), xs.get(1), xs.get(2), i(1), i(1), i(1), 2),
                () -> in(randn(1, 4, 3, 3), randn(2, 2, 2, 2), randn(2))));
        c.add(GradCase.of("conv2d depthwise", xs -> Functional.conv2d(xs.get(0), xs.get(1), null, i(1), i(1), i(1), 3),
                () -> in(randn(1, 3, 4, 4), randn(3, 1, 3, 3))));
        c.add(GradCase.of("conv2d non-contiguous input", xs -> Functional.conv2d(xs.get(0).transpose(2, 3), xs.get(1), null),
                () -> in(randn(1, 2, 4, 3), randn(2, 2, 2, 2))));
        c.add(GradCase.of("conv2d 3-D input", xs -> Functional.conv2d(xs.get(0), xs.get(1), null),
                () -> in(randn(1, 3, 3), randn(2, 1, 2, 2))));
        c.add(GradCase.of("conv1d stride padding dilation", xs -> Functional.conv1d(xs.get(0), xs.get(1), xs.get(2), 2, 1, 2, 1),
                () -> in(randn(2, 2, 7), randn(3, 2, 3), randn(3))));
        c.add(GradCase.of("conv1d groups", xs -> Functional.conv1d(xs.get(0), xs.get(1), null, 1, 0, 1, 2),
                () -> in(randn(1, 4, 5), randn(4, 2, 2))));
        c.add(GradCase.of("convTranspose2d", xs -> Functional.convTranspose2d(xs.get(0), xs.get(1), xs.get(2), i(1), i(0), i(0), 1, i(1)),
                () -> in(randn(1, 2, 3, 3), randn(2, 3, 2, 2), randn(3))));
        c.add(GradCase.of("convTranspose2d stride 2 padding output padding", xs -> Functional.convTranspose2d(xs.get(0), xs.get(1), null,
                i(2), i(1), i(1), 1, i(1)), () -> in(randn(1, 2, 3, 3), randn(2, 1, 3, 3))));
        c.add(GradCase.of("convTranspose2d groups dilation", xs -> Functional.convTranspose2d(xs.get(0), xs.get(1), null,
                i(1), i(0), i(0), 2, i(2)), () -> in(randn(1, 2, 3, 3), randn(2, 1, 2, 2))));
        // pooling
        c.add(GradCase.of("maxPool2d 2", xs -> Functional.maxPool2d(xs.get(0), 2), () -> in(distinct(1, 2, 4, 4))));
        c.add(GradCase.of("maxPool2d overlapping stride 1 padding 1", xs -> Functional.maxPool2d(xs.get(0), i(3), i(1), i(1), i(1), false),
                () -> in(distinct(1, 1, 4, 4))));
        c.add(GradCase.of("maxPool2d dilation ceil mode", xs -> Functional.maxPool2d(xs.get(0), i(2), i(2), i(0), i(2), true),
                () -> in(distinct(2, 1, 5, 5))));
        c.add(GradCase.of("maxPool2d transposed input", xs -> Functional.maxPool2d(xs.get(0).transpose(2, 3), 2),
                () -> in(distinct(1, 2, 4, 2))));
        c.add(GradCase.of("maxPool1d", xs -> Functional.maxPool1d(xs.get(0), 2, 1, 0, 1, false), () -> in(distinct(1, 2, 5))));
        c.add(GradCase.of("avgPool2d 2", xs -> Functional.avgPool2d(xs.get(0), 2), () -> in(randn(1, 2, 4, 4))));
        c.add(GradCase.of("avgPool2d padding count_include_pad", xs -> Functional.avgPool2d(xs.get(0), i(3), i(2), i(1), false, true, 0),
                () -> in(randn(1, 1, 5, 5))));
        c.add(GradCase.of("avgPool2d padding exclude pad", xs -> Functional.avgPool2d(xs.get(0), i(3), i(2), i(1), false, false, 0),
                () -> in(randn(1, 1, 5, 5))));
        c.add(GradCase.of("avgPool2d ceil mode", xs -> Functional.avgPool2d(xs.get(0), i(2), i(2), i(0), true, true, 0),
                () -> in(randn(1, 2, 5, 5))));
        c.add(GradCase.of("avgPool2d ceil mode exclude pad", xs -> Functional.avgPool2d(xs.get(0), i(3), i(2), i(1), true, false, 0),
                () -> in(randn(1, 1, 6, 6))));
        c.add(GradCase.of("avgPool2d divisor override", xs -> Functional.avgPool2d(xs.get(0), i(2), null, i(0), false, true, 3),
                () -> in(randn(1, 1, 4, 4))));
        c.add(GradCase.of("avgPool1d", xs -> Functional.avgPool1d(xs.get(0), 3, 2, 1, false, true), () -> in(randn(1, 2, 7))));
        c.add(GradCase.of("adaptiveAvgPool2d divisible", xs -> Functional.adaptiveAvgPool2d(xs.get(0), 2, 2), () -> in(randn(1, 2, 4, 4))));
        c.add(GradCase.of("adaptiveAvgPool2d global", xs -> Functional.adaptiveAvgPool2d(xs.get(0), 1, 1), () -> in(randn(2, 2, 3, 3))));
        c.add(GradCase.of("adaptiveAvgPool2d not divisible", xs -> Functional.adaptiveAvgPool2d(xs.get(0), 3, 2), () -> in(randn(1, 2, 5, 5))));
        c.add(GradCase.of("adaptiveAvgPool2d 3-D", xs -> Functional.adaptiveAvgPool2d(xs.get(0), 2, 3), () -> in(randn(2, 3, 4))));
        // padding
        c.add(GradCase.of("pad constant", xs -> Functional.pad(xs.get(0), new long[] {1, 2, 0, 1}, PadMode.CONSTANT, 0.5),
                () -> in(randn(2, 3))));
        c.add(GradCase.of("pad constant negative crops", xs -> Functional.pad(xs.get(0), new long[] {-1, 1}, PadMode.CONSTANT, 0),
                () -> in(randn(2, 3))));
        c.add(GradCase.of("pad reflect", xs -> Functional.pad(xs.get(0), new long[] {2, 1, 1, 1}, PadMode.REFLECT, 0),
                () -> in(randn(1, 3, 4))));
        c.add(GradCase.of("pad replicate", xs -> Functional.pad(xs.get(0), new long[] {2, 2}, PadMode.REPLICATE, 0),
                () -> in(randn(2, 3))));
        c.add(GradCase.of("pad circular", xs -> Functional.pad(xs.get(0), new long[] {1, 2, 1, 0}, PadMode.CIRCULAR, 0),
                () -> in(randn(1, 2, 3))));
        c.add(GradCase.of("pad transposed input", xs -> Functional.pad(xs.get(0).t(), new long[] {1, 1}, PadMode.REFLECT, 0),
                () -> in(randn(3, 2))));
        // embedding, linear, dropout, dtype
        c.add(GradCase.of("embedding", xs -> Functional.embedding(index(new long[] {1, 3, 1, 0}, 2, 2), xs.get(0)), () -> in(randn(4, 3))));
        c.add(GradCase.of("linear with bias", xs -> Functional.linear(xs.get(0), xs.get(1), xs.get(2)),
                () -> in(randn(2, 3), randn(4, 3), randn(4))));
        c.add(GradCase.of("linear batched no bias", xs -> Functional.linear(xs.get(0), xs.get(1), null), () -> in(randn(2, 2, 3), randn(2, 3))));
        c.add(GradCase.of("dropout fixed generator", xs -> Functional.dropout(xs.get(0), 0.4, true, new Generator(7)), () -> in(randn(3, 4))));
        c.add(GradCase.of("dropout p=1", xs -> Functional.dropout(xs.get(0), 1.0, true, new Generator(7)), () -> in(randn(3))));
        c.add(GradCase.of("to float32 and back", xs -> xs.get(0).to(DType.FLOAT32).mul(3.0).sin().to(DType.FLOAT64), () -> in(randn(2, 3)))
                .withOptions(new GradCheck.Options(1e-3, 1e-3, 1e-2)));
        c.add(GradCase.of("clone and contiguous", xs -> xs.get(0).t().contiguous().mul(xs.get(0).clone().t()), () -> in(randn(2, 3))));
        // in-place ops on non-leaf tensors and on views
        c.add(GradCase.of("add_ on non-leaf", xs -> xs.get(0).mul(1.0).add_(xs.get(1)), () -> in(randn(2, 3), randn(3))));
        c.add(GradCase.of("mul_ on non-leaf", xs -> xs.get(0).add(1.0).mul_(xs.get(1)), () -> in(randn(2, 3), randn(2, 3))));
        c.add(GradCase.of("in-place arithmetic chain then tanh_", xs -> xs.get(0).mul(1.0).mul_(3.0).sub_(xs.get(0).square())
                .div_(xs.get(1)).pow_(2.0).neg_().add_(1.0).sub_(0.5).div_(2.0).tanh_(), () -> in(randn(2, 3), GradCase.positive(2, 3))));
        c.add(GradCase.of("sigmoid_ on non-leaf", xs -> xs.get(0).mul(2.0).sigmoid_(), () -> in(randn(2, 3))));
        c.add(GradCase.of("exp_ on non-leaf", xs -> xs.get(0).mul(xs.get(0)).exp_(), () -> in(randn(2, 3))));
        c.add(GradCase.of("sqrt_ on non-leaf", xs -> xs.get(0).mul(1.0).add_(0.1).sqrt_(), () -> in(GradCase.positive(2, 3))));
        c.add(GradCase.of("relu_ on non-leaf", xs -> xs.get(0).mul(1.0).relu_(), () -> in(GradCase.awayFromZero(2, 3))));
        c.add(GradCase.of("clamp_ on non-leaf", xs -> xs.get(0).mul(2.0).clamp_(-0.5, 1.0), () -> in(GradCase.awayFromZero(2, 3))));
        c.add(GradCase.of("copy_ into a narrow view", xs -> {
            Tensor y = xs.get(0).mul(2.0);
            y.narrow(1, 1, 2).copy_(xs.get(1));
            return y;
        }, () -> in(randn(2, 4), randn(2, 2))));
        c.add(GradCase.of("copy_ broadcast into a strided view of a fresh tensor", xs -> {
            Tensor y = Tensor.zeros(new long[] {3, 4}, DType.FLOAT64);
            y.slice(1, 0, 4, 2).copy_(xs.get(0));
            return y.mul(xs.get(1));
        }, () -> in(randn(3, 1), randn(3, 4))));
        c.add(GradCase.of("maskedFill_ on non-leaf", xs -> xs.get(0).mul(2.0).maskedFill_(mask(new boolean[] {false, true, true}, 3), 0.0),
                () -> in(randn(2, 3))));
        c.add(GradCase.of("mul_ on a select view", xs -> {
            Tensor y = xs.get(0).mul(1.0);
            y.select(0, 1).mul_(xs.get(1));
            return y.sin();
        }, () -> in(randn(3, 2), randn(2))));
        c.add(GradCase.of("add_ on a transposed view", xs -> {
            Tensor y = xs.get(0).add(0.0);
            y.t().narrow(0, 1, 1).add_(xs.get(1).square());
            return y;
        }, () -> in(randn(2, 3), randn(1, 2))));
        c.add(GradCase.of("the written view itself after mul_", xs -> {
            Tensor y = xs.get(0).mul(1.0);
            Tensor v = y.narrow(1, 1, 2);
            v.mul_(xs.get(1));
            return v;
        }, () -> in(randn(2, 4), randn(2, 2))));
        c.add(GradCase.of("fill_ and zero_ on views", xs -> {
            Tensor y = xs.get(0).mul(2.0);
            y.narrow(0, 0, 1).fill_(3.0);
            y.narrow(1, 2, 1).zero_();
            return y.mul(xs.get(0));
        }, () -> in(randn(2, 3))));
        c.add(GradCase.of("two in-place ops on views of one base", xs -> {
            Tensor y = xs.get(0).mul(1.0);
            y.narrow(0, 0, 2).mul_(xs.get(1));
            y.narrow(0, 1, 2).exp_();
            return y;
        }, () -> in(randn(3), randn(2))));
        // second derivatives
        c.add(GradCase.of("conv2d gradgrad", xs -> Functional.conv2d(xs.get(0), xs.get(1), xs.get(2), i(2), i(1), i(1), 1),
                () -> in(randn(1, 2, 4, 4), randn(2, 2, 2, 2), randn(2))).withGradgrad());
        c.add(GradCase.of("grouped conv2d gradgrad", xs -> Functional.conv2d(xs.get(0), xs.get(1), null, i(1), i(0), i(2), 2),
                () -> in(randn(1, 2, 4, 4), randn(2, 1, 2, 2))).withGradgrad());
        c.add(GradCase.of("convTranspose2d gradgrad", xs -> Functional.convTranspose2d(xs.get(0), xs.get(1), null, i(2), i(0), i(0), 1, i(1)),
                () -> in(randn(1, 2, 2, 2), randn(2, 1, 2, 2))).withGradgrad());
        c.add(GradCase.of("maxPool2d gradgrad", xs -> Functional.maxPool2d(xs.get(0), 2).square(), () -> in(distinct(1, 1, 4, 4))).withGradgrad());
        c.add(GradCase.of("avgPool2d gradgrad", xs -> Functional.avgPool2d(xs.get(0), i(2), i(1), i(1), true, false, 0).square(),
                () -> in(randn(1, 1, 3, 3))).withGradgrad());
        c.add(GradCase.of("adaptiveAvgPool2d gradgrad", xs -> Functional.adaptiveAvgPool2d(xs.get(0), 2, 3).exp(),
                () -> in(randn(1, 1, 3, 4))).withGradgrad());
        c.add(GradCase.of("in-place on view gradgrad", xs -> {
            Tensor y = xs.get(0).mul(xs.get(0));
            y.narrow(0, 1, 2).mul_(xs.get(1));
            return y;
        }, () -> in(randn(4), randn(2))).withGradgrad());
        return c;
    }

    @TestFactory
    Stream<DynamicTest> gradcheck() { return GradCase.tests(cases()); }
}
