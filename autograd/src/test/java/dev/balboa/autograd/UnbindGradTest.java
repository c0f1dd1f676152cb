package dev.balboa.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.api.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Tensor#unbind}: the slices share one node; gradients against finite differences (first
 * and second order) and against the closed form, with slices that get no gradient.
 */
class UnbindGradTest {

    @Test
    void slicesShareOneNodeAndHoldTheValues() {
        Tensor x = GradCase.randn(3, 4, 2);
        List<Tensor> parts = x.unbind(1);
        assertEquals(4, parts.size());
        for (int i = 0; i < 4; i++) {
            assertEquals("UnbindBackward", parts.get(i).gradFn().name());
            assertArrayEquals(x.select(1, i).detach().toDoubleArray(), parts.get(i).toDoubleArray());
        }
        assertTrue(parts.get(0).gradFn() == parts.get(3).gradFn());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor x = GradCase.randn(4, 3, 2);
        // slice 1 of dim 0 is unused: its gradient is zero
        GradCheck.gradcheck(xs -> {
            List<Tensor> p = xs.get(0).unbind(0);
            return p.get(0).mul(p.get(2)).add(p.get(3).sin());
        }, x);
        GradCheck.gradgradcheck(xs -> {
            List<Tensor> p = xs.get(0).unbind(2);
            return p.get(0).mul(p.get(1)).sum(new int[] {1}, false);
        }, x);
    }

    @Test
    void gradientIsTheStackOfTheSlicesGradients() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2).requiresGrad_();
        List<Tensor> p = x.unbind(0);
        p.get(0).mul(p.get(2)).sum().backward();
        // d/dx0 = x2, d/dx1 = 0, d/dx2 = x0
        assertArrayEquals(new double[] {5, 6, 0, 0, 1, 2}, x.grad().toDoubleArray());
    }
}
