package dev.balboa.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.balboa.spi.DType;
import dev.balboa.spi.Device;
import dev.balboa.spi.Fused;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The gradient of relu given its output: the CPU's fused kernel against the reference device,
 * which runs the composite {@code where(y > 0, g, 0)}, and against values written out by hand.
 */
class FusedReluBackwardTest {
    private static final Device REF = Device.of("reference");

    /** Raw bits, so that -0.0 and +0.0 and NaN payloads are told apart. */
    private static long[] bits(Tensor t) {
        double[] v = t.to(Device.CPU).toDoubleArray();
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Double.doubleToRawLongBits(v[i]);
        return b;
    }

    @Test
    void theCpuOffersIt() {
        Tensor y = Tensor.of(new double[] {1}, 1).to(DType.FLOAT32);
        assertEquals(true, y.storage.backend.supportsFused(new Fused.ReluBackward(), DType.FLOAT32));
    }

    @Test
    void matchesTheCompositeBitForBit() {
        double nan = Double.NaN, inf = Double.POSITIVE_INFINITY;
        for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
            for (int n : new int[] {1, 7, 16, 33, 1000, 70_001}) {
                Random rnd = new Random(n);
                double[] y = new double[n], g = new double[n];
                double[] specials = {0.0, -0.0, nan, inf, -inf, 1e-40, -1e-40};
                for (int i = 0; i < n; i++) {
                    y[i] = rnd.nextInt(8) == 0 ? specials[rnd.nextInt(specials.length)] : rnd.nextGaussian();
                    g[i] = rnd.nextInt(8) == 0 ? specials[rnd.nextInt(specials.length)] : rnd.nextGaussian();
                }
                Tensor yt = Tensor.of(y, n).to(dt), gt = Tensor.of(g, n).to(dt);
                Tensor fused = FusedComposites.reluBackward(gt, yt);
                Tensor composite = FusedComposites.reluBackward(gt.to(REF), yt.to(REF));
                assertArrayEquals(bits(composite), bits(fused), dt + " n=" + n);
            }
        }
    }

    @Test
    void handWrittenValues() {
        Tensor y = Tensor.of(new double[] {2, 0, -0.0, -3, Double.NaN, 1e-30}, 6).to(DType.FLOAT32);
        Tensor g = Tensor.of(new double[] {5, 6, 7, 8, 9, Double.NaN}, 6).to(DType.FLOAT32);
        double[] got = FusedComposites.reluBackward(g, y).toDoubleArray();
        assertArrayEquals(new double[] {5, 0, 0, 0, 0, Double.NaN}, got);
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(got[1]));
    }
}
