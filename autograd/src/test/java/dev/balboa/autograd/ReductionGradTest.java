package dev.balboa.autograd;

import static dev.balboa.autograd.GradCase.distinct;
import static dev.balboa.autograd.GradCase.in;
import static dev.balboa.autograd.GradCase.leaf;
import static dev.balboa.autograd.GradCase.positive;
import static dev.balboa.autograd.GradCase.randn;

import dev.balboa.api.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Gradient checks of reductions, scans, sort/topk, softmax and norms, with and without keepdim. */
class ReductionGradTest {

    static List<GradCase> cases() {
        List<GradCase> c = new ArrayList<>();
        int[] d1 = {1};
        int[] d02 = {0, 2};
        // sum and mean
        c.add(GradCase.of("sum all", xs -> xs.get(0).sum(), () -> in(randn(2, 3))));
        c.add(GradCase.of("sum dim keepdim", xs -> xs.get(0).sum(d1, true), () -> in(randn(2, 3, 2))));
        c.add(GradCase.of("sum dims", xs -> xs.get(0).sum(d02, false), () -> in(randn(2, 3, 2))));
        c.add(GradCase.of("sum transposed", xs -> xs.get(0).t().sum(0), () -> in(randn(3, 2))));
        c.add(GradCase.of("sum empty", xs -> xs.get(0).sum(d1, false), () -> in(randn(2, 0))));
        c.add(GradCase.of("sum 0-d", xs -> xs.get(0).sum(), () -> in(randn())));
        c.add(GradCase.of("mean all", xs -> xs.get(0).mean(), () -> in(randn(2, 3))));
        c.add(GradCase.of("mean dim keepdim", xs -> xs.get(0).mean(new int[] {-1}, true), () -> in(randn(2, 3))));
        c.add(GradCase.of("mean strided", xs -> xs.get(0).slice(0, 0, 4, 2).mean(0), () -> in(randn(4, 3))));
        // prod
        c.add(GradCase.of("prod all", xs -> xs.get(0).prod(), () -> in(randn(2, 3))));
        c.add(GradCase.of("prod dim keepdim", xs -> xs.get(0).prod(1, true), () -> in(randn(2, 3))));
        c.add(GradCase.of("prod with one zero", xs -> xs.get(0).prod(1, false),
                () -> in(leaf(new double[] {1.5, 0, 2, -1, 3, 0.5}, 2, 3))));
        c.add(GradCase.of("prod with two zeros", xs -> xs.get(0).prod(1, false),
                () -> in(leaf(new double[] {0, 0, 2, -1, 3, 0.5}, 2, 3))));
        c.add(GradCase.of("prod 0-d", xs -> xs.get(0).prod(), () -> in(randn())));
        c.add(GradCase.of("prod empty", xs -> xs.get(0).prod(0, false), () -> in(randn(0, 3))));
        // max / min
        c.add(GradCase.of("max all", xs -> xs.get(0).max(), () -> in(distinct(2, 3))));
        c.add(GradCase.of("min all", xs -> xs.get(0).min(), () -> in(distinct(2, 3))));
        c.add(GradCase.of("max dim values", xs -> xs.get(0).max(1).values(), () -> in(distinct(3, 4))));
        c.add(GradCase.of("max dim keepdim transposed", xs -> xs.get(0).t().max(0, true).values(), () -> in(distinct(3, 4))));
        c.add(GradCase.of("min dim values", xs -> xs.get(0).min(0).values(), () -> in(distinct(3, 4))));
        c.add(GradCase.of("min dim keepdim", xs -> xs.get(0).min(-1, true).values(), () -> in(distinct(2, 3))));
        c.add(GradCase.of("amax dims", xs -> xs.get(0).amax(d02, false), () -> in(distinct(2, 3, 2))));
        c.add(GradCase.of("amin keepdim", xs -> xs.get(0).amin(d1, true), () -> in(distinct(2, 3, 2))));
        c.add(GradCase.of("amax with ties shares the gradient", xs -> xs.get(0).amax(d1, false),
                () -> in(leaf(new double[] {1, 3, 3, 2, 0, -1}, 2, 3))));
        // var / std
        c.add(GradCase.of("var unbiased", xs -> xs.get(0).var(true), () -> in(randn(2, 3))));
        c.add(GradCase.of("var biased dim keepdim", xs -> xs.get(0).var(d1, false, true), () -> in(randn(2, 3))));
        c.add(GradCase.of("std unbiased", xs -> xs.get(0).std(true), () -> in(randn(2, 3))));
        c.add(GradCase.of("std dim", xs -> xs.get(0).std(new int[] {0}, true, false), () -> in(randn(3, 2))));
        // logsumexp, norm
        c.add(GradCase.of("logsumexp dim", xs -> xs.get(0).logsumexp(d1, false), () -> in(randn(2, 3))));
        c.add(GradCase.of("logsumexp keepdim transposed", xs -> xs.get(0).t().logsumexp(new int[] {0}, true), () -> in(randn(3, 2))));
        c.add(GradCase.of("logsumexp large values", xs -> xs.get(0).mul(100.0).logsumexp(d1, false), () -> in(randn(2, 3))));
        c.add(GradCase.of("norm 2 all", xs -> xs.get(0).norm(), () -> in(randn(2, 3))));
        c.add(GradCase.of("norm 2 dim", xs -> xs.get(0).norm(2, d1, false), () -> in(randn(2, 3))));
        c.add(GradCase.of("norm 1 dim keepdim", xs -> xs.get(0).norm(1, d1, true), () -> in(GradCase.awayFromZero(2, 3))));
        c.add(GradCase.of("norm inf", xs -> xs.get(0).norm(Double.POSITIVE_INFINITY, d1, false), () -> in(distinct(2, 3))));
        c.add(GradCase.of("norm 3", xs -> xs.get(0).norm(3, null, false), () -> in(positive(4))));
        // softmax
        c.add(GradCase.of("softmax dim 1", xs -> xs.get(0).softmax(1), () -> in(randn(2, 3))));
        c.add(GradCase.of("softmax dim 0 transposed", xs -> xs.get(0).t().softmax(0), () -> in(randn(3, 2))));
        c.add(GradCase.of("softmax 0-d", xs -> xs.get(0).softmax(0), () -> in(randn())));
        c.add(GradCase.of("logSoftmax 0-d", xs -> xs.get(0).logSoftmax(0), () -> in(randn())));
        c.add(GradCase.of("softmax empty", xs -> xs.get(0).softmax(1), () -> in(randn(0, 3))));
        c.add(GradCase.of("logSoftmax", xs -> xs.get(0).logSoftmax(-1), () -> in(randn(2, 3))));
        c.add(GradCase.of("logSoftmax strided", xs -> xs.get(0).slice(1, 0, 6, 2).logSoftmax(1), () -> in(randn(2, 6))));
        // scans
        c.add(GradCase.of("cumsum", xs -> xs.get(0).cumsum(1), () -> in(randn(2, 4))));
        c.add(GradCase.of("cumsum dim 0 transposed", xs -> xs.get(0).t().cumsum(0), () -> in(randn(2, 3))));
        c.add(GradCase.of("cumsum empty", xs -> xs.get(0).cumsum(0), () -> in(randn(0))));
        c.add(GradCase.of("cumsum 0-d", xs -> xs.get(0).cumsum(0), () -> in(randn())));
        c.add(GradCase.of("cumprod", xs -> xs.get(0).cumprod(1), () -> in(randn(2, 4))));
        c.add(GradCase.of("cumprod with a zero", xs -> xs.get(0).cumprod(1),
                () -> in(leaf(new double[] {1.5, 0, 2, -1, 3, 0.5, 0, 0}, 2, 4))));
        c.add(GradCase.of("cumprod with zeros dim 0", xs -> xs.get(0).cumprod(0),
                () -> in(leaf(new double[] {0, 2, 1.5, 0, -1, 3}, 3, 2))));
        // sort and topk
        c.add(GradCase.of("sort values", xs -> xs.get(0).sort(1, false).values(), () -> in(distinct(2, 4))));
        c.add(GradCase.of("sort descending dim 0", xs -> xs.get(0).sort(0, true).values(), () -> in(distinct(3, 2))));
        c.add(GradCase.of("topk largest", xs -> xs.get(0).topk(2, 1, true, true).values(), () -> in(distinct(2, 5))));
        c.add(GradCase.of("topk smallest transposed", xs -> xs.get(0).t().topk(2, 0, false, true).values(), () -> in(distinct(2, 4))));
        // second derivatives
        c.add(GradCase.of("softmax gradgrad", xs -> xs.get(0).softmax(1), () -> in(randn(2, 3))).withGradgrad());
        c.add(GradCase.of("logsumexp gradgrad", xs -> xs.get(0).logsumexp(d1, false), () -> in(randn(2, 3))).withGradgrad());
        c.add(GradCase.of("prod/amax/var gradgrad", xs -> xs.get(0).prod(1, false).add(xs.get(0).amax(d1, false))
                .add(xs.get(0).var(d1, true, false)), () -> in(distinct(2, 3))).withGradgrad());
        c.add(GradCase.of("cumsum/cumprod gradgrad", xs -> xs.get(0).cumprod(1).add(xs.get(0).cumsum(1)),
                () -> in(randn(2, 3))).withGradgrad());
        c.add(GradCase.of("max/sort gradgrad", xs -> xs.get(0).max(1).values().square().sum()
                .add(xs.get(0).sort(1, true).values().pow(3.0).sum()), () -> in(distinct(2, 3))).withGradgrad());
        return c;
    }

    @TestFactory
    Stream<DynamicTest> gradcheck() { return GradCase.tests(cases()); }
}
