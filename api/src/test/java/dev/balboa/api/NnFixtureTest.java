package dev.balboa.api;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Forward nn primitives (convolutions, pooling, adaptive pooling, embedding) against PyTorch's results. */
class NnFixtureTest {

    static Stream<Arguments> cases() { return Fixtures.arguments("nn"); }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("cases")
    void matchesPyTorch(String device, Fixtures.Case c) {
        Tensor[] in = c.build(Fixtures.device(device));
        Fixtures.check(c, device, Fixtures.results(Fixtures.call(c, device, () -> run(c, in))));
    }

    static Object run(Fixtures.Case c, Tensor[] in) {
        Tensor x = in[0];
        Tensor bias = in.length > 2 ? in[2] : null;
        return switch (c.op()) {
            case "conv2d" -> Functional.conv2d(x, in[1], bias, c.ints("stride"), c.ints("padding"), c.ints("dilation"), c.i("groups"));
            case "conv1d" -> Functional.conv1d(x, in[1], bias, c.i("stride"), c.i("padding"), c.i("dilation"), c.i("groups"));
            case "convTranspose2d" -> Functional.convTranspose2d(x, in[1], bias, c.ints("stride"), c.ints("padding"),
                    c.ints("outputPadding"), c.i("groups"), c.ints("dilation"));
            case "maxPool2d" -> Functional.maxPool2dWithIndices(x, c.ints("kernel"), c.ints("stride"), c.ints("padding"),
                    c.ints("dilation"), c.b("ceilMode"));
            case "maxPool1d" -> Functional.maxPool1d(x, c.i("kernel"), c.i("stride"), c.i("padding"), c.i("dilation"), c.b("ceilMode"));
            case "avgPool2d" -> Functional.avgPool2d(x, c.ints("kernel"), c.ints("stride"), c.ints("padding"), c.b("ceilMode"),
                    c.b("countIncludePad"), c.i("divisorOverride"));
            case "avgPool1d" -> Functional.avgPool1d(x, c.i("kernel"), c.i("stride"), c.i("padding"), c.b("ceilMode"), c.b("countIncludePad"));
            case "adaptiveAvgPool2d" -> Functional.adaptiveAvgPool2d(x, c.l("outH"), c.l("outW"));
            case "embedding" -> Functional.embedding(x, in[1], c.l("paddingIdx"));
            default -> throw new IllegalArgumentException("no runner for op " + c.op());
        };
    }
}
