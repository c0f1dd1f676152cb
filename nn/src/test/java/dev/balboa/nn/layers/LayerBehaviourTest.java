package dev.balboa.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.api.Generator;
import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import dev.balboa.api.ValuesIndices;
import dev.balboa.nn.BatchNorm1d;
import dev.balboa.nn.BatchNorm2d;
import dev.balboa.nn.Bilinear;
import dev.balboa.nn.Conv2d;
import dev.balboa.nn.Dropout;
import dev.balboa.nn.Embedding;
import dev.balboa.nn.GroupNorm;
import dev.balboa.nn.LayerNorm;
import dev.balboa.nn.Linear;
import dev.balboa.nn.MaxPool2d;
import dev.balboa.nn.ReLU;
import dev.balboa.nn.Sequential;
import dev.balboa.nn.Softplus;
import dev.balboa.spi.DType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Layer behaviour that the fixtures do not pin down: dropout statistics, modes, errors, printing. */
class LayerBehaviourTest {

    @Test
    void dropoutZeroesAFractionPAndScalesTheRest() {
        Dropout d = new Dropout(0.3, new Generator(11));
        Tensor x = Tensor.ones(200_000).requiresGrad_();
        Tensor y = d.forward(x);
        float[] v = y.toFloatArray();
        long zeros = 0;
        for (float f : v) {
            if (f == 0) zeros++;
            else assertEquals(1 / 0.7, f, 1e-6);
        }
        // binomial: std of the fraction is sqrt(0.3 * 0.7 / n) ~ 0.001
        assertEquals(0.3, zeros / (double) v.length, 0.006);
        y.sum().backward();
        assertArrayEquals(v, x.grad().toFloatArray(), "gradient is the mask times 1/(1-p)");
    }

    @Test
    void dropoutIsTheIdentityInEvalAndReproducibleWithASeed() {
        Tensor x = Tensor.randn(new long[] {50, 40}, new Generator(1));
        Dropout d = new Dropout(0.5, new Generator(3));
        d.eval();
        assertSame(x, d.forward(x));
        d.train();
        assertNotEquals(0, x.sub(d.forward(x)).abs().sum().item());
        Tensor a = new Dropout(0.5, new Generator(42)).forward(x);
        Tensor b = new Dropout(0.5, new Generator(42)).forward(x);
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        assertSame(x, new Dropout(0.0).forward(x));
        assertEquals(0.0, new Dropout(1.0).forward(x).abs().sum().item());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
    }

    @Test
    void embeddingPaddingRowStartsAtZeroAndGetsNoGradient() {
        Embedding e = new Embedding(6, 3, 0L, new Generator(2));
        assertArrayEquals(new float[3], e.weight().select(0, 0).toFloatArray());
        Tensor idx = Tensor.of(new long[] {0, 1, 0, 5, 1}, 5);
        Tensor y = e.forward(idx);
        assertArrayEquals(new long[] {5, 3}, y.shape());
        y.mul(Tensor.randn(new long[] {5, 3}, new Generator(1))).sum().backward();
        float[] g = e.weight().grad().toFloatArray();
        for (int j = 0; j < 3; j++) assertEquals(0f, g[j], "padding row gradient");
        for (int j = 0; j < 3; j++) assertEquals(0f, g[2 * 3 + j], "unused row gradient");
        assertTrue(Math.abs(g[3]) > 0, "used row gets a gradient");
        assertEquals("Embedding(6, 3, padding_idx=0)", e.toString().replaceAll("  #.*", ""));
        assertThrows(IllegalArgumentException.class, () -> new Embedding(4, 2, 4L));
    }

    @Test
    void batchNormModesAndRunningStatistics() {
        BatchNorm2d bn = BatchNorm2d.builder(2).momentum(0.5).build();
        Tensor x = Tensor.randn(new long[] {4, 2, 3, 3}, new Generator(5)).mul(3).add(2);
        Tensor y = bn.forward(x);
        // training output is normalised per channel with the batch statistics
        double[] mean = y.mean(new int[] {0, 2, 3}, false).toDoubleArray();
        double[] var = y.var(new int[] {0, 2, 3}, false, false).toDoubleArray();
        for (int c = 0; c < 2; c++) {
            assertEquals(0, mean[c], 1e-5);
            assertEquals(1, var[c], 1e-3);
        }
        assertEquals(DType.INT64, bn.numBatchesTracked().dtype());
        assertEquals(1L, bn.numBatchesTracked().itemLong());
        double[] batchMean = x.mean(new int[] {0, 2, 3}, false).toDoubleArray();
        double[] unbiased = x.var(new int[] {0, 2, 3}, true, false).toDoubleArray();
        double[] rm = bn.runningMean().toDoubleArray(), rv = bn.runningVar().toDoubleArray();
        for (int c = 0; c < 2; c++) {
            assertEquals(0.5 * batchMean[c], rm[c], 1e-5);
            assertEquals(0.5 + 0.5 * unbiased[c], rv[c], 1e-4);
        }
        // evaluation uses the running statistics and leaves them alone
        bn.eval();
        Tensor e = bn.forward(x);
        double[] expected = x.sub(bn.runningMean().view(1, 2, 1, 1)).div(bn.runningVar().add(1e-5).sqrt().view(1, 2, 1, 1))
                .toDoubleArray();
        double[] actual = e.toDoubleArray();
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 1e-5);
        assertEquals(1L, bn.numBatchesTracked().itemLong());
        // momentum 0 freezes the running statistics
        BatchNorm1d frozen = BatchNorm1d.builder(3).momentum(0.0).build();
        frozen.forward(Tensor.randn(new long[] {8, 3}, new Generator(6)).add(5));
        assertArrayEquals(new float[3], frozen.runningMean().toFloatArray());
        // one value per channel cannot be normalised in training
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3).forward(Tensor.ones(1, 3)));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(3).forward(Tensor.ones(2, 3, 4)));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(3).forward(Tensor.ones(2, 4, 2, 2)));
        // without tracking, no buffers and batch statistics in both modes
        BatchNorm2d plain = BatchNorm2d.builder(2).trackRunningStats(false).build();
        assertEquals(List.of("weight", "bias"), List.copyOf(plain.stateDict().keySet()));
        plain.eval();
        double[] m2 = plain.forward(x).mean(new int[] {0, 2, 3}, false).toDoubleArray();
        assertEquals(0, m2[0], 1e-5);
    }

    @Test
    void layersMoveToFloat64AndKeepTheirTensors() {
        Linear lin = new Linear(3, 2);
        Tensor w = lin.weight();
        lin.to(DType.FLOAT64);
        assertSame(w, lin.weight());
        assertEquals(DType.FLOAT64, lin.weight().dtype());
        Tensor y = lin.forward(Tensor.ones(new long[] {4, 3}, DType.FLOAT64));
        assertEquals(DType.FLOAT64, y.dtype());
        BatchNorm1d bn = new BatchNorm1d(3);
        bn.to(DType.FLOAT64);
        assertEquals(DType.INT64, bn.numBatchesTracked().dtype());
        bn.forward(Tensor.randn(new long[] {5, 3}, new Generator(1), DType.FLOAT64, y.device()));
        assertEquals(DType.FLOAT64, bn.runningMean().dtype());
    }

    @Test
    void shapesOfMultiDimInputs() {
        Bilinear b = new Bilinear(4, 3, 5);
        Tensor y = b.forward(Tensor.ones(2, 6, 4), Tensor.ones(2, 6, 3));
        assertArrayEquals(new long[] {2, 6, 5}, y.shape());
        assertThrows(IllegalArgumentException.class, () -> b.forward(Tensor.ones(2, 4), Tensor.ones(3, 3)));
        assertThrows(UnsupportedOperationException.class, () -> b.forward(Tensor.ones(2, 4)));
        assertArrayEquals(new long[] {7, 2, 3, 2}, new GroupNorm(1, 2).forward(Tensor.ones(7, 2, 3, 2)).shape());
        assertThrows(IllegalArgumentException.class, () -> new LayerNorm(4).forward(Tensor.ones(2, 5)));
        Conv2d same = Conv2d.builder(2, 3, 3).padding("same").dilation(2).build();
        assertArrayEquals(new long[] {1, 3, 7, 6}, same.forward(Tensor.ones(1, 2, 7, 6)).shape());
        ValuesIndices vi = new MaxPool2d(2).forwardWithIndices(Tensor.arange(0, 16, 1, DType.FLOAT32, same.weight().device()).view(1, 1, 4, 4));
        assertArrayEquals(new long[] {5, 7, 13, 15}, vi.indices().reshape(-1).toLongArray());
    }

    @Test
    void invalidSettingsAreRejectedWithTheirNames() {
        var e = assertThrows(IllegalArgumentException.class, () -> Conv2d.builder(4, 6, 3).groups(4).build());
        assertTrue(e.getMessage().contains("out_channels 6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Conv2d.builder(4, 6, 3).padding("same").stride(2).build());
        assertThrows(IllegalArgumentException.class, () -> Conv2d.builder(4, 6, 3).paddingMode("mirror").build());
        assertThrows(IllegalArgumentException.class, () -> Conv2d.builder(4, 6, 3, 3, 3).build());
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(4, 6));
        assertThrows(IllegalArgumentException.class, () -> new Linear(3, 2).forward(Tensor.ones(2, 4)));
        assertThrows(IllegalArgumentException.class, () -> BatchNorm2d.builder(3).momentum(1.5).build());
    }

    @Test
    void reprsReadLikePyTorch() {
        assertEquals("Dropout(p=0.1, inplace=False)", new Dropout(0.1).toString());
        assertEquals("LayerNorm((8,), eps=1e-12, elementwise_affine=True)", LayerNorm.builder(8).eps(1e-12).build().toString()
                .replaceAll("  #.*", ""));
        assertEquals("BatchNorm1d(3, eps=0.001, momentum=None, affine=False, track_running_stats=True)",
                BatchNorm1d.builder(3).eps(1e-3).momentum(null).affine(false).build().toString());
        assertEquals("Softplus(beta=0.5, threshold=20)", new Softplus(0.5, 20).toString());
        assertEquals("Conv2d(3, 8, kernel_size=(3, 5), stride=(1, 1), padding=same, bias=False, padding_mode=reflect)",
                Conv2d.builder(3, 8, 3, 5).padding("same").bias(false).paddingMode("reflect").build().toString().replaceAll("  #.*", ""));
        Sequential seq = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2, false));
        assertEquals("""
                Sequential(
                  (0): Linear(in_features=4, out_features=3, bias=True)  # 15 parameters
                  (1): ReLU()
                  (2): Linear(in_features=3, out_features=2, bias=False)  # 6 parameters
                )  # 21 parameters""", seq.toString());
        assertEquals(List.of("0.weight", "0.bias", "2.weight"), List.copyOf(seq.stateDict().keySet()));
        try (var g = Grad.disabled()) {
            assertArrayEquals(new long[] {5, 2}, seq.forward(Tensor.ones(5, 4)).shape());
        }
    }
}
