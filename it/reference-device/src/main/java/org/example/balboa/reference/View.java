package org.example.balboa.reference;

import dev.balboa.spi.DType;
import dev.balboa.spi.Operand;
import java.util.function.Consumer;

/** Reads and writes the elements of a strided {@link Operand} of the reference device by logical index. */
final class View {
    final ReferenceBuffer buf;
    final long[] shape;
    final long[] strides;
    final long offset;

    View(Operand o) {
        if (!(o.buffer() instanceof ReferenceBuffer b)) {
            throw new IllegalArgumentException("reference: operand " + o + " belongs to device " + o.buffer().backend().device());
        }
        this.buf = b;
        this.shape = o.shape();
        this.strides = o.strides();
        this.offset = o.offset();
    }

    DType dtype() { return buf.dtype(); }

    long at(long[] idx) {
        long p = offset;
        for (int d = 0; d < idx.length; d++) p += idx[d] * strides[d];
        return p;
    }

    double getD(long[] idx) { return buf.getD(at(idx)); }
    long getL(long[] idx) { return buf.getL(at(idx)); }
    void setD(long[] idx, double v) { buf.setD(at(idx), v); }
    void setL(long[] idx, long v) { buf.setL(at(idx), v); }

    /** Copies the element at {@code from} of {@code src} to {@code to} of this view, converting as Copy does. */
    void setFrom(long[] to, View src, long[] from) {
        if (src.dtype().isFloatingPoint()) setD(to, src.getD(from));
        else setL(to, src.getL(from));
    }

    /** Calls {@code body} with every index of {@code shape} in row-major order (the array is reused). */
    static void forEach(long[] shape, Consumer<long[]> body) {
        for (long s : shape) if (s == 0) return;
        long[] idx = new long[shape.length];
        while (true) {
            body.accept(idx);
            int d = shape.length - 1;
            while (d >= 0 && ++idx[d] == shape[d]) idx[d--] = 0;
            if (d < 0) return;
        }
    }

    /** Number of elements of a shape. */
    static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }
}
