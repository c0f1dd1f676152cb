package dev.balboa.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.balboa.api.Tensor;
import dev.balboa.nn.data.Fixtures;
import dev.balboa.spi.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir Path tmp;

    private static Map<String, Tensor> sample() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("w", Tensor.of(new float[] {1.5f, -2, 3, 4, 5, 6}, 2, 3));
        m.put("d", Tensor.of(new double[] {Math.PI}, 1));
        m.put("h", Tensor.of(new float[] {0.5f, -1, 65504}).to(DType.FLOAT16));
        m.put("bf", Tensor.of(new float[] {1, -2.5f, 0.15625f, 3e38f}, 2, 2).to(DType.BFLOAT16));
        m.put("i8", Tensor.of(new byte[] {-128, 127, 0}, DType.INT8));
        m.put("u8", Tensor.of(new byte[] {0, (byte) 255}, DType.UINT8));
        m.put("i32", Tensor.of(new int[] {Integer.MIN_VALUE, 7}));
        m.put("i64", Tensor.of(new long[] {Long.MAX_VALUE, -1}, 2, 1));
        m.put("b", Tensor.of(new boolean[] {true, false, true}));
        m.put("s", Tensor.scalar(4.25));
        m.put("e", Tensor.zeros(0, 4));
        return m;
    }

    @Test
    void readsTheHandBuiltFixture() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> want = (Map<String, Object>) Fixtures.manifest().get("mixed.safetensors");
        try (SafeTensors.Reader r = SafeTensors.open(Fixtures.copy("mixed.safetensors", tmp))) {
            assertEquals(Map.of("format", "pt", "note", "fixture \u00e9"), r.metadata());
            @SuppressWarnings("unchecked")
            Map<String, Object> tensors = (Map<String, Object>) want.get("tensors");
            assertEquals(tensors.keySet(), Set.copyOf(r.names()));
            for (String k : tensors.keySet()) Fixtures.assertMatches(tensors.get(k), r.tensor(k), k);
            assertEquals(DType.BFLOAT16, r.tensor("bf").dtype());
            assertEquals(DType.BOOL, r.tensor("flags").dtype());
            assertEquals(0, r.tensor("scalar").dim());
        }
    }

    @Test
    void roundTripsEveryDtypeExactly() throws Exception {
        Map<String, Tensor> m = sample();
        Path p = tmp.resolve("m.safetensors");
        SafeTensors.write(p, m, Map.of("k", "v"));
        Map<String, Tensor> back = SafeTensors.read(p);
        assertEquals(m.keySet(), new java.util.HashSet<>(back.keySet()));
        for (String k : m.keySet()) {
            assertEquals(m.get(k).dtype(), back.get(k).dtype(), k);
            assertArrayEquals(m.get(k).shape(), back.get(k).shape(), k);
            assertArrayEquals(m.get(k).toDoubleArray(), back.get(k).toDoubleArray(), k);
        }
        assertArrayEquals(Files.readAllBytes(p), SafeTensors.toBytes(m, Map.of("k", "v")), "file and in-memory writer agree");
        try (SafeTensors.Reader r = SafeTensors.open(p)) {
            assertEquals(Map.of("k", "v"), r.metadata());
        }
    }

    @Test
    void layoutIsDeterministicAlignedAndPadded() {
        byte[] b = SafeTensors.toBytes(sample(), Map.of());
        long n = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, n % 8);
        String header = new String(b, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"d\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},\"i64\":"), header);
        assertTrue(header.endsWith("}") || header.stripTrailing().endsWith("}"));
        try (SafeTensors.Reader r = SafeTensors.read(b, "mem")) {
            for (SafeTensors.Entry e : r.entries().values()) {
                assertEquals(0, e.begin() % e.dtype().byteSize(), e + " is aligned to its element size");
            }
        }
        Map<String, Tensor> reordered = new LinkedHashMap<>();
        List<String> keys = new java.util.ArrayList<>(sample().keySet());
        java.util.Collections.reverse(keys);
        Map<String, Tensor> s = sample();
        for (String k : keys) reordered.put(k, s.get(k));
        assertArrayEquals(b, SafeTensors.toBytes(reordered, Map.of()));
    }

    @Test
    void independentPythonReaderAgrees() throws Exception {
        assumeTrue(Fixtures.pythonAvailable(), "/usr/bin/python3 with numpy is not available");
        Map<String, Tensor> m = sample();
        Path p = tmp.resolve("j.safetensors");
        SafeTensors.write(p, m, Map.of("who", "java"));
        @SuppressWarnings("unchecked")
        Map<String, Object> seen = (Map<String, Object>) Fixtures.inspect(p).get("j.safetensors");
        assertEquals(Map.of("who", "java"), seen.get("metadata"));
        @SuppressWarnings("unchecked")
        Map<String, Object> tensors = (Map<String, Object>) seen.get("tensors");
        for (String k : m.keySet()) Fixtures.assertMatches(tensors.get(k), m.get(k), "python " + k);
    }

    private static IllegalArgumentException rejects(byte[] b, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(b, "bad.safetensors").close());
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' lacks '" + f + "'");
        assertTrue(e.getMessage().startsWith("bad.safetensors"), e.getMessage());
        return e;
    }

    private static byte[] file(String json, int dataBytes) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bb = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        bb.putLong(h.length).put(h);
        return bb.array();
    }

    @Test
    void truncatedAtEveryOffset() {
        byte[] full = SafeTensors.toBytes(sample(), Map.of("k", "v"));
        for (int len = 0; len < full.length; len++) {
            byte[] cut = Arrays.copyOf(full, len);
            assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(cut, "bad.safetensors").close(), "length " + len);
        }
        byte[] fixture = Fixtures.bytes("mixed.safetensors");
        for (int len = 0; len < fixture.length; len++) {
            byte[] cut = Arrays.copyOf(fixture, len);
            assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(cut, "bad.safetensors").close(), "length " + len);
        }
    }

    @Test
    void malformedHeaders() {
        rejects(new byte[5], "shorter than the 8-byte header size");
        rejects(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array(), "out of range");
        rejects(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array(), "out of range");
        rejects(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(9).array(), "larger than the 8 bytes");
        String t = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        SafeTensors.read(file(t, 8), "ok").close();
        rejects(file(t, 12), "cover only 8");
        rejects(file(t, 4), "need 8 bytes");
        rejects(file(t.replace("F32", "F8_E4M3"), 8), "dtype \"F8_E4M3\"");
        rejects(file(t.replace("[2]", "[3]"), 8), "needs 12 bytes");
        rejects(file(t.replace("[2]", "[-2]"), 8), "non-negative");
        rejects(file(t.replace("[2]", "[4294967296,4294967296]"), 8), "elements");
        rejects(file(t.replace("[2]", "[99999999999999999999]"), 8), "64-bit range");
        rejects(file(t.replace("[0,8]", "[8,0]"), 8), "begin after end");
        rejects(file(t.replace("[0,8]", "[0]"), 8), "must have 2 elements");
        rejects(file(t.replace("}}", "}"), 8), "malformed JSON");
        rejects(file(t.replace("\"shape\"", "\"extra\":1,\"shape\""), 8), "unknown field");
        rejects(file("[1,2]", 0), "not a JSON object");
        rejects(file("[".repeat(10000), 0), "nesting");
        String two = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        rejects(file(two, 12), "overlaps");
        rejects(file(two.replace("[4,12]", "[12,20]"), 20), "belong to no tensor");
        rejects(file(two.replace("\"b\"", "\"a\""), 16), "duplicate key \"a\"");
        rejects(file("{\"__metadata__\":{\"k\":1}}", 0), "is not a string");
        byte[] badUtf8 = file("{\"\u00e9\":1}", 0);
        badUtf8[10] = (byte) 0xff;
        rejects(badUtf8, "UTF-8");
    }

    @Test
    void writerRefusesReservedAndEmptyNames() {
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.toBytes(Map.of("__metadata__", Tensor.zeros(1)), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.toBytes(Map.of("", Tensor.zeros(1)), Map.of()));
    }
}
