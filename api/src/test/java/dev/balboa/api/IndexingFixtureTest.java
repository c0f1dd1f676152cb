package dev.balboa.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Indexing and shaping ops (select/gather/scatter, masks, cat/stack/split, pad, flip, roll, tri, one_hot) against PyTorch. */
class IndexingFixtureTest {

    static Stream<Arguments> cases() { return Fixtures.arguments("indexing"); }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("cases")
    void matchesPyTorch(String device, Fixtures.Case c) {
        Tensor[] in = c.build(Fixtures.device(device));
        Fixtures.check(c, device, Fixtures.results(Fixtures.call(c, device, () -> run(c, in))));
    }

    static Object run(Fixtures.Case c, Tensor[] in) {
        Tensor x = in[0];
        return switch (c.op()) {
            case "indexSelect" -> x.indexSelect(c.i("dim"), in[1]);
            case "gather" -> x.gather(c.i("dim"), in[1]);
            case "scatter" -> x.scatter(c.i("dim"), in[1], in[2]);
            case "scatterAdd" -> x.scatterAdd(c.i("dim"), in[1], in[2]);
            case "scatter_value" -> x.scatter(c.i("dim"), in[1], c.d("value"));
            case "indexAdd" -> x.indexAdd(c.i("dim"), in[1], in[2]);
            case "maskedFill" -> x.maskedFill(in[1], c.d("value"));
            case "maskedSelect" -> x.maskedSelect(in[1]);
            case "index" -> x.index(in[1]);
            case "nonzero" -> x.nonzero();
            case "cat" -> Tensor.cat(Arrays.asList(in), c.i("dim"));
            case "stack" -> Tensor.stack(Arrays.asList(in), c.i("dim"));
            case "split" -> x.split(c.l("size"), c.i("dim"));
            case "split_sizes" -> x.split(c.longs("sizes"), c.i("dim"));
            case "chunk" -> x.chunk(c.i("chunks"), c.i("dim"));
            case "repeat" -> x.repeat(c.longs("repeats"));
            case "flip" -> x.flip(c.ints("dims"));
            case "roll" -> x.roll(c.longs("shifts"), c.ints("dims"));
            case "tril" -> x.tril(c.l("diagonal"));
            case "triu" -> x.triu(c.l("diagonal"));
            case "pad" -> Functional.pad(x, c.longs("pads"), Functional.PadMode.valueOf(c.s("mode").toUpperCase(Locale.ROOT)), c.d("value"));
            case "oneHot" -> Functional.oneHot(x, c.l("classes"));
            default -> throw new IllegalArgumentException("no runner for op " + c.op());
        };
    }
}
