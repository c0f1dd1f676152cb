package dev.balboa.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;
import dev.balboa.nn.BatchNorm2d;
import dev.balboa.nn.Bilinear;
import dev.balboa.nn.Conv1d;
import dev.balboa.nn.Conv2d;
import dev.balboa.nn.ConvTranspose2d;
import dev.balboa.nn.Embedding;
import dev.balboa.nn.Init;
import dev.balboa.nn.LayerNorm;
import dev.balboa.nn.Linear;
import dev.balboa.nn.testing.TensorFixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Weight initialisation: fans and gains equal PyTorch's (fixture), and every distribution has the
 * mean, standard deviation and bounds of PyTorch's formulas, checked statistically on large
 * tensors; the layers' default initialisations follow the same formulas.
 */
class InitTest {
    static final TensorFixtures FX = LayerFixturesTest.FX;

    /** Mean, population std, min and max of a tensor, computed in float64 on the host. */
    record Stats(double mean, double std, double min, double max) {
        static Stats of(Tensor t) {
            double[] v = t.toDoubleArray();
            double s = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (double x : v) {
                s += x;
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
            double mean = s / v.length, ss = 0;
            for (double x : v) ss += (x - mean) * (x - mean);
            return new Stats(mean, Math.sqrt(ss / v.length), min, max);
        }
    }

    /** U(-b, b): within the bounds, reaching close to them, mean 0 and std b/√3. */
    static void assertUniform(Tensor t, double bound, String what) {
        Stats s = Stats.of(t);
        assertTrue(s.min() >= -bound && s.max() <= bound, what + ": values outside ±" + bound + ": " + s);
        // P(max < b(1 - x)) = (1 - x/2)^n, about e^-10 for x = 20/n
        double reach = 1 - Math.max(0.01, 20.0 / t.numel());
        assertTrue(s.min() < -reach * bound && s.max() > reach * bound, what + ": values do not reach ±" + bound + ": " + s);
        double sd = bound / Math.sqrt(3);
        assertEquals(0, s.mean(), 5 * sd / Math.sqrt(t.numel()), what + ": mean");
        assertEquals(sd, s.std(), Math.max(0.02, 2.5 / Math.sqrt(t.numel())) * sd, what + ": std");
    }

    /** N(mean, std²) checked by its first two moments. */
    static void assertNormal(Tensor t, double mean, double std, String what) {
        Stats s = Stats.of(t);
        assertEquals(mean, s.mean(), 5 * std / Math.sqrt(t.numel()), what + ": mean");
        assertEquals(std, s.std(), 0.02 * std, what + ": std");
        assertTrue(Math.abs(s.max() - mean) > 3 * std, what + ": no tail: " + s);
    }

    @Test
    @SuppressWarnings("unchecked")
    void fansMatchTorch() {
        for (Object o : (List<Object>) FX.value("init", "fans")) {
            List<Object> row = (List<Object>) o;
            long[] shape = ((List<Object>) row.get(0)).stream().mapToLong(x -> ((Number) x).longValue()).toArray();
            Init.Fans f = Init.fans(shape);
            assertEquals(((Number) row.get(1)).longValue(), f.fanIn(), "fan_in of " + row.get(0));
            assertEquals(((Number) row.get(2)).longValue(), f.fanOut(), "fan_out of " + row.get(0));
            assertEquals(f, Init.fans(Tensor.empty(shape)));
        }
        assertThrows(IllegalArgumentException.class, () -> Init.fans(5));
        assertThrows(IllegalArgumentException.class, () -> Init.kaimingUniform_(Tensor.empty(5)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void gainsMatchTorch() {
        for (Object o : (List<Object>) FX.value("init", "gains")) {
            List<Object> row = (List<Object>) o;
            String name = (String) row.get(0);
            double param = ((Number) row.get(1)).doubleValue();
            double gain = param < 0 ? Init.calculateGain(name) : Init.calculateGain(name, param);
            assertEquals(((Number) row.get(2)).doubleValue(), gain, 1e-12, "gain of " + name + " " + param);
        }
        assertThrows(IllegalArgumentException.class, () -> Init.calculateGain("swish"));
    }

    @Test
    void uniformNormalConstant() {
        Generator g = new Generator(1);
        Tensor t = Tensor.empty(400, 300);
        assertSame(t, Init.uniform_(t, -2, 3, g));
        Stats s = Stats.of(t);
        assertTrue(s.min() >= -2 && s.max() < 3, s.toString());
        assertEquals(0.5, s.mean(), 0.03);
        assertEquals(5 / Math.sqrt(12), s.std(), 0.02);
        Init.normal_(t, 1, 2, g);
        assertNormal(t, 1, 2, "normal_");
        Init.constant_(t, 0.25);
        assertEquals(0.25, Stats.of(t).min());
        assertEquals(0.25, Stats.of(t).max());
        Init.ones_(t);
        assertEquals(1.0, Stats.of(t).mean());
        Init.zeros_(t);
        assertEquals(0.0, Stats.of(t).max());
    }

    @Test
    void xavier() {
        Generator g = new Generator(2);
        Tensor t = Tensor.empty(400, 300);
        Init.xavierUniform_(t, 2.0, g);
        assertUniform(t, 2.0 * Math.sqrt(6.0 / 700), "xavier_uniform");
        Init.xavierNormal_(t, 0.5, g);
        assertNormal(t, 0, 0.5 * Math.sqrt(2.0 / 700), "xavier_normal");
        Tensor c = Tensor.empty(64, 32, 3, 3);
        Init.xavierUniform_(c);
        assertUniform(c, Math.sqrt(6.0 / (288 + 576)), "xavier_uniform conv");
    }

    @Test
    void kaiming() {
        Generator g = new Generator(3);
        Tensor c = Tensor.empty(64, 32, 3, 3); // fan_in 288, fan_out 576
        Init.kaimingUniform_(c, 0, Init.FanMode.FAN_IN, "relu", g);
        assertUniform(c, Math.sqrt(2) * Math.sqrt(3.0 / 288), "kaiming_uniform relu fan_in");
        Init.kaimingUniform_(c, 0.2, Init.FanMode.FAN_OUT, "leaky_relu", g);
        assertUniform(c, Math.sqrt(2 / 1.04) * Math.sqrt(3.0 / 576), "kaiming_uniform leaky fan_out");
        Init.kaimingNormal_(c, 0, Init.FanMode.FAN_OUT, "relu", g);
        assertNormal(c, 0, Math.sqrt(2.0 / 576), "kaiming_normal relu fan_out");
        Init.kaimingNormal_(c);
        assertNormal(c, 0, Math.sqrt(2.0 / 288), "kaiming_normal defaults");
        Init.kaimingUniform_(c, Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu", g);
        assertUniform(c, 1 / Math.sqrt(288), "kaiming_uniform a=sqrt(5)");
        Init.kaimingNormal_(c, 0, Init.FanMode.FAN_IN, "tanh");
        assertNormal(c, 0, 5.0 / 3 / Math.sqrt(288), "kaiming_normal tanh");
    }

    static void assertOrthonormalRows(double[] m, int rows, int cols, double gain) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < rows; j++) {
                double dot = 0;
                for (int k = 0; k < cols; k++) dot += m[i * cols + k] * m[j * cols + k];
                assertEquals(i == j ? gain * gain : 0, dot, 1e-5, "row " + i + " . row " + j);
            }
        }
    }

    @Test
    void orthogonal() {
        Generator g = new Generator(4);
        Tensor wide = Tensor.empty(6, 10);
        Init.orthogonal_(wide, 1.0, g);
        assertOrthonormalRows(wide.toDoubleArray(), 6, 10, 1.0);
        Tensor tall = Tensor.empty(10, 6);
        Init.orthogonal_(tall, 2.0, g);
        assertOrthonormalRows(tall.t().contiguous().toDoubleArray(), 6, 10, 2.0);
        Tensor conv = Tensor.empty(4, 3, 2); // viewed as [4, 6]
        Init.orthogonal_(conv);
        assertOrthonormalRows(conv.toDoubleArray(), 4, 6, 1.0);
        Tensor square = Tensor.empty(64, 64);
        Init.orthogonal_(square, 1.0, g);
        assertOrthonormalRows(square.toDoubleArray(), 64, 64, 1.0);
        assertThrows(IllegalArgumentException.class, () -> Init.orthogonal_(Tensor.empty(5)));
    }

    @Test
    void inPlaceWithoutHistoryAndReproducible() {
        Tensor p = Tensor.empty(20, 30).requiresGrad_();
        Init.kaimingUniform_(p, 0, Init.FanMode.FAN_IN, "relu", new Generator(9));
        assertTrue(p.isLeaf());
        assertNull(p.gradFn());
        Tensor q = Tensor.empty(20, 30);
        Init.kaimingUniform_(q, 0, Init.FanMode.FAN_IN, "relu", new Generator(9));
        assertArrayEquals(p.toFloatArray(), q.toFloatArray());
        Init.kaimingUniform_(q, 0, Init.FanMode.FAN_IN, "relu", new Generator(10));
        assertFalse(java.util.Arrays.equals(p.toFloatArray(), q.toFloatArray()));
        Init.xavierUniform_(p);
        Init.orthogonal_(p);
        assertTrue(p.isLeaf());
    }

    @Test
    void layerDefaultsFollowTorchFormulas() {
        Generator g = new Generator(5);
        Linear lin = new Linear(400, 300, true, g);
        assertUniform(lin.weight(), 1 / Math.sqrt(400), "Linear.weight");
        assertUniform(lin.bias(), 1 / Math.sqrt(400), "Linear.bias");
        Conv2d conv = Conv2d.builder(32, 256, 3).generator(g).build();
        assertUniform(conv.weight(), 1 / Math.sqrt(288), "Conv2d.weight");
        assertUniform(conv.bias(), 1 / Math.sqrt(288), "Conv2d.bias");
        Conv2d grouped = Conv2d.builder(32, 256, 3).groups(4).generator(g).build();
        assertArrayEquals(new long[] {256, 8, 3, 3}, grouped.weight().shape());
        assertUniform(grouped.weight(), 1 / Math.sqrt(72), "grouped Conv2d.weight");
        Conv1d conv1 = Conv1d.builder(40, 200, 5).generator(g).build();
        assertUniform(conv1.weight(), 1 / Math.sqrt(200), "Conv1d.weight");
        ConvTranspose2d convT = ConvTranspose2d.builder(256, 32, 3).generator(g).build();
        assertArrayEquals(new long[] {256, 32, 3, 3}, convT.weight().shape());
        assertUniform(convT.weight(), 1 / Math.sqrt(288), "ConvTranspose2d.weight (fan_in from dim 1)");
        assertUniform(convT.bias(), 1 / Math.sqrt(288), "ConvTranspose2d.bias");
        Bilinear bil = new Bilinear(20, 30, 100, true, g);
        assertUniform(bil.weight(), 1 / Math.sqrt(20), "Bilinear.weight");
        Embedding emb = new Embedding(1000, 64, -1L, g);
        assertEquals(999, emb.paddingIdx());
        assertNormal(emb.weight().narrow(0, 0, 999), 0, 1, "Embedding.weight");
        assertEquals(0.0, Stats.of(emb.weight().select(0, 999)).max());
        assertEquals(0.0, Stats.of(emb.weight().select(0, 999)).min());
        BatchNorm2d bn = new BatchNorm2d(8);
        assertEquals(1.0, Stats.of(bn.weight()).min());
        assertEquals(0.0, Stats.of(bn.bias()).max());
        assertEquals(0.0, Stats.of(bn.runningMean()).max());
        assertEquals(1.0, Stats.of(bn.runningVar()).min());
        assertEquals(0L, bn.numBatchesTracked().itemLong());
        LayerNorm ln = new LayerNorm(5);
        assertEquals(1.0, Stats.of(ln.weight()).min());
        assertEquals(0.0, Stats.of(ln.bias()).max());
    }
}
