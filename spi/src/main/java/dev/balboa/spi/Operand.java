package dev.balboa.spi;

import java.util.Arrays;
import java.util.Objects;

/**
 * A strided view over a {@link Buffer}, as a kernel sees its inputs and outputs: element
 * {@code [i0, i1, ...]} lives at {@code offset + i0*strides[0] + i1*strides[1] + ...} (in elements).
 * Strides may be 0 (broadcast) but are never negative.
 *
 * @param buffer  the memory
 * @param shape   sizes of each dimension, each 0 or more
 * @param strides element strides of each dimension, each 0 or more
 * @param offset  element offset of element [0, 0, ...]
 */
public record Operand(Buffer buffer, long[] shape, long[] strides, long offset) {

    public Operand {
        Objects.requireNonNull(buffer, "buffer");
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " and strides "
                    + Arrays.toString(strides) + " differ in rank");
        }
    }

    /** Element type (that of the buffer). */
    public DType dtype() { return buffer.dtype(); }

    /** Number of dimensions. */
    public int rank() { return shape.length; }

    /** Number of elements in the view. */
    public long numel() {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }

    /** True when the view is row-major contiguous (size-1 dimensions may have any stride). */
    public boolean isContiguous() {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] == 1) continue;
            if (strides[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    /** Row-major contiguous strides for a shape. */
    public static long[] contiguousStrides(long[] shape) {
        long[] strides = new long[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = s;
            s *= Math.max(shape[d], 1);
        }
        return strides;
    }

    /** A contiguous operand covering a whole buffer with the given shape. */
    public static Operand contiguous(Buffer buffer, long... shape) {
        return new Operand(buffer, shape.clone(), contiguousStrides(shape), 0);
    }

    @Override
    public String toString() {
        return "Operand[" + dtype() + ", shape=" + Arrays.toString(shape) + ", strides=" + Arrays.toString(strides)
                + ", offset=" + offset + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Operand other && buffer == other.buffer && offset == other.offset
                && Arrays.equals(shape, other.shape) && Arrays.equals(strides, other.strides);
    }

    @Override
    public int hashCode() {
        return Objects.hash(System.identityHashCode(buffer), Arrays.hashCode(shape), Arrays.hashCode(strides), offset);
    }
}
