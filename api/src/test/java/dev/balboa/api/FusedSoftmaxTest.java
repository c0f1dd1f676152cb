package dev.balboa.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.spi.DType;
import dev.balboa.spi.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Softmax and log-softmax over the last dimension: the CPU's fused kernels (forward and
 * backward) against the reference device, which runs the composite of primitive ops.
 */
class FusedSoftmaxTest {
    private static final Device REF = Device.of("reference");

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
            for (boolean log : List.of(false, true)) {
                for (long[] shape : List.of(new long[] {1}, new long[] {7}, new long[] {4, 33}, new long[] {2, 3, 1000},
                        new long[] {300, 129}, new long[] {2, 5000})) {
                    out.add(Arguments.of(dt, log, shape));
                }
            }
        }
        return out.stream();
    }

    private static Tensor values(long[] shape, DType dt, long seed, double scale) {
        Random rnd = new Random(seed);
        double[] v = new double[(int) Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = rnd.nextGaussian() * scale;
        return Tensor.of(v, shape).to(dt);
    }

    /**
     * Asserts agreement within a few ulps of the value plus {@code terms}, per element the
     * magnitude of the terms that cancel in it (zero where nothing cancels), scaled by the rounding
     * a row sum of {@code cols} elements may accumulate in either implementation.
     */
    private static void assertClose(Tensor expected, Tensor actual, DType dt, Tensor terms, String what) {
        long cols = actual.dim() == 0 ? 1 : actual.size(-1);
        double[] e = expected.to(Device.CPU).toDoubleArray(), a = actual.toDoubleArray();
        double[] t = terms == null ? new double[e.length] : terms.toDoubleArray();
        double eps = dt == DType.FLOAT32 ? 0x1p-23 : 0x1p-52;
        assertEquals(e.length, a.length);
        for (int i = 0; i < e.length; i++) {
            if (Double.isNaN(e[i]) || Double.isInfinite(e[i])) {
                assertEquals(e[i], a[i], what + "[" + i + "]");
                continue;
            }
            double tol = (4 + Math.sqrt(cols) / 4) * eps * (Math.abs(e[i]) + (Double.isFinite(t[i]) ? t[i] : 0)) + 1e-300;
            assertTrue(Math.abs(e[i] - a[i]) <= tol, what + "[" + i + "]: " + a[i] + " vs " + e[i] + " (tolerance " + tol + ")");
        }
    }

    /** Terms that cancel in log-softmax: x - max and the log of the sum (whose relative rounding lands on it as an absolute error). */
    private static Tensor forwardTerms(Tensor x, Tensor out, boolean log) {
        if (!log) return null;
        Tensor shifted = x.sub(x.amax(new int[] {-1}, true)).abs();
        return shifted.mul(2.0).add(out.abs()).add(1.0);
    }

    /** Terms that cancel in the gradient: g and y * sum(g * y), or g and exp(y) * sum(g), the sums over magnitudes. */
    private static Tensor backwardTerms(Tensor g, Tensor y, boolean log) {
        int[] last = {-1};
        if (log) return g.abs().add(y.exp().mul(g.abs().sum(last, true)));
        return y.abs().mul(g.abs().add(g.mul(y).abs().sum(last, true)));
    }

    @ParameterizedTest(name = "{0} log={1} shape={2}")
    @MethodSource("cases")
    void forwardAndBackwardMatchTheComposite(DType dt, boolean log, long[] shape) {
        Tensor x = values(shape, dt, shape.length * 1000L + shape[shape.length - 1], 4.0);
        Tensor y = log ? x.logSoftmax(-1) : x.softmax(-1);
        Tensor xr = x.to(REF);
        Tensor yr = log ? xr.logSoftmax(-1) : xr.softmax(-1);
        assertClose(yr, y, dt, forwardTerms(x, y, log), "forward");
        Tensor g = values(shape, dt, 99, 1.0);
        Tensor gin = FusedComposites.softmaxBackward(g, y, log);
        Tensor ginRef = FusedComposites.softmaxBackward(g.to(REF), yr, log);
        assertClose(ginRef, gin, dt, backwardTerms(g, y, log), "backward");
    }

    @Test
    void infinitiesNaNsAndNonContiguousInputs() {
        double inf = Double.POSITIVE_INFINITY;
        for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
            for (boolean log : List.of(false, true)) {
                // a masked row, a row with NaN, a row of all -inf (NaN, as in PyTorch), a row with a huge value
                Tensor x = Tensor.of(new double[] {1, -inf, 2, -inf, 0.5, Double.NaN, 1, 2, -inf, -inf, -inf, -inf, 1e30, 0, -1, 3},
                        4, 4).to(dt);
                Tensor y = log ? x.logSoftmax(-1) : x.softmax(-1);
                Tensor yr = log ? x.to(REF).logSoftmax(-1) : x.to(REF).softmax(-1);
                assertClose(yr, y, dt, forwardTerms(x, y, log), "special values");
                Tensor t = values(new long[] {9, 6}, dt, 5, 2.0).t();
                assertClose(log ? t.to(REF).logSoftmax(-1) : t.to(REF).softmax(-1), log ? t.logSoftmax(-1) : t.softmax(-1), dt,
                        forwardTerms(t, log ? t.logSoftmax(-1) : t.softmax(-1), log), "transposed");
            }
        }
    }
}
