package dev.balboa.device.cpu.internal.gemm;

import dev.balboa.device.cpu.internal.CpuBuffer;
import dev.balboa.spi.Buffer;
import dev.balboa.spi.DType;
import dev.balboa.spi.Operand;

/**
 * Element access for the generic (any dtype, any strides) paths of the GEMM and convolution
 * kernels: gathers a strided operand into a dense row-major array of float, double or long
 * (converting from its dtype), and scatters such an array back into an operand (converting to
 * its dtype: float16 and bfloat16 round to nearest even, integers wrap as two's complement).
 */
public final class Elements {
    private Elements() {}

    /** The CPU buffer behind an operand, or an error naming the op when it lives elsewhere. */
    public static CpuBuffer cpu(Operand o, String op) {
        Buffer b = o.buffer();
        if (b instanceof CpuBuffer c) return c;
        throw new IllegalArgumentException(op + ": operand on device " + b.backend().device() + " given to the cpu device");
    }

    /** Flat array index of every element of {@code o} in row-major order of its shape. */
    public static int[] indices(Operand o) {
        long n = o.numel();
        int[] idx = new int[Math.toIntExact(n)];
        if (n == 0) return idx;
        long[] shape = o.shape(), strides = o.strides();
        int rank = shape.length;
        long[] pos = new long[rank];
        long off = o.offset();
        for (int i = 0; i < idx.length; i++) {
            idx[i] = (int) off;
            for (int d = rank - 1; d >= 0; d--) {
                if (++pos[d] < shape[d]) {
                    off += strides[d];
                    break;
                }
                off -= strides[d] * (shape[d] - 1);
                pos[d] = 0;
            }
        }
        return idx;
    }

    /** The elements of {@code o}, in row-major order, converted to float. */
    public static float[] denseF32(Operand o) {
        CpuBuffer b = cpu(o, "copy");
        int[] idx = indices(o);
        float[] r = new float[idx.length];
        switch (b.dtype()) {
            case FLOAT32 -> { float[] s = b.f32(); for (int i = 0; i < r.length; i++) r[i] = s[idx[i]]; }
            case FLOAT64 -> { double[] s = b.f64(); for (int i = 0; i < r.length; i++) r[i] = (float) s[idx[i]]; }
            case FLOAT16 -> { short[] s = b.i16(); for (int i = 0; i < r.length; i++) r[i] = Float.float16ToFloat(s[idx[i]]); }
            case BFLOAT16 -> { short[] s = b.i16(); for (int i = 0; i < r.length; i++) r[i] = bf16ToFloat(s[idx[i]]); }
            default -> { for (int i = 0; i < r.length; i++) r[i] = (float) getLong(b, idx[i]); }
        }
        return r;
    }

    /** The elements of {@code o}, in row-major order, converted to double. */
    public static double[] denseF64(Operand o) {
        CpuBuffer b = cpu(o, "copy");
        int[] idx = indices(o);
        double[] r = new double[idx.length];
        if (b.dtype() == DType.FLOAT64) {
            double[] s = b.f64();
            for (int i = 0; i < r.length; i++) r[i] = s[idx[i]];
        } else if (b.dtype().isFloatingPoint()) {
            for (int i = 0; i < r.length; i++) r[i] = getDouble(b, idx[i]);
        } else {
            for (int i = 0; i < r.length; i++) r[i] = getLong(b, idx[i]);
        }
        return r;
    }

    /** The elements of an integer or bool operand, in row-major order, as long. */
    public static long[] denseI64(Operand o) {
        CpuBuffer b = cpu(o, "copy");
        int[] idx = indices(o);
        long[] r = new long[idx.length];
        for (int i = 0; i < r.length; i++) r[i] = getLong(b, idx[i]);
        return r;
    }

    /** Writes {@code src} (row-major over o's shape) into {@code o}, converting to its dtype. */
    public static void store(Operand o, float[] src) {
        CpuBuffer b = cpu(o, "copy");
        int[] idx = indices(o);
        switch (b.dtype()) {
            case FLOAT32 -> { float[] d = b.f32(); for (int i = 0; i < idx.length; i++) d[idx[i]] = src[i]; }
            case FLOAT64 -> { double[] d = b.f64(); for (int i = 0; i < idx.length; i++) d[idx[i]] = src[i]; }
            case FLOAT16 -> { short[] d = b.i16(); for (int i = 0; i < idx.length; i++) d[idx[i]] = Float.floatToFloat16(src[i]); }
            case BFLOAT16 -> { short[] d = b.i16(); for (int i = 0; i < idx.length; i++) d[idx[i]] = floatToBf16(src[i]); }
            default -> { for (int i = 0; i < idx.length; i++) setLong(b, idx[i], (long) src[i]); }
        }
    }

    /** Writes {@code src} (row-major over o's shape) into {@code o}, converting to its dtype. */
    public static void store(Operand o, double[] src) {
        CpuBuffer b = cpu(o, "copy");
        int[] idx = indices(o);
        if (b.dtype().isFloatingPoint()) {
            for (int i = 0; i < idx.length; i++) setDouble(b, idx[i], src[i]);
        } else {
            for (int i = 0; i < idx.length; i++) setLong(b, idx[i], (long) src[i]);
        }
    }

    /** Writes {@code src} (row-major over o's shape) into an integer or bool operand, wrapping. */
    public static void store(Operand o, long[] src) {
        CpuBuffer b = cpu(o, "copy");
        int[] idx = indices(o);
        for (int i = 0; i < idx.length; i++) setLong(b, idx[i], src[i]);
    }

    /** One element of a floating-point buffer as double. */
    public static double getDouble(CpuBuffer b, int i) {
        return switch (b.dtype()) {
            case FLOAT32 -> b.f32()[i];
            case FLOAT64 -> b.f64()[i];
            case FLOAT16 -> Float.float16ToFloat(b.i16()[i]);
            case BFLOAT16 -> bf16ToFloat(b.i16()[i]);
            default -> getLong(b, i);
        };
    }

    /** Stores one element of a floating-point buffer, rounding to its precision. */
    public static void setDouble(CpuBuffer b, int i, double v) {
        switch (b.dtype()) {
            case FLOAT32 -> b.f32()[i] = (float) v;
            case FLOAT64 -> b.f64()[i] = v;
            case FLOAT16 -> b.i16()[i] = Float.floatToFloat16((float) v);
            case BFLOAT16 -> b.i16()[i] = floatToBf16((float) v);
            default -> setLong(b, i, (long) v);
        }
    }

    /** One element of an integer or bool buffer as long (uint8 read unsigned). */
    public static long getLong(CpuBuffer b, int i) {
        return switch (b.dtype()) {
            case INT8 -> b.i8()[i];
            case UINT8, BOOL -> b.i8()[i] & 0xFF;
            case INT32 -> b.i32()[i];
            case INT64 -> b.i64()[i];
            default -> (long) getDouble(b, i);
        };
    }

    /** Stores one element of an integer or bool buffer (narrowing wraps; bool stores v != 0). */
    public static void setLong(CpuBuffer b, int i, long v) {
        switch (b.dtype()) {
            case INT8, UINT8 -> b.i8()[i] = (byte) v;
            case BOOL -> b.i8()[i] = (byte) (v != 0 ? 1 : 0);
            case INT32 -> b.i32()[i] = (int) v;
            case INT64 -> b.i64()[i] = v;
            default -> setDouble(b, i, v);
        }
    }

    /** bfloat16 bits to float. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** float to bfloat16 bits, rounding to nearest even; NaN stays a quiet NaN. */
    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return (short) ((bits >>> 16) | 0x0040);
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }
}
