package org.example.balboa.reference;

import dev.balboa.spi.Backend;
import dev.balboa.spi.Buffer;
import dev.balboa.spi.DType;
import dev.balboa.spi.Device;
import dev.balboa.spi.Op;
import dev.balboa.spi.Operand;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumSet;
import java.util.Set;

/** The reference backend: every op computed element by element from its definition in {@link Op}. */
final class ReferenceBackend implements Backend {
    private static final Device DEVICE = new Device(ReferenceProvider.TYPE, 0);

    @Override public Device device() { return DEVICE; }

    @Override public String description() { return "reference: scalar plain Java, computes in double/long"; }

    @Override public Set<DType> dtypes() { return EnumSet.allOf(DType.class); }

    @Override
    public Buffer allocate(DType dtype, long length) { return new ReferenceBuffer(this, dtype, length); }

    private ReferenceBuffer own(Buffer b, String what) {
        if (b instanceof ReferenceBuffer r && r.backend() == this) return r;
        throw new IllegalArgumentException("reference: " + what + " got a buffer of another backend: " + b);
    }

    @Override
    public void write(MemorySegment src, Buffer dst, long dstOffset, long count) {
        ReferenceBuffer b = own(dst, "write");
        for (long i = 0; i < count; i++) {
            long at = dstOffset + i;
            switch (b.dtype()) {
                case FLOAT64 -> b.setD(at, src.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i));
                case FLOAT32 -> b.setD(at, src.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i));
                case FLOAT16 -> b.setD(at, Numerics.fromFloat16(src.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i)));
                case BFLOAT16 -> b.setD(at, Numerics.fromBfloat16(src.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i)));
                case INT64 -> b.setL(at, src.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i));
                case INT32 -> b.setL(at, src.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i));
                case INT8 -> b.setL(at, src.getAtIndex(ValueLayout.JAVA_BYTE, i));
                case UINT8 -> b.setL(at, src.getAtIndex(ValueLayout.JAVA_BYTE, i) & 0xFF);
                case BOOL -> b.setL(at, src.getAtIndex(ValueLayout.JAVA_BYTE, i) != 0 ? 1 : 0);
            }
        }
    }

    @Override
    public void read(Buffer src, long srcOffset, MemorySegment dst, long count) {
        ReferenceBuffer b = own(src, "read");
        for (long i = 0; i < count; i++) {
            long at = srcOffset + i;
            switch (b.dtype()) {
                case FLOAT64 -> dst.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i, b.getD(at));
                case FLOAT32 -> dst.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) b.getD(at));
                case FLOAT16 -> dst.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, Numerics.float16Bits(b.getD(at)));
                case BFLOAT16 -> dst.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, Numerics.bfloat16Bits(b.getD(at)));
                case INT64 -> dst.setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i, b.getL(at));
                case INT32 -> dst.setAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i, (int) b.getL(at));
                case INT8, UINT8, BOOL -> dst.setAtIndex(ValueLayout.JAVA_BYTE, i, (byte) b.getL(at));
            }
        }
    }

    @Override
    public void execute(Op op, Operand[] in, Operand[] out) {
        for (Operand o : in) own(o.buffer(), op.name());
        for (Operand o : out) own(o.buffer(), op.name());
        switch (op) {
            case Op.Unary u -> ElementwiseOps.unary(u.fn(), in[0], out[0]);
            case Op.Binary b -> ElementwiseOps.binary(b.fn(), in[0], in[1], out[0]);
            case Op.Where w -> ElementwiseOps.where(in[0], in[1], in[2], out[0]);
            case Op.Copy c -> ElementwiseOps.copy(in[0], out[0]);
            case Op.Fill f -> ElementwiseOps.fill(f, out[0]);
            case Op.Arange a -> ElementwiseOps.arange(a, out[0]);
            case Op.RandomUniform r -> ElementwiseOps.randomUniform(r, out[0]);
            case Op.RandomNormal r -> ElementwiseOps.randomNormal(r, out[0]);
            case Op.Reduce r -> ReductionOps.reduce(r.fn(), r.axes(), in[0], out[0]);
            case Op.ArgReduce r -> ReductionOps.argReduce(r.fn(), r.axis(), in[0], out[0], out[1]);
            case Op.Scan s -> ReductionOps.scan(s.fn(), s.axis(), in[0], out[0]);
            case Op.Sort s -> ReductionOps.sort(s.axis(), s.descending(), in[0], out[0], out[1]);
            case Op.Matmul m -> LinalgOps.matmul(in[0], in[1], out[0]);
            case Op.Conv2d c -> LinalgOps.conv2d(c, in[0], in[1], out[0]);
            case Op.Conv2dBackwardInput c -> LinalgOps.conv2dBackwardInput(c, in[0], in[1], out[0]);
            case Op.Conv2dBackwardWeight c -> LinalgOps.conv2dBackwardWeight(c, in[0], in[1], out[0]);
            case Op.MaxPool2d p -> LinalgOps.maxPool2d(p, in[0], out[0], out[1]);
            case Op.Gather g -> IndexOps.gather(g.axis(), in[0], in[1], out[0]);
            case Op.Scatter s -> IndexOps.scatter(s.axis(), s.mode(), in[0], in[1], out[0]);
        }
    }

    /** The exception for a dtype combination an op does not define. */
    static UnsupportedOperationException unsupported(String op, DType... dtypes) {
        return new UnsupportedOperationException("reference: " + op + " is not defined for " + java.util.Arrays.toString(dtypes));
    }

    @Override
    public String toString() { return "ReferenceBackend"; }
}
