package dev.balboa.autograd;

import static dev.balboa.autograd.GradCase.in;
import static dev.balboa.autograd.GradCase.randn;

import dev.balboa.api.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Gradient checks of matrix products and of every view (reshape, permute, slices, expand, unfold, ...). */
class LinalgViewGradTest {

    static List<GradCase> cases() {
        List<GradCase> c = new ArrayList<>();
        // matrix products
        c.add(GradCase.of("matmul 1-D x 1-D", xs -> xs.get(0).matmul(xs.get(1)), () -> in(randn(3), randn(3))));
        c.add(GradCase.of("matmul 1-D x 2-D", xs -> xs.get(0).matmul(xs.get(1)), () -> in(randn(3), randn(3, 2))));
        c.add(GradCase.of("matmul 2-D x 1-D", xs -> xs.get(0).matmul(xs.get(1)), () -> in(randn(2, 3), randn(3))));
        c.add(GradCase.of("matmul 2-D", xs -> xs.get(0).matmul(xs.get(1)), () -> in(randn(2, 3), randn(3, 2))));
        c.add(GradCase.of("matmul transposed operands", xs -> xs.get(0).t().matmul(xs.get(1).t()), () -> in(randn(3, 2), randn(2, 3))));
        c.add(GradCase.of("matmul batched broadcast", xs -> xs.get(0).matmul(xs.get(1)), () -> in(randn(2, 1, 2, 3), randn(3, 3, 2))));
        c.add(GradCase.of("matmul batched x 2-D", xs -> xs.get(0).matmul(xs.get(1)), () -> in(randn(2, 2, 3), randn(3, 2))));
        c.add(GradCase.of("matmul empty inner", xs -> xs.get(0).matmul(xs.get(1)), () -> in(randn(2, 0), randn(0, 3))));
        c.add(GradCase.of("matmul empty outer", xs -> xs.get(0).matmul(xs.get(1)), () -> in(randn(0, 3), randn(3, 2))));
        c.add(GradCase.of("mm", xs -> xs.get(0).mm(xs.get(1)), () -> in(randn(2, 3), randn(3, 4))));
        c.add(GradCase.of("bmm", xs -> xs.get(0).bmm(xs.get(1)), () -> in(randn(2, 2, 3), randn(2, 3, 2))));
        c.add(GradCase.of("bmm permuted", xs -> xs.get(0).permute(1, 0, 2).bmm(xs.get(1)), () -> in(randn(2, 2, 3), randn(2, 3, 2))));
        c.add(GradCase.of("dot", xs -> xs.get(0).dot(xs.get(1)), () -> in(randn(4), randn(4))));
        c.add(GradCase.of("dot strided", xs -> xs.get(0).slice(0, 0, 6, 2).dot(xs.get(1)), () -> in(randn(6), randn(3))));
        c.add(GradCase.of("outer", xs -> xs.get(0).outer(xs.get(1)), () -> in(randn(3), randn(2))));
        c.add(GradCase.of("matmul gradgrad", xs -> xs.get(0).matmul(xs.get(1)), () -> in(randn(2, 3), randn(3, 2))).withGradgrad());
        c.add(GradCase.of("batched matmul gradgrad", xs -> xs.get(0).matmul(xs.get(1)).tanh(),
                () -> in(randn(2, 2, 3), randn(3, 2))).withGradgrad());
        // views
        c.add(GradCase.of("view", xs -> xs.get(0).view(3, 2).mul(xs.get(0).view(3, 2)), () -> in(randn(2, 3))));
        c.add(GradCase.of("reshape non-contiguous", xs -> xs.get(0).t().reshape(-1).exp(), () -> in(randn(2, 3))));
        c.add(GradCase.of("reshape 0-d to [1,1]", xs -> xs.get(0).reshape(1, 1).exp(), () -> in(randn())));
        c.add(GradCase.of("reshape empty", xs -> xs.get(0).reshape(3, 0).exp(), () -> in(randn(0, 3))));
        c.add(GradCase.of("permute", xs -> xs.get(0).permute(2, 0, 1).exp(), () -> in(randn(2, 3, 2))));
        c.add(GradCase.of("transpose", xs -> xs.get(0).transpose(0, 2).mul(2.0), () -> in(randn(2, 3, 2))));
        c.add(GradCase.of("mT", xs -> xs.get(0).mT().sin(), () -> in(randn(2, 3, 2))));
        c.add(GradCase.of("narrow", xs -> xs.get(0).narrow(1, 1, 2).exp(), () -> in(randn(2, 4))));
        c.add(GradCase.of("slice with step", xs -> xs.get(0).slice(1, 1, 6, 2).exp(), () -> in(randn(2, 6))));
        c.add(GradCase.of("slice of a slice", xs -> xs.get(0).slice(0, 0, 4, 3).slice(1, 2, 5, 2).exp(), () -> in(randn(5, 5))));
        c.add(GradCase.of("slice empty", xs -> xs.get(0).slice(1, 2, 2, 1).exp(), () -> in(randn(2, 4))));
        c.add(GradCase.of("select", xs -> xs.get(0).select(1, 2).exp(), () -> in(randn(2, 3))));
        c.add(GradCase.of("select to 0-d", xs -> xs.get(0).select(0, 1).exp(), () -> in(randn(3))));
        c.add(GradCase.of("expand", xs -> xs.get(0).expand(2, 3, 4).mul(xs.get(1)),
                () -> in(randn(3, 1), randn(2, 3, 4))));
        c.add(GradCase.of("expand 0-d", xs -> xs.get(0).expand(2, 2).mul(xs.get(1)), () -> in(randn(), randn(2, 2))));
        c.add(GradCase.of("expandAs", xs -> xs.get(0).expandAs(xs.get(1)).mul(xs.get(1)), () -> in(randn(1, 3), randn(2, 3))));
        c.add(GradCase.of("squeeze", xs -> xs.get(0).squeeze().exp(), () -> in(randn(1, 3, 1))));
        c.add(GradCase.of("squeeze dim", xs -> xs.get(0).squeeze(2).exp(), () -> in(randn(1, 3, 1))));
        c.add(GradCase.of("unsqueeze", xs -> xs.get(0).unsqueeze(1).exp(), () -> in(randn(2, 3))));
        c.add(GradCase.of("flatten", xs -> xs.get(0).flatten().exp(), () -> in(randn(2, 3))));
        c.add(GradCase.of("flatten range transposed", xs -> xs.get(0).transpose(0, 1).flatten(1, 2).exp(), () -> in(randn(2, 3, 2))));
        c.add(GradCase.of("unflatten", xs -> xs.get(0).unflatten(1, 2, 2).exp(), () -> in(randn(3, 4))));
        c.add(GradCase.of("unfold", xs -> xs.get(0).unfold(1, 3, 2).exp(), () -> in(randn(2, 7))));
        c.add(GradCase.of("unfold overlapping", xs -> xs.get(0).unfold(0, 3, 1).exp(), () -> in(randn(5))));
        c.add(GradCase.of("unfold transposed input", xs -> xs.get(0).t().unfold(0, 2, 1).exp(), () -> in(randn(2, 4))));
        c.add(GradCase.of("view chain gradgrad", xs -> xs.get(0).t().unfold(0, 2, 1).slice(1, 0, 2, 1).reshape(-1).square(),
                () -> in(randn(2, 4))).withGradgrad());
        return c;
    }

    @TestFactory
    Stream<DynamicTest> gradcheck() { return GradCase.tests(cases()); }
}
