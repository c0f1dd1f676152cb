package org.example.balboa.reference;

import dev.balboa.spi.DType;

/**
 * Conversions between the values the reference device computes with (double for floating
 * dtypes, long for integral and bool) and the values each dtype can hold.
 */
final class Numerics {
    private Numerics() {}

    /** Rounds a double to the nearest value of a floating dtype, ties to even; overflow gives infinity. */
    static double round(DType t, double v) {
        return switch (t) {
            case FLOAT64 -> v;
            case FLOAT32 -> (double) (float) v;
            case FLOAT16 -> roundBinary(v, 11, -14, 65504.0);
            case BFLOAT16 -> roundBinary(v, 8, -126, 0x1.FEp127);
            default -> throw new IllegalArgumentException("reference: " + t + " is not a floating dtype");
        };
    }

    /**
     * Rounds to a binary format with {@code p} significant bits, smallest normal exponent
     * {@code emin} and largest finite value {@code max}: below the normal range the spacing stays
     * that of the smallest binade (subnormals).
     */
    static double roundBinary(double v, int p, int emin, double max) {
        if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) return v;
        int e = Math.max(Math.getExponent(v), emin);
        double ulp = Math.scalb(1.0, e - (p - 1));
        double r = Math.rint(v / ulp) * ulp;
        return Math.abs(r) > max ? Math.copySign(Double.POSITIVE_INFINITY, v) : r;
    }

    /** Wraps an integer to an integral dtype as two's complement (bool: nonzero gives 1). */
    static long wrap(DType t, long v) {
        return switch (t) {
            case BOOL -> v != 0 ? 1 : 0;
            case UINT8 -> v & 0xFF;
            case INT8 -> (byte) v;
            case INT32 -> (int) v;
            case INT64 -> v;
            default -> throw new IllegalArgumentException("reference: " + t + " is not an integral dtype");
        };
    }

    /** A double converted to an integral or bool dtype: truncation toward zero, NaN to 0, then wrapping; bool is {@code v != 0}. */
    static long fromDouble(DType t, double v) {
        if (t == DType.BOOL) return v != 0 ? 1 : 0;
        if (Double.isNaN(v)) return 0;
        return wrap(t, (long) v);
    }

    /** The 16-bit pattern of a float16 value (already rounded). */
    static short float16Bits(double v) { return Float.floatToFloat16((float) v); }

    /** The 16-bit pattern of a bfloat16 value (already rounded); NaN becomes the quiet NaN 0x7FC0. */
    static short bfloat16Bits(double v) {
        if (Double.isNaN(v)) return (short) 0x7FC0;
        return (short) (Float.floatToRawIntBits((float) v) >>> 16);
    }

    /** The value of a float16 bit pattern. */
    static double fromFloat16(short bits) { return Float.float16ToFloat(bits); }

    /** The value of a bfloat16 bit pattern. */
    static double fromBfloat16(short bits) { return Float.intBitsToFloat((bits & 0xFFFF) << 16); }
}
