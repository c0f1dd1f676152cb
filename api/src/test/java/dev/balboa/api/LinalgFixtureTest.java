package dev.balboa.api;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** matmul with torch.matmul's rank rules, mm, bmm, dot, outer and linear against PyTorch's results. */
class LinalgFixtureTest {

    static Stream<Arguments> cases() { return Fixtures.arguments("linalg"); }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("cases")
    void matchesPyTorch(String device, Fixtures.Case c) {
        Tensor[] in = c.build(Fixtures.device(device));
        Object r = Fixtures.call(c, device, () -> switch (c.op()) {
            case "matmul" -> in[0].matmul(in[1]);
            case "mm" -> in[0].mm(in[1]);
            case "bmm" -> in[0].bmm(in[1]);
            case "dot" -> in[0].dot(in[1]);
            case "outer" -> in[0].outer(in[1]);
            case "linear" -> Functional.linear(in[0], in[1], in.length > 2 ? in[2] : null);
            default -> throw new IllegalArgumentException("no runner for op " + c.op());
        });
        Fixtures.check(c, device, Fixtures.results(r));
    }
}
