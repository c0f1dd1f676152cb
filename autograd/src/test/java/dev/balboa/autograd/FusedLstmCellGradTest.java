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
 * The LSTM cell step runs through the CPU's fused kernels and is recorded as one node:
 * gradients against finite differences (first and second order) and, in float32, against the
 * cell's equations written as float64 primitive ops, with gradients reaching h, c or both.
 */
class FusedLstmCellGradTest {
    @Test
    void theCellIsOneFusedNode() {
        Tensor gates = GradCase.randn(2, 12), c = GradCase.randn(2, 3);
        Tensor[] hc = Functional.lstmCell(gates, c);
        assertEquals("LstmCellBackward", hc[0].gradFn().name());
        assertEquals("LstmCellBackward", hc[1].gradFn().name());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        for (long[] bh : List.of(new long[] {1, 1}, new long[] {2, 3}, new long[] {3, 9})) {
            Tensor gates = GradCase.randn(bh[0], 4 * bh[1]), c = GradCase.randn(bh[0], bh[1]);
            Tensor w = GradCase.randn(bh[0], bh[1]).detach();
            // gradients reaching h only, c only, and both
            GradCheck.gradcheck(xs -> Functional.lstmCell(xs.get(0), xs.get(1))[0], gates, c);
            GradCheck.gradcheck(xs -> Functional.lstmCell(xs.get(0), xs.get(1))[1], gates, c);
            GradCheck.gradcheck(xs -> {
                Tensor[] hc = Functional.lstmCell(xs.get(0), xs.get(1));
                return hc[0].add(hc[1].mul(w));
            }, gates, c);
            GradCheck.gradgradcheck(xs -> {
                Tensor[] hc = Functional.lstmCell(xs.get(0), xs.get(1));
                return hc[0].mul(w).add(hc[1]);
            }, gates, c);
        }
    }

    /** The cell's equations as primitive ops: {@code {h', c'}}. */
    private static Tensor[] composite(Tensor gates, Tensor c) {
        long hs = c.size(1);
        Tensor i = gates.narrow(1, 0, hs).sigmoid(), f = gates.narrow(1, hs, hs).sigmoid();
        Tensor g = gates.narrow(1, 2 * hs, hs).tanh(), o = gates.narrow(1, 3 * hs, hs).sigmoid();
        Tensor c2 = f.mul(c).add(i.mul(g));
        return new Tensor[] {o.mul(c2.tanh()), c2};
    }

    @Test
    void float32GradientsAgreeWithTheFloat64Composite() {
        for (long[] bh : List.of(new long[] {4, 5}, new long[] {32, 256}, new long[] {3, 33})) {
            long b = bh[0], h = bh[1];
            Tensor g0 = GradCase.randn(b, 4 * h).detach().mul(2.0), c0 = GradCase.randn(b, h).detach();
            Tensor wh = GradCase.randn(b, h).detach(), wc = GradCase.randn(b, h).detach();
            for (int mask = 1; mask < 4; mask++) {
                Tensor[] grads = new Tensor[4];
                for (int k = 0; k < 2; k++) {
                    DType dt = k == 0 ? DType.FLOAT32 : DType.FLOAT64;
                    Tensor gates = g0.to(dt).clone().requiresGrad_(), c = c0.to(dt).clone().requiresGrad_();
                    Tensor[] hc = k == 0 ? Functional.lstmCell(gates, c) : composite(gates, c);
                    if (k == 0) assertEquals("LstmCellBackward", hc[0].gradFn().name());
                    Tensor loss = null;
                    if ((mask & 1) != 0) loss = hc[0].mul(wh.to(dt)).sum();
                    if ((mask & 2) != 0) loss = loss == null ? hc[1].mul(wc.to(dt)).sum() : loss.add(hc[1].mul(wc.to(dt)).sum());
                    loss.backward();
                    grads[2 * k] = gates.grad().to(DType.FLOAT64);
                    grads[2 * k + 1] = c.grad().to(DType.FLOAT64);
                }
                assertTrue(grads[0].allclose(grads[2], 1e-5, 1e-6, false), "grad gates, mask " + mask);
                assertTrue(grads[1].allclose(grads[3], 1e-5, 1e-6, false), "grad c, mask " + mask);
            }
        }
    }

    @Test
    void changingTheSavedInputInPlaceIsReported() {
        Tensor gates = GradCase.randn(2, 8), c = GradCase.randn(2, 2).detach().clone().requiresGrad_(false);
        Tensor g = gates.mul(1.0);
        Tensor[] hc = Functional.lstmCell(g, c);
        g.mul_(3.0);
        String msg = assertThrows(IllegalStateException.class, () -> hc[0].sum().backward()).getMessage();
        assertTrue(msg.contains("in-place") && msg.contains("LstmCellBackward"), msg);
    }
}
