package dev.balboa.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.api.Tensor;
import dev.balboa.spi.DType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Softmax and log-softmax over the last dimension run through the CPU's fused kernels and are
 * recorded as one node: gradients against finite differences (first and second order), against
 * the closed form of the softmax Jacobian, and the saved output's in-place check.
 */
class FusedSoftmaxGradTest {

    @Test
    void lastDimSoftmaxIsOneFusedNode() {
        Tensor x = GradCase.randn(3, 5).requiresGrad_();
        assertEquals("SoftmaxBackward", x.softmax(-1).gradFn().name());
        assertEquals("LogSoftmaxBackward", x.logSoftmax(1).gradFn().name());
        // another dim takes the composite of primitives
        assertTrue(!x.softmax(0).gradFn().name().startsWith("Softmax"));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        for (boolean log : List.of(false, true)) {
            for (long[] shape : List.of(new long[] {7}, new long[] {3, 5}, new long[] {2, 3, 17})) {
                Tensor x = GradCase.randn(shape);
                GradCheck.gradcheck(xs -> log ? xs.get(0).logSoftmax(-1) : xs.get(0).softmax(-1), x);
                GradCheck.gradgradcheck(xs -> log ? xs.get(0).logSoftmax(-1) : xs.get(0).softmax(-1), x);
            }
        }
    }

    @Test
    void gradientMatchesTheJacobianClosedForm() {
        // d(sum_i w_i s_i)/dx_j = s_j (w_j - sum_i w_i s_i); for log-softmax: w_j - s_j sum_i w_i
        double[] xv = {0.3, -1.2, 2.0, 0.0, 5.5, -3.0};
        double[] w = {1.5, -2.0, 0.25, 3.0, -1.0, 0.5};
        for (boolean log : List.of(false, true)) {
            Tensor x = Tensor.of(xv, 6).requiresGrad_();
            Tensor y = log ? x.logSoftmax(-1) : x.softmax(-1);
            y.mul(Tensor.of(w, 6)).sum().backward();
            double max = 5.5, z = 0;
            for (double v : xv) z += Math.exp(v - max);
            double[] s = new double[6];
            double ws = 0, wsum = 0;
            for (int i = 0; i < 6; i++) {
                s[i] = Math.exp(xv[i] - max) / z;
                ws += w[i] * s[i];
                wsum += w[i];
            }
            double[] g = x.grad().toDoubleArray();
            for (int j = 0; j < 6; j++) {
                double expected = log ? w[j] - s[j] * wsum : s[j] * (w[j] - ws);
                assertEquals(expected, g[j], 1e-14, "log=" + log + " element " + j);
            }
        }
    }

    @Test
    void float32GradientAgreesWithTheCompositeOverAnotherDim() {
        // softmax over the last dim of x equals softmax over dim 0 of x^T, which runs the composite
        Tensor base = GradCase.randn(6, 40).detach().to(DType.FLOAT32);
        for (boolean log : List.of(false, true)) {
            Tensor a = base.clone().requiresGrad_(), b = base.clone().requiresGrad_();
            Tensor w = GradCase.randn(6, 40).detach().to(DType.FLOAT32);
            Tensor ya = log ? a.logSoftmax(-1) : a.softmax(-1);
            Tensor yb = (log ? b.t().logSoftmax(0) : b.t().softmax(0)).t();
            assertTrue(ya.allclose(yb, 1e-6, 1e-7, false));
            ya.mul(w).sum().backward();
            yb.mul(w).sum().backward();
            assertTrue(a.grad().allclose(b.grad(), 1e-5, 1e-6, false), "log=" + log);
        }
    }

    @Test
    void changingTheSavedOutputInPlaceIsReported() {
        Tensor x = GradCase.randn(2, 4).requiresGrad_();
        Tensor y = x.softmax(-1);
        Tensor z = y.add(1.0);
        y.mul_(3.0);
        String msg = assertThrows(IllegalStateException.class, () -> z.sum().backward()).getMessage();
        assertTrue(msg.contains("in-place") && msg.contains("SoftmaxBackward"), msg);
    }
}
