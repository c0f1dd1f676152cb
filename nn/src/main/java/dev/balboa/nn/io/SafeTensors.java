package dev.balboa.nn.io;

import dev.balboa.api.Tensor;
import dev.balboa.nn.io.internal.AtomicFiles;
import dev.balboa.nn.io.internal.Json;
import dev.balboa.nn.io.internal.RawTensors;
import dev.balboa.spi.DType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header size {@code N}, then
 * {@code N} bytes of UTF-8 JSON mapping each tensor name to
 * {@code {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}} (plus optional string
 * metadata under {@code "__metadata__"}), then the tensors' little-endian bytes, offsets counted
 * from the end of the header.
 *
 * <p>Writing is deterministic and atomic: tensors are laid out by element size (largest first, so
 * every tensor is aligned to its element size) and then by name, the header is padded with spaces
 * to a multiple of 8 bytes, and the file replaces any old one only once complete. Reading checks
 * everything before it allocates: the header size (at most {@link #MAX_HEADER_BYTES} and within
 * the file), well-formed JSON without duplicate names, known dtypes, non-negative shapes whose
 * byte size matches the offsets, and offsets that cover the data exactly without overlap.
 *
 * <pre>{@code
 * SafeTensors.write(path, model.stateDict(), Map.of("step", "1000"));
 * try (SafeTensors.Reader r = SafeTensors.open(path)) {   // memory-mapped
 *     Tensor w = r.tensor("fc1.weight");                     // copied out of the mapping on demand
 * }
 * }</pre>
 */
public final class SafeTensors {
    /** The largest JSON header accepted when reading. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    /** The key of the optional string-to-string metadata map in the header. */
    public static final String METADATA_KEY = "__metadata__";

    private SafeTensors() {}

    /**
     * Where one tensor lives in a file.
     *
     * @param name  the tensor's name
     * @param dtype its element type
     * @param shape its shape
     * @param begin first byte, counted from the start of the data section
     * @param end   one past the last byte
     */
    public record Entry(String name, DType dtype, long[] shape, long begin, long end) {
        /** Copies the shape so the record stays immutable. */
        public Entry {
            shape = shape.clone();
        }

        @Override
        public long[] shape() { return shape.clone(); }

        @Override
        public String toString() {
            return name + ": " + dtype + " " + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
        }
    }

    /** The format's name for {@code dtype} ("F32", "BF16", ...). */
    public static String dtypeName(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> "F32";
            case FLOAT64 -> "F64";
            case FLOAT16 -> "F16";
            case BFLOAT16 -> "BF16";
            case INT8 -> "I8";
            case UINT8 -> "U8";
            case INT32 -> "I32";
            case INT64 -> "I64";
            case BOOL -> "BOOL";
        };
    }

    private static DType dtypeOf(String name, String source, String tensor) {
        return switch (name) {
            case "F32" -> DType.FLOAT32;
            case "F64" -> DType.FLOAT64;
            case "F16" -> DType.FLOAT16;
            case "BF16" -> DType.BFLOAT16;
            case "I8" -> DType.INT8;
            case "U8" -> DType.UINT8;
            case "I32" -> DType.INT32;
            case "I64" -> DType.INT64;
            case "BOOL" -> DType.BOOL;
            default -> throw new IllegalArgumentException(source + ": tensor '" + tensor + "' has dtype \"" + name
                    + "\", which is not supported (F32, F64, F16, BF16, I8, U8, I32, I64, BOOL)");
        };
    }

    // ================================================================ writing

    /** Writes {@code tensors} to {@code path} atomically, without metadata. */
    public static void write(Path path, Map<String, Tensor> tensors) throws IOException {
        write(path, tensors, Map.of());
    }

    /** Writes {@code tensors} and string {@code metadata} to {@code path} atomically. */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Layout layout = layout(tensors, metadata);
        AtomicFiles.write(path, ch -> {
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(layout.prefix));
            for (Map.Entry<String, Tensor> e : layout.order) {
                AtomicFiles.writeFully(ch, ByteBuffer.wrap(RawTensors.toBytes(e.getValue(), ByteOrder.LITTLE_ENDIAN)));
            }
        });
    }

    /** The bytes of a safetensors file holding {@code tensors} and {@code metadata} (for small files and tests). */
    public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Layout layout = layout(tensors, metadata);
        List<byte[]> parts = new ArrayList<>();
        long total = layout.prefix.length;
        for (Map.Entry<String, Tensor> e : layout.order) {
            byte[] b = RawTensors.toBytes(e.getValue(), ByteOrder.LITTLE_ENDIAN);
            parts.add(b);
            total += b.length;
        }
        if (total > RawTensors.MAX_ELEMENTS) throw new IllegalArgumentException("safetensors: " + total + " bytes do not fit a byte array; write to a file");
        byte[] out = Arrays.copyOf(layout.prefix, (int) total);
        int at = layout.prefix.length;
        for (byte[] b : parts) {
            System.arraycopy(b, 0, out, at, b.length);
            at += b.length;
        }
        return out;
    }

    private record Layout(byte[] prefix, List<Map.Entry<String, Tensor>> order) {}

    private static Layout layout(Map<String, Tensor> tensors, Map<String, String> metadata) {
        List<Map.Entry<String, Tensor>> order = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty()) throw new IllegalArgumentException("safetensors: tensor names must be non-empty");
            if (name.equals(METADATA_KEY)) throw new IllegalArgumentException("safetensors: the name " + METADATA_KEY + " is reserved for metadata");
            if (e.getValue() == null) throw new IllegalArgumentException("safetensors: tensor '" + name + "' is null");
            order.add(Map.entry(name, e.getValue()));
        }
        order.sort(Comparator.<Map.Entry<String, Tensor>>comparingInt(e -> -e.getValue().dtype().byteSize())
                .thenComparing(Map.Entry::getKey));
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            Map<String, Object> meta = new java.util.TreeMap<>();
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) throw new IllegalArgumentException("safetensors: metadata keys and values must be non-null");
                meta.put(e.getKey(), e.getValue());
            }
            header.put(METADATA_KEY, meta);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : order) {
            Tensor t = e.getValue();
            long bytes = t.numel() * t.dtype().byteSize();
            List<Object> shape = new ArrayList<>();
            for (long d : t.shape()) shape.add(d);
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", dtypeName(t.dtype()));
            info.put("shape", shape);
            info.put("data_offsets", List.of(offset, offset + bytes));
            header.put(e.getKey(), info);
            offset += bytes;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] prefix = new byte[8 + padded];
        ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        System.arraycopy(json, 0, prefix, 8, json.length);
        Arrays.fill(prefix, 8 + json.length, prefix.length, (byte) ' ');
        return new Layout(prefix, order);
    }

    // ================================================================ reading

    /** Reads every tensor of the file at {@code path} into memory (through a temporary mapping). */
    public static Map<String, Tensor> read(Path path) throws IOException {
        try (Reader r = open(path)) {
            return r.tensors();
        }
    }

    /**
     * Opens {@code path} by memory-mapping it and validating its header; tensors are copied out of
     * the mapping when asked for. Close the reader to unmap the file.
     */
    public static Reader open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            MemorySegment seg = size == 0 ? MemorySegment.NULL.reinterpret(0) : ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            return new Reader(seg, path.toString(), arena);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Parses a safetensors file held in memory; {@code source} names it in errors. */
    public static Reader read(byte[] bytes, String source) {
        return new Reader(MemorySegment.ofArray(bytes), source, null);
    }

    /**
     * An open safetensors file: its validated header, and tensors copied out on demand. Safe to
     * use from several threads; closing it unmaps a mapped file, after which tensors can no longer
     * be read.
     */
    public static final class Reader implements AutoCloseable {
        private final MemorySegment data;
        private final String source;
        private final Arena arena;
        private final long dataStart;
        private final Map<String, Entry> entries;
        private final Map<String, String> metadata;

        private Reader(MemorySegment file, String source, Arena arena) {
            this.source = source;
            this.arena = arena;
            long size = file.byteSize();
            if (size < 8) throw bad("the file is " + size + " bytes, shorter than the 8-byte header size");
            long n = file.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
            if (n < 0 || n > MAX_HEADER_BYTES) {
                throw bad("header size " + Long.toUnsignedString(n) + " is out of range (at most " + MAX_HEADER_BYTES + " bytes)");
            }
            if (n > size - 8) throw bad("header size " + n + " is larger than the " + (size - 8) + " bytes after the size field");
            this.dataStart = 8 + n;
            this.data = file;
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(file.asSlice(8, n).asByteBuffer()).toString();
            } catch (CharacterCodingException e) {
                throw bad("the header is not valid UTF-8");
            }
            Object parsed = Json.parse(text, source + " (safetensors header)");
            if (!(parsed instanceof Map<?, ?> top)) throw bad("the header is not a JSON object");
            Map<String, Entry> found = new LinkedHashMap<>();
            Map<String, String> meta = Map.of();
            for (Map.Entry<?, ?> e : top.entrySet()) {
                String name = (String) e.getKey();
                if (name.equals(METADATA_KEY)) meta = metadata(e.getValue());
                else found.put(name, entry(name, e.getValue()));
            }
            checkCoverage(found.values(), size - dataStart);
            this.entries = Collections.unmodifiableMap(found);
            this.metadata = meta;
        }

        private IllegalArgumentException bad(String what) {
            return new IllegalArgumentException(source + ": not a valid safetensors file: " + what);
        }

        private Map<String, String> metadata(Object v) {
            if (!(v instanceof Map<?, ?> m)) throw bad(METADATA_KEY + " must be an object of strings");
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getValue() instanceof String s)) throw bad(METADATA_KEY + " value of '" + e.getKey() + "' is not a string");
                out.put((String) e.getKey(), s);
            }
            return Collections.unmodifiableMap(out);
        }

        private Entry entry(String name, Object v) {
            if (!(v instanceof Map<?, ?> m)) throw bad("entry '" + name + "' is not an object");
            for (Object k : m.keySet()) {
                if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
                    throw bad("entry '" + name + "' has an unknown field \"" + k + "\"");
                }
            }
            if (!(m.get("dtype") instanceof String dt)) throw bad("entry '" + name + "' has no string \"dtype\"");
            DType dtype = dtypeOf(dt, source, name);
            long[] shape = longs(name, "shape", m.get("shape"), -1);
            long[] offsets = longs(name, "data_offsets", m.get("data_offsets"), 2);
            long numel;
            try {
                numel = RawTensors.numel(source + ": tensor '" + name + "'", shape);
            } catch (IllegalArgumentException e) {
                throw bad(e.getMessage());
            }
            long begin = offsets[0], end = offsets[1];
            if (begin > end) throw bad("tensor '" + name + "' has data_offsets [" + begin + ", " + end + "] with begin after end");
            long expected = numel * dtype.byteSize();
            if (end - begin != expected) {
                throw bad("tensor '" + name + "' of dtype " + dt + " and shape " + Arrays.toString(shape) + " needs " + expected
                        + " bytes but its data_offsets [" + begin + ", " + end + "] span " + (end - begin));
            }
            return new Entry(name, dtype, shape, begin, end);
        }

        private long[] longs(String name, String field, Object v, int length) {
            if (!(v instanceof List<?> l)) throw bad("entry '" + name + "' has no array \"" + field + "\"");
            if (length >= 0 && l.size() != length) throw bad("entry '" + name + "' field \"" + field + "\" must have " + length + " elements, has " + l.size());
            if (l.size() > 64) throw bad("entry '" + name + "' has " + l.size() + " dims (at most 64)");
            long[] out = new long[l.size()];
            for (int k = 0; k < out.length; k++) {
                if (!(l.get(k) instanceof Long x) || x < 0) {
                    throw bad("entry '" + name + "' field \"" + field + "\" must hold non-negative integers, got " + l.get(k));
                }
                out[k] = x;
            }
            return out;
        }

        private void checkCoverage(java.util.Collection<Entry> all, long dataBytes) {
            List<Entry> sorted = new ArrayList<>(all);
            sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
            long at = 0;
            for (Entry e : sorted) {
                if (e.begin() != at) {
                    throw bad(e.begin() > at ? "bytes [" + at + ", " + e.begin() + ") of the data belong to no tensor (before '" + e.name() + "')"
                            : "tensor '" + e.name() + "' at [" + e.begin() + ", " + e.end() + ") overlaps the tensor before it, which ends at " + at);
                }
                at = e.end();
            }
            if (at != dataBytes) {
                throw bad(at > dataBytes ? "the tensors need " + at + " bytes of data but the file has " + dataBytes + " after the header"
                        : "the file has " + dataBytes + " bytes of data after the header but the tensors cover only " + at);
            }
        }

        /** The string metadata stored under {@code __metadata__} (empty when absent). */
        public Map<String, String> metadata() { return metadata; }

        /** The tensors' names in header order. */
        public List<String> names() { return List.copyOf(entries.keySet()); }

        /** Every tensor's name, dtype, shape and byte range, in header order. */
        public Map<String, Entry> entries() { return entries; }

        /** Whether the file holds a tensor named {@code name}. */
        public boolean contains(String name) { return entries.containsKey(name); }

        /** The tensor named {@code name}, copied out of the file. */
        public Tensor tensor(String name) {
            Entry e = entries.get(name);
            if (e == null) throw new IllegalArgumentException(source + ": no tensor named '" + name + "' (the file has " + entries.keySet() + ")");
            return RawTensors.fromBytes(data, dataStart + e.begin(), e.dtype(), e.shape(), ByteOrder.LITTLE_ENDIAN);
        }

        /** Every tensor, copied out of the file, in header order. */
        public Map<String, Tensor> tensors() {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (String name : entries.keySet()) out.put(name, tensor(name));
            return out;
        }

        /** Unmaps the file (nothing to do for in-memory bytes). */
        @Override
        public void close() {
            if (arena != null) arena.close();
        }
    }

}
