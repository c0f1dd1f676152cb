package dev.balboa.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.balboa.api.Tensor;
import dev.balboa.spi.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileFormatsTest {
    @TempDir Path tmp;

    @Test
    void readsEveryNumpyWrittenNpy() throws Exception {
        Map<String, Object> m = Fixtures.manifest();
        int n = 0;
        for (String name : m.keySet()) {
            if (!name.endsWith(".npy")) continue;
            Tensor t = Npy.read(Fixtures.copy(name, tmp));
            Fixtures.assertMatches(m.get(name), t, name);
            n++;
        }
        assertTrue(n >= 19, "only " + n + " .npy fixtures");
    }

    @Test
    void npyDtypes() throws Exception {
        assertEquals(DType.FLOAT16, Npy.parse(Fixtures.bytes("f2_4.npy"), "f2").dtype());
        assertEquals(DType.BOOL, Npy.parse(Fixtures.bytes("b1_3.npy"), "b1").dtype());
        assertEquals(DType.UINT8, Npy.parse(Fixtures.bytes("u1_2x2x2.npy"), "u1").dtype());
        assertEquals(DType.INT8, Npy.parse(Fixtures.bytes("i1_4.npy"), "i1").dtype());
        assertEquals(DType.INT64, Npy.parse(Fixtures.bytes("be_i8_3.npy"), "be").dtype());
        assertEquals(0, Npy.parse(Fixtures.bytes("f8_scalar.npy"), "scalar").dim());
    }

    @Test
    void npyWriterMatchesNumpyByteForByte() throws Exception {
        for (String name : List.of("f4_2x3", "f8_scalar", "f8_3", "f2_4", "i4_5", "i8_2x2", "u1_2x2x2", "i1_4", "b1_3",
                "empty_0x3", "f4_nan", "f4_1000")) {
            byte[] numpy = Fixtures.bytes(name + ".npy");
            Tensor t = Npy.parse(numpy, name);
            assertArrayEquals(numpy, Npy.toBytes(t), name);
        }
        // Fortran-order and big-endian files come back as the same array; writing gives numpy's C-order bytes
        Tensor f = Npy.parse(Fixtures.bytes("fortran_f4_3x4.npy"), "fortran");
        assertTrue(f.equal(Tensor.arange(0, 12, 1, DType.FLOAT32, f.device()).reshape(3, 4)));
    }

    @Test
    void npyRoundTripThroughFile() throws Exception {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).to(DType.BFLOAT16).to(DType.FLOAT16);
        Path p = tmp.resolve("x.npy");
        Npy.write(p, t);
        Tensor back = Npy.read(p);
        assertEquals(DType.FLOAT16, back.dtype());
        assertTrue(back.equal(t));
        assertEquals(0, (Files.readAllBytes(p).length - t.numel() * 2) % 64);
    }

    @Test
    void readsNumpyNpzStoredAndDeflated() throws Exception {
        Map<String, Object> m = Fixtures.manifest();
        for (String name : List.of("stored.npz", "deflated.npz")) {
            Map<String, Tensor> arrays = Npz.read(Fixtures.copy(name, tmp));
            @SuppressWarnings("unchecked")
            Map<String, Object> want = (Map<String, Object>) m.get(name);
            assertEquals(want.keySet(), arrays.keySet());
            for (String k : want.keySet()) Fixtures.assertMatches(want.get(k), arrays.get(k), name + ":" + k);
        }
    }

    @Test
    void npzRoundTripAndNumpyReadsIt() throws Exception {
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("a", Tensor.of(new float[] {1.5f, -2, 3}, 3));
        arrays.put("b", Tensor.of(new long[] {1, 2, 3, 4}, 2, 2));
        arrays.put("c", Tensor.of(new boolean[] {true, false}));
        for (boolean compressed : new boolean[] {false, true}) {
            Path p = tmp.resolve(compressed ? "c.npz" : "s.npz");
            Npz.write(p, arrays, compressed);
            Map<String, Tensor> back = Npz.read(p);
            assertEquals(arrays.keySet(), back.keySet());
            for (String k : arrays.keySet()) assertTrue(back.get(k).equal(arrays.get(k)), k);
            if (Fixtures.pythonAvailable()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> seen = (Map<String, Object>) Fixtures.inspect(p).get(p.getFileName().toString());
                for (String k : arrays.keySet()) Fixtures.assertMatches(seen.get(k), arrays.get(k), "numpy " + k);
            }
        }
    }

    @Test
    void numpyReadsJavaWrittenNpy() throws Exception {
        assumeTrue(Fixtures.pythonAvailable(), "/usr/bin/python3 with numpy is not available");
        Tensor a = Tensor.of(new double[] {Math.PI, -1e-300, 7}, 3, 1);
        Tensor b = Tensor.of(new int[] {1, -2, 3, -4, 5, -6}, 1, 2, 3);
        Path pa = tmp.resolve("a.npy"), pb = tmp.resolve("b.npy");
        Npy.write(pa, a);
        Npy.write(pb, b);
        Map<String, Object> seen = Fixtures.inspect(pa, pb);
        Fixtures.assertMatches(seen.get("a.npy"), a, "a");
        Fixtures.assertMatches(seen.get("b.npy"), b, "b");
    }

    @Test
    void readsIdxRawAndGzip() throws Exception {
        Map<String, Object> m = Fixtures.manifest();
        for (String name : List.of("images-idx3-ubyte", "images-idx3-ubyte.gz", "labels-idx1-ubyte.gz", "floats-idx2-float",
                "shorts-idx1-short", "doubles-idx1-double")) {
            Tensor t = Idx.read(Fixtures.copy(name, tmp));
            Fixtures.assertMatches(m.get(name), t, name);
        }
        assertEquals(DType.UINT8, Idx.read(Fixtures.copy("images-idx3-ubyte.gz", tmp)).dtype());
    }

    @Test
    void idxWriteRoundTripsAndMatchesTheFixture() throws Exception {
        byte[] raw = Fixtures.bytes("images-idx3-ubyte");
        assertArrayEquals(raw, Idx.toBytes(Idx.parse(raw, "images", Idx.DEFAULT_MAX_BYTES)));
        Tensor f = Tensor.of(new double[] {1, -2.5}, 2, 1);
        Path p = tmp.resolve("d.idx");
        Idx.write(p, f);
        assertTrue(Idx.read(p).equal(f));
    }

    @Test
    void csvFixtureWithQuotesHeaderAndMissingValues() throws Exception {
        Csv.Table t = Csv.readTable(Fixtures.copy("quoted.csv", tmp), Csv.Options.defaults().withHeader(true));
        assertEquals(List.of("x", "y, the second", "z"), t.columns());
        Fixtures.assertMatches(Fixtures.manifest().get("quoted.csv"), t.values(), "quoted.csv");
    }

    @Test
    void csvParsingDetails() throws Exception {
        Csv.Options semi = Csv.Options.defaults().withDelimiter(';');
        assertArrayEquals(new float[] {1, 2, 3}, Csv.parse("1;\"2\";3\n", semi, "s").values().toFloatArray());
        // a quoted field may hold line breaks and quotes, but must still be a number to be read
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> Csv.parse("1;\"2\n\"\"x\"\"\";3\n", semi, "s"));
        assertTrue(e.getMessage().contains("line 1, column 2"), e.getMessage());
        assertEquals(2, Csv.parse("1,2\n3,4", Csv.Options.defaults(), "nolf").values().size(0));
        assertArrayEquals(new float[] {1, Float.NaN}, Csv.parse("1,\n", Csv.Options.defaults(), "trailing").values().toFloatArray());
    }

    @Test
    void csvWriteReadRoundTripIsExact() throws Exception {
        float[] v = {1f / 3, -1e-30f, Float.NaN, 123456.78f, 0f, Float.MAX_VALUE};
        Tensor t = Tensor.of(v, 3, 2);
        Path p = tmp.resolve("w.csv");
        Csv.write(p, t, List.of("a", "b,\"c\""), ',');
        Csv.Table back = Csv.readTable(p, Csv.Options.defaults().withHeader(true));
        assertEquals(List.of("a", "b,\"c\""), back.columns());
        assertArrayEquals(t.toFloatArray(), back.values().toFloatArray());
        if (Fixtures.pythonAvailable()) {
            @SuppressWarnings("unchecked")
            List<Object> seen = (List<Object>) ((Map<String, Object>) Fixtures.inspect(p).get("w.csv")).get("values");
            for (int i = 0; i < v.length; i++) {
                float got = seen.get(i) instanceof Number n ? n.floatValue() : Float.NaN;
                assertEquals(Float.floatToIntBits(v[i]), Float.floatToIntBits(got), "numpy genfromtxt value " + i);
            }
        }
    }
}
