package dev.balboa.tck;

import dev.balboa.spi.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * A tensor's logical contents on the host, in row-major order: doubles for floating dtypes
 * (already representable in the dtype), longs for integral and bool dtypes. Also knows how to
 * encode and decode elements in the native host layout of {@code Backend.write}.
 */
final class HostTensor {
    final DType dtype;
    final long[] shape;
    final double[] d;
    final long[] l;

    HostTensor(DType dtype, long[] shape) {
        this.dtype = dtype;
        this.shape = shape.clone();
        int n = Math.toIntExact(numel(shape));
        this.d = dtype.isFloatingPoint() ? new double[n] : null;
        this.l = dtype.isFloatingPoint() ? null : new long[n];
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }

    int numel() { return d != null ? d.length : l.length; }

    /** Element {@code i} as a double. */
    double getD(int i) { return d != null ? d[i] : l[i]; }

    /** Element {@code i} as a long (floats truncated). */
    long getL(int i) { return d != null ? (long) d[i] : l[i]; }

    /** Stores a value, rounding it to the dtype (floating) or wrapping it (integral, bool). */
    void set(int i, double v) {
        if (d != null) d[i] = round(dtype, v);
        else l[i] = wrap(dtype, (long) v);
    }

    void setL(int i, long v) {
        if (d != null) d[i] = round(dtype, v);
        else l[i] = wrap(dtype, v);
    }

    String format(int i) {
        if (d == null) return Long.toString(l[i]);
        return d[i] + " (" + Double.toHexString(d[i]) + ")";
    }

    /** A row-major flat index as a multi-index string. */
    static String index(long[] shape, long flat) {
        long[] idx = new long[shape.length];
        for (int k = shape.length - 1; k >= 0; k--) {
            if (shape[k] == 0) break;
            idx[k] = flat % shape[k];
            flat /= shape[k];
        }
        return Arrays.toString(idx);
    }

    /** Rounds to a floating dtype (float16 and bfloat16 through float, ties to even). */
    static double round(DType t, double v) {
        return switch (t) {
            case FLOAT64 -> v;
            case FLOAT32 -> (float) v;
            case FLOAT16 -> Float.float16ToFloat(Float.floatToFloat16((float) v));
            case BFLOAT16 -> bf16ToFloat(floatToBf16((float) v));
            default -> throw new IllegalArgumentException(t.toString());
        };
    }

    static long wrap(DType t, long v) {
        return switch (t) {
            case BOOL -> v != 0 ? 1 : 0;
            case UINT8 -> v & 0xFF;
            case INT8 -> (byte) v;
            case INT32 -> (int) v;
            case INT64 -> v;
            default -> throw new IllegalArgumentException(t.toString());
        };
    }

    static short floatToBf16(float f) {
        if (Float.isNaN(f)) return (short) 0x7FC0;
        int bits = Float.floatToRawIntBits(f);
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    static float bf16ToFloat(short s) { return Float.intBitsToFloat((s & 0xFFFF) << 16); }

    /** Writes a value (representable in {@code t}) at element {@code i} of a native host segment. */
    static void encode(DType t, MemorySegment seg, long i, double dv, long lv) {
        switch (t) {
            case FLOAT64 -> seg.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i, dv);
            case FLOAT32 -> seg.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) dv);
            case FLOAT16 -> seg.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, Float.floatToFloat16((float) dv));
            case BFLOAT16 -> seg.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, floatToBf16((float) dv));
            case INT64 -> seg.setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i, lv);
            case INT32 -> seg.setAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i, (int) lv);
            case INT8, UINT8, BOOL -> seg.set(ValueLayout.JAVA_BYTE, i, (byte) lv);
        }
    }

    /** Reads element {@code i} of a native host segment as a double (floating dtypes). */
    static double decodeD(DType t, MemorySegment seg, long i) {
        return switch (t) {
            case FLOAT64 -> seg.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i);
            case FLOAT32 -> seg.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
            case FLOAT16 -> Float.float16ToFloat(seg.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i));
            case BFLOAT16 -> bf16ToFloat(seg.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i));
            default -> throw new IllegalArgumentException(t.toString());
        };
    }

    /** Reads element {@code i} of a native host segment as a long (integral and bool dtypes; bool bytes other than 0 and 1 are kept). */
    static long decodeL(DType t, MemorySegment seg, long i) {
        return switch (t) {
            case INT64 -> seg.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i);
            case INT32 -> seg.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i);
            case INT8, BOOL -> seg.get(ValueLayout.JAVA_BYTE, i);
            case UINT8 -> seg.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
            default -> throw new IllegalArgumentException(t.toString());
        };
    }
}
