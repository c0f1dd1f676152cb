package dev.balboa.api;

import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Indexing and shaping ops built on the Gather, Scatter and Copy primitives and on views. */
final class Indexing {
    private Indexing() {}

    private static Tensor asIndex(String op, String what, Tensor index) {
        Errors.requireIndex(op, what, index);
        return index.to(DType.INT64);
    }

    /** Checks that every index lies in {@code [0, size)}; reads two numbers back from the device. */
    private static void checkBounds(String op, Tensor index, long size, Tensor self) {
        checkBounds(op, index, size, self, index);
    }

    /** As above; {@code shown} is the index as the caller passed it (before conversion to int64), named in the error. */
    private static void checkBounds(String op, Tensor index, long size, Tensor self, Tensor shown) {
        if (index.numel() == 0) return;
        long min = index.min().itemLong(), max = index.max().itemLong();
        if (min < 0 || max >= size) {
            throw new IndexOutOfBoundsException(op + ": index " + (min < 0 ? min : max) + " is out of bounds for size "
                    + size + " (" + Errors.describe(self) + ", index " + Errors.describe(shown) + ")");
        }
    }

    /** {@code t} narrowed to {@code sizes} on every dim except {@code axis}. */
    private static Tensor narrowExcept(Tensor t, long[] sizes, int axis) {
        Tensor r = t;
        for (int d = 0; d < sizes.length; d++) {
            if (d != axis && r.shape[d] != sizes[d]) r = r.narrow(d, 0, sizes[d]);
        }
        return r;
    }

    private static void checkGatherShapes(String op, Tensor self, Tensor index, int d, String role) {
        if (index.dim() != self.dim()) {
            throw new IllegalArgumentException(op + ": index must have the same number of dimensions as " + role + ", got "
                    + Errors.describe(self, index));
        }
        for (int i = 0; i < index.dim(); i++) {
            if (i != d && index.shape[i] > self.shape[i]) {
                throw new IllegalArgumentException(op + ": index size " + index.shape[i] + " exceeds the " + role + " size "
                        + self.shape[i] + " in dimension " + i + " (" + Errors.describe(self, index) + ")");
            }
        }
    }

    static Tensor gather(Tensor x, int dim, Tensor index) {
        Errors.sameDevice("gather", x, index);
        Tensor idx = asIndex("gather", "index", index);
        if (x.dim() == 0) {
            return gather(x.reshape(1), 0, idx.reshape(idx.numel() == 0 ? 0 : 1)).reshape(idx.shape);
        }
        int d = Shapes.dim("gather", dim, x.dim());
        checkGatherShapes("gather", x, idx, d, "the input");
        checkBounds("gather", idx, x.shape[d], x);
        Tensor src = narrowExcept(x, idx.shape, d);
        Tensor out = Creation.empty("gather", idx.shape, x.dtype, x.backend());
        Dispatcher.kernel(new Op.Gather(d), new Tensor[] {src, idx}, new Tensor[] {out}, false);
        return out;
    }

    static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        Errors.sameDevice("index_select", x, index);
        Tensor idx = asIndex("index_select", "index", index);
        if (idx.dim() > 1) throw new IllegalArgumentException("index_select: index must be 1-D, got " + Errors.describe(index));
        idx = idx.reshape(-1);
        if (x.dim() == 0) return gather(x, 0, idx.reshape(idx.numel() == 0 ? 0 : 1).view(idx.shape)).reshape(idx.shape);
        int d = Shapes.dim("index_select", dim, x.dim());
        long[] outShape = x.shape.clone();
        outShape[d] = idx.shape[0];
        long[] idxShape = new long[x.dim()];
        Arrays.fill(idxShape, 1);
        idxShape[d] = idx.shape[0];
        Tensor expanded = idx.view(idxShape).expand(outShape);
        checkBounds("index_select", idx, x.shape[d], x, index);
        Tensor out = Creation.empty("index_select", outShape, x.dtype, x.backend());
        Dispatcher.kernel(new Op.Gather(d), new Tensor[] {x, expanded}, new Tensor[] {out}, false);
        return out;
    }

    /** Scatter into a copy of {@code self}. */
    static Tensor scatter(Tensor self, int dim, Tensor index, Tensor src, Op.ScatterMode mode) {
        String op = mode == Op.ScatterMode.ADD ? "scatter_add" : "scatter";
        Errors.sameDevice(op, self, index, src);
        Tensor idx = asIndex(op, "index", index);
        if (self.dim() == 0) {
            return scatter(self.reshape(1), 0, idx.reshape(idx.numel() == 0 ? 0 : 1), src.reshape(src.numel() == 0 ? 0 : 1), mode)
                    .reshape();
        }
        int d = Shapes.dim(op, dim, self.dim());
        checkGatherShapes(op, self, idx, d, "the tensor");
        if (src.dim() != idx.dim()) {
            throw new IllegalArgumentException(op + ": src must have the index's number of dimensions, got " + Errors.describe(src, idx));
        }
        for (int i = 0; i < idx.dim(); i++) {
            if (idx.shape[i] > src.shape[i]) {
                throw new IllegalArgumentException(op + ": index size " + idx.shape[i] + " exceeds the src size " + src.shape[i]
                        + " in dimension " + i + " (" + Errors.describe(src, idx) + ")");
            }
        }
        checkBounds(op, idx, self.shape[d], self);
        Tensor s = src.to(self.dtype);
        for (int i = 0; i < idx.dim(); i++) if (s.shape[i] != idx.shape[i]) s = s.narrow(i, 0, idx.shape[i]);
        Tensor out = self.clone();
        Tensor target = narrowExcept(out, idx.shape, d);
        Dispatcher.kernel(new Op.Scatter(d, mode), new Tensor[] {idx, s}, new Tensor[] {target}, true);
        return out;
    }

    static Tensor indexAdd(Tensor self, int dim, Tensor index, Tensor source) {
        Tensor idx = asIndex("index_add", "index", index);
        if (idx.dim() != 1) throw new IllegalArgumentException("index_add: index must be 1-D, got " + Errors.describe(index));
        if (self.dim() == 0) return scatter(self, 0, idx, source, Op.ScatterMode.ADD);
        int d = Shapes.dim("index_add", dim, self.dim());
        long[] expected = self.shape.clone();
        expected[d] = idx.shape[0];
        if (!Arrays.equals(expected, source.shape)) {
            throw new IllegalArgumentException("index_add: source must have shape " + Shapes.str(expected) + ", got "
                    + Errors.describe(source));
        }
        long[] idxShape = new long[self.dim()];
        Arrays.fill(idxShape, 1);
        idxShape[d] = idx.shape[0];
        return scatter(self, d, idx.view(idxShape).expand(expected), source, Op.ScatterMode.ADD);
    }

    static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        if (mask.dtype != DType.BOOL) throw Errors.dtype("masked_fill", "the mask must be a bool tensor", x, mask);
        long[] shape = Errors.broadcast("masked_fill", x, mask);
        if (!Arrays.equals(shape, x.shape)) {
            throw new IllegalArgumentException("masked_fill: the mask " + Errors.describe(mask) + " must broadcast to the tensor's shape "
                    + Errors.describe(x));
        }
        return Elementwise.where(mask, Elementwise.scalarLike(x, value), x);
    }

    /** 1-D int64 positions of the true elements of a flat bool tensor. */
    private static Tensor truePositions(Tensor flatMask) {
        long n = flatMask.numel();
        Tensor cnt = flatMask.to(DType.INT64).cumsum(0);
        long count = n == 0 ? 0 : cnt.select(0, n - 1).itemLong();
        // slot of each true element; false elements go to the spare slot `count`
        Tensor slot = Elementwise.where(flatMask, cnt.sub(1L), Elementwise.scalar(count, DType.INT64, flatMask));
        Tensor positions = Tensor.zeros(new long[] {count + 1}, DType.INT64, flatMask.device());
        Tensor all = Tensor.arange(0, n, 1, DType.INT64, flatMask.device());
        return scatter(positions, 0, slot, all, Op.ScatterMode.REPLACE).narrow(0, 0, count);
    }

    static Tensor maskedSelect(Tensor x, Tensor mask) {
        Errors.sameDevice("masked_select", x, mask);
        if (mask.dtype != DType.BOOL) throw Errors.dtype("masked_select", "the mask must be a bool tensor", x, mask);
        long[] shape = Errors.broadcast("masked_select", x, mask);
        Tensor xf = x.expand(shape).reshape(-1);
        Tensor mf = mask.expand(shape).reshape(-1);
        return indexSelect(xf, 0, truePositions(mf));
    }

    static Tensor booleanIndex(Tensor x, Tensor mask) {
        Errors.sameDevice("index", x, mask);
        if (mask.dtype != DType.BOOL) {
            if (mask.dtype == DType.INT64 || mask.dtype == DType.INT32) return indexSelect(x, 0, mask.reshape(-1)).view(
                    Shapes.concat(mask.shape, Arrays.copyOfRange(x.shape, 1, x.shape.length)));
            throw Errors.dtype("index", "expected a bool mask or an integer index", x, mask);
        }
        int k = mask.dim();
        if (k > x.dim() || !Arrays.equals(mask.shape, Arrays.copyOf(x.shape, k))) {
            throw new IllegalArgumentException("index: the mask " + Errors.describe(mask) + " must match the leading dims of "
                    + Errors.describe(x));
        }
        long[] rest = Arrays.copyOfRange(x.shape, k, x.shape.length);
        Tensor x2 = x.reshape(Shapes.concat(new long[] {-1}, rest));
        return indexSelect(x2, 0, truePositions(mask.reshape(-1)));
    }

    static Tensor nonzero(Tensor x) {
        Tensor flat = (x.dtype == DType.BOOL ? x : x.ne(0.0)).reshape(-1);
        Tensor pos = truePositions(flat);
        int rank = x.dim();
        if (rank == 0) return Tensor.zeros(new long[] {pos.numel(), 0}, DType.INT64, x.device());
        List<Tensor> cols = new ArrayList<>();
        long stride = 1;
        long[] strides = new long[rank];
        for (int d = rank - 1; d >= 0; d--) {
            strides[d] = stride;
            stride *= x.shape[d];
        }
        for (int d = 0; d < rank; d++) {
            Tensor c = pos.floorDivide(Elementwise.scalar(strides[d], DType.INT64, pos));
            c = c.remainder(Elementwise.scalar(x.shape[d], DType.INT64, pos));
            cols.add(c);
        }
        return stack(cols, 1);
    }

    static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("cat: expected a non-empty list of tensors");
        Tensor first = tensors.get(0);
        // legacy rule: 1-D empty tensors are skipped
        List<Tensor> parts = new ArrayList<>();
        for (Tensor t : tensors) if (!(t.dim() == 1 && t.shape[0] == 0) || tensors.size() == 1) parts.add(t);
        if (parts.isEmpty()) return first.clone();
        Tensor ref = parts.get(0);
        int d = Shapes.dim("cat", dim, ref.dim());
        DType dt = ref.dtype;
        long total = 0;
        for (Tensor t : parts) {
            Errors.sameDevice("cat", ref, t);
            if (t.dim() != ref.dim()) {
                throw new IllegalArgumentException("cat: tensors must have the same number of dimensions, got "
                        + Errors.describe(parts.toArray(new Tensor[0])));
            }
            for (int i = 0; i < t.dim(); i++) {
                if (i != d && t.shape[i] != ref.shape[i]) {
                    throw new IllegalArgumentException("cat: sizes must match except in dimension " + d + ", got "
                            + Errors.describe(parts.toArray(new Tensor[0])));
                }
            }
            dt = DType.promote(dt, t.dtype);
            total += t.shape[d];
        }
        long[] shape = ref.shape.clone();
        shape[d] = total;
        Tensor out = Creation.empty("cat", shape, dt, ref.backend());
        long off = 0;
        for (Tensor t : parts) {
            if (t.shape[d] > 0) out.narrow(d, off, t.shape[d]).copy_(t);
            off += t.shape[d];
        }
        return out;
    }

    static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("stack: expected a non-empty list of tensors");
        Tensor ref = tensors.get(0);
        int d = Shapes.dim("stack", dim, ref.dim() + 1);
        List<Tensor> parts = new ArrayList<>();
        for (Tensor t : tensors) {
            if (!Arrays.equals(t.shape, ref.shape)) {
                throw new IllegalArgumentException("stack: expects each tensor to be equal size, got "
                        + Errors.describe(tensors.toArray(new Tensor[0])));
            }
            parts.add(t.unsqueeze(d));
        }
        return cat(parts, d);
    }

    static List<Tensor> split(Tensor x, long size, int dim) {
        int d = Shapes.dim("split", dim, x.dim());
        if (size <= 0) throw new IllegalArgumentException("split: split size must be positive, got " + size);
        List<Tensor> out = new ArrayList<>();
        long len = x.shape[d];
        if (len == 0) out.add(x);
        for (long s = 0; s < len; s += size) out.add(x.narrow(d, s, Math.min(size, len - s)));
        return out;
    }

    static List<Tensor> split(Tensor x, long[] sizes, int dim) {
        int d = Shapes.dim("split", dim, x.dim());
        long sum = 0;
        for (long s : sizes) {
            if (s < 0) throw new IllegalArgumentException("split: sizes must be >= 0, got " + Arrays.toString(sizes));
            sum += s;
        }
        if (sum != x.shape[d]) {
            throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " sum to " + sum
                    + " but dimension " + d + " has size " + x.shape[d]);
        }
        List<Tensor> out = new ArrayList<>();
        long off = 0;
        for (long s : sizes) {
            out.add(x.narrow(d, off, s));
            off += s;
        }
        return out;
    }

    static List<Tensor> unbind(Tensor x, int dim) {
        int d = Shapes.dim("unbind", dim, x.dim());
        List<Tensor> one = FusedComposites.unbind(x, d);
        if (one != null) return one;
        List<Tensor> out = new ArrayList<>();
        for (long i = 0; i < x.shape[d]; i++) out.add(x.select(d, i));
        return out;
    }

    static List<Tensor> chunk(Tensor x, int chunks, int dim) {
        if (chunks <= 0) throw new IllegalArgumentException("chunk: chunks must be positive, got " + chunks);
        int d = Shapes.dim("chunk", dim, x.dim());
        long size = Math.max(1, (x.shape[d] + chunks - 1) / chunks);
        return split(x, size, d);
    }

    static Tensor repeat(Tensor x, long[] repeats) {
        if (repeats.length < x.dim()) {
            throw new IllegalArgumentException("repeat: " + repeats.length + " repeat counts are fewer than the "
                    + x.dim() + " dims of " + Errors.describe(x));
        }
        int r = repeats.length;
        long[] padded = new long[r];
        Arrays.fill(padded, 1);
        System.arraycopy(x.shape, 0, padded, r - x.dim(), x.dim());
        long[] inter = new long[2 * r], expanded = new long[2 * r], result = new long[r];
        for (int i = 0; i < r; i++) {
            if (repeats[i] < 0) throw new IllegalArgumentException("repeat: counts must be >= 0, got " + Arrays.toString(repeats));
            inter[2 * i] = 1;
            inter[2 * i + 1] = padded[i];
            expanded[2 * i] = repeats[i];
            expanded[2 * i + 1] = padded[i];
            result[i] = repeats[i] * padded[i];
        }
        return x.reshape(inter).expand(expanded).contiguous().view(result);
    }

    static Tensor flip(Tensor x, int[] dims) {
        int[] ds = Shapes.dims("flip", dims, x.dim());
        if (dims.length == 0) return x.clone();
        Tensor out = x;
        for (int d : ds) {
            long n = x.shape[d];
            Tensor rev = Tensor.arange(n - 1, -1, -1, DType.INT64, x.device());
            out = n == 0 ? out : indexSelect(out, d, rev);
        }
        return out == x ? x.clone() : out;
    }

    static Tensor roll(Tensor x, long[] shifts, int[] dims) {
        if (dims.length == 0) {
            if (shifts.length != 1) throw new IllegalArgumentException("roll: without dims, give exactly one shift");
            return roll(x.reshape(-1), shifts, new int[] {0}).view(x.shape);
        }
        if (shifts.length != dims.length) {
            throw new IllegalArgumentException("roll: " + shifts.length + " shifts for " + dims.length + " dims");
        }
        Tensor out = x;
        for (int i = 0; i < dims.length; i++) {
            int d = Shapes.dim("roll", dims[i], x.dim());
            long n = x.shape[d];
            if (n == 0) continue;
            long s = Math.floorMod(shifts[i], n);
            if (s == 0) continue;
            out = cat(List.of(out.narrow(d, n - s, s), out.narrow(d, 0, n - s)), d);
        }
        return out == x ? x.clone() : out;
    }

    static Tensor tri(Tensor x, long k, boolean lower) {
        if (x.dim() < 2) {
            throw new IllegalArgumentException((lower ? "tril" : "triu") + ": expects a tensor with at least 2 dims, got " + Errors.describe(x));
        }
        long rows = x.shape[x.dim() - 2], cols = x.shape[x.dim() - 1];
        Tensor r = Tensor.arange(0, rows, 1, DType.INT64, x.device()).unsqueeze(1);
        Tensor c = Tensor.arange(0, cols, 1, DType.INT64, x.device()).unsqueeze(0);
        Tensor diff = c.sub(r);
        Tensor keep = lower ? diff.le((double) k) : diff.ge((double) k);
        return Elementwise.where(keep, x, Elementwise.scalarLike(x, 0));
    }

    static ValuesIndices topk(Tensor x, long k, int dim, boolean largest, boolean sorted) {
        if (x.dim() == 0) {
            if (k > 1) throw new IllegalArgumentException("topk: k " + k + " exceeds the number of elements 1");
            return new ValuesIndices(x.clone(), Tensor.zeros(new long[0], DType.INT64, x.device()));
        }
        int d = Shapes.dim("topk", dim, x.dim());
        if (k < 0 || k > x.shape[d]) {
            throw new IllegalArgumentException("topk: k " + k + " is out of range for dimension " + d + " of size "
                    + x.shape[d] + " (" + Errors.describe(x) + ")");
        }
        ValuesIndices s = Reductions.sort(x, d, largest);
        return new ValuesIndices(s.values().narrow(d, 0, k), s.indices().narrow(d, 0, k));
    }
}
