package dev.balboa.api.dispatch;

import java.util.Arrays;

/**
 * The view ops of Balboa: new shapes and strides over the same storage, no kernel involved.
 * Every other view (transpose, squeeze, select, flatten, ...) is expressed with these.
 */
public sealed interface ViewOp {

    /** A short name for messages. */
    String name();

    /** Same elements in row-major order, new shape (view/reshape/squeeze/unsqueeze/flatten). */
    record Reshape(long[] from, long[] to) implements ViewOp {
        public String name() { return "reshape"; }
        @Override public boolean equals(Object o) { return o instanceof Reshape r && Arrays.equals(from, r.from) && Arrays.equals(to, r.to); }
        @Override public int hashCode() { return Arrays.hashCode(from) * 31 + Arrays.hashCode(to); }
        @Override public String toString() { return "Reshape[" + Arrays.toString(from) + " -> " + Arrays.toString(to) + "]"; }
    }

    /** Reorders dimensions: output dim i is input dim {@code dims[i]}. */
    record Permute(int[] dims) implements ViewOp {
        public String name() { return "permute"; }
        @Override public boolean equals(Object o) { return o instanceof Permute p && Arrays.equals(dims, p.dims); }
        @Override public int hashCode() { return Arrays.hashCode(dims); }
        @Override public String toString() { return "Permute" + Arrays.toString(dims); }
    }

    /** Broadcasts size-1 (or missing leading) dims of {@code from} to {@code to} with stride 0. */
    record Expand(long[] from, long[] to) implements ViewOp {
        public String name() { return "expand"; }
        @Override public boolean equals(Object o) { return o instanceof Expand r && Arrays.equals(from, r.from) && Arrays.equals(to, r.to); }
        @Override public int hashCode() { return Arrays.hashCode(from) * 31 + Arrays.hashCode(to); }
        @Override public String toString() { return "Expand[" + Arrays.toString(from) + " -> " + Arrays.toString(to) + "]"; }
    }

    /** Elements {@code start, start+step, ...} below {@code end} of dimension {@code dim}. */
    record Slice(int dim, long start, long end, long step) implements ViewOp {
        public String name() { return "slice"; }
    }

    /** Sliding windows of {@code size} every {@code step} along {@code dim}, as a new last dimension. */
    record Unfold(int dim, long size, long step) implements ViewOp {
        public String name() { return "unfold"; }
    }

    /** An arbitrary strided view of the input's storage (used by autograd to address a view inside its base). */
    record AsStrided(long[] shape, long[] strides, long offset) implements ViewOp {
        public String name() { return "as_strided"; }
        @Override public boolean equals(Object o) { return o instanceof AsStrided a && Arrays.equals(shape, a.shape) && Arrays.equals(strides, a.strides) && offset == a.offset; }
        @Override public int hashCode() { return Arrays.hashCode(shape) * 31 + Arrays.hashCode(strides) + Long.hashCode(offset); }
        @Override public String toString() { return "AsStrided[" + Arrays.toString(shape) + ", " + Arrays.toString(strides) + ", " + offset + "]"; }
    }

    /** The same view with autograd history cut ({@code detach}) or kept ({@code alias}). */
    record Alias() implements ViewOp {
        public String name() { return "alias"; }
    }
}
