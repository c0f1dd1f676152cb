package dev.balboa.autograd;

import static dev.balboa.autograd.GradCase.awayFromZero;
import static dev.balboa.autograd.GradCase.distinct;
import static dev.balboa.autograd.GradCase.in;
import static dev.balboa.autograd.GradCase.mask;
import static dev.balboa.autograd.GradCase.positive;
import static dev.balboa.autograd.GradCase.randn;
import static dev.balboa.autograd.GradCase.uniform;

import dev.balboa.api.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Gradient checks of the elementwise ops (unary, binary, scalar forms, where) on several layouts. */
class ElementwiseGradTest {

    /** Makes an input of a shape. */
    interface Maker {
        Tensor make(long... shape);
    }

    /** A unary op checked contiguous, transposed, sliced with a step, empty and 0-d. */
    static List<GradCase> unary(String name, Maker maker, UnaryOperator<Tensor> op) {
        return List.of(
                GradCase.of(name + " [2,3]", xs -> op.apply(xs.get(0)), () -> in(maker.make(2, 3))),
                GradCase.of(name + " transposed", xs -> op.apply(xs.get(0).t()), () -> in(maker.make(3, 2))),
                GradCase.of(name + " strided slice", xs -> op.apply(xs.get(0).slice(1, 0, 5, 2)), () -> in(maker.make(2, 5))),
                GradCase.of(name + " empty", xs -> op.apply(xs.get(0)), () -> in(maker.make(0, 3))),
                GradCase.of(name + " 0-d", xs -> op.apply(xs.get(0)), () -> in(maker.make())));
    }

    /** A binary op checked with equal shapes, broadcasting both ways, a transposed operand, empty and 0-d. */
    static List<GradCase> binary(String name, Maker left, Maker right, java.util.function.BinaryOperator<Tensor> op) {
        return List.of(
                GradCase.of(name + " [2,3]", xs -> op.apply(xs.get(0), xs.get(1)), () -> in(left.make(2, 3), right.make(2, 3))),
                GradCase.of(name + " broadcast [2,1]x[3]", xs -> op.apply(xs.get(0), xs.get(1)), () -> in(left.make(2, 1), right.make(3))),
                GradCase.of(name + " broadcast 0-d x [2,3]", xs -> op.apply(xs.get(0), xs.get(1)), () -> in(left.make(), right.make(2, 3))),
                GradCase.of(name + " transposed", xs -> op.apply(xs.get(0).t(), xs.get(1)), () -> in(left.make(3, 2), right.make(2, 3))),
                GradCase.of(name + " empty", xs -> op.apply(xs.get(0), xs.get(1)), () -> in(left.make(0, 3), right.make(1, 3))),
                GradCase.of(name + " 0-d", xs -> op.apply(xs.get(0), xs.get(1)), () -> in(left.make(), right.make())));
    }

    static List<GradCase> cases() {
        List<GradCase> c = new ArrayList<>();
        Maker n = GradCase::randn, pos = GradCase::positive, away = GradCase::awayFromZero, dist = GradCase::distinct;
        c.addAll(unary("neg", n, Tensor::neg));
        c.addAll(unary("abs", away, Tensor::abs));
        c.addAll(unary("sign", away, Tensor::sign));
        c.addAll(unary("floor", away, Tensor::floor));
        c.addAll(unary("ceil", away, Tensor::ceil));
        c.addAll(unary("round", away, Tensor::round));
        c.addAll(unary("exp", n, Tensor::exp));
        c.addAll(unary("log", pos, Tensor::log));
        c.addAll(unary("log1p", pos, Tensor::log1p));
        c.addAll(unary("expm1", n, Tensor::expm1));
        c.addAll(unary("sqrt", pos, Tensor::sqrt));
        c.addAll(unary("rsqrt", pos, Tensor::rsqrt));
        c.addAll(unary("sin", n, Tensor::sin));
        c.addAll(unary("cos", n, Tensor::cos));
        c.addAll(unary("tanh", n, Tensor::tanh));
        c.addAll(unary("sigmoid", n, Tensor::sigmoid));
        c.addAll(unary("erf", n, Tensor::erf));
        c.addAll(unary("reciprocal", pos, Tensor::reciprocal));
        c.addAll(unary("relu", away, Tensor::relu));
        c.addAll(unary("square", n, Tensor::square));
        c.addAll(unary("gelu erf", n, Tensor::gelu));
        c.addAll(unary("gelu tanh", n, x -> x.gelu("tanh")));
        c.addAll(unary("silu", n, Tensor::silu));
        c.addAll(unary("softplus", n, Tensor::softplus));
        c.add(GradCase.of("softplus beta 2 threshold 1 (both branches)", xs -> xs.get(0).softplus(2.0, 1.0),
                () -> in(GradCase.leaf(new double[] {-1.5, -0.3, 0.2, 0.45, 0.7, 2.0}, 2, 3))));
        c.addAll(unary("clamp", away, x -> x.clamp(-0.5, 0.6)));
        c.addAll(unary("clampMin", away, x -> x.clampMin(0.1)));
        c.addAll(unary("clampMax", away, x -> x.clampMax(-0.1)));
        c.addAll(unary("pow 3", n, x -> x.pow(3.0)));
        c.addAll(unary("pow 2", n, x -> x.pow(2.0)));
        c.addAll(unary("pow 0.5", pos, x -> x.pow(0.5)));
        c.addAll(unary("pow -1.5", pos, x -> x.pow(-1.5)));
        c.addAll(unary("add scalar", n, x -> x.add(1.5)));
        c.addAll(unary("sub scalar", n, x -> x.sub(1.5)));
        c.addAll(unary("rsub scalar", n, x -> x.rsub(1.5)));
        c.addAll(unary("mul scalar", n, x -> x.mul(-2.5)));
        c.addAll(unary("div scalar", n, x -> x.div(4.0)));
        c.addAll(unary("rdiv scalar", pos, x -> x.rdiv(3.0)));
        c.addAll(unary("maskedFill", n, x -> x.maskedFill(x.detach().gt(0.0), 2.0)));
        c.addAll(binary("add", n, n, Tensor::add));
        c.addAll(binary("add alpha", n, n, (a, b) -> a.add(b, 0.5)));
        c.addAll(binary("sub", n, n, Tensor::sub));
        c.addAll(binary("mul", n, n, Tensor::mul));
        c.addAll(binary("div", n, pos, Tensor::div));
        c.addAll(binary("pow", pos, n, Tensor::pow));
        c.addAll(binary("maximum", dist, dist, Tensor::maximum));
        c.addAll(binary("minimum", dist, dist, Tensor::minimum));
        c.add(GradCase.of("where broadcast condition", xs -> Tensor.where(
                mask(new boolean[] {true, false, true}, 3), xs.get(0), xs.get(1)), () -> in(randn(2, 3), randn(2, 1))));
        c.add(GradCase.of("where scalar other", xs -> Tensor.where(xs.get(0).detach().gt(0.0), xs.get(0), 0.5),
                () -> in(randn(2, 3))));
        c.add(GradCase.of("where transposed", xs -> xs.get(0).t().where(
                mask(new boolean[] {true, false, false, true, true, false}, 2, 3), xs.get(1)), () -> in(randn(3, 2), randn(2, 3))));
        c.add(GradCase.of("where empty", xs -> Tensor.where(mask(new boolean[0], 0, 2), xs.get(0), xs.get(1)),
                () -> in(randn(0, 2), randn(0, 2))));
        c.add(GradCase.of("maximum with ties splits the gradient", xs -> xs.get(0).maximum(xs.get(1)),
                () -> in(GradCase.leaf(new double[] {1, 2, 3}, 3), GradCase.leaf(new double[] {0, 5, 3}, 3)))
                .withOptions(new GradCheck.Options(1e-6, 1e-5, 1e-3)));
        c.add(GradCase.of("chain sigmoid*tanh+exp/(1+x^2)", xs -> {
            Tensor x = xs.get(0);
            return x.sigmoid().mul(x.tanh()).add(x.exp().div(x.square().add(1.0)));
        }, () -> in(randn(2, 3))).withGradgrad());
        c.add(GradCase.of("where gradgrad", xs -> Tensor.where(xs.get(0).detach().gt(0.0), xs.get(0).square(), xs.get(1).exp()),
                () -> in(randn(2, 3), randn(2, 3))).withGradgrad());
        c.add(GradCase.of("pow gradgrad", xs -> xs.get(0).pow(xs.get(1)), () -> in(positive(2, 2), uniform(0.5, 2, 2, 2))).withGradgrad());
        c.add(GradCase.of("div/log/sqrt gradgrad", xs -> xs.get(0).div(xs.get(1)).log().sqrt(),
                () -> in(uniform(2, 3, 3), positive(3))).withGradgrad());
        c.add(GradCase.of("unary zoo gradgrad", xs -> {
            Tensor x = xs.get(0);
            return x.sin().add(x.cos()).add(x.erf()).add(x.log1p()).add(x.expm1()).add(x.rsqrt()).add(x.reciprocal())
                    .add(x.abs()).add(x.relu()).add(x.neg()).add(x.sub(xs.get(1)));
        }, () -> in(positive(4), awayFromZero(4))).withGradgrad());
        c.add(GradCase.of("maximum/minimum gradgrad", xs -> xs.get(0).maximum(xs.get(1)).mul(xs.get(0).minimum(xs.get(1))),
                () -> in(distinct(4), distinct(4))).withGradgrad());
        return c;
    }

    @TestFactory
    Stream<DynamicTest> gradcheck() { return GradCase.tests(cases()); }
}
