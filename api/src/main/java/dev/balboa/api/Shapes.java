package dev.balboa.api;

import java.util.Arrays;

/** Shape arithmetic shared by the ops: broadcasting, dim normalisation, element counts, contiguous strides. */
final class Shapes {
    private Shapes() {}

    static final long[] SCALAR = new long[0];

    static String str(long[] shape) {
        return Arrays.toString(shape);
    }

    /** Element count of a shape; throws when a size is negative or the count overflows a long. */
    static long numel(String op, long[] shape) {
        long n = 1;
        for (long s : shape) {
            if (s < 0) throw new IllegalArgumentException(op + ": negative dimension " + s + " in shape " + str(shape));
            n = Math.multiplyHigh(n, s) != 0 || n * s < 0 ? overflow(op, shape) : n * s;
        }
        return n;
    }

    private static long overflow(String op, long[] shape) {
        throw new IllegalArgumentException(op + ": shape " + str(shape) + " has more elements than a long can count");
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }

    static long[] contiguousStrides(long[] shape) {
        return dev.balboa.spi.Operand.contiguousStrides(shape);
    }

    /** Wraps a possibly negative dim into {@code [0, rank)}; rank 0 accepts -1 and 0. */
    static int dim(String op, int dim, int rank) {
        int r = Math.max(rank, 1);
        if (dim < -r || dim >= r) {
            throw new IndexOutOfBoundsException(op + ": dimension " + dim + " is out of range for a tensor of rank "
                    + rank + " (expected " + (-r) + " to " + (r - 1) + ")");
        }
        return dim < 0 ? dim + r : dim;
    }

    /** Normalised, sorted, duplicate-checked dims; an empty array means all dims. */
    static int[] dims(String op, int[] dims, int rank) {
        if (dims == null || dims.length == 0) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) all[i] = i;
            return all;
        }
        int[] out = new int[dims.length];
        for (int i = 0; i < dims.length; i++) out[i] = dim(op, dims[i], rank);
        Arrays.sort(out);
        for (int i = 1; i < out.length; i++) {
            if (out[i] == out[i - 1]) throw new IllegalArgumentException(op + ": dimension " + out[i] + " appears more than once in " + Arrays.toString(dims));
        }
        if (rank == 0) return new int[0];
        return out;
    }

    /** The broadcast shape of two shapes, numpy rules; throws naming the op and both shapes. */
    static long[] broadcast(String op, long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            int ia = a.length - rank + i, ib = b.length - rank + i;
            long sa = ia >= 0 ? a[ia] : 1, sb = ib >= 0 ? b[ib] : 1;
            if (sa == sb || sb == 1) out[i] = sa;
            else if (sa == 1) out[i] = sb;
            else {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                        + " cannot be broadcast together (dimension " + i + " of the result: " + sa + " vs " + sb + ")");
            }
        }
        return out;
    }

    /** Strides that view {@code shape}/{@code strides} as the larger {@code target} shape (stride 0 on broadcast dims). */
    static long[] broadcastStrides(String op, long[] shape, long[] strides, long[] target) {
        long[] out = new long[target.length];
        int shift = target.length - shape.length;
        if (shift < 0) throw new IllegalArgumentException(op + ": cannot expand shape " + str(shape) + " to " + str(target));
        for (int i = 0; i < target.length; i++) {
            int j = i - shift;
            if (j < 0) out[i] = 0;
            else if (shape[j] == target[i]) out[i] = strides[j];
            else if (shape[j] == 1) out[i] = 0;
            else throw new IllegalArgumentException(op + ": cannot expand shape " + str(shape) + " to " + str(target)
                        + " (dimension " + i + ": " + shape[j] + " vs " + target[i] + ")");
        }
        return out;
    }

    /** Strides for viewing a tensor with the given shape/strides as {@code newShape} without copying, or null when impossible. */
    static long[] viewStrides(long[] shape, long[] strides, long[] newShape) {
        long numel = numel(shape);
        long[] out = new long[newShape.length];
        if (numel == 0) {
            return contiguousStrides(newShape);
        }
        // Walk chunks of old dims that are contiguous with each other, matching them to new dims.
        int viewD = newShape.length - 1;
        long chunkBase = strides.length == 0 ? 1 : strides[strides.length - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            tensorNumel *= shape[d];
            if (d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    out[viewD] = viewNumel * chunkBase;
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (d > 0) {
                    chunkBase = strides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        if (viewD != -1) {
            // remaining new dims must be 1
            for (; viewD >= 0; viewD--) {
                if (newShape[viewD] != 1) return null;
                out[viewD] = 1;
            }
        }
        return out;
    }

    /** Resolves one -1 entry of a requested shape against an element count. */
    static long[] inferShape(String op, long[] requested, long numel, long[] from) {
        long[] shape = requested.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException(op + ": only one dimension can be -1 in " + str(requested));
                infer = i;
            } else if (shape[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid size " + shape[i] + " in " + str(requested));
            } else {
                known = Math.multiplyExact(known, shape[i]);
            }
        }
        if (infer >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new IllegalArgumentException(op + ": shape " + str(requested) + " is invalid for input of shape "
                        + str(from) + " (" + numel + " elements)");
            }
            shape[infer] = numel / known;
        } else if (known != numel) {
            throw new IllegalArgumentException(op + ": shape " + str(requested) + " is invalid for input of shape "
                    + str(from) + " (" + numel + " elements)");
        }
        return shape;
    }

    static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
