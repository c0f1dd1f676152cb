package dev.balboa.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.api.Grad;
import dev.balboa.api.HookHandle;
import dev.balboa.api.Tensor;
import dev.balboa.spi.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Hooks, custom functions, grad-mode scopes (nesting and thread confinement) and anomaly mode. */
class HooksFunctionsModesTest {
    private static final double TOL = 1e-12;

    private static Tensor vec(double... v) { return Tensor.of(v, v.length).requiresGrad_(); }

    // ---------------------------------------------------------------- hooks

    @Test
    void tensorHookModifiesTheGradientFlowingThrough() {
        Tensor x = vec(1, 2);
        Tensor y = x.mul(3.0);
        List<double[]> seen = new ArrayList<>();
        y.registerHook(g -> {
            seen.add(g.toDoubleArray());
            return g.mul(10.0);
        });
        y.sum().backward();
        assertArrayEquals(new double[] {1, 1}, seen.get(0), TOL);
        assertArrayEquals(new double[] {30, 30}, x.grad().toDoubleArray(), TOL);
    }

    @Test
    void leafHookChangesWhatIsAccumulatedAndHandleRemovesIt() {
        Tensor x = vec(1, 2);
        HookHandle h = x.registerHook(g -> g.mul(-1.0));
        x.mul(2.0).sum().backward();
        assertArrayEquals(new double[] {-2, -2}, x.grad().toDoubleArray(), TOL);
        h.close();
        x.setGrad(null);
        x.mul(2.0).sum().backward();
        assertArrayEquals(new double[] {2, 2}, x.grad().toDoubleArray(), TOL);
    }

    @Test
    void hookReturningNullKeepsTheGradientAndRemovalStopsIt() {
        Tensor x = vec(1, 2);
        Tensor y = x.exp();
        int[] calls = {0};
        HookHandle h = y.registerHook(g -> {
            calls[0]++;
            return null;
        });
        y.sum().backward(null, true, false);
        assertEquals(1, calls[0]);
        h.close();
        y.sum().backward();
        assertEquals(1, calls[0]);
        assertArrayEquals(new double[] {2 * Math.E, 2 * Math.exp(2)}, x.grad().toDoubleArray(), 1e-9);
    }

    @Test
    void postAccumulateHookSeesTheAccumulatedGradient() {
        Tensor x = vec(1, 2);
        List<double[]> seen = new ArrayList<>();
        HookHandle h = x.registerPostAccumulateGradHook(t -> seen.add(t.grad().toDoubleArray()));
        x.mul(2.0).sum().backward();
        x.mul(3.0).sum().backward();
        assertEquals(2, seen.size());
        assertArrayEquals(new double[] {2, 2}, seen.get(0), TOL);
        assertArrayEquals(new double[] {5, 5}, seen.get(1), TOL);
        h.close();
        x.sum().backward();
        assertEquals(2, seen.size());
        assertThrows(IllegalStateException.class, () -> x.mul(1.0).registerPostAccumulateGradHook(t -> { }));
        assertThrows(IllegalStateException.class, () -> Tensor.of(new double[] {1}, 1).registerHook(g -> g));
    }

    // ---------------------------------------------------------------- custom functions

    /** x * y with saved tensors; records which inputs needed gradients. */
    static final class MulFn extends Function {
        boolean[] needs;

        @Override
        protected Tensor[] forward(FunctionContext ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            ctx.put("calls", 1);
            assertFalse(Grad.isEnabled(), "forward runs without recording");
            return new Tensor[] {in[0].mul(in[1])};
        }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor... g) {
            Tensor[] s = ctx.savedTensors();
            needs = new boolean[] {ctx.needsInputGrad(0), ctx.needsInputGrad(1)};
            assertEquals(1, (int) ctx.<Integer>get("calls"));
            return new Tensor[] {ctx.needsInputGrad(0) ? g[0].mul(s[1]) : null, ctx.needsInputGrad(1) ? g[0].mul(s[0]) : null};
        }
    }

    @Test
    void customFunctionForwardBackwardSavedTensorsAndNeedsInputGrad() {
        Tensor x = vec(1, 2, 3);
        Tensor c = Tensor.of(new double[] {4, 5, 6}, 3);
        MulFn f = new MulFn();
        Tensor y = f.apply(x, c)[0];
        assertEquals("MulFnBackward", y.gradFn().name());
        y.sum().backward();
        assertArrayEquals(new boolean[] {true, false}, f.needs);
        assertArrayEquals(new double[] {4, 5, 6}, x.grad().toDoubleArray(), TOL);
        // gradcheck of the custom function with both inputs differentiable
        GradCheck.gradcheck(xs -> new MulFn().apply(xs.get(0), xs.get(1))[0], vec(0.5, -1), vec(2, 3));
        // no input requires grad: nothing recorded
        assertNull(new MulFn().apply(c, c)[0].gradFn());
        try (var g = Grad.disabled()) {
            assertNull(new MulFn().apply(x, c)[0].gradFn());
        }
    }

    @Test
    void customFunctionDetectsModifiedSavedTensors() {
        Tensor x = vec(1, 2);
        Tensor h = x.mul(1.0);
        Tensor y = new MulFn().apply(h, h)[0];
        h.add_(1.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
        assertTrue(e.getMessage().contains("modified in place"), e.getMessage());
    }

    /** Returns sorted values and their positions (as float64), marking the positions non-differentiable. */
    static final class SortFn extends Function {
        @Override
        protected Tensor[] forward(FunctionContext ctx, Tensor... in) {
            var s = in[0].sort(0, false);
            ctx.saveForBackward(s.indices());
            Tensor pos = s.indices().to(DType.FLOAT64);
            ctx.markNonDifferentiable(pos);
            return new Tensor[] {s.values(), pos};
        }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor... g) {
            Tensor idx = ctx.savedTensors()[0];
            assertNotNull(g[1], "outputs without gradient receive zeros");
            return new Tensor[] {Tensor.zerosLike(g[0]).scatterAdd(0, idx, g[0])};
        }
    }

    @Test
    void customFunctionNonDifferentiableOutputs() {
        Tensor x = vec(3, 1, 2);
        Tensor[] out = new SortFn().apply(x);
        assertTrue(out[0].requiresGrad());
        assertFalse(out[1].requiresGrad());
        out[0].mul(Tensor.of(new double[] {1, 10, 100}, 3)).sum().backward();
        assertArrayEquals(new double[] {100, 1, 10}, x.grad().toDoubleArray(), TOL);
    }

    /** Returns its input unchanged. */
    static final class IdentityFn extends Function {
        @Override
        protected Tensor[] forward(FunctionContext ctx, Tensor... in) { return new Tensor[] {in[0]}; }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor... g) { return new Tensor[] {g[0].mul(2.0)}; }
    }

    @Test
    void customFunctionReturningItsInputGetsAnAlias() {
        Tensor x = vec(1, 2);
        Tensor y = new IdentityFn().apply(x)[0];
        assertTrue(y != x && y.sharesStorage(x));
        assertTrue(x.isLeaf());
        y.sum().backward();
        assertArrayEquals(new double[] {2, 2}, x.grad().toDoubleArray(), TOL);
    }

    @Test
    void customFunctionWithWrongGradientShapeIsReported() {
        Function bad = new Function() {
            @Override
            protected Tensor[] forward(FunctionContext ctx, Tensor... in) { return new Tensor[] {in[0].sum()}; }

            @Override
            protected Tensor[] backward(FunctionContext ctx, Tensor... g) { return new Tensor[] {g[0]}; }
        };
        Tensor y = bad.apply(vec(1, 2))[0];
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("shape"), e.getMessage());
    }

    // ---------------------------------------------------------------- grad modes

    @Test
    void gradScopesNest() {
        Tensor x = vec(1, 2);
        assertTrue(Grad.isEnabled());
        try (var a = Grad.disabled()) {
            assertFalse(x.mul(2.0).requiresGrad());
            try (var b = Grad.enabled()) {
                assertTrue(x.mul(2.0).requiresGrad());
                try (var c = Grad.inference()) {
                    assertFalse(Grad.isEnabled());
                    assertTrue(Grad.isInference());
                    assertFalse(x.mul(2.0).requiresGrad());
                }
                assertTrue(Grad.isEnabled());
                assertFalse(Grad.isInference());
            }
            assertFalse(Grad.isEnabled());
        }
        assertTrue(Grad.isEnabled());
        assertTrue(x.mul(2.0).requiresGrad());
    }

    @Test
    void gradModeIsConfinedToItsThread() throws Exception {
        Tensor x = vec(1, 2);
        CyclicBarrier barrier = new CyclicBarrier(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int rounds = 200;
        Runnable recording = () -> {
            try {
                barrier.await();
                for (int i = 0; i < rounds; i++) {
                    if (!x.mul(2.0).add(1.0).requiresGrad()) throw new AssertionError("recording thread lost its graph at " + i);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
        Runnable notRecording = () -> {
            try (var g = Grad.disabled()) {
                barrier.await();
                for (int i = 0; i < rounds; i++) {
                    if (x.mul(2.0).add(1.0).requiresGrad()) throw new AssertionError("no-grad thread recorded at " + i);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
        Thread a = new Thread(recording, "recording"), b = new Thread(notRecording, "no-grad");
        a.start();
        b.start();
        a.join();
        b.join();
        if (failure.get() != null) throw new AssertionError(failure.get());
        assertTrue(Grad.isEnabled());
    }

    @Test
    void gradScopeClosedOnAnotherThreadIsRefused() throws Exception {
        Grad.Scope s = Grad.disabled();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                s.close();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        t.join();
        s.close();
        assertTrue(thrown.get() instanceof IllegalStateException);
        assertTrue(Grad.isEnabled());
    }

    // ---------------------------------------------------------------- anomaly mode

    @Test
    void anomalyModeNamesTheNodeAndWhereItsForwardRan() {
        Tensor x = Tensor.of(new double[] {0, 1}, 2).requiresGrad_();
        try (var a = Autograd.detectAnomaly()) {
            assertTrue(Autograd.isAnomalyEnabled());
            Tensor y = x.sqrt().mul(Tensor.of(new double[] {0, 1}, 2)).sum();
            AnomalyException e = assertThrows(AnomalyException.class, y::backward);
            assertTrue(e.getMessage().contains("SqrtBackward") && e.getMessage().contains("nan"), e.getMessage());
            assertNotNull(e.getCause());
            assertTrue(Arrays.stream(e.getCause().getStackTrace())
                    .anyMatch(f -> f.getMethodName().equals("anomalyModeNamesTheNodeAndWhereItsForwardRan")), "cause holds the forward call site");
        }
        assertFalse(Autograd.isAnomalyEnabled());
        // outside anomaly mode the NaN just flows into the gradient
        x.sqrt().mul(Tensor.of(new double[] {0, 1}, 2)).sum().backward();
        assertTrue(Double.isNaN(x.grad().toDoubleArray()[0]));
    }

    @Test
    void anomalyModeCatchesNaNFromACustomFunction() {
        Function zeroOverZero = new Function() {
            @Override
            protected Tensor[] forward(FunctionContext ctx, Tensor... in) { return new Tensor[] {in[0].mul(2.0)}; }

            @Override
            protected Tensor[] backward(FunctionContext ctx, Tensor... g) {
                Tensor z = Tensor.zerosLike(g[0]);
                return new Tensor[] {z.div(z)};
            }

            @Override
            public String name() { return "ZeroOverZeroBackward"; }
        };
        try (var a = Autograd.detectAnomaly()) {
            Tensor y = zeroOverZero.apply(vec(1, 2))[0].sum();
            AnomalyException e = assertThrows(AnomalyException.class, y::backward);
            assertTrue(e.getMessage().contains("ZeroOverZeroBackward"), e.getMessage());
            assertNotNull(e.getCause());
        }
    }

    @Test
    void anomalyModeIsThreadConfined() throws Exception {
        try (var a = Autograd.detectAnomaly()) {
            boolean[] other = {true};
            Thread t = new Thread(() -> other[0] = Autograd.isAnomalyEnabled());
            t.start();
            t.join();
            assertFalse(other[0]);
        }
    }
}
