package dev.balboa.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.spi.DType;
import dev.balboa.spi.Device;
import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Seeded random numbers: reproducible per seed, identical on the CPU and the reference device, statistically sane. */
class GeneratorTest {

    private static final long[] SHAPE = {64, 33};

    /** Draws with two generators of the same seed (and one of another seed) and compares. */
    private static void reproducible(Function<Generator, Tensor> draw) {
        double[] a = draw.apply(new Generator(1234)).toDoubleArray();
        double[] b = draw.apply(new Generator(1234)).toDoubleArray();
        double[] c = draw.apply(new Generator(1235)).toDoubleArray();
        assertArrayEquals(a, b, 0.0);
        assertFalse(Arrays.equals(a, c), "another seed gives other numbers");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "reference"})
    void sameSeedSameNumbers(String device) {
        Device d = Device.of(device);
        reproducible(g -> Tensor.rand(SHAPE, g, DType.FLOAT32, d));
        reproducible(g -> Tensor.randn(SHAPE, g, DType.FLOAT64, d));
        reproducible(g -> Tensor.randint(-5, 17, SHAPE, g, DType.INT64, d));
        reproducible(g -> Tensor.bernoulli(SHAPE, 0.3, g));
        reproducible(g -> Tensor.full(SHAPE, 0.25, DType.FLOAT32, d).bernoulli(g));
        reproducible(g -> Functional.dropout(Tensor.ones(SHAPE, DType.FLOAT32, d), 0.4, true, g));
        reproducible(g -> Tensor.empty(SHAPE, DType.FLOAT32, d).uniform_(-2, 3, g));
        reproducible(g -> Tensor.empty(SHAPE, DType.FLOAT32, d).normal_(1, 2, g));
    }

    @Test
    void cpuAndReferenceDrawTheSameNumbers() {
        Device ref = Device.of("reference");
        assertArrayEquals(Tensor.rand(SHAPE, new Generator(7)).toFloatArray(),
                Tensor.rand(SHAPE, new Generator(7), DType.FLOAT32, ref).toFloatArray());
        assertArrayEquals(Tensor.rand(SHAPE, new Generator(7), DType.FLOAT64, Device.CPU).toDoubleArray(),
                Tensor.rand(SHAPE, new Generator(7), DType.FLOAT64, ref).toDoubleArray());
        double[] n1 = Tensor.randn(SHAPE, new Generator(8), DType.FLOAT64, Device.CPU).toDoubleArray();
        double[] n2 = Tensor.randn(SHAPE, new Generator(8), DType.FLOAT64, ref).toDoubleArray();
        assertArrayEquals(n1, n2, 1e-12);
        float[] f1 = Tensor.randn(SHAPE, new Generator(8)).toFloatArray();
        float[] f2 = Tensor.randn(SHAPE, new Generator(8), DType.FLOAT32, ref).toFloatArray();
        assertArrayEquals(f1, f2, 1e-6f);
        assertArrayEquals(Tensor.randint(0, 100, SHAPE, new Generator(9)).toLongArray(),
                Tensor.randint(0, 100, SHAPE, new Generator(9), DType.INT64, ref).toLongArray());
        assertArrayEquals(Tensor.bernoulli(SHAPE, 0.5, new Generator(10)).toFloatArray(),
                Tensor.full(SHAPE, 0.5, DType.FLOAT32, ref).bernoulli(new Generator(10)).toFloatArray());
        assertArrayEquals(Functional.dropout(Tensor.ones(SHAPE), 0.5, true, new Generator(11)).toFloatArray(),
                Functional.dropout(Tensor.ones(SHAPE, DType.FLOAT32, ref), 0.5, true, new Generator(11)).toFloatArray());
    }

    @Test
    void successiveDrawsDifferAndStateRestores() {
        Generator g = new Generator(42);
        Generator.State s = g.state();
        float[] a = Tensor.rand(SHAPE, g).toFloatArray();
        float[] b = Tensor.rand(SHAPE, g).toFloatArray();
        assertFalse(Arrays.equals(a, b), "the stream advances");
        g.setState(s);
        assertArrayEquals(a, Tensor.rand(SHAPE, g).toFloatArray());
        g.setSeed(42);
        assertArrayEquals(a, Tensor.rand(SHAPE, g).toFloatArray());
        assertEquals(SHAPE[0] * SHAPE[1], g.state().offset(), "each element uses one counter");
    }

    @Test
    void shapeOnlyFactoriesDrawFromTheSeededDefaultGenerator() {
        Generator.manualSeed(99);
        float[] u = Tensor.rand(3, 5).toFloatArray();
        float[] z = Tensor.randn(4, 2).toFloatArray();
        long[] k = Tensor.randint(-3, 4, 2, 6).toLongArray();
        assertEquals(15, u.length);
        assertEquals(8, z.length);
        for (long v : k) assertTrue(v >= -3 && v < 4, "randint in [-3, 4): " + v);
        Generator.manualSeed(99);
        assertArrayEquals(u, Tensor.rand(new long[] {3, 5}, new Generator(99)).toFloatArray(),
                "manualSeed(99) makes the default stream the one of a fresh generator seeded with 99");
        Generator.manualSeed(99);
        assertArrayEquals(u, Tensor.rand(3, 5).toFloatArray());
        assertArrayEquals(z, Tensor.randn(4, 2).toFloatArray());
        assertArrayEquals(k, Tensor.randint(-3, 4, 2, 6).toLongArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "reference"})
    void statistics(String device) {
        Device d = Device.of(device);
        long n = 20_000;
        double[] u = Tensor.rand(new long[] {n}, new Generator(3), DType.FLOAT64, d).toDoubleArray();
        for (double v : u) assertTrue(v >= 0 && v < 1, "uniform in [0, 1): " + v);
        assertEquals(0.5, mean(u), 0.01);
        assertEquals(1 / 12.0, var(u), 0.005);
        double[] z = Tensor.randn(new long[] {n}, new Generator(4), DType.FLOAT32, d).toDoubleArray();
        assertEquals(0, mean(z), 0.03);
        assertEquals(1, Math.sqrt(var(z)), 0.03);
        double[] w = Tensor.empty(new long[] {n}, DType.FLOAT64, d).normal_(3, 0.5, new Generator(5)).toDoubleArray();
        assertEquals(3, mean(w), 0.02);
        assertEquals(0.5, Math.sqrt(var(w)), 0.02);
        long[] r = Tensor.randint(-3, 4, new long[] {n}, new Generator(6), DType.INT64, d).toLongArray();
        long[] counts = new long[7];
        for (long v : r) {
            assertTrue(v >= -3 && v < 4, "randint in [-3, 4): " + v);
            counts[(int) (v + 3)]++;
        }
        for (long c : counts) assertEquals(n / 7.0, c, n / 7.0 * 0.1, "each value about equally often");
        double[] b = Tensor.full(new long[] {n}, 0.3, DType.FLOAT32, d).bernoulli(new Generator(7)).toDoubleArray();
        for (double v : b) assertTrue(v == 0 || v == 1);
        assertEquals(0.3, mean(b), 0.015);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "reference"})
    void dropoutScalesKeptValuesAndZeroesAboutP(String device) {
        Device d = Device.of(device);
        Tensor x = Tensor.full(new long[] {100, 100}, 2.0, DType.FLOAT32, d);
        for (double p : new double[] {0.1, 0.5, 0.8}) {
            float[] y = Functional.dropout(x, p, true, new Generator(99)).toFloatArray();
            int zeros = 0;
            for (float v : y) {
                if (v == 0) zeros++;
                else assertEquals(2.0 / (1 - p), v, 1e-5, "kept values are scaled by 1/(1-p)");
            }
            assertEquals(p, zeros / (double) y.length, 0.02, "zero fraction");
        }
        assertTrue(Functional.dropout(x, 0.5, false, new Generator(1)).equal(x), "eval mode is the identity");
        assertEquals(0, Functional.dropout(x, 1.0, true, new Generator(1)).abs().sum().item());
        Tensor h = Functional.dropout(x.to(DType.FLOAT64), 0.25, true, new Generator(2));
        assertEquals(DType.FLOAT64, h.dtype());
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    private static double var(double[] v) {
        double m = mean(v), s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return s / (v.length - 1);
    }
}
