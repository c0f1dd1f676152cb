package dev.balboa.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.spi.Device;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Tensor.toString against torch's str() of the same tensors (recorded in print.json). */
class PrintTest {

    @SuppressWarnings("unchecked")
    static Stream<Arguments> cases() {
        List<Object> cases = (List<Object>) Fixtures.file("print").get("cases");
        return cases.stream().map(o -> (Map<String, Object>) o)
                .map(m -> Arguments.of(m.get("name"), Fixtures.Spec.of(m.get("input")), m.get("str")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void printsLikePyTorch(String name, Fixtures.Spec spec, String expected) {
        Tensor t = Fixtures.tensor(spec, Device.CPU);
        assertEquals(expected, t.toString(), name);
    }

    @Test
    void namesANonCpuDevice() {
        Tensor t = Tensor.of(new float[] {1.5f, 2f}, 2).to(Device.of("reference"));
        assertEquals("tensor([1.5000, 2.0000], device='reference:0')", t.toString(), "torch names the device index, as in device='cuda:0'");
    }

    @Test
    void printsAViewInLogicalOrder() {
        Tensor t = Tensor.of(new long[] {1, 2, 3, 4, 5, 6}, 2, 3).t();
        assertEquals("tensor([[1, 4],\n        [2, 5],\n        [3, 6]])", t.toString());
        assertTrue(Tensor.of(new long[] {1, 2, 3, 4, 5, 6}, 6).slice(0, 0, 6, 2).toString().contains("[1, 3, 5]"));
    }
}
