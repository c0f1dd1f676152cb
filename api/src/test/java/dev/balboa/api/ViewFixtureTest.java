package dev.balboa.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.spi.DType;
import dev.balboa.spi.Device;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Views, dtype conversion and creation ops against PyTorch's results; views must share their input's storage. */
class ViewFixtureTest {

    /** Ops that always return a view of their input. */
    private static final Set<String> VIEWS = Set.of("view", "permute", "transpose", "narrow", "slice", "select", "expand",
            "squeeze", "unsqueeze", "unflatten", "unfold", "t", "mT");

    static Stream<Arguments> views() { return Fixtures.arguments("views"); }

    static Stream<Arguments> creation() { return Fixtures.arguments("creation"); }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("views")
    void viewsMatchPyTorch(String device, Fixtures.Case c) {
        Tensor[] in = c.build(Fixtures.device(device));
        Tensor x = in[0];
        Tensor r = (Tensor) Fixtures.call(c, device, () -> switch (c.op()) {
            case "view" -> x.view(c.longs("shape"));
            case "reshape" -> x.reshape(c.longs("shape"));
            case "permute" -> x.permute(c.ints("dims"));
            case "transpose" -> x.transpose(c.i("dim0"), c.i("dim1"));
            case "narrow" -> x.narrow(c.i("dim"), c.l("start"), c.l("length"));
            case "slice" -> x.slice(c.i("dim"), c.l("start"), c.l("end"), c.l("step"));
            case "select" -> x.select(c.i("dim"), c.l("index"));
            case "expand" -> x.expand(c.longs("shape"));
            case "squeeze" -> c.has("dim") ? x.squeeze(c.i("dim")) : x.squeeze();
            case "unsqueeze" -> x.unsqueeze(c.i("dim"));
            case "flatten" -> c.has("start") ? x.flatten(c.i("start"), c.i("end")) : x.flatten();
            case "unflatten" -> x.unflatten(c.i("dim"), c.longs("sizes"));
            case "unfold" -> x.unfold(c.i("dim"), c.l("size"), c.l("step"));
            case "t" -> x.t();
            case "mT" -> x.mT();
            case "contiguous" -> x.contiguous();
            case "clone" -> x.clone();
            case "to" -> x.to(c.dtype("dtype"));
            default -> throw new IllegalArgumentException("no runner for op " + c.op());
        });
        Fixtures.check(c, device, Fixtures.results(r));
        if (VIEWS.contains(c.op())) assertTrue(r.sharesStorage(x), c.name() + ": a view shares its input's storage");
        if (c.op().equals("clone") || c.op().equals("contiguous")) {
            assertFalse(r.sharesStorage(x), c.name() + ": a copy has its own storage");
            assertTrue(r.isContiguous(), c.name() + ": contiguous result");
        }
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("creation")
    void creationMatchesPyTorch(String device, Fixtures.Case c) {
        Device d = Fixtures.device(device);
        DType dt = c.dtype("dtype");
        Tensor r = (Tensor) Fixtures.call(c, device, () -> switch (c.op()) {
            case "arange" -> Tensor.arange(c.d("start"), c.d("end"), c.d("step"), dt, d);
            case "linspace" -> Tensor.linspace(c.d("start"), c.d("end"), c.l("steps"), dt, d);
            case "eye" -> Tensor.eye(c.l("n"), c.l("m"), dt, d);
            case "full" -> dt.isFloatingPoint() ? Tensor.full(c.longs("shape"), c.d("value"), dt, d)
                    : Tensor.full(c.longs("shape"), c.l("value"), dt, d);
            case "zeros" -> Tensor.zeros(c.longs("shape"), dt, d);
            case "ones" -> Tensor.ones(c.longs("shape"), dt, d);
            default -> throw new IllegalArgumentException("no runner for op " + c.op());
        });
        Fixtures.check(c, device, Fixtures.results(r));
    }
}
