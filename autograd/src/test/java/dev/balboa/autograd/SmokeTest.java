package dev.balboa.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.balboa.api.Devices;
import dev.balboa.api.Tensor;
import org.junit.jupiter.api.Test;

/** First end-to-end checks of recording and backward. */
class SmokeTest {
    @Test
    void cubeAtTwoIsTwelve() {
        System.out.println(Devices.describe());
        Tensor x = Tensor.of(new double[] {2.0}).requiresGrad_();
        Tensor y = x.mul(x).mul(x).sum();
        y.backward();
        assertArrayEquals(new double[] {12.0}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void broadcastMatmulReluSum() {
        Tensor x = Tensor.of(new double[] {1, -2, 3, 4, 5, -6}, 2, 3).requiresGrad_();
        Tensor w = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad_();
        Tensor y = x.mul(w).relu().sum();
        y.backward();
        System.out.println(x.grad());
        assertArrayEquals(new double[] {1, 0, 3, 1, 2, 0}, x.grad().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {5, 5, 3}, w.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void gradcheckMatmulSoftmax() {
        Tensor a = Tensor.of(new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, 2, 3).requiresGrad_();
        Tensor b = Tensor.of(new double[] {1, 2, 3, -1, 0.5, 2}, 3, 2).requiresGrad_();
        GradCheck.gradcheck(xs -> xs.get(0).matmul(xs.get(1)).softmax(1), a, b);
        GradCheck.gradgradcheck(xs -> xs.get(0).matmul(xs.get(1)).tanh(), a, b);
        GradCheck.gradcheck(xs -> Tensor.cat(java.util.List.of(xs.get(0), xs.get(1).t()), 0).exp(), a, b);
    }

    @Test
    void inPlaceOnViewRebasesHistory() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4}).requiresGrad_();
        Tensor y = x.mul(2.0);
        y.narrow(0, 1, 2).mul_(x.narrow(0, 0, 2));
        y.sum().backward();
        // y = [2x0, 2x1*x0, 2x2*x1, 2x3]; d/dx0 = 2 + 2x1 = 6; d/dx1 = 2x0 + 2x2 = 8; d/dx2 = 2x1 = 4; d/dx3 = 2
        assertArrayEquals(new double[] {6, 8, 4, 2}, x.grad().toDoubleArray(), 1e-12);
        assertEquals("CopySlices", y.gradFn().name());
    }
}
