package org.example.balboa.reference;

import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import dev.balboa.spi.Operand;

/** Gather and scatter of the reference device, one index at a time in row-major order. */
final class IndexOps {
    private IndexOps() {}

    static void gather(int axis, Operand x, Operand index, Operand out) {
        View vx = new View(x), vi = new View(index), vo = new View(out);
        long[] xi = new long[x.rank()];
        View.forEach(out.shape(), oi -> {
            System.arraycopy(oi, 0, xi, 0, xi.length);
            xi[axis] = vi.getL(oi);
            checkIndex("gather", xi[axis], x.shape()[axis]);
            vo.setFrom(oi, vx, xi);
        });
    }

    static void scatter(int axis, Op.ScatterMode mode, Operand index, Operand src, Operand out) {
        View vi = new View(index), vs = new View(src), vo = new View(out);
        DType t = out.dtype();
        if (mode == Op.ScatterMode.ADD && t == DType.BOOL) throw ReferenceBackend.unsupported("scatter_add", t);
        long[] oi = new long[out.rank()];
        View.forEach(index.shape(), si -> {
            System.arraycopy(si, 0, oi, 0, oi.length);
            oi[axis] = vi.getL(si);
            checkIndex("scatter", oi[axis], out.shape()[axis]);
            if (mode == Op.ScatterMode.REPLACE) vo.setFrom(oi, vs, si);
            else if (t.isFloatingPoint()) vo.setD(oi, vo.getD(oi) + vs.getD(si));
            else vo.setL(oi, vo.getL(oi) + vs.getL(si));
        });
    }

    private static void checkIndex(String op, long i, long size) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("reference: " + op + " index " + i + " out of [0, " + size + ")");
    }
}
