package dev.balboa.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.api.Functional;
import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import dev.balboa.spi.DType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Corner cases of recording and backward: leaf roots, masked softmax, targets on the path, custom double backward. */
class EdgeCaseTest {
    private static final double TOL = 1e-12;

    private static Tensor vec(double... v) { return Tensor.of(v, v.length).requiresGrad_(); }

    @Test
    void backwardOnALeafSetsItsGradientToOnes() {
        Tensor x = Tensor.scalar(3.0, DType.FLOAT64).requiresGrad_();
        x.backward();
        assertEquals(1.0, x.grad().item(), TOL);
    }

    @Test
    void maskedSoftmaxHasNoNaNGradient() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad_();
        Tensor mask = Tensor.of(new boolean[] {false, true, false, true, false, false}, 2, 3);
        Tensor s = x.maskedFill(mask, Double.NEGATIVE_INFINITY).softmax(1);
        s.mul(Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3)).sum().backward();
        double[] g = x.grad().toDoubleArray();
        for (double v : g) assertFalse(Double.isNaN(v), java.util.Arrays.toString(g));
        assertEquals(0.0, g[1], TOL);
        assertEquals(0.0, g[3], TOL);
        GradCheck.gradcheck(xs -> xs.get(0).maskedFill(mask, Double.NEGATIVE_INFINITY).logSoftmax(1).maskedFill(mask, 0.0),
                GradCase.randn(2, 3));
    }

    @Test
    void gradOfAnIntermediateAndOfTheLeafBeneathIt() {
        Tensor x = vec(1, 2);
        Tensor h = x.mul(x);
        Tensor y = h.mul(3.0).sum();
        List<Tensor> g = Autograd.grad(List.of(y), List.of(h, x), null, false, false);
        assertArrayEquals(new double[] {3, 3}, g.get(0).toDoubleArray(), TOL);
        assertArrayEquals(new double[] {6, 12}, g.get(1).toDoubleArray(), TOL);
        List<Tensor> self = Autograd.grad(List.of(y), List.of(y), null, false, false);
        assertEquals(1.0, self.get(0).item(), TOL);
    }

    /** sin with a differentiable backward, so that it can be differentiated twice. */
    static final class SinFn extends Function {
        @Override
        protected Tensor[] forward(FunctionContext ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return new Tensor[] {in[0].sin()};
        }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor... g) {
            return new Tensor[] {g[0].mul(ctx.savedTensors()[0].cos())};
        }
    }

    @Test
    void customFunctionDifferentiatedTwice() {
        Tensor x = Tensor.scalar(0.7, DType.FLOAT64).requiresGrad_();
        Tensor y = new SinFn().apply(x)[0];
        Tensor dy = Autograd.grad(List.of(y), List.of(x), null, true, false).get(0);
        assertEquals(Math.cos(0.7), dy.item(), TOL);
        Tensor d2 = Autograd.grad(dy, x).get(0);
        assertEquals(-Math.sin(0.7), d2.item(), TOL);
        GradCheck.gradgradcheck(xs -> new SinFn().apply(xs.get(0))[0], GradCase.randn(3));
    }

    @Test
    void unfoldWithGapsAndConvOnAView() {
        GradCheck.gradcheck(xs -> xs.get(0).unfold(1, 2, 3).exp(), GradCase.randn(2, 8));
        GradCheck.gradcheck(xs -> Functional.conv2d(xs.get(0).narrow(3, 1, 4), xs.get(1), null), GradCase.randn(1, 1, 4, 6),
                GradCase.randn(1, 1, 2, 2));
    }

    @Test
    void inferenceModeRecordsNothingAndResultsCanBeUsedAfterwards() {
        Tensor w = vec(1, 2);
        Tensor frozen;
        try (var g = Grad.inference()) {
            frozen = w.mul(2.0);
        }
        assertFalse(frozen.requiresGrad());
        w.mul(frozen).sum().backward();
        assertArrayEquals(new double[] {2, 4}, w.grad().toDoubleArray(), TOL);
    }

    @Test
    void retainedGradOfATensorUsedTwice() {
        Tensor x = vec(1, 2);
        Tensor h = x.mul(2.0).retainGrad();
        h.mul(h).add(h).sum().backward();
        assertArrayEquals(new double[] {5, 9}, h.grad().toDoubleArray(), TOL);
        assertTrue(x.grad() != null);
    }

    @Test
    void inPlaceOnAViewOfAViewThenUseTheOuterView() {
        Tensor x = vec(1, 2, 3, 4);
        Tensor y = x.mul(1.0);
        Tensor v = y.narrow(0, 1, 3);
        Tensor w = v.narrow(0, 1, 1);
        w.mul_(5.0);
        v.sum().backward();
        assertArrayEquals(new double[] {0, 1, 5, 1}, x.grad().toDoubleArray(), TOL);
    }

    @Test
    void halfAndBfloat16LeavesGetGradientsOfTheirDtype() {
        for (DType dt : new DType[] {DType.FLOAT16, DType.BFLOAT16, DType.FLOAT32}) {
            Tensor x = Tensor.ones(new long[] {2, 3}, dt).requiresGrad_();
            x.mul(2.0).sum().backward();
            assertEquals(dt, x.grad().dtype(), dt.toString());
            assertArrayEquals(new double[] {2, 2, 2, 2, 2, 2}, x.grad().toDoubleArray(), 1e-3, dt.toString());
            Tensor y = Tensor.ones(new long[] {2, 3}, dt).requiresGrad_();
            y.mean(new int[] {1}, false).cumsum(0).prod().backward();
            assertEquals(dt, y.grad().dtype(), dt.toString());
        }
    }

    @Test
    void rootThatIsAnAncestorOfAnotherRoot() {
        Tensor x = vec(1, 2);
        Tensor h = x.mul(3.0);
        Tensor y = h.square().sum();
        Autograd.backward(List.of(h, y), List.of(Tensor.of(new double[] {1, 1}, 2), Tensor.scalar(1.0, DType.FLOAT64)), false, false);
        // dh/dx = 3, dy/dx = 18x
        assertArrayEquals(new double[] {21, 39}, x.grad().toDoubleArray(), TOL);
    }

    @Test
    void concurrentBackwardIntoASharedLeafLosesNothing() throws Exception {
        Tensor x = vec(1, 2);
        int perThread = 300;
        Runnable work = () -> {
            for (int i = 0; i < perThread; i++) x.mul(1.0).sum().backward();
        };
        Thread a = new Thread(work), b = new Thread(work);
        a.start();
        b.start();
        a.join();
        b.join();
        assertArrayEquals(new double[] {2 * perThread, 2 * perThread}, x.grad().toDoubleArray(), TOL);
    }

    @Test
    void retainedGradFollowsAnInPlaceOp() {
        Tensor x = vec(1, 2);
        Tensor h = x.mul(2.0).retainGrad();
        h.mul_(3.0);
        h.mul(Tensor.of(new double[] {5, 7}, 2)).sum().backward();
        assertArrayEquals(new double[] {5, 7}, h.grad().toDoubleArray(), TOL);
        assertArrayEquals(new double[] {30, 42}, x.grad().toDoubleArray(), TOL);
    }
}
