package org.example.balboa.reference;

import dev.balboa.spi.Backend;
import dev.balboa.spi.Buffer;
import dev.balboa.spi.DType;

/**
 * Reference device memory: a double[] for floating dtypes (each value already rounded to the
 * dtype) or a long[] for integral and bool dtypes (each value already wrapped to the dtype).
 */
final class ReferenceBuffer implements Buffer {
    private final ReferenceBackend backend;
    private final DType dtype;
    final double[] f;
    final long[] l;

    ReferenceBuffer(ReferenceBackend backend, DType dtype, long length) {
        if (length < 0 || length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("reference: cannot allocate " + length + " elements of " + dtype);
        }
        this.backend = backend;
        this.dtype = dtype;
        this.f = dtype.isFloatingPoint() ? new double[(int) length] : null;
        this.l = dtype.isFloatingPoint() ? null : new long[(int) length];
    }

    @Override public Backend backend() { return backend; }
    @Override public DType dtype() { return dtype; }
    @Override public long length() { return f != null ? f.length : l.length; }

    /** Element {@code i} as a double (integers converted exactly up to 2^53). */
    double getD(long i) { return f != null ? f[(int) i] : (double) l[(int) i]; }

    /** Element {@code i} as a long (floats truncated toward zero, NaN to 0). */
    long getL(long i) { return f != null ? Numerics.fromDouble(DType.INT64, f[(int) i]) : l[(int) i]; }

    /** Stores a double, rounding (floating dtypes) or converting as Copy does (others). */
    void setD(long i, double v) {
        if (f != null) f[(int) i] = Numerics.round(dtype, v);
        else l[(int) i] = Numerics.fromDouble(dtype, v);
    }

    /** Stores a long, wrapping (integral dtypes) or rounding its double value (floating dtypes). */
    void setL(long i, long v) {
        if (f != null) f[(int) i] = Numerics.round(dtype, dtype == DType.FLOAT32 ? (double) (float) v : (double) v);
        else l[(int) i] = Numerics.wrap(dtype, v);
    }

    @Override
    public String toString() { return "ReferenceBuffer[" + dtype + " x " + length() + "]"; }
}
