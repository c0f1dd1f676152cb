package dev.balboa.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.api.Tensor;
import dev.balboa.nn.Hardtanh;
import dev.balboa.nn.ReLU6;
import dev.balboa.spi.DType;
import org.junit.jupiter.api.Test;

/**
 * Hardtanh and ReLU6 against their closed forms: values {@code min(max(x, lo), hi)} with NaN kept,
 * and PyTorch's gradient, 1 strictly inside {@code (lo, hi)} and 0 at and beyond the bounds, for
 * float32 and float64, with and without gradient recording.
 */
class HardtanhTest {
    private static final double[] XS = {-7, -2.5, -2, -1.999, -0.0, 0, 1e-30, 0.5, 2.999, 3, 3.5, 6, 6.0001, 9,
            Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};

    private static void check(Hardtanh m, double lo, double hi, DType dt) {
        Tensor x = Tensor.of(XS, XS.length).to(dt).requiresGrad_();
        Tensor y = m.forward(x);
        assertEquals(dt, y.dtype());
        Tensor weights = Tensor.arange(1, XS.length + 1, 1).to(dt);
        y.mul(weights).sum().backward();
        double[] got = y.detach().to(DType.FLOAT64).toDoubleArray(), grad = x.grad().to(DType.FLOAT64).toDoubleArray();
        double[] noGrad = m.forward(x.detach()).to(DType.FLOAT64).toDoubleArray();
        for (int i = 0; i < XS.length; i++) {
            double v = dt == DType.FLOAT32 ? (float) XS[i] : XS[i];
            double want = Math.min(Math.max(v, lo), hi);
            assertEquals(want, got[i], 0.0, "value at " + v);
            assertEquals(want, noGrad[i], 0.0, "no-grad value at " + v);
            assertEquals(v > lo && v < hi ? i + 1 : 0.0, grad[i], 0.0, "gradient at " + v);
        }
    }

    @Test
    void relu6() {
        check(new ReLU6(), 0, 6, DType.FLOAT32);
        check(new ReLU6(), 0, 6, DType.FLOAT64);
    }

    @Test
    void hardtanhDefaultAndCustomBounds() {
        check(new Hardtanh(), -1, 1, DType.FLOAT32);
        check(new Hardtanh(-2, 3), -2, 3, DType.FLOAT64);
        check(new Hardtanh(-2, 3), -2, 3, DType.FLOAT32);
    }

    @Test
    void nanStaysNaN() {
        Tensor x = Tensor.of(new float[] {Float.NaN, 2f}, 2);
        assertTrue(Float.isNaN(new ReLU6().forward(x).toFloatArray()[0]));
        assertTrue(Float.isNaN(new Hardtanh().forward(x).toFloatArray()[0]));
        assertArrayEquals(new float[] {1f}, new float[] {new Hardtanh().forward(x).toFloatArray()[1]});
    }
}
