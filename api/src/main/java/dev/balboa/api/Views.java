package dev.balboa.api;

import dev.balboa.api.dispatch.ViewOp;
import java.util.Arrays;

/** View ops: new shape, strides and offset over the same storage, announced to the dispatch layers. */
final class Views {
    private Views() {}

    private static Tensor make(ViewOp op, Tensor base, long[] shape, long[] strides, long offset) {
        Tensor v = new Tensor(base.storage, base.dtype, shape, strides, offset);
        v.base = base.base != null ? base.base : base;
        return Dispatcher.view(op, base, v);
    }

    static Tensor view(Tensor t, long[] requested) {
        long[] shape = Shapes.inferShape("view", requested, t.numel(), t.shape);
        long[] strides = Shapes.viewStrides(t.shape, t.strides, shape);
        if (strides == null) {
            throw new IllegalArgumentException("view: shape " + Shapes.str(requested) + " is not compatible with the strides "
                    + Arrays.toString(t.strides) + " of " + Errors.describe(t) + "; use reshape(...) (which may copy)");
        }
        return make(new ViewOp.Reshape(t.shape, shape), t, shape, strides, t.offset);
    }

    static Tensor reshape(Tensor t, long[] requested) {
        long[] shape = Shapes.inferShape("reshape", requested, t.numel(), t.shape);
        if (Arrays.equals(shape, t.shape)) return t;
        long[] strides = Shapes.viewStrides(t.shape, t.strides, shape);
        if (strides == null) {
            Tensor c = Creation.copyOf(t, "reshape");
            return make(new ViewOp.Reshape(c.shape, shape), c, shape, Shapes.contiguousStrides(shape), 0);
        }
        return make(new ViewOp.Reshape(t.shape, shape), t, shape, strides, t.offset);
    }

    static Tensor permute(Tensor t, int[] dims) {
        int rank = t.shape.length;
        if (dims.length != rank) {
            throw new IllegalArgumentException("permute: " + Arrays.toString(dims) + " has " + dims.length
                    + " dims, but " + Errors.describe(t) + " has " + rank);
        }
        boolean[] seen = new boolean[rank];
        int[] norm = new int[rank];
        long[] shape = new long[rank], strides = new long[rank];
        for (int i = 0; i < rank; i++) {
            int d = Shapes.dim("permute", dims[i], rank);
            if (seen[d]) throw new IllegalArgumentException("permute: dimension " + d + " repeats in " + Arrays.toString(dims));
            seen[d] = true;
            norm[i] = d;
            shape[i] = t.shape[d];
            strides[i] = t.strides[d];
        }
        return make(new ViewOp.Permute(norm), t, shape, strides, t.offset);
    }

    static Tensor transpose(Tensor t, int dim0, int dim1) {
        int rank = t.shape.length;
        if (rank == 0) return t;
        int a = Shapes.dim("transpose", dim0, rank), b = Shapes.dim("transpose", dim1, rank);
        if (a == b) return t;
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) perm[i] = i;
        perm[a] = b;
        perm[b] = a;
        return permute(t, perm);
    }

    static Tensor t(Tensor t) {
        if (t.shape.length > 2) {
            throw new IllegalArgumentException("t: expects a tensor with at most 2 dimensions, got " + Errors.describe(t)
                    + "; use transpose(dim0, dim1) or mT()");
        }
        return t.shape.length < 2 ? t : transpose(t, 0, 1);
    }

    static Tensor narrow(Tensor t, int dim, long start, long length) {
        int d = Shapes.dim("narrow", dim, t.shape.length);
        long size = t.shape[d];
        if (start < 0) start += size;
        if (start < 0 || length < 0 || start + length > size) {
            throw new IndexOutOfBoundsException("narrow: start " + start + " and length " + length
                    + " are out of range for dimension " + d + " of size " + size + " (" + Errors.describe(t) + ")");
        }
        return slice(t, d, start, start + length, 1);
    }

    static Tensor slice(Tensor t, int dim, long start, long end, long step) {
        int d = Shapes.dim("slice", dim, t.shape.length);
        if (step <= 0) throw new IllegalArgumentException("slice: step must be positive, got " + step);
        long size = t.shape[d];
        if (start < 0) start += size;
        if (end < 0) end += size;
        start = Math.clamp(start, 0, size);
        end = Math.clamp(end, start, size);
        long n = (end - start + step - 1) / step;
        long[] shape = t.shape.clone(), strides = t.strides.clone();
        shape[d] = n;
        strides[d] = t.strides[d] * step;
        long offset = t.offset + (n == 0 ? 0 : start * t.strides[d]);
        return make(new ViewOp.Slice(d, start, end, step), t, shape, strides, offset);
    }

    static Tensor select(Tensor t, int dim, long index) {
        int d = Shapes.dim("select", dim, t.shape.length);
        if (t.shape.length == 0) throw new IllegalArgumentException("select: cannot select from a 0-d tensor");
        long size = t.shape[d];
        if (index < -size || index >= size) {
            throw new IndexOutOfBoundsException("select: index " + index + " is out of range for dimension " + d
                    + " of size " + size + " (" + Errors.describe(t) + ")");
        }
        if (index < 0) index += size;
        Tensor s = slice(t, d, index, index + 1, 1);
        return squeeze(s, d);
    }

    static Tensor expand(Tensor t, long[] requested) {
        if (requested.length < t.shape.length) {
            throw new IllegalArgumentException("expand: the requested shape " + Shapes.str(requested)
                    + " has fewer dims than " + Errors.describe(t));
        }
        long[] shape = requested.clone();
        int shift = shape.length - t.shape.length;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (i < shift) throw new IllegalArgumentException("expand: -1 is not allowed for a new leading dim in " + Shapes.str(requested));
                shape[i] = t.shape[i - shift];
            }
        }
        if (Arrays.equals(shape, t.shape)) return t;
        long[] strides = Shapes.broadcastStrides("expand", t.shape, t.strides, shape);
        return make(new ViewOp.Expand(t.shape, shape), t, shape, strides, t.offset);
    }

    /** {@code t} viewed with {@code shape} by broadcasting, or {@code t} itself when it already has it. */
    static Tensor expandFor(String op, Tensor t, long[] shape) {
        if (Arrays.equals(t.shape, shape)) return t;
        long[] strides = Shapes.broadcastStrides(op, t.shape, t.strides, shape);
        return make(new ViewOp.Expand(t.shape, shape.clone()), t, shape.clone(), strides, t.offset);
    }

    private static Tensor reshapeView(Tensor t, long[] shape, long[] strides) {
        return make(new ViewOp.Reshape(t.shape, shape), t, shape, strides, t.offset);
    }

    static Tensor squeeze(Tensor t) {
        int keep = 0;
        for (long s : t.shape) if (s != 1) keep++;
        if (keep == t.shape.length) return t;
        long[] shape = new long[keep], strides = new long[keep];
        for (int i = 0, j = 0; i < t.shape.length; i++) {
            if (t.shape[i] != 1) {
                shape[j] = t.shape[i];
                strides[j++] = t.strides[i];
            }
        }
        return reshapeView(t, shape, strides);
    }

    static Tensor squeeze(Tensor t, int dim) {
        if (t.shape.length == 0) return t;
        int d = Shapes.dim("squeeze", dim, t.shape.length);
        if (t.shape[d] != 1) return t;
        long[] shape = new long[t.shape.length - 1], strides = new long[t.shape.length - 1];
        for (int i = 0, j = 0; i < t.shape.length; i++) {
            if (i != d) {
                shape[j] = t.shape[i];
                strides[j++] = t.strides[i];
            }
        }
        return reshapeView(t, shape, strides);
    }

    static Tensor unsqueeze(Tensor t, int dim) {
        int rank = t.shape.length;
        int d = Shapes.dim("unsqueeze", dim, rank + 1);
        long[] shape = new long[rank + 1], strides = new long[rank + 1];
        for (int i = 0, j = 0; i <= rank; i++) {
            if (i == d) {
                shape[i] = 1;
                strides[i] = j < rank ? t.strides[j] * t.shape[j] : 1;
            } else {
                shape[i] = t.shape[j];
                strides[i] = t.strides[j++];
            }
        }
        return reshapeView(t, shape, strides);
    }

    static Tensor flatten(Tensor t, int startDim, int endDim) {
        int rank = t.shape.length;
        if (rank == 0) return t.reshape(1);
        int s = Shapes.dim("flatten", startDim, rank), e = Shapes.dim("flatten", endDim, rank);
        if (s > e) throw new IllegalArgumentException("flatten: start dim " + startDim + " comes after end dim " + endDim);
        if (s == e) return t;
        long[] shape = new long[rank - (e - s)];
        long merged = 1;
        for (int i = s; i <= e; i++) merged *= t.shape[i];
        for (int i = 0, j = 0; i < rank; i++) {
            if (i < s || i > e) shape[j++] = t.shape[i];
            else if (i == s) shape[j++] = merged;
        }
        return reshape(t, shape);
    }

    static Tensor unflatten(Tensor t, int dim, long[] sizes) {
        int d = Shapes.dim("unflatten", dim, t.shape.length);
        long[] inner = Shapes.inferShape("unflatten", sizes, t.shape[d], new long[] {t.shape[d]});
        long[] shape = new long[t.shape.length - 1 + inner.length];
        System.arraycopy(t.shape, 0, shape, 0, d);
        System.arraycopy(inner, 0, shape, d, inner.length);
        System.arraycopy(t.shape, d + 1, shape, d + inner.length, t.shape.length - d - 1);
        return view(t, shape);
    }

    static Tensor unfold(Tensor t, int dim, long size, long step) {
        int rank = t.shape.length;
        int d = Shapes.dim("unfold", dim, rank);
        long len = rank == 0 ? 1 : t.shape[d];
        if (size < 0 || size > len) {
            throw new IllegalArgumentException("unfold: size " + size + " exceeds dimension " + d + " of size " + len + " (" + Errors.describe(t) + ")");
        }
        if (step <= 0) throw new IllegalArgumentException("unfold: step must be positive, got " + step);
        long[] shape = Arrays.copyOf(t.shape, rank + 1), strides = Arrays.copyOf(t.strides, rank + 1);
        if (rank == 0) return t.reshape(1); // unfold of a scalar: one window of size 1
        shape[d] = (len - size) / step + 1;
        strides[d] = t.strides[d] * step;
        shape[rank] = size;
        strides[rank] = t.strides[d];
        return make(new ViewOp.Unfold(d, size, step), t, shape, strides, t.offset);
    }

    static Tensor detach(Tensor t) {
        return new Tensor(t.storage, t.dtype, t.shape, t.strides, t.offset);
    }
}
