package dev.balboa.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.api.Functional;
import dev.balboa.api.Tensor;
import dev.balboa.spi.DType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gradients compared with closed forms worked out by hand. */
class ClosedFormTest {
    private static final double TOL = 1e-12;

    @Test
    void cubeAtTwoIsTwelve() {
        Tensor x = Tensor.scalar(2.0, DType.FLOAT64).requiresGrad_();
        x.pow(3.0).backward();
        assertEquals(12.0, x.grad().item(), TOL);
        Tensor y = Tensor.scalar(2.0, DType.FLOAT64).requiresGrad_();
        y.mul(y).mul(y).backward();
        assertEquals(12.0, y.grad().item(), TOL);
    }

    @Test
    void softmaxJacobianIsDiagMinusOuter() {
        double[] v = {0.3, -1.2, 2.0, 0.5};
        Tensor x = Tensor.of(v, 4).requiresGrad_();
        Tensor s = x.softmax(0);
        double[] sv = s.detach().toDoubleArray();
        for (int i = 0; i < 4; i++) {
            double[] e = new double[4];
            e[i] = 1;
            Tensor row = Autograd.grad(List.of(s), List.of(x), List.of(Tensor.of(e, 4)), true, false, false).get(0);
            double[] expected = new double[4];
            for (int j = 0; j < 4; j++) expected[j] = (i == j ? sv[i] : 0) - sv[i] * sv[j];
            assertArrayEquals(expected, row.toDoubleArray(), TOL, "row " + i);
        }
    }

    @Test
    void crossEntropyGradientIsSoftmaxMinusOneHotOverN() {
        double[] logits = {1.0, 2.0, 0.5, -1.0, 0.0, 3.0, 0.2, 0.2, 0.2};
        long[] target = {1, 2, 0};
        Tensor x = Tensor.of(logits, 3, 3).requiresGrad_();
        Tensor t = Tensor.of(target, 3, 1);
        Tensor loss = x.logSoftmax(1).gather(1, t).neg().mean();
        loss.backward();
        double[] s = x.detach().softmax(1).toDoubleArray();
        double[] expected = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) expected[i * 3 + j] = (s[i * 3 + j] - (target[i] == j ? 1 : 0)) / 3.0;
        }
        assertArrayEquals(expected, x.grad().toDoubleArray(), TOL);
        // the loss itself: mean of -log softmax at the target
        double l = 0;
        for (int i = 0; i < 3; i++) l -= Math.log(s[i * 3 + (int) target[i]]);
        assertEquals(l / 3, loss.item(), TOL);
    }

    @Test
    void sigmoidDerivativeIsSTimesOneMinusS() {
        double[] v = {-3, -0.5, 0, 0.7, 4};
        Tensor x = Tensor.of(v, 5).requiresGrad_();
        x.sigmoid().sum().backward();
        double[] g = x.grad().toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            double s = 1 / (1 + Math.exp(-v[i]));
            assertEquals(s * (1 - s), g[i], TOL);
        }
    }

    @Test
    void matmulGradientsAgainstHandValues() {
        // L = sum(A B) with A [2,3], B [3,2]: dL/dA = 1 B^T (row sums of B), dL/dB = A^T 1 (column sums of A)
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad_();
        Tensor b = Tensor.of(new double[] {7, 8, 9, 10, 11, 12}, 3, 2).requiresGrad_();
        a.matmul(b).sum().backward();
        assertArrayEquals(new double[] {15, 19, 23, 15, 19, 23}, a.grad().toDoubleArray(), TOL);
        assertArrayEquals(new double[] {5, 5, 7, 7, 9, 9}, b.grad().toDoubleArray(), TOL);
        // weighted: G = [[1, 0], [0, 2]]: dA = G B^T, dB = A^T G
        Tensor a2 = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad_();
        Tensor b2 = Tensor.of(new double[] {7, 8, 9, 10, 11, 12}, 3, 2).requiresGrad_();
        a2.matmul(b2).backward(Tensor.of(new double[] {1, 0, 0, 2}, 2, 2));
        assertArrayEquals(new double[] {7, 9, 11, 16, 20, 24}, a2.grad().toDoubleArray(), TOL);
        assertArrayEquals(new double[] {1, 8, 2, 10, 3, 12}, b2.grad().toDoubleArray(), TOL);
        // vector dot: d(u.v)/du = v
        Tensor u = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad_();
        Tensor w = Tensor.of(new double[] {4, 5, 6}, 3).requiresGrad_();
        u.matmul(w).backward();
        assertArrayEquals(new double[] {4, 5, 6}, u.grad().toDoubleArray(), TOL);
        assertArrayEquals(new double[] {1, 2, 3}, w.grad().toDoubleArray(), TOL);
    }

    @Test
    void broadcastingReducesGradientsToTheInputShape() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad_();
        Tensor row = Tensor.of(new double[] {1, 10, 100}, 3).requiresGrad_();
        Tensor col = Tensor.of(new double[] {2, 3}, 2, 1).requiresGrad_();
        Tensor s = Tensor.scalar(0.5, DType.FLOAT64).requiresGrad_();
        x.mul(row).add(col).mul(s).sum().backward();
        assertArrayEquals(new long[] {3}, row.grad().shape());
        assertArrayEquals(new long[] {2, 1}, col.grad().shape());
        assertArrayEquals(new long[0], s.grad().shape());
        assertArrayEquals(new double[] {2.5, 3.5, 4.5}, row.grad().toDoubleArray(), TOL);
        assertArrayEquals(new double[] {1.5, 1.5}, col.grad().toDoubleArray(), TOL);
        assertArrayEquals(new double[] {0.5, 5, 50, 0.5, 5, 50}, x.grad().toDoubleArray(), TOL);
        // s: sum(x*row + col) = (1+20+300) + (4+50+600) + 3*2 + 3*3
        assertEquals(321 + 654 + 6 + 9, s.grad().item(), TOL);
    }

    @Test
    void embeddingPaddingRowGetsZeroGradient() {
        Tensor w = Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2).requiresGrad_();
        Tensor idx = Tensor.of(new long[] {0, 2, 2, 3, 0}, 5);
        Functional.embedding(idx, w, 2).mul(Tensor.of(new double[] {1, 10}, 2)).sum().backward();
        assertArrayEquals(new double[] {2, 20, 0, 0, 0, 0, 1, 10}, w.grad().toDoubleArray(), TOL);
    }

    @Test
    void maxPoolRoutesTheGradientToTheMaximum() {
        Tensor x = Tensor.of(new double[] {1, 5, 2, 0, 3, 4, 9, 8, 7, 6, -1, -2, 0, 1, 2, 3}, 1, 1, 4, 4).requiresGrad_();
        Functional.maxPool2d(x, 2).sum().backward();
        assertArrayEquals(new double[] {0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1}, x.grad().toDoubleArray(), TOL);
    }

    @Test
    void dropoutGradientIsTheScaledMask() {
        Tensor x = Tensor.ones(new long[] {1000}, DType.FLOAT64).requiresGrad_();
        Tensor y = Functional.dropout(x, 0.25, true, new dev.balboa.api.Generator(11));
        y.sum().backward();
        double[] out = y.detach().toDoubleArray(), g = x.grad().toDoubleArray();
        int kept = 0;
        for (int i = 0; i < g.length; i++) {
            assertEquals(out[i], g[i], TOL);
            if (g[i] != 0) {
                kept++;
                assertEquals(1 / 0.75, g[i], TOL);
            }
        }
        assertEquals(750, kept, 60);
    }

    @Test
    void normOfZeroHasZeroGradient() {
        Tensor x = Tensor.zeros(new long[] {3}, DType.FLOAT64).requiresGrad_();
        x.norm().backward();
        assertArrayEquals(new double[] {0, 0, 0}, x.grad().toDoubleArray(), TOL);
        Tensor rows = Tensor.of(new double[] {0, 0, 3, 4}, 2, 2).requiresGrad_();
        rows.norm(2, new int[] {1}, false).sum().backward();
        assertArrayEquals(new double[] {0, 0, 0.6, 0.8}, rows.grad().toDoubleArray(), TOL);
        Tensor p3 = Tensor.zeros(new long[] {2}, DType.FLOAT64).requiresGrad_();
        p3.norm(3, null, false).backward();
        assertArrayEquals(new double[] {0, 0}, p3.grad().toDoubleArray(), TOL);
    }

    @Test
    void clampPassesTheGradientAtItsBounds() {
        // as torch.clamp: elements equal to a bound keep their gradient
        Tensor x = Tensor.of(new double[] {-1, 0, 0.5, 1, 2}, 5).requiresGrad_();
        x.clamp(0.0, 1.0).sum().backward();
        assertArrayEquals(new double[] {0, 1, 1, 1, 0}, x.grad().toDoubleArray(), TOL);
        Tensor y = Tensor.of(new double[] {-1, 0, 1}, 3).requiresGrad_();
        y.clampMin(0.0).sum().backward();
        assertArrayEquals(new double[] {0, 1, 1}, y.grad().toDoubleArray(), TOL);
        assertArrayEquals(new double[] {0, 0, 0.5, 1, 1}, x.detach().clamp(0.0, 1.0).toDoubleArray(), TOL);
        assertArrayEquals(new long[] {0, 2, 2}, Tensor.of(new long[] {-3, 2, 5}, 3).clamp(0, 2).toLongArray());
        assertTrue(Double.isNaN(Tensor.of(new double[] {Double.NaN}, 1).clamp(0.0, 1.0).item()));
    }
}
