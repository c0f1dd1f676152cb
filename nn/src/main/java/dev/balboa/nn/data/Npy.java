package dev.balboa.nn.data;

import dev.balboa.api.Tensor;
import dev.balboa.nn.io.internal.AtomicFiles;
import dev.balboa.nn.io.internal.BoundedFiles;
import dev.balboa.nn.io.internal.RawTensors;
import dev.balboa.spi.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes NumPy's {@code .npy} format: the magic {@code \x93NUMPY}, a major and minor
 * version, the header length (little-endian u16 for version 1.0, u32 for 2.0 and 3.0), a Python
 * dict literal {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }} padded with
 * spaces and a newline so the data starts at a multiple of 64 bytes, then the raw elements.
 *
 * <p>Reading accepts versions 1.0, 2.0 and 3.0; the dtypes {@code f2 f4 f8 i1 i4 i8 u1 b1} in
 * either byte order (big-endian data is swapped); and Fortran-order arrays (returned as the same
 * logical array, row-major). The header is bounded ({@link #MAX_HEADER_BYTES}) and the data must
 * match the shape exactly. Writing produces the same bytes as {@code numpy.save} (version 1.0,
 * little-endian, C order, NumPy's header padding); bfloat16 has no NumPy dtype and is refused.
 */
public final class Npy {
    /** The largest header accepted. */
    public static final int MAX_HEADER_BYTES = 1 << 20;
    /** The default limit on a file's size: 2 GiB less a little (the limit of a Java array). */
    public static final long DEFAULT_MAX_BYTES = RawTensors.MAX_ELEMENTS;
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private Npy() {}

    /** Reads the {@code .npy} file at {@code path}. */
    public static Tensor read(Path path) throws IOException {
        return parse(BoundedFiles.readAll(path, DEFAULT_MAX_BYTES), path.toString());
    }

    /** Parses {@code .npy} bytes; {@code source} names them in errors. */
    public static Tensor parse(byte[] b, String source) throws IOException {
        if (b.length < 10) throw bad(source, "the file is " + b.length + " bytes, shorter than the 10-byte preamble");
        for (int i = 0; i < MAGIC.length; i++) {
            if (b[i] != MAGIC[i]) throw bad(source, "wrong magic (expected \\x93NUMPY)");
        }
        int major = b[6] & 0xff, minor = b[7] & 0xff;
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int start;
        switch (major) {
            case 1 -> { headerLen = bb.getShort(8) & 0xffff; start = 10; }
            case 2, 3 -> {
                if (b.length < 12) throw bad(source, "the file is " + b.length + " bytes, shorter than the 12-byte preamble of version " + major);
                headerLen = bb.getInt(8) & 0xffffffffL;
                start = 12;
            }
            default -> throw bad(source, "unsupported format version " + major + "." + minor + " (1.0, 2.0 and 3.0 are read)");
        }
        if (minor != 0) throw bad(source, "unsupported format version " + major + "." + minor);
        if (headerLen > MAX_HEADER_BYTES) throw bad(source, "header length " + headerLen + " is larger than the limit of " + MAX_HEADER_BYTES);
        if (headerLen > b.length - start) {
            throw bad(source, "header length " + headerLen + " is larger than the " + (b.length - start) + " bytes after the preamble");
        }
        String text = new String(b, start, (int) headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> header = PyLiteral.dict(text, source);
        if (!(header.get("descr") instanceof String descr)) throw bad(source, "header has no string 'descr' (structured dtypes are not supported)");
        if (!(header.get("fortran_order") instanceof Boolean fortran)) throw bad(source, "header has no boolean 'fortran_order'");
        if (!(header.get("shape") instanceof List<?> dims)) throw bad(source, "header has no tuple 'shape'");
        if (dims.size() > 64) throw bad(source, "shape has " + dims.size() + " dims (at most 64)");
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Long d) || d < 0) throw bad(source, "shape " + dims + " must hold non-negative integers");
            shape[i] = d;
        }
        ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        DType dtype = dtypeOf(descr, source);
        long numel;
        try {
            numel = RawTensors.numel(source, shape);
        } catch (IllegalArgumentException e) {
            throw bad(source, e.getMessage());
        }
        long dataStart = start + headerLen, available = b.length - dataStart, need = numel * dtype.byteSize();
        if (available != need) {
            throw bad(source, (available < need ? "truncated data: " : "trailing data: ") + "shape " + Arrays.toString(shape) + " of "
                    + descr + " needs " + need + " bytes after the header, the file has " + available);
        }
        if (!fortran || shape.length < 2) return RawTensors.fromBytes(b, (int) dataStart, dtype, shape, order);
        long[] reversed = new long[shape.length];
        int[] perm = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            reversed[i] = shape[shape.length - 1 - i];
            perm[i] = shape.length - 1 - i;
        }
        return RawTensors.fromBytes(b, (int) dataStart, dtype, reversed, order).permute(perm).contiguous();
    }

    private static DType dtypeOf(String descr, String source) throws IOException {
        if (descr.length() < 3 || "<>|=".indexOf(descr.charAt(0)) < 0) throw bad(source, "unsupported descr '" + descr + "'");
        return switch (descr.substring(1)) {
            case "f2" -> DType.FLOAT16;
            case "f4" -> DType.FLOAT32;
            case "f8" -> DType.FLOAT64;
            case "i1" -> DType.INT8;
            case "i4" -> DType.INT32;
            case "i8" -> DType.INT64;
            case "u1" -> DType.UINT8;
            case "b1" -> DType.BOOL;
            default -> throw bad(source, "unsupported dtype '" + descr + "' (f2, f4, f8, i1, i4, i8, u1, b1 are read)");
        };
    }

    private static IOException bad(String source, String what) {
        return new IOException(source + ": not a valid .npy file: " + what);
    }

    /** NumPy's descr for {@code dtype}, little-endian. */
    static String descr(DType dtype) {
        return switch (dtype) {
            case FLOAT16 -> "<f2";
            case FLOAT32 -> "<f4";
            case FLOAT64 -> "<f8";
            case INT8 -> "|i1";
            case INT32 -> "<i4";
            case INT64 -> "<i8";
            case UINT8 -> "|u1";
            case BOOL -> "|b1";
            case BFLOAT16 -> throw new IllegalArgumentException("Npy: NumPy has no bfloat16 dtype; convert with to(DType.FLOAT32) first");
        };
    }

    /** The {@code .npy} bytes of {@code t}, identical to what {@code numpy.save} writes for the same array. */
    public static byte[] toBytes(Tensor t) {
        StringBuilder h = new StringBuilder("{'descr': '").append(descr(t.dtype())).append("', 'fortran_order': False, 'shape': (");
        long[] shape = t.shape();
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) h.append(", ");
            h.append(shape[i]);
        }
        if (shape.length == 1) h.append(',');
        h.append("), }");
        // NumPy leaves room to grow the first dim in place
        if (shape.length > 0) h.append(" ".repeat(Math.max(0, 21 - Long.toString(shape[0]).length())));
        byte[] header = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        int hlen = header.length + 1;
        int pad = 64 - ((MAGIC.length + 2 + 2 + hlen) % 64);
        int total = hlen + pad;
        if (total > 0xffff) throw new IllegalArgumentException("Npy: header of " + total + " bytes is too long for format 1.0");
        byte[] data = RawTensors.toBytes(t, ByteOrder.LITTLE_ENDIAN);
        int start = MAGIC.length + 4 + total;
        byte[] out = new byte[Math.addExact(start, data.length)];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[6] = 1;
        out[7] = 0;
        out[8] = (byte) total;
        out[9] = (byte) (total >>> 8);
        System.arraycopy(header, 0, out, 10, header.length);
        Arrays.fill(out, 10 + header.length, start - 1, (byte) ' ');
        out[start - 1] = '\n';
        System.arraycopy(data, 0, out, start, data.length);
        return out;
    }

    /** Writes {@code t} as a {@code .npy} file, atomically. */
    public static void write(Path path, Tensor t) throws IOException {
        byte[] bytes = toBytes(t);
        AtomicFiles.write(path, ch -> AtomicFiles.writeFully(ch, ByteBuffer.wrap(bytes)));
    }

    /** A parser for the Python literals of a {@code .npy} header: dicts, strings, booleans, integers, tuples and lists. */
    static final class PyLiteral {
        private final String s;
        private final String source;
        private int i;

        private PyLiteral(String s, String source) {
            this.s = s;
            this.source = source;
        }

        static Map<String, Object> dict(String text, String source) throws IOException {
            PyLiteral p = new PyLiteral(text, source);
            Object v = p.value(0);
            p.ws();
            if (p.i != text.length()) throw p.error("unexpected characters after the dict");
            if (!(v instanceof Map<?, ?> m)) throw p.error("the header is not a dict");
            @SuppressWarnings("unchecked")
            Map<String, Object> out = (Map<String, Object>) m;
            return out;
        }

        private IOException error(String what) {
            return new IOException(source + ": not a valid .npy file: malformed header: " + what + " at offset " + i);
        }

        private void ws() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\n' || s.charAt(i) == '\t' || s.charAt(i) == '\r')) i++;
        }

        private Object value(int depth) throws IOException {
            if (depth > 16) throw error("nesting too deep");
            ws();
            if (i >= s.length()) throw error("unexpected end");
            char c = s.charAt(i);
            if (c == '{') return dictBody(depth);
            if (c == '(' || c == '[') return sequence(depth, c == '(' ? ')' : ']');
            if (c == '\'' || c == '"') return string();
            if (s.startsWith("True", i)) { i += 4; return Boolean.TRUE; }
            if (s.startsWith("False", i)) { i += 5; return Boolean.FALSE; }
            if (c == '-' || (c >= '0' && c <= '9')) return integer();
            throw error("unexpected character '" + c + "'");
        }

        private Map<String, Object> dictBody(int depth) throws IOException {
            Map<String, Object> out = new LinkedHashMap<>();
            i++;
            while (true) {
                ws();
                if (i < s.length() && s.charAt(i) == '}') { i++; return out; }
                Object k = value(depth + 1);
                if (!(k instanceof String key)) throw error("dict keys must be strings");
                ws();
                if (i >= s.length() || s.charAt(i) != ':') throw error("expected ':'");
                i++;
                Object v = value(depth + 1);
                if (out.put(key, v) != null) throw error("duplicate key '" + key + "'");
                ws();
                if (i < s.length() && s.charAt(i) == ',') i++;
                else if (i >= s.length() || s.charAt(i) != '}') throw error("expected ',' or '}'");
            }
        }

        private List<Object> sequence(int depth, char close) throws IOException {
            List<Object> out = new ArrayList<>();
            i++;
            while (true) {
                ws();
                if (i < s.length() && s.charAt(i) == close) { i++; return out; }
                if (out.size() >= 64) throw error("sequence longer than 64");
                out.add(value(depth + 1));
                ws();
                if (i < s.length() && s.charAt(i) == ',') i++;
                else if (i >= s.length() || s.charAt(i) != close) throw error("expected ',' or '" + close + "'");
            }
        }

        private String string() throws IOException {
            char q = s.charAt(i++);
            int start = i;
            while (i < s.length() && s.charAt(i) != q) {
                if (s.charAt(i) == '\\') throw error("escapes are not supported in header strings");
                i++;
            }
            if (i >= s.length()) throw error("unterminated string");
            return s.substring(start, i++);
        }

        private Long integer() throws IOException {
            int start = i;
            if (s.charAt(i) == '-') i++;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
            String digits = s.substring(start, i);
            if (i < s.length() && s.charAt(i) == 'L') i++; // Python 2 long suffix
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                i = start;
                throw error("invalid integer '" + digits + "'");
            }
        }
    }
}
