package dev.balboa.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.api.Functional;
import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import dev.balboa.spi.DType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Training-mode batch norm runs through the CPU's fused kernels and is recorded as one node:
 * gradients against finite differences (first and second order, float64), against a closed form,
 * and the float32 gradients against the composite the tracer-free path would otherwise record.
 */
class FusedBatchNormGradTest {

    private static Tensor bn(Tensor x, Tensor w, Tensor b) {
        return Functional.batchNorm(x, null, null, w, b, true, 0.1, 1e-5);
    }

    @Test
    void trainingBatchNormIsOneFusedNode() {
        Tensor x = GradCase.randn(4, 3, 2, 2);
        Tensor w = GradCase.randn(3), b = GradCase.randn(3);
        assertEquals("NativeBatchNormBackward", bn(x, w, b).gradFn().name());
        assertEquals("NativeBatchNormBackward", bn(x, null, null).gradFn().name());
        // only the weight requires grad: still one node, and x gets no gradient
        Tensor xc = x.detach();
        Tensor y = bn(xc, w, b.detach());
        assertEquals("NativeBatchNormBackward", y.gradFn().name());
        y.pow(2.0).sum().backward();
        assertNull(xc.grad());
        assertEquals(3, w.grad().numel());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        for (long[] shape : List.of(new long[] {4, 3}, new long[] {3, 2, 5}, new long[] {2, 3, 3, 2}, new long[] {5, 2, 1, 1},
                new long[] {1, 2, 3, 3}, new long[] {2, 1, 70})) {
            long c = shape[1];
            Tensor x = GradCase.randn(shape), w = GradCase.randn(c), b = GradCase.randn(c);
            // weights on the output make the loss sensitive to every gradient component
            Tensor r = GradCase.randn(shape).detach();
            GradCheck.gradcheck(xs -> bn(xs.get(0), xs.get(1), xs.get(2)).mul(r), x, w, b);
            GradCheck.gradgradcheck(xs -> bn(xs.get(0), xs.get(1), xs.get(2)).mul(r), x, w, b);
            GradCheck.gradcheck(xs -> bn(xs.get(0), null, null).mul(r), x);
            GradCheck.gradgradcheck(xs -> bn(xs.get(0), null, null).mul(r), x);
        }
    }

    @Test
    void gradientMatchesTheClosedForm() {
        // one channel, no affine: d/dx_j of sum_i r_i xhat_i = invstd * (r_j - mean(r) - xhat_j * mean(r * xhat))
        double[] xv = {0.3, -1.2, 2.0, 0.0, 5.5, -3.0};
        double[] r = {1.5, -2.0, 0.25, 3.0, -1.0, 0.5};
        Tensor x = Tensor.of(xv, 6, 1).requiresGrad_();
        bn(x, null, null).mul(Tensor.of(r, 6, 1)).sum().backward();
        double mean = 0, var = 0, rm = 0, rx = 0;
        for (double v : xv) mean += v / 6;
        for (double v : xv) var += (v - mean) * (v - mean) / 6;
        double inv = 1 / Math.sqrt(var + 1e-5);
        for (int i = 0; i < 6; i++) {
            rm += r[i] / 6;
            rx += r[i] * (xv[i] - mean) * inv / 6;
        }
        double[] g = x.grad().toDoubleArray();
        for (int j = 0; j < 6; j++) {
            double expected = inv * (r[j] - rm - (xv[j] - mean) * inv * rx);
            assertEquals(expected, g[j], 1e-13, "element " + j);
        }
    }

    @Test
    void float32GradientsAgreeWithTheComposite() {
        // the composite of primitives, recorded op by op, is what the fused node replaces
        Tensor base = GradCase.randn(3, 5, 7, 9).detach().mul(3.0).add(2.0).to(DType.FLOAT32);
        Tensor wBase = GradCase.randn(5).detach().to(DType.FLOAT32), bBase = GradCase.randn(5).detach().to(DType.FLOAT32);
        Tensor r = GradCase.randn(3, 5, 7, 9).detach().to(DType.FLOAT32);
        Tensor x1 = base.clone().requiresGrad_(), w1 = wBase.clone().requiresGrad_(), b1 = bBase.clone().requiresGrad_();
        Tensor x2 = base.clone().requiresGrad_(), w2 = wBase.clone().requiresGrad_(), b2 = bBase.clone().requiresGrad_();
        Tensor y1 = bn(x1, w1, b1);
        int[] dims = {0, 2, 3};
        long[] bshape = {1, 5, 1, 1};
        Tensor mean = x2.mean(dims, true), centred = x2.sub(mean);
        Tensor y2 = centred.mul(centred.mul(centred).mean(dims, true).add(1e-5).rsqrt().mul(w2.view(bshape))).add(b2.view(bshape));
        assertTrue(y1.allclose(y2, 1e-5, 1e-5, false));
        y1.mul(r).sum().backward();
        y2.mul(r).sum().backward();
        assertTrue(x1.grad().allclose(x2.grad(), 1e-4, 1e-5, false));
        assertTrue(w1.grad().allclose(w2.grad(), 1e-4, 1e-4, false));
        assertTrue(b1.grad().allclose(b2.grad(), 1e-4, 1e-4, false));
    }

    @Test
    void changingTheSavedInputInPlaceIsReported() {
        Tensor x0 = GradCase.randn(4, 2, 3);
        Tensor x = x0.mul(1.0);
        Tensor y = bn(x, null, null);
        try (var off = Grad.disabled()) {
            x.mul_(3.0);
        }
        String msg = assertThrows(IllegalStateException.class, () -> y.sum().backward()).getMessage();
        assertTrue(msg.contains("in-place") && msg.contains("NativeBatchNormBackward"), msg);
    }
}
