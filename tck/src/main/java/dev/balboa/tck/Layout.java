package dev.balboa.tck;

import dev.balboa.spi.Operand;

/**
 * How the kit lays a logical tensor out in device memory. Every layout leaves gaps or spare room
 * that the kit fills with sentinels, so reads or writes outside the view are detected.
 */
enum Layout {
    /** Row-major, offset 0, buffer exactly the size of the view. */
    CONTIGUOUS,
    /** Row-major at element offset 5 inside a larger buffer. */
    OFFSET,
    /** The dimensions stored in reverse order (a transposed view). */
    TRANSPOSED,
    /** A slice {@code [1:, ..., 1::2]} of a larger buffer: gaps in every dimension, non-unit inner stride, nonzero offset. */
    SLICED,
    /** Stride 0 in the dimensions the operand is broadcast along (the rest row-major). */
    BROADCAST;

    /** Strides, offset and buffer length of one operand. */
    record Placement(long[] strides, long offset, long length) {}

    /** Places a view of {@code shape}; {@code broadcast} marks the stride-0 dimensions (BROADCAST only). */
    Placement place(long[] shape, boolean[] broadcast) {
        int r = shape.length;
        long numel = HostTensor.numel(shape);
        switch (this) {
            case CONTIGUOUS -> { return new Placement(Operand.contiguousStrides(shape), 0, numel); }
            case OFFSET -> { return new Placement(Operand.contiguousStrides(shape), 5, numel + 8); }
            case TRANSPOSED -> {
                long[] reversed = new long[r];
                for (int k = 0; k < r; k++) reversed[k] = shape[r - 1 - k];
                long[] rs = Operand.contiguousStrides(reversed);
                long[] strides = new long[r];
                for (int k = 0; k < r; k++) strides[k] = rs[r - 1 - k];
                return new Placement(strides, 0, numel);
            }
            case SLICED -> {
                if (r == 0) return new Placement(new long[0], 3, 5);
                long[] physical = new long[r];
                for (int k = 0; k < r; k++) physical[k] = k == r - 1 ? 2 * shape[k] + 1 : shape[k] + 1;
                long[] ps = Operand.contiguousStrides(physical);
                long[] strides = ps.clone();
                strides[r - 1] = 2;
                long offset = 0;
                for (int k = 0; k < r; k++) offset += ps[k];
                return new Placement(strides, offset, numel == 0 ? offset + 1 : HostTensor.numel(physical));
            }
            case BROADCAST -> {
                long[] small = shape.clone();
                for (int k = 0; k < r; k++) if (broadcast != null && broadcast[k]) small[k] = 1;
                long[] strides = Operand.contiguousStrides(small);
                for (int k = 0; k < r; k++) if (broadcast != null && broadcast[k]) strides[k] = 0;
                return new Placement(strides, 0, HostTensor.numel(small));
            }
            default -> throw new AssertionError(this);
        }
    }

    @Override
    public String toString() { return name().toLowerCase(); }
}
