package dev.balboa.tck;

import dev.balboa.spi.DType;

/**
 * How far a floating-point result may stray from the reference: {@code |actual - expected| <=
 * atol + rtol * |expected|}; NaN must match NaN and an infinity the same infinity.
 *
 * @param rtol relative tolerance
 * @param atol absolute tolerance
 */
public record Tolerance(double rtol, double atol) {

    /** Exact agreement (signed zeros compare equal). */
    public static final Tolerance EXACT = new Tolerance(0, 0);

    /**
     * The kit's defaults for one result of an elementwise op: float64 1e-12/1e-14, float32
     * 1e-5/1e-6, float16 2^-9/1e-3 (two units of its epsilon 2^-10), bfloat16 2^-6/1e-2 (two
     * units of its epsilon 2^-7); exact for integral and bool dtypes.
     */
    public static Tolerance defaultFor(DType t) {
        return switch (t) {
            case FLOAT64 -> new Tolerance(1e-12, 1e-14);
            case FLOAT32 -> new Tolerance(1e-5, 1e-6);
            case FLOAT16 -> new Tolerance(0x1p-9, 1e-3);
            case BFLOAT16 -> new Tolerance(0x1p-6, 1e-2);
            default -> EXACT;
        };
    }

    /** The tolerance for a sum of {@code k} terms of magnitude about 1: rtol grows with sqrt(k), atol with k. */
    public Tolerance forTerms(long k) {
        if (k <= 1) return this;
        return new Tolerance(rtol * Math.sqrt(k), atol * k);
    }

    /** Whether {@code actual} is close enough to {@code expected}. */
    public boolean accepts(double expected, double actual) {
        if (Double.isNaN(expected)) return Double.isNaN(actual);
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) return expected == actual;
        return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
    }

    @Override
    public String toString() { return "rtol=" + rtol + " atol=" + atol; }
}
