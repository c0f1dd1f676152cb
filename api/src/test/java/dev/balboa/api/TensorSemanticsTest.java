package dev.balboa.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.spi.DType;
import dev.balboa.spi.Device;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Views sharing storage, in-place writes through views, version counters, item() and Java array round trips. */
class TensorSemanticsTest {

    private static Tensor iota(Device d, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return Tensor.arange(0, n, 1, DType.FLOAT32, d).reshape(shape);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "reference"})
    void viewsShareStorageAndSeeWrites(String device) {
        Device d = Device.of(device);
        Tensor base = iota(d, 3, 4);
        Tensor[] views = {base.view(12), base.reshape(2, 6), base.t(), base.transpose(0, 1), base.permute(1, 0),
                base.narrow(1, 1, 2), base.slice(1, 0, 4, 2), base.select(0, 1), base.unsqueeze(0), base.unsqueeze(0).squeeze(0),
                base.flatten(), base.select(0, 0).unfold(0, 2, 1), base.narrow(0, 0, 1).expand(5, 4), base.contiguous(), base.detach()};
        for (Tensor v : views) assertTrue(v.sharesStorage(base), "a view shares storage: " + v);
        assertSame(base, base.contiguous(), "contiguous() of a contiguous tensor is the tensor itself");
        assertFalse(base.clone().sharesStorage(base));
        assertFalse(base.t().contiguous().sharesStorage(base));
        assertFalse(base.t().isContiguous());
        assertTrue(base.t().contiguous().isContiguous());

        base.select(0, 1).fill_(-1.0);
        assertArrayEquals(new float[] {0, 1, 2, 3, -1, -1, -1, -1, 8, 9, 10, 11}, base.toFloatArray());
        base.t().narrow(0, 3, 1).mul_(10.0);
        assertArrayEquals(new float[] {0, 1, 2, 30, -1, -1, -1, -10, 8, 9, 10, 110}, base.toFloatArray());
        base.slice(1, 0, 4, 2).add_(Tensor.of(new float[] {100, 200}, 2).to(d));
        assertArrayEquals(new float[] {100, 1, 202, 30, 99, -1, 199, -10, 108, 9, 210, 110}, base.toFloatArray());
        Tensor col = base.select(1, 0);
        col.copy_(Tensor.of(new double[] {7, 8, 9}, 3).to(d));
        assertArrayEquals(new float[] {7, 8, 9}, base.select(1, 0).toFloatArray());
        assertArrayEquals(new long[] {1, 4}, base.t().stride());
        assertEquals(1, base.slice(1, 1, 4, 2).storageOffset());
        assertArrayEquals(new long[] {4, 2}, base.slice(1, 1, 4, 2).stride());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "reference"})
    void inPlaceWithAliasedOperands(String device) {
        Device d = Device.of(device);
        Tensor x = iota(d, 2, 2);
        assertSame(x, x.add_(x));
        assertArrayEquals(new float[] {0, 2, 4, 6}, x.toFloatArray());
        Tensor y = iota(d, 2, 2);
        y.add_(y.t());
        assertArrayEquals(new float[] {0, 3, 3, 6}, y.toFloatArray(), "the operand is read before it is overwritten");
        Tensor z = iota(d, 2, 3);
        z.copy_(Tensor.of(new long[] {7, 8, 9}, 3).to(d));
        assertArrayEquals(new float[] {7, 8, 9, 7, 8, 9}, z.toFloatArray(), "copy_ broadcasts and casts");
        Tensor e = iota(d, 3).unsqueeze(0).expand(2, 3).clone();
        assertTrue(e.isContiguous());
        assertArrayEquals(new long[] {3, 1}, e.stride());
        e.select(0, 0).fill_(5.0);
        assertArrayEquals(new float[] {5, 5, 5, 0, 1, 2}, e.toFloatArray(), "a clone of an expanded tensor owns every element");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "reference"})
    void inPlaceOpsBumpTheVersion(String device) {
        Tensor t = iota(Device.of(device), 2, 2);
        Tensor v = t.t();
        int before = t.version();
        t.add_(1.0);
        assertTrue(t.version() > before, "add_ bumps the version");
        assertEquals(t.version(), v.version(), "views share the version counter");
        int mid = t.version();
        t.add(1.0);
        assertEquals(mid, t.version(), "out-of-place ops do not");
        v.zero_();
        assertTrue(t.version() > mid);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "reference"})
    void javaArraysRoundTrip(String device) {
        Device d = Device.of(device);
        float[] f = {1.5f, -2.25f, Float.NaN, Float.POSITIVE_INFINITY, -0.0f, 3.4e38f};
        assertArrayEquals(f, Tensor.of(f, 2, 3).to(d).toFloatArray());
        double[] g = {Math.PI, -1e-300, 1e300, Double.NEGATIVE_INFINITY};
        assertArrayEquals(g, Tensor.of(g, 4).to(d).toDoubleArray());
        int[] i = {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE};
        assertArrayEquals(i, Tensor.of(i, 2, 2).to(d).toIntArray());
        long[] l = {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE, 1L << 53 | 1};
        assertArrayEquals(l, Tensor.of(l, 5).to(d).toLongArray());
        boolean[] b = {true, false, false, true};
        assertArrayEquals(b, Tensor.of(b, 4).to(d).toBooleanArray());
        assertEquals(DType.FLOAT32, Tensor.of(f, 6).dtype());
        assertEquals(DType.FLOAT64, Tensor.of(g, 4).dtype());
        assertEquals(DType.INT32, Tensor.of(i, 4).dtype());
        assertEquals(DType.INT64, Tensor.of(l, 5).dtype());
        assertEquals(DType.BOOL, Tensor.of(b, 4).dtype());
        assertArrayEquals(new long[] {4}, Tensor.of(b).shape(), "no sizes means 1-D");
        // byte[] data holds 1-byte dtypes
        assertArrayEquals(new float[] {1, -2}, Tensor.of(new float[] {1, -2}, 2).to(d).to(DType.FLOAT16).toFloatArray());
        assertArrayEquals(new double[] {-0.0, 0.0}, Tensor.of(new double[] {-0.0, 0.0}, 2).to(d).to(DType.FLOAT32).toDoubleArray());
        assertArrayEquals(new long[] {-1, 255}, Tensor.of(new byte[] {-1, -1}, DType.INT8, 2).to(d).to(DType.INT64)
                .add(Tensor.of(new long[] {0, 256}, 2).to(d)).toLongArray());
        assertArrayEquals(new int[] {255, 1}, Tensor.of(new byte[] {-1, 1}, DType.UINT8, 2).to(d).toIntArray());
        // arrays of a view come out in logical (row-major) order
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, iota(d, 2, 3).t().toFloatArray());
        assertArrayEquals(new int[] {0, 3}, iota(d, 2, 3).flatten().slice(0, 0, 6, 3).toIntArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "reference"})
    void itemReadsOneElement(String device) {
        Device d = Device.of(device);
        assertEquals(2.5, Tensor.scalar(2.5).to(d).item());
        assertEquals(7L, Tensor.of(new long[] {7}, 1).to(d).itemLong());
        assertTrue(Tensor.of(new boolean[] {true}, 1, 1).to(d).itemBoolean());
        assertEquals(5.0, iota(d, 2, 3).select(1, 2).select(0, 1).item());
        assertEquals(15.0, iota(d, 2, 3).sum().item(), 1e-6);
        assertEquals(DType.FLOAT64, Tensor.scalar(1.0, DType.FLOAT64).dtype());
        assertEquals(0, Tensor.scalar(1.0).dim());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "reference"})
    void toMovesBetweenDevicesAndDtypes(String device) {
        Device d = Device.of(device);
        Tensor x = Tensor.of(new float[] {1.5f, -2.5f}, 2);
        Tensor y = x.to(d);
        assertEquals(d, y.device());
        assertSame(y, y.to(DType.FLOAT32), "to() of the same dtype is a no-op");
        Tensor z = y.to(d, DType.INT32);
        assertEquals(DType.INT32, z.dtype());
        assertArrayEquals(new int[] {1, -2}, z.toIntArray(), "float to int truncates toward zero");
        assertEquals(Device.CPU, z.to(Device.CPU).device());
        assertTrue(Tensor.zerosLike(y).device().equals(d) && Tensor.onesLike(z).dtype() == DType.INT32);
        assertArrayEquals(new float[] {3, 3}, Tensor.fullLike(y, 3).toFloatArray());
    }
}
