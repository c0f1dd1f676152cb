package dev.balboa.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine sums gradients in place and hands fresh gradients to leaves without a copy; these
 * tests check that a tensor someone else can see (a gradient passed to backward, one a hook saw,
 * one returned by grad()) is never written, and that leaves end up with gradients of their own.
 * Expected values are closed forms.
 */
class GradientOwnershipTest {
    private static final double TOL = 1e-12;

    private static Tensor leaf(double[] v, long... shape) { return Tensor.of(v, shape).requiresGrad_(); }

    @Test
    void aGradientPassedToBackwardIsNeitherWrittenNorKept() {
        Tensor x = leaf(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor g = Tensor.of(new double[] {1, -2, 0.5, 3}, 4);
        x.reshape(4).backward(g);
        assertArrayEquals(new double[] {1, -2, 0.5, 3}, x.grad().toDoubleArray(), TOL);
        assertFalse(x.grad().sharesStorage(g));
        try (var off = Grad.disabled()) {
            x.grad().mul_(10.0);
        }
        assertArrayEquals(new double[] {1, -2, 0.5, 3}, g.toDoubleArray(), TOL);

        // the same gradient reaching one input twice is summed into a new tensor
        Tensor y = leaf(new double[] {1, 2}, 2);
        Tensor gy = Tensor.of(new double[] {3, -1}, 2);
        y.add(y).backward(gy);
        assertArrayEquals(new double[] {6, -2}, y.grad().toDoubleArray(), TOL);
        assertArrayEquals(new double[] {3, -1}, gy.toDoubleArray(), TOL);
    }

    @Test
    void aGradientSeenByAHookIsNotWrittenLater() {
        Tensor x = leaf(new double[] {1, 2, 3, 4}, 4);
        Tensor w = Tensor.of(new double[] {2, 3, 5, 7}, 2, 2);
        Tensor h = x.reshape(2, 2);
        List<Tensor> seen = new ArrayList<>();
        h.registerHook(g -> {
            seen.add(g);
            return null;
        });
        // d loss / d h = w (a fresh tensor), which flows on to x through a reshape
        h.mul(w).sum().backward();
        assertArrayEquals(new double[] {2, 3, 5, 7}, x.grad().toDoubleArray(), TOL);
        assertFalse(x.grad().sharesStorage(seen.get(0)));
        try (var off = Grad.disabled()) {
            x.grad().zero_();
        }
        assertArrayEquals(new double[] {2, 3, 5, 7}, seen.get(0).toDoubleArray(), TOL);
    }

    @Test
    void gradientsReturnedByGradAreNotWrittenByTheRestOfThePass() {
        Tensor x = leaf(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor y = x.reshape(4);
        Tensor c = Tensor.of(new double[] {1, 10, 100, 1000}, 4);
        // y feeds the loss twice; x gets the gradient through y and a direct term
        Tensor loss = y.mul(c).sum().add(y.mul(c).sum()).add(x.sum());
        List<Tensor> grads = Autograd.grad(List.of(loss), List.of(y, x), List.of(Tensor.ones()), false, false, false);
        assertArrayEquals(new double[] {2, 20, 200, 2000}, grads.get(0).toDoubleArray(), TOL);
        assertArrayEquals(new double[] {3, 21, 201, 2001}, grads.get(1).toDoubleArray(), TOL);
        assertFalse(grads.get(0).sharesStorage(grads.get(1)));
        assertNull(x.grad());
    }

    @Test
    void gradientsThatMeetAreSummedWhateverTheirOrigin() {
        // x reaches the loss through a fresh product, a view and an add: three gradients meet
        Tensor x = leaf(new double[] {1, 2, 3}, 3);
        Tensor loss = x.mul(x).sum().add(x.reshape(3, 1).sum()).add(x.add(x).mul(4.0).sum());
        loss.backward();
        assertArrayEquals(new double[] {2 + 1 + 8, 4 + 1 + 8, 6 + 1 + 8}, x.grad().toDoubleArray(), TOL);
        // a second pass accumulates into the first pass's gradient
        x.mul(x).sum().backward();
        assertArrayEquals(new double[] {13, 17, 21}, x.grad().toDoubleArray(), TOL);
    }

    @Test
    void aLinearLayersWeightGetsAContiguousGradientOfItsOwn() {
        // loss = sum(x @ w^T * c): d/dw[o][i] = sum_n c[n][o] * x[n][i]
        double[] xv = {1, 2, 3, -1, 0.5, 4};
        double[] cv = {1, -1, 2, 0.5};
        Tensor x = Tensor.of(xv, 2, 3);
        Tensor w = leaf(new double[] {0.1, 0.2, 0.3, -0.4, 0.5, 0.6}, 2, 3);
        Tensor c = Tensor.of(cv, 2, 2);
        x.matmul(w.t()).mul(c).sum().backward();
        double[] expected = new double[6];
        for (int o = 0; o < 2; o++) {
            for (int i = 0; i < 3; i++) {
                for (int n = 0; n < 2; n++) expected[o * 3 + i] += cv[n * 2 + o] * xv[n * 3 + i];
            }
        }
        assertArrayEquals(expected, w.grad().toDoubleArray(), TOL);
        assertTrue(w.grad().isContiguous());
        assertFalse(w.grad().requiresGrad());

        // the input's gradient, when it needs one, is c @ w whatever the layout of either operand
        Tensor xt = leaf(new double[] {1, -1, 2, 0.5, 3, 4}, 3, 2);
        Tensor w2 = leaf(new double[] {0.1, 0.2, 0.3, -0.4, 0.5, 0.6}, 2, 3);
        xt.t().matmul(w2.t()).mul(c).sum().backward();
        // d/dx[n][i] = sum_o c[n][o] * w[o][i], stored transposed in xt
        double[] wv = {0.1, 0.2, 0.3, -0.4, 0.5, 0.6};
        double[] gx = new double[6];
        for (int n = 0; n < 2; n++) {
            for (int i = 0; i < 3; i++) {
                for (int o = 0; o < 2; o++) gx[i * 2 + n] += cv[n * 2 + o] * wv[o * 3 + i];
            }
        }
        assertArrayEquals(gx, xt.grad().toDoubleArray(), TOL);
        assertTrue(xt.grad().isContiguous());
    }

    @Test
    void transposedOperandsKeepCorrectGradientsUnderGradcheck() {
        Tensor a = Tensor.of(new double[] {0.3, -1.2, 0.7, 2.0, -0.5, 1.1}, 3, 2).requiresGrad_();
        Tensor b = Tensor.of(new double[] {1.5, -0.2, 0.4, 0.9, -1.3, 0.6, 0.8, -0.7, 0.2, 1.4, -0.9, 0.35}, 4, 3)
                .requiresGrad_();
        GradCheck.gradcheck(in -> in.get(0).t().matmul(in.get(1).t()).tanh(), a, b);
        GradCheck.gradgradcheck(in -> in.get(0).t().matmul(in.get(1).t()).tanh(), a, b);
    }
}
