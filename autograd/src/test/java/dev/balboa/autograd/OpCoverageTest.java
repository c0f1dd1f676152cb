package dev.balboa.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.balboa.api.Devices;
import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;
import dev.balboa.api.dispatch.ViewOp;
import dev.balboa.autograd.internal.GraphProbe;
import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Walks the op registry (every {@link Op} record and enum constant, every {@link ViewOp}) and
 * fails when a differentiable primitive is recorded by no gradient case, or when a
 * non-differentiable one lacks a check that it yields no gradient path.
 */
class OpCoverageTest {

    /** Every gradient case of the op-family suites. */
    static List<GradCase> allCases() {
        List<GradCase> all = new ArrayList<>();
        all.addAll(ElementwiseGradTest.cases());
        all.addAll(ReductionGradTest.cases());
        all.addAll(LinalgViewGradTest.cases());
        all.addAll(IndexingGradTest.cases());
        all.addAll(NnGradTest.cases());
        return all;
    }

    /** Every coverage key of the registry. */
    static Set<String> registry() {
        Set<String> keys = new TreeSet<>();
        for (Class<?> c : Op.class.getPermittedSubclasses()) keys.add(c.getSimpleName());
        for (Op.UnaryFn f : Op.UnaryFn.values()) keys.add("Unary." + f);
        for (Op.BinaryFn f : Op.BinaryFn.values()) keys.add("Binary." + f);
        for (Op.ReduceFn f : Op.ReduceFn.values()) keys.add("Reduce." + f);
        for (Op.ArgFn f : Op.ArgFn.values()) keys.add("ArgReduce." + f);
        for (Op.ScanFn f : Op.ScanFn.values()) keys.add("Scan." + f);
        for (Op.ScatterMode m : Op.ScatterMode.values()) keys.add("Scatter." + m);
        for (Class<?> c : ViewOp.class.getPermittedSubclasses()) keys.add("ViewOp." + c.getSimpleName());
        return keys;
    }

    private static Tensor leaf(long... shape) {
        return Tensor.randn(shape, new Generator(3), DType.FLOAT64, Devices.defaultDevice()).requiresGrad_();
    }

    /** Asserts that {@code t} has no gradient path and that backward through it says so. */
    private static void noGradientPath(Tensor t) {
        assertFalse(t.requiresGrad(), "output must not require grad");
        assertNull(t.gradFn(), "output must have no grad_fn");
        Tensor s = t.numel() == 1 ? t : t.reshape(-1).narrow(0, 0, 1).reshape();
        try {
            s.to(DType.FLOAT64).sum().backward();
            fail("backward through a non-differentiable output must throw");
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage().contains("does not require gradients"), e.getMessage());
        }
    }

    /**
     * The non-differentiable primitives and a probe for each that runs the op on inputs that
     * require grad (where the dtype allows) and checks that no gradient flows through it.
     */
    static Map<String, Runnable> nonDifferentiable() {
        Map<String, Runnable> m = new LinkedHashMap<>();
        Tensor b1 = Tensor.of(new boolean[] {true, false, true}, 3), b2 = Tensor.of(new boolean[] {false, false, true}, 3);
        m.put("Binary.EQ", () -> noGradientPath(leaf(3).eq(leaf(3))));
        m.put("Binary.NE", () -> noGradientPath(leaf(3).ne(0.5)));
        m.put("Binary.LT", () -> noGradientPath(leaf(3).lt(leaf(3))));
        m.put("Binary.LE", () -> noGradientPath(leaf(3).le(0.0)));
        m.put("Binary.GT", () -> noGradientPath(leaf(3).gt(leaf(3))));
        m.put("Binary.GE", () -> noGradientPath(leaf(3).ge(0.0)));
        m.put("Binary.LOGICAL_AND", () -> noGradientPath(b1.logicalAnd(leaf(3).gt(0.0))));
        m.put("Binary.LOGICAL_OR", () -> noGradientPath(b1.logicalOr(b2)));
        m.put("Unary.LOGICAL_NOT", () -> noGradientPath(leaf(3).logicalNot()));
        m.put("Unary.ISNAN", () -> noGradientPath(leaf(3).isnan()));
        m.put("Unary.ISINF", () -> noGradientPath(leaf(3).isinf()));
        m.put("Reduce.ANY", () -> noGradientPath(leaf(2, 3).any()));
        m.put("Reduce.ALL", () -> noGradientPath(leaf(2, 3).all(1, false)));
        m.put("Fill", () -> {
            noGradientPath(Tensor.fullLike(leaf(2, 2), 3.0));
            noGradientPath(Tensor.zerosLike(leaf(2)));
            // filling a recorded tensor cuts the gradient of the overwritten elements
            Tensor x = leaf(3);
            Tensor y = x.mul(2.0);
            y.fill_(1.0);
            y.sum().backward();
            assertArrayEquals(new double[] {0, 0, 0}, x.grad().toDoubleArray());
        });
        m.put("Arange", () -> noGradientPath(Tensor.arange(0, 4, 1, DType.FLOAT64, Devices.defaultDevice())));
        m.put("RandomUniform", () -> {
            noGradientPath(Tensor.rand(new long[] {3}, new Generator(1), DType.FLOAT64, Devices.defaultDevice()));
            Tensor x = leaf(3);
            Tensor y = x.mul(2.0);
            y.uniform_(0, 1, new Generator(1));
            y.sum().backward();
            assertArrayEquals(new double[] {0, 0, 0}, x.grad().toDoubleArray());
        });
        m.put("RandomNormal", () -> {
            noGradientPath(Tensor.randn(new long[] {3}, new Generator(1), DType.FLOAT64, Devices.defaultDevice()));
            Tensor x = leaf(3);
            Tensor y = x.mul(2.0);
            y.narrow(0, 1, 1).normal_(0, 1, new Generator(1));
            y.sum().backward();
            assertArrayEquals(new double[] {2, 0, 2}, x.grad().toDoubleArray());
        });
        return m;
    }

    /** Keys exercised by direct rule tests instead of a recorded graph (see {@link #aliasRuleIsIdentity}). */
    private static final Set<String> RULE_TESTS = Set.of("ViewOp.Alias");

    @Test
    void everyPrimitiveHasAGradientCaseOrANoGradientCheck() {
        Set<String> covered = new TreeSet<>();
        for (GradCase c : allCases()) covered.addAll(c.recordedOps());
        Set<String> noGrad = nonDifferentiable().keySet();
        List<String> missing = new ArrayList<>();
        List<String> both = new ArrayList<>();
        for (String key : registry()) {
            boolean viaCase = covered.contains(key), viaProbe = noGrad.contains(key), viaRule = RULE_TESTS.contains(key);
            if (!viaCase && !viaProbe && !viaRule) missing.add(key);
            // Fill and Random* appear in graphs as in-place writes that cut the gradient; the others must never
            if (viaCase && viaProbe && key.contains(".")) both.add(key);
        }
        assertTrue(missing.isEmpty(), "primitives with no gradient case and no no-gradient check: " + missing
                + "\nrecorded by the gradient cases: " + covered);
        assertTrue(both.isEmpty(), "ops declared non-differentiable were recorded in a gradient graph: " + both);
        for (String key : noGrad) assertTrue(registry().contains(key), "unknown op key " + key);
    }

    @TestFactory
    Stream<DynamicTest> nonDifferentiableOpsHaveNoGradientPath() {
        return nonDifferentiable().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), e.getValue()::run));
    }

    @Test
    void integerResultsOfDifferentiableOpsHaveNoGradientPath() {
        Tensor x = leaf(2, 3);
        noGradientPath(x.argmax());
        noGradientPath(x.max(1).indices());
        noGradientPath(x.sort(1, false).indices());
        noGradientPath(x.topk(2, 1, true, true).indices());
        noGradientPath(x.to(DType.INT64));
        noGradientPath(x.detach());
        noGradientPath(x.gt(0.0).to(DType.FLOAT64));
    }

    @Test
    void aliasRuleIsIdentity() {
        Tensor x = Tensor.of(new double[] {1, 2, 3}, 3);
        Tensor g = Tensor.of(new double[] {4, 5, 6}, 3);
        assertArrayEquals(new double[] {4, 5, 6}, GraphProbe.aliasRule(x, g).toDoubleArray());
    }
}
