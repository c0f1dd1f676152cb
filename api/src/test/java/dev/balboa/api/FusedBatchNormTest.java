package dev.balboa.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.spi.DType;
import dev.balboa.spi.Device;
import dev.balboa.spi.Fused;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Training-mode batch norm: the CPU's fused kernels (forward, running statistics, backward)
 * against the composite of primitive ops on the reference device in float64, fed the same
 * (rounded) values; the reference composite in the tested dtype must meet the same tolerance.
 */
class FusedBatchNormTest {
    private static final Device REF = Device.of("reference");

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        // short runs ([N, C], H*W = 1; more than 256 rows: the float32 column sums are flushed),
        // N = 1, odd sizes, and {3, 2, 110, 110}: channels too large to stay in cache, whose
        // per-run statistics are merged
        List<long[]> shapes = List.of(new long[] {4, 3}, new long[] {7, 5}, new long[] {5, 7, 1, 1}, new long[] {1, 4, 3, 5},
                new long[] {3, 5, 9, 11}, new long[] {2, 3, 100}, new long[] {2, 2, 17, 19}, new long[] {3, 4, 8, 8},
                new long[] {1, 2, 70}, new long[] {2, 1, 33, 37}, new long[] {2, 3, 2, 1, 5},
                new long[] {3, 2, 110, 110}, new long[] {600, 37}, new long[] {300, 20, 3});
        for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
            for (boolean affine : List.of(true, false)) {
                for (long[] shape : shapes) {
                    // an offset far from zero probes the statistics' cancellation
                    for (double offset : List.of(0.0, 300.0)) out.add(Arguments.of(dt, affine, shape, offset));
                }
            }
        }
        return out.stream();
    }

    private static Tensor values(long[] shape, DType dt, long seed, double scale, double offset) {
        Random rnd = new Random(seed);
        double[] v = new double[(int) Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = rnd.nextGaussian() * scale + offset;
        return Tensor.of(v, shape).to(dt);
    }

    /** Asserts |actual - expected| <= (8 + sqrt(m)) * ulp(dtype) * terms, element by element. */
    private static void assertClose(Tensor expected, Tensor actual, Tensor terms, DType dt, long m, String what) {
        double[] e = expected.to(Device.CPU).toDoubleArray(), a = actual.to(Device.CPU).toDoubleArray();
        double[] t = terms.to(Device.CPU).toDoubleArray();
        assertEquals(e.length, a.length, what);
        double eps = dt == DType.FLOAT32 ? 0x1p-23 : 0x1p-52;
        for (int i = 0; i < e.length; i++) {
            double tol = (8 + Math.sqrt(m)) * eps * t[i] + 1e-300;
            assertTrue(Math.abs(e[i] - a[i]) <= tol, what + "[" + i + "]: " + a[i] + " vs " + e[i] + " (tolerance " + tol + ")");
        }
    }

    @ParameterizedTest(name = "{0} affine={1} shape={2} offset={3}")
    @MethodSource("cases")
    void forwardStatisticsAndBackwardMatchTheComposite(DType dt, boolean affine, long[] shape, double offset) {
        long c = shape[1], m = Shapes.numel(shape) / c;
        int rank = shape.length;
        int[] dims = FusedComposites.batchNormDims(rank);
        long[] bshape = FusedComposites.batchNormChannelShape(rank, c);
        Tensor x = values(shape, dt, Shapes.numel(shape) + rank, 2.0, offset);
        Tensor w = affine ? values(new long[] {c}, dt, 7, 1.0, 0.5) : null;
        Tensor b = affine ? values(new long[] {c}, dt, 8, 1.0, 0.0) : null;
        Tensor g = values(shape, dt, 9, 1.0, 0.0);
        double eps = 1e-5;
        boolean update = m > 1;

        // the fused path on the CPU, with the running statistics' update (momentum 1: they become the batch's)
        assertTrue(Devices.backend(Device.CPU).supportsFused(new Fused.BatchNormTraining(eps, affine), dt));
        Tensor[] stats = new Tensor[2];
        Tensor y = FusedComposites.batchNormTraining(x, w, b, eps, stats);
        assertNotNull(y, "the fused kernel applies");
        Tensor rm = Tensor.zeros(c).to(dt), rv = Tensor.ones(c).to(dt);
        Tensor y2 = Functional.batchNorm(x, update ? rm : null, update ? rv : null, w, b, true, 1.0, eps);
        Tensor invstd = stats[1].add(eps).rsqrt();
        Tensor[] grads;
        try (var off = Grad.disabled()) { // with gradient recording on, the backward builds the composite
            grads = FusedComposites.batchNormBackward(g, x, stats[0], invstd, w, eps);
        }

        // the composite on the reference device: in float64 (the oracle) and in dt
        Tensor x64 = x.to(REF).to(DType.FLOAT64), g64 = g.to(REF).to(DType.FLOAT64);
        Tensor w64 = affine ? w.to(REF).to(DType.FLOAT64) : null, b64 = affine ? b.to(REF).to(DType.FLOAT64) : null;
        Tensor mean64 = x64.mean(dims, true), var64 = x64.sub(mean64).pow(2.0).mean(dims, true);
        Tensor inv64 = var64.add(eps).rsqrt();
        Tensor y64 = Functional.batchNorm(x64, null, null, w64, b64, true, 0.1, eps);
        Tensor[] grads64 = FusedComposites.batchNormBackward(g64, x64, mean64.reshape(c), inv64.reshape(c), w64, eps);
        Tensor yRef = Functional.batchNorm(x.to(REF), null, null, affine ? w.to(REF) : null, affine ? b.to(REF) : null, true, 0.1, eps);
        Tensor[] gradsRef = FusedComposites.batchNormBackward(g.to(REF), x.to(REF), null, null, affine ? w.to(REF) : null, eps);

        // terms: the output's magnitude plus the mean's error, proportional to mean(|x|), which lands on x - mean
        Tensor scale = affine ? inv64.mul(w64.view(bshape)).abs() : inv64;
        Tensor centredTerms = x64.sub(mean64).abs().add(x64.abs().mean(dims, true));
        Tensor yTerms = centredTerms.mul(scale).add(affine ? b64.view(bshape).abs() : x64.mul(0.0));
        for (Tensor actual : List.of(y, y2, yRef)) assertClose(y64, actual, yTerms, dt, m, "forward");
        Tensor absG = g64.abs(), xhatTerms = centredTerms.mul(inv64);
        assertClose(mean64.reshape(c), stats[0], x64.abs().mean(dims, false), dt, m, "mean");
        assertClose(var64.reshape(c), stats[1], x64.sub(mean64).abs().mul(centredTerms).mean(dims, false), dt, m, "var");
        if (update) {
            double unbias = (double) m / (m - 1);
            assertClose(mean64.reshape(c), rm, x64.abs().mean(dims, false), dt, m, "running_mean");
            assertClose(var64.reshape(c).mul(unbias), rv, x64.sub(mean64).abs().mul(centredTerms).mean(dims, false).mul(unbias), dt, m,
                    "running_var");
        }
        // the input's gradient: k * (g - mean(g) - xhat * mean(g * xhat)), its terms in magnitude
        Tensor k = affine ? inv64.mul(w64.view(bshape)).abs() : inv64;
        Tensor gxTerms = absG.add(absG.mean(dims, true)).add(xhatTerms.mul(absG.mul(xhatTerms).mean(dims, true))).mul(k);
        Tensor gwTerms = absG.mul(xhatTerms).sum(dims, false), gbTerms = absG.sum(dims, false);
        assertEquals(affine ? 3 : 1, grads.length);
        for (Tensor[] actual : List.of(grads, gradsRef)) {
            assertArrayEquals(shape, actual[0].shape());
            assertClose(grads64[0], actual[0], gxTerms, dt, m, "grad_in");
            if (affine) {
                assertClose(grads64[1], actual[1], gwTerms, dt, m, "grad_weight");
                assertClose(grads64[2], actual[2], gbTerms, dt, m, "grad_bias");
            }
        }
    }

    @Test
    void constantChannelsHaveZeroVarianceAndNoNaN() {
        for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
            Tensor x = Tensor.full(new long[] {3, 2, 10, 10}, 1234.5).to(dt);
            Tensor[] stats = new Tensor[2];
            Tensor y = FusedComposites.batchNormTraining(x, null, null, 1e-5, stats);
            assertNotNull(y);
            for (double v : stats[1].toDoubleArray()) assertEquals(0.0, v);
            for (double v : stats[0].toDoubleArray()) assertEquals(1234.5, v);
            for (double v : y.toDoubleArray()) assertEquals(0.0, v);
        }
    }

    @Test
    void nanPropagatesToItsChannelOnly() {
        Tensor x = values(new long[] {2, 3, 4, 4}, DType.FLOAT32, 3, 1.0, 0.0);
        x.select(1, 1).select(0, 0).select(0, 2).fill_(Double.NaN);
        Tensor y = FusedComposites.batchNormTraining(x, null, null, 1e-5, new Tensor[2]);
        assertNotNull(y);
        assertTrue(y.select(1, 1).isnan().all().item() != 0);
        assertFalse(y.select(1, 0).isnan().any().item() != 0);
        assertFalse(y.select(1, 2).isnan().any().item() != 0);
    }

    @Test
    void unsupportedOperandsFallBackToTheComposite() {
        Tensor x = values(new long[] {4, 3, 5, 5}, DType.FLOAT32, 1, 1.0, 0.0);
        Tensor w = Tensor.ones(3);
        // a non-contiguous input, a weight without bias, mixed dtypes, an integer input
        assertNull(FusedComposites.batchNormTraining(x.transpose(2, 3), w, Tensor.zeros(3), 1e-5, new Tensor[2]));
        assertNull(FusedComposites.batchNormTraining(x, w, null, 1e-5, new Tensor[2]));
        assertNull(FusedComposites.batchNormTraining(x, w.to(DType.FLOAT64), Tensor.zeros(3), 1e-5, new Tensor[2]));
        assertNull(FusedComposites.batchNormTraining(x.to(DType.INT32), null, null, 1e-5, new Tensor[2]));
        // and the public entry still computes them, like the fused path does on the contiguous copy
        Tensor t = x.transpose(2, 3);
        Tensor expected = Functional.batchNorm(t.contiguous(), null, null, w, Tensor.zeros(3), true, 0.1, 1e-5);
        assertTrue(expected.allclose(Functional.batchNorm(t, null, null, w, Tensor.zeros(3), true, 0.1, 1e-5), 1e-5, 1e-5, false));
        assertTrue(expected.allclose(Functional.batchNorm(t.contiguous(), null, null, w, null, true, 0.1, 1e-5), 1e-5, 1e-5, false));
    }

    @Test
    void badArgumentsAreNamed() {
        Tensor x = Tensor.zeros(4, 3, 2, 2);
        String msg = assertThrows(IllegalArgumentException.class,
                () -> Functional.batchNorm(x, null, null, Tensor.ones(4), null, true, 0.1, 1e-5)).getMessage();
        assertTrue(msg.contains("batch_norm") && msg.contains("weight") && msg.contains("[3]"), msg);
        msg = assertThrows(IllegalArgumentException.class,
                () -> Functional.batchNorm(x, null, null, null, null, false, 0.1, 1e-5)).getMessage();
        assertTrue(msg.contains("running_mean"), msg);
        msg = assertThrows(IllegalArgumentException.class,
                () -> Functional.batchNorm(Tensor.zeros(1, 3), Tensor.zeros(3), Tensor.ones(3), null, null, true, 0.1, 1e-5)).getMessage();
        assertTrue(msg.contains("more than 1 value per channel"), msg);
        assertThrows(IllegalArgumentException.class, () -> Functional.batchNorm(Tensor.zeros(3), null, null, null, null, true, 0.1, 1e-5));
    }
}
