package dev.balboa.api;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reductions over sets of dims with keepdim, softmax family, scans, sort and topk against PyTorch's results. */
class ReductionFixtureTest {

    static Stream<Arguments> cases() { return Fixtures.arguments("reductions"); }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("cases")
    void matchesPyTorch(String device, Fixtures.Case c) {
        Tensor[] in = c.build(Fixtures.device(device));
        Fixtures.check(c, device, Fixtures.results(Fixtures.call(c, device, () -> run(c, in[0]))));
    }

    static Object run(Fixtures.Case c, Tensor x) {
        boolean dims = c.has("dims");
        boolean dim = c.has("dim");
        return switch (c.op()) {
            case "sum" -> dims ? x.sum(c.ints("dims"), c.b("keepdim")) : x.sum();
            case "sum_dtype" -> x.sum(c.ints("dims"), c.b("keepdim"), c.dtype("dtype"));
            case "mean" -> dims ? x.mean(c.ints("dims"), c.b("keepdim")) : x.mean();
            case "var" -> dims ? x.var(c.ints("dims"), c.b("unbiased"), c.b("keepdim")) : x.var(c.b("unbiased"));
            case "std" -> dims ? x.std(c.ints("dims"), c.b("unbiased"), c.b("keepdim")) : x.std(c.b("unbiased"));
            case "logsumexp" -> x.logsumexp(c.ints("dims"), c.b("keepdim"));
            case "norm" -> x.norm(c.d("p"), c.ints("dims"), c.b("keepdim"));
            case "norm_all" -> x.norm();
            case "amax" -> x.amax(c.ints("dims"), c.b("keepdim"));
            case "amin" -> x.amin(c.ints("dims"), c.b("keepdim"));
            case "max" -> x.max();
            case "min" -> x.min();
            case "prod" -> dim ? x.prod(c.i("dim"), c.b("keepdim")) : x.prod();
            case "all" -> dim ? x.all(c.i("dim"), c.b("keepdim")) : x.all();
            case "any" -> dim ? x.any(c.i("dim"), c.b("keepdim")) : x.any();
            case "max_dim" -> x.max(c.i("dim"), c.b("keepdim"));
            case "min_dim" -> x.min(c.i("dim"), c.b("keepdim"));
            case "argmax" -> dim ? x.argmax(c.i("dim"), c.b("keepdim")) : x.argmax();
            case "argmin" -> dim ? x.argmin(c.i("dim"), c.b("keepdim")) : x.argmin();
            case "softmax" -> x.softmax(c.i("dim"));
            case "logSoftmax" -> x.logSoftmax(c.i("dim"));
            case "cumsum" -> x.cumsum(c.i("dim"));
            case "cumprod" -> x.cumprod(c.i("dim"));
            case "sort" -> x.sort(c.i("dim"), c.b("descending"));
            case "argsort" -> x.argsort(c.i("dim"), c.b("descending"));
            case "topk" -> x.topk(c.l("k"), c.i("dim"), c.b("largest"), true);
            default -> throw new IllegalArgumentException("no runner for op " + c.op());
        };
    }
}
