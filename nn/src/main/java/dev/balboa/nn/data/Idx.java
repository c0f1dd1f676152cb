package dev.balboa.nn.data;

import dev.balboa.api.Tensor;
import dev.balboa.nn.io.internal.AtomicFiles;
import dev.balboa.nn.io.internal.BoundedFiles;
import dev.balboa.nn.io.internal.RawTensors;
import dev.balboa.spi.DType;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads and writes the IDX format of MNIST and Fashion-MNIST: two zero bytes, a type code
 * ({@code 0x08} unsigned byte, {@code 0x09} signed byte, {@code 0x0B} int16, {@code 0x0C} int32,
 * {@code 0x0D} float32, {@code 0x0E} float64), the rank, one big-endian int32 per dimension, then
 * the big-endian elements in row-major order. Gzip-compressed files ({@code .gz}, recognised by
 * their {@code 1f 8b} magic) are decompressed on the fly.
 *
 * <p>Tensors get the matching dtype: uint8 for images and labels, int8, int32 (also for int16,
 * which Balboa lacks), float32, float64. Every length is checked before use: dims must be
 * non-negative, the element count must fit an array and match the data that follows exactly, and
 * the (decompressed) file may not exceed a size limit; a malformed file gives an
 * {@link IOException} naming the file and what was expected.
 */
public final class Idx {
    /** The default limit on the (decompressed) size of a file: 1 GiB. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;
    private static final int MAX_RANK = 32;

    private Idx() {}

    /** Reads the IDX file (raw or gzip) at {@code path}. */
    public static Tensor read(Path path) throws IOException { return read(path, DEFAULT_MAX_BYTES); }

    /** Reads the IDX file at {@code path}, refusing files larger than {@code maxBytes} once decompressed. */
    public static Tensor read(Path path, long maxBytes) throws IOException {
        return parse(BoundedFiles.readAll(path, maxBytes), path.toString(), maxBytes);
    }

    /** Parses IDX {@code bytes} (raw or gzip); {@code source} names them in errors. */
    public static Tensor parse(byte[] bytes, String source, long maxBytes) throws IOException {
        if (BoundedFiles.isGzip(bytes)) bytes = BoundedFiles.gunzip(bytes, maxBytes, source);
        if (bytes.length < 4) throw bad(source, "the file is " + bytes.length + " bytes, shorter than the 4-byte magic number");
        if (bytes[0] != 0 || bytes[1] != 0) {
            throw bad(source, String.format("wrong magic number %02x %02x %02x %02x (expected 00 00, a type code and the rank)",
                    bytes[0], bytes[1], bytes[2], bytes[3]));
        }
        int code = bytes[2] & 0xff;
        int rank = bytes[3] & 0xff;
        int width;
        DType dtype;
        switch (code) {
            case 0x08 -> { dtype = DType.UINT8; width = 1; }
            case 0x09 -> { dtype = DType.INT8; width = 1; }
            case 0x0B -> { dtype = DType.INT32; width = 2; }
            case 0x0C -> { dtype = DType.INT32; width = 4; }
            case 0x0D -> { dtype = DType.FLOAT32; width = 4; }
            case 0x0E -> { dtype = DType.FLOAT64; width = 8; }
            default -> throw bad(source, String.format("unknown type code 0x%02x (expected 0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E)", code));
        }
        if (rank > MAX_RANK) throw bad(source, "rank " + rank + " is larger than " + MAX_RANK);
        long headerBytes = 4L + 4L * rank;
        if (bytes.length < headerBytes) {
            throw bad(source, "truncated header: rank " + rank + " needs " + headerBytes + " header bytes, the file has " + bytes.length);
        }
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        long[] shape = new long[rank];
        for (int i = 0; i < rank; i++) {
            shape[i] = bb.getInt(4 + 4 * i);
            if (shape[i] < 0) throw bad(source, "dimension " + i + " is negative (" + shape[i] + ")");
        }
        long numel;
        try {
            numel = RawTensors.numel(source, shape);
        } catch (IllegalArgumentException e) {
            throw bad(source, e.getMessage());
        }
        long available = bytes.length - headerBytes;
        if (numel > available / width) {
            throw bad(source, "truncated data: shape " + Arrays.toString(shape) + " of " + width + "-byte elements needs "
                    + numel * width + " bytes after the header, the file has " + available);
        }
        if (numel * width != available) {
            throw bad(source, "shape " + Arrays.toString(shape) + " of " + width + "-byte elements needs " + numel * width
                    + " bytes after the header, but " + available + " follow (trailing data)");
        }
        if (width == 2) {
            int n = (int) numel;
            int[] a = new int[n];
            for (int i = 0; i < n; i++) a[i] = bb.getShort((int) headerBytes + 2 * i);
            return Tensor.of(a, new long[] {n}).reshape(shape);
        }
        return RawTensors.fromBytes(bytes, (int) headerBytes, dtype, shape, ByteOrder.BIG_ENDIAN);
    }

    private static IOException bad(String source, String what) {
        return new IOException(source + ": not a valid IDX file: " + what);
    }

    /** The type code used to write {@code dtype}. */
    private static int code(DType dtype) {
        return switch (dtype) {
            case UINT8 -> 0x08;
            case INT8 -> 0x09;
            case INT32 -> 0x0C;
            case FLOAT32 -> 0x0D;
            case FLOAT64 -> 0x0E;
            default -> throw new IllegalArgumentException("Idx: cannot write dtype " + dtype + " (uint8, int8, int32, float32 or float64)");
        };
    }

    /** The IDX bytes of {@code t} (uncompressed). */
    public static byte[] toBytes(Tensor t) {
        int code = code(t.dtype());
        if (t.dim() > MAX_RANK) throw new IllegalArgumentException("Idx: rank " + t.dim() + " is larger than " + MAX_RANK);
        for (long d : t.shape()) {
            if (d > Integer.MAX_VALUE) throw new IllegalArgumentException("Idx: dimension " + d + " does not fit an int32");
        }
        byte[] data = RawTensors.toBytes(t, ByteOrder.BIG_ENDIAN);
        int header = 4 + 4 * t.dim();
        byte[] out = new byte[Math.addExact(header, data.length)];
        MemorySegment seg = MemorySegment.ofArray(out);
        out[2] = (byte) code;
        out[3] = (byte) t.dim();
        long[] shape = t.shape();
        for (int i = 0; i < shape.length; i++) seg.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 4 + 4L * i, (int) shape[i]);
        System.arraycopy(data, 0, out, header, data.length);
        return out;
    }

    /** Writes {@code t} as an uncompressed IDX file, atomically. */
    public static void write(Path path, Tensor t) throws IOException {
        byte[] bytes = toBytes(t);
        AtomicFiles.write(path, ch -> AtomicFiles.writeFully(ch, ByteBuffer.wrap(bytes)));
    }
}
