package dev.balboa.nn.io.internal;

import dev.balboa.api.Tensor;
import dev.balboa.spi.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Conversion between tensors and their raw element bytes (either byte order), shared by the
 * file readers and writers. Every element count is checked to fit a Java array before anything is
 * allocated.
 */
public final class RawTensors {
    /** The largest element count a tensor read from a file may have (the limit of a Java array). */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private RawTensors() {}

    /**
     * The number of elements of {@code shape}, or an exception naming {@code what} when a dim is
     * negative or the product overflows or exceeds {@link #MAX_ELEMENTS}.
     */
    public static long numel(String what, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException(what + ": negative dimension " + d + " in shape " + java.util.Arrays.toString(shape));
            if (d != 0 && n > MAX_ELEMENTS / d) {
                throw new IllegalArgumentException(what + ": shape " + java.util.Arrays.toString(shape)
                        + " has more than " + MAX_ELEMENTS + " elements");
            }
            n *= d;
        }
        return n;
    }

    /**
     * A new tensor of {@code dtype} and {@code shape} from the raw elements at {@code offset} of
     * {@code src} in byte order {@code order}. The caller has checked that the bytes are there.
     */
    public static Tensor fromBytes(MemorySegment src, long offset, DType dtype, long[] shape, ByteOrder order) {
        int n = Math.toIntExact(numel("tensor", shape));
        Tensor t = switch (dtype) {
            case FLOAT32 -> {
                float[] a = new float[n];
                MemorySegment.copy(src, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(order), offset, a, 0, n);
                yield Tensor.of(a, flat(n));
            }
            case FLOAT64 -> {
                double[] a = new double[n];
                MemorySegment.copy(src, ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(order), offset, a, 0, n);
                yield Tensor.of(a, flat(n));
            }
            case INT32 -> {
                int[] a = new int[n];
                MemorySegment.copy(src, ValueLayout.JAVA_INT_UNALIGNED.withOrder(order), offset, a, 0, n);
                yield Tensor.of(a, flat(n));
            }
            case INT64 -> {
                long[] a = new long[n];
                MemorySegment.copy(src, ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order), offset, a, 0, n);
                yield Tensor.of(a, flat(n));
            }
            case UINT8, INT8 -> {
                byte[] a = new byte[n];
                MemorySegment.copy(src, ValueLayout.JAVA_BYTE, offset, a, 0, n);
                yield Tensor.of(a, dtype, flat(n));
            }
            case BOOL -> {
                byte[] a = new byte[n];
                MemorySegment.copy(src, ValueLayout.JAVA_BYTE, offset, a, 0, n);
                for (int i = 0; i < n; i++) a[i] = (byte) (a[i] != 0 ? 1 : 0);
                yield Tensor.of(a, DType.BOOL, flat(n));
            }
            case FLOAT16, BFLOAT16 -> {
                short[] bits = new short[n];
                MemorySegment.copy(src, ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order), offset, bits, 0, n);
                float[] a = new float[n];
                // every half and bfloat16 value is exactly a float, so the cast back is exact
                if (dtype == DType.FLOAT16) for (int i = 0; i < n; i++) a[i] = Float.float16ToFloat(bits[i]);
                else for (int i = 0; i < n; i++) a[i] = Float.intBitsToFloat((bits[i] & 0xffff) << 16);
                yield Tensor.of(a, flat(n)).to(dtype);
            }
        };
        return t.reshape(shape);
    }

    /** {@link #fromBytes(MemorySegment, long, DType, long[], ByteOrder)} over a byte array. */
    public static Tensor fromBytes(byte[] src, int offset, DType dtype, long[] shape, ByteOrder order) {
        return fromBytes(MemorySegment.ofArray(src), offset, dtype, shape, order);
    }

    private static long[] flat(int n) { return new long[] {n}; }

    /** The elements of {@code t} in row-major order as raw bytes in byte order {@code order}. */
    public static byte[] toBytes(Tensor t, ByteOrder order) {
        long total = t.numel() * t.dtype().byteSize();
        if (total > MAX_ELEMENTS) {
            throw new IllegalArgumentException("tensor of shape " + java.util.Arrays.toString(t.shape()) + " and dtype "
                    + t.dtype() + " is larger than " + MAX_ELEMENTS + " bytes");
        }
        int n = (int) t.numel();
        byte[] out = new byte[(int) total];
        MemorySegment dst = MemorySegment.ofArray(out);
        switch (t.dtype()) {
            case FLOAT32 -> MemorySegment.copy(t.toFloatArray(), 0, dst, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(order), 0, n);
            case FLOAT64 -> MemorySegment.copy(t.toDoubleArray(), 0, dst, ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(order), 0, n);
            case INT32 -> MemorySegment.copy(t.toIntArray(), 0, dst, ValueLayout.JAVA_INT_UNALIGNED.withOrder(order), 0, n);
            case INT64 -> MemorySegment.copy(t.toLongArray(), 0, dst, ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order), 0, n);
            case UINT8, INT8 -> {
                int[] a = t.toIntArray();
                for (int i = 0; i < n; i++) out[i] = (byte) a[i];
            }
            case BOOL -> {
                boolean[] a = t.toBooleanArray();
                for (int i = 0; i < n; i++) out[i] = (byte) (a[i] ? 1 : 0);
            }
            case FLOAT16, BFLOAT16 -> {
                float[] a = t.toFloatArray();
                short[] bits = new short[n];
                if (t.dtype() == DType.FLOAT16) for (int i = 0; i < n; i++) bits[i] = Float.floatToFloat16(a[i]);
                else for (int i = 0; i < n; i++) bits[i] = (short) (Float.floatToRawIntBits(a[i]) >>> 16);
                MemorySegment.copy(bits, 0, dst, ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order), 0, n);
            }
        }
        return out;
    }
}
