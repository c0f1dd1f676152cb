package dev.balboa.device.cpu.internal;

import dev.balboa.spi.DType;
import dev.balboa.spi.Operand;

/**
 * Element access for the generic scalar kernels: reads any dtype as a double or a long and
 * writes from either, with Op.Copy's conversion rules (float to integer truncates toward zero,
 * NaN gives 0; narrowing wraps; bool stores {@code v != 0}; uint8 reads unsigned; float16 and
 * bfloat16 round to nearest even).
 */
abstract sealed class Access {

    /** The value at array index i as a double. */
    abstract double getD(int i);

    /** The value at array index i as a long (floating values truncate toward zero). */
    abstract long getL(int i);

    /** Stores a double, converting to this dtype. */
    abstract void setD(int i, double v);

    /** Stores a long, converting to this dtype. */
    abstract void setL(int i, long v);

    /** An accessor over the buffer of a view. */
    static Access of(Operand o) {
        return of((CpuBuffer) o.buffer());
    }

    /** An accessor over a CPU buffer. */
    static Access of(CpuBuffer b) {
        return switch (b.dtype()) {
            case BOOL -> new Bool(b.i8());
            case UINT8 -> new U8(b.i8());
            case INT8 -> new I8(b.i8());
            case INT32 -> new I32(b.i32());
            case INT64 -> new I64(b.i64());
            case FLOAT16 -> new F16(b.i16());
            case BFLOAT16 -> new BF16(b.i16());
            case FLOAT32 -> new F32(b.f32());
            case FLOAT64 -> new F64(b.f64());
        };
    }

    /** True when values of this dtype are handled in the double domain. */
    static boolean floating(DType t) { return t.isFloatingPoint(); }

    /** float to bfloat16 bits, round to nearest even; NaN stays a (quiet) NaN. */
    static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return (short) ((bits >>> 16) | 0x40);
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    /** bfloat16 bits to float (exact). */
    static float bf16ToFloat(short h) { return Float.intBitsToFloat(h << 16); }

    /** float to float16 bits, round to nearest even. */
    static short floatToF16(float f) { return Float.floatToFloat16(f); }

    /** float16 bits to float (exact). */
    static float f16ToFloat(short h) { return Float.float16ToFloat(h); }

    /** double to float16 bits (through float). */
    static short doubleToF16(double d) { return Float.floatToFloat16((float) d); }

    /** double to bfloat16 bits (through float). */
    static short doubleToBf16(double d) { return floatToBf16((float) d); }

    /** Access to bool as one byte holding 0 or 1. */
    static final class Bool extends Access {
        final byte[] a;
        Bool(byte[] a) { this.a = a; }
        double getD(int i) { return a[i] != 0 ? 1 : 0; }
        long getL(int i) { return a[i] != 0 ? 1 : 0; }
        void setD(int i, double v) { a[i] = (byte) (v != 0 ? 1 : 0); }
        void setL(int i, long v) { a[i] = (byte) (v != 0 ? 1 : 0); }
    }

    /** Access to uint8: bytes read unsigned. */
    static final class U8 extends Access {
        final byte[] a;
        U8(byte[] a) { this.a = a; }
        double getD(int i) { return a[i] & 0xFF; }
        long getL(int i) { return a[i] & 0xFF; }
        void setD(int i, double v) { a[i] = (byte) (long) v; }
        void setL(int i, long v) { a[i] = (byte) v; }
    }

    /** Access to int8 bytes. */
    static final class I8 extends Access {
        final byte[] a;
        I8(byte[] a) { this.a = a; }
        double getD(int i) { return a[i]; }
        long getL(int i) { return a[i]; }
        void setD(int i, double v) { a[i] = (byte) (long) v; }
        void setL(int i, long v) { a[i] = (byte) v; }
    }

    /** Access to int32 ints. */
    static final class I32 extends Access {
        final int[] a;
        I32(int[] a) { this.a = a; }
        double getD(int i) { return a[i]; }
        long getL(int i) { return a[i]; }
        void setD(int i, double v) { a[i] = (int) (long) v; }
        void setL(int i, long v) { a[i] = (int) v; }
    }

    /** Access to int64 longs. */
    static final class I64 extends Access {
        final long[] a;
        I64(long[] a) { this.a = a; }
        double getD(int i) { return a[i]; }
        long getL(int i) { return a[i]; }
        void setD(int i, double v) { a[i] = (long) v; }
        void setL(int i, long v) { a[i] = v; }
    }

    /** Access to float16 bit patterns in shorts. */
    static final class F16 extends Access {
        final short[] a;
        F16(short[] a) { this.a = a; }
        double getD(int i) { return f16ToFloat(a[i]); }
        long getL(int i) { return (long) f16ToFloat(a[i]); }
        void setD(int i, double v) { a[i] = doubleToF16(v); }
        void setL(int i, long v) { a[i] = floatToF16((float) v); }
    }

    /** Access to bfloat16 bit patterns in shorts (upper half of a float). */
    static final class BF16 extends Access {
        final short[] a;
        BF16(short[] a) { this.a = a; }
        double getD(int i) { return bf16ToFloat(a[i]); }
        long getL(int i) { return (long) bf16ToFloat(a[i]); }
        void setD(int i, double v) { a[i] = doubleToBf16(v); }
        void setL(int i, long v) { a[i] = floatToBf16((float) v); }
    }

    /** Access to float32 floats. */
    static final class F32 extends Access {
        final float[] a;
        F32(float[] a) { this.a = a; }
        double getD(int i) { return a[i]; }
        long getL(int i) { return (long) a[i]; }
        void setD(int i, double v) { a[i] = (float) v; }
        void setL(int i, long v) { a[i] = (float) v; }
    }

    /** Access to float64 doubles. */
    static final class F64 extends Access {
        final double[] a;
        F64(double[] a) { this.a = a; }
        double getD(int i) { return a[i]; }
        long getL(int i) { return (long) a[i]; }
        void setD(int i, double v) { a[i] = v; }
        void setL(int i, long v) { a[i] = (double) v; }
    }
}
