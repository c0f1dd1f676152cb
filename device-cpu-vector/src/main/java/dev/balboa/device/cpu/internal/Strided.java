package dev.balboa.device.cpu.internal;

import dev.balboa.spi.Operand;

/**
 * Walks several strided views of one logical shape together, in row-major order, as runs along
 * the innermost dimension. Size-1 dimensions are dropped and neighbouring dimensions that are
 * contiguous for every view are merged first, so a contiguous tensor becomes a single run and
 * a bias broadcast becomes rows with a contiguous inner run. Kernels receive each run's start
 * offsets and apply a 1-D loop using the fixed inner strides.
 */
final class Strided {

    /** A body over one run: {@code len} elements starting at {@code off[k]} for view k; {@code flat} is the row-major index of the first. */
    @FunctionalInterface
    interface Run {
        void run(int[] off, int len, long flat);
    }

    final long[] shape;
    final long[][] strides;
    final long[] offsets;
    final long numel;
    final int rank;

    private Strided(long[] shape, long[][] strides, long[] offsets, long numel) {
        this.shape = shape;
        this.strides = strides;
        this.offsets = offsets;
        this.numel = numel;
        this.rank = shape.length;
    }

    /** A plan over {@code shape} for the given views (each must have that rank). */
    static Strided of(long[] shape, Operand... views) {
        long[][] st = new long[views.length][];
        long[] off = new long[views.length];
        for (int k = 0; k < views.length; k++) {
            st[k] = views[k].strides();
            off[k] = views[k].offset();
        }
        return of(shape, st, off);
    }

    /** A plan over {@code shape} with explicit strides and offsets per view. */
    static Strided of(long[] shape, long[][] strides, long[] offsets) {
        int n = strides.length;
        long numel = 1;
        for (long s : shape) numel *= s;
        // keep dims of size > 1
        int r = 0;
        long[] sh = new long[shape.length];
        long[][] st = new long[n][shape.length];
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            sh[r] = shape[d];
            for (int k = 0; k < n; k++) st[k][r] = strides[k][d];
            r++;
        }
        if (r == 0) {
            return new Strided(new long[] {1}, oneDim(st, n), offsets.clone(), numel);
        }
        // merge dim d into d+1 when every view is contiguous across the pair
        int w = r - 1;
        long[] msh = new long[r];
        long[][] mst = new long[n][r];
        msh[w] = sh[r - 1];
        for (int k = 0; k < n; k++) mst[k][w] = st[k][r - 1];
        for (int d = r - 2; d >= 0; d--) {
            boolean merge = true;
            for (int k = 0; k < n && merge; k++) merge = st[k][d] == mst[k][w] * msh[w];
            if (merge) {
                msh[w] *= sh[d];
            } else {
                w--;
                msh[w] = sh[d];
                for (int k = 0; k < n; k++) mst[k][w] = st[k][d];
            }
        }
        int rr = r - w;
        long[] fsh = new long[rr];
        System.arraycopy(msh, w, fsh, 0, rr);
        long[][] fst = new long[n][rr];
        for (int k = 0; k < n; k++) System.arraycopy(mst[k], w, fst[k], 0, rr);
        return new Strided(fsh, fst, offsets.clone(), numel);
    }

    private static long[][] oneDim(long[][] st, int n) {
        long[][] out = new long[n][1];
        for (int k = 0; k < n; k++) out[k][0] = 1;
        return out;
    }

    /** Length of the innermost (merged) dimension. */
    long inner() { return shape[rank - 1]; }

    /** Inner stride of view k, as an int (strides of valid views fit in an int). */
    int innerStride(int k) { return (int) strides[k][rank - 1]; }

    /** Runs {@code body} over row-major elements {@code [from, to)} as inner runs. */
    void forRange(long from, long to, Run body) {
        if (from >= to) return;
        int n = offsets.length;
        long inner = inner();
        long[] idx = new long[rank];
        long rest = from / inner;
        long innerPos = from % inner;
        for (int d = rank - 2; d >= 0; d--) {
            idx[d] = rest % shape[d];
            rest /= shape[d];
        }
        long[] off = new long[n];
        for (int k = 0; k < n; k++) {
            long o = offsets[k] + innerPos * strides[k][rank - 1];
            for (int d = 0; d < rank - 1; d++) o += idx[d] * strides[k][d];
            off[k] = o;
        }
        int[] ioff = new int[n];
        long pos = from;
        while (pos < to) {
            int len = (int) Math.min(inner - innerPos, to - pos);
            for (int k = 0; k < n; k++) ioff[k] = (int) off[k];
            body.run(ioff, len, pos);
            pos += len;
            if (pos >= to) break;
            // move to the start of the next row
            for (int k = 0; k < n; k++) off[k] -= innerPos * strides[k][rank - 1];
            innerPos = 0;
            for (int d = rank - 2; d >= 0; d--) {
                idx[d]++;
                for (int k = 0; k < n; k++) off[k] += strides[k][d];
                if (idx[d] < shape[d]) break;
                for (int k = 0; k < n; k++) off[k] -= shape[d] * strides[k][d];
                idx[d] = 0;
            }
        }
    }

    /** Runs {@code body} over every element, split across the intra-op pool for big work. */
    void parallel(long costPerItem, Run body) {
        if (numel == 0) return;
        Parallel.forRange(numel, costPerItem, (from, to) -> forRange(from, to, body));
    }

    /** Offset of the element at row-major index {@code flat} in view {@code k} (for scalar walks). */
    long offsetOf(int k, long flat) {
        long o = offsets[k];
        for (int d = rank - 1; d >= 0; d--) {
            o += (flat % shape[d]) * strides[k][d];
            flat /= shape[d];
        }
        return o;
    }
}
