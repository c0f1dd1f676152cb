package dev.balboa.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.api.Functional;
import dev.balboa.api.Tensor;
import dev.balboa.spi.DType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Products with a prepared weight ({@link Functional.LinearWeight}): one node whose gradients
 * match finite differences (first and second order) and, in float32, the float64 product
 * {@code x @ w^T} of primitives.
 */
class PreparedLinearGradTest {

    @Test
    void gradientsMatchFiniteDifferences() {
        // [2, 3] x [16, 3]^T: 16 float64 outputs make 128-byte rows, so the prepared copy is padded
        for (long[] s : List.of(new long[] {1, 1, 1}, new long[] {3, 4, 5}, new long[] {2, 7, 3}, new long[] {2, 3, 16})) {
            Tensor x = GradCase.randn(s[0], s[1]), w = GradCase.randn(s[2], s[1]);
            GradCheck.gradcheck(xs -> Functional.linear(xs.get(0), Functional.LinearWeight.of(xs.get(1))), x, w);
            GradCheck.gradgradcheck(xs -> Functional.linear(xs.get(0), Functional.LinearWeight.of(xs.get(1))), x, w);
        }
    }

    @Test
    void manyStepsAccumulateLikeTheFloat64Product() {
        // a recurrence h <- tanh(h @ w^T + x_t), as a recurrent layer runs it
        long b = 32, h = 40, steps = 6;
        Tensor w0 = GradCase.randn(4 * h, h).detach().mul(0.2), h0 = GradCase.randn(b, h).detach();
        Tensor xs = GradCase.randn(steps, b, 4 * h).detach();
        Tensor[] grads = new Tensor[4];
        for (int k = 0; k < 2; k++) {
            DType dt = k == 0 ? DType.FLOAT32 : DType.FLOAT64;
            Tensor w = w0.to(dt).clone().requiresGrad_(), hh = h0.to(dt).clone().requiresGrad_();
            Functional.LinearWeight lw = Functional.LinearWeight.of(w);
            Tensor cur = hh;
            for (int t = 0; t < steps; t++) {
                Tensor p = k == 0 ? Functional.linear(cur, lw) : cur.matmul(w.t());
                if (k == 0) assertEquals("MmBackward", p.gradFn().name());
                cur = p.add(xs.select(0, t).to(dt)).narrow(1, 0, h).tanh();
            }
            cur.sum().backward();
            grads[2 * k] = w.grad().to(DType.FLOAT64);
            grads[2 * k + 1] = hh.grad().to(DType.FLOAT64);
        }
        assertTrue(grads[0].allclose(grads[2], 1e-4, 1e-5, false), "weight gradient");
        assertTrue(grads[1].allclose(grads[3], 1e-4, 1e-5, false), "input gradient");
    }

    @Test
    void aWeightChangedInPlaceAfterPreparingIsRefused() {
        Tensor w = GradCase.randn(3, 2).detach().clone();
        Functional.LinearWeight lw = Functional.LinearWeight.of(w);
        w.mul_(2.0);
        String msg = assertThrows(IllegalStateException.class, () -> Functional.linear(GradCase.randn(4, 2), lw)).getMessage();
        assertTrue(msg.contains("linear") && msg.contains("in place"), msg);
        msg = assertThrows(IllegalArgumentException.class,
                () -> Functional.linear(GradCase.randn(4, 3), Functional.LinearWeight.of(w))).getMessage();
        assertTrue(msg.contains("linear") && msg.contains("[4, 3]") && msg.contains("[3, 2]"), msg);
    }
}
