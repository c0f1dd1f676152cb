package dev.balboa.device.cpu.internal;

import dev.balboa.device.cpu.internal.conv.Conv;
import dev.balboa.device.cpu.internal.gemm.Gemm;
import dev.balboa.spi.Backend;
import dev.balboa.spi.Buffer;
import dev.balboa.spi.DType;
import dev.balboa.spi.Device;
import dev.balboa.spi.Fused;
import dev.balboa.spi.Op;
import dev.balboa.spi.Operand;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.Set;

/** The CPU backend: allocates heap buffers and routes each primitive op to its kernel family. */
public final class CpuBackend implements Backend {
    public static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {}

    @Override public Device device() { return Device.CPU; }

    @Override
    public String description() {
        return "Vector API (" + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit, "
                + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length() + " float lanes), "
                + Parallel.threads() + " threads";
    }

    @Override public Set<DType> dtypes() { return EnumSet.allOf(DType.class); }

    @Override
    public Buffer allocate(DType dtype, long length) { return new CpuBuffer(dtype, length); }

    @Override
    public void write(MemorySegment src, Buffer dst, long dstOffset, long count) {
        CpuBuffer b = cpu(dst, "write");
        long bytes = (long) b.dtype().byteSize();
        MemorySegment.copy(src, 0, b.hostSegment().orElseThrow(), dstOffset * bytes, count * bytes);
    }

    @Override
    public void read(Buffer src, long srcOffset, MemorySegment dst, long count) {
        CpuBuffer b = cpu(src, "read");
        long bytes = (long) b.dtype().byteSize();
        MemorySegment.copy(b.hostSegment().orElseThrow(), srcOffset * bytes, dst, 0, count * bytes);
    }

    private static CpuBuffer cpu(Buffer b, String what) {
        if (b instanceof CpuBuffer c) return c;
        throw new IllegalArgumentException("cpu: " + what + " got a buffer of device " + b.backend().device());
    }

    @Override
    public void execute(Op op, Operand[] in, Operand[] out) {
        switch (op) {
            case Op.Unary u -> ElementwiseKernels.unary(u.fn(), in[0], out[0]);
            case Op.Binary b -> ElementwiseKernels.binary(b.fn(), in[0], in[1], out[0]);
            case Op.Where w -> ElementwiseKernels.where(in[0], in[1], in[2], out[0]);
            case Op.Copy c -> ElementwiseKernels.copy(in[0], out[0]);
            case Op.Fill f -> ElementwiseKernels.fill(f, out[0]);
            case Op.Arange a -> ElementwiseKernels.arange(a, out[0]);
            case Op.RandomUniform r -> ElementwiseKernels.randomUniform(r, out[0]);
            case Op.RandomNormal r -> ElementwiseKernels.randomNormal(r, out[0]);
            case Op.Reduce r -> ReduceKernels.reduce(r.fn(), r.axes(), in[0], out[0]);
            case Op.ArgReduce r -> ReduceKernels.argReduce(r.fn(), r.axis(), in[0], out[0], out[1]);
            case Op.Scan s -> ReduceKernels.scan(s.fn(), s.axis(), in[0], out[0]);
            case Op.Sort s -> ReduceKernels.sort(s.axis(), s.descending(), in[0], out[0], out[1]);
            case Op.Matmul m -> Gemm.matmul(in[0], in[1], out[0]);
            case Op.Conv2d c -> Conv.conv2d(c, in[0], in[1], out[0]);
            case Op.Conv2dBackwardInput c -> Conv.backwardInput(c, in[0], in[1], out[0]);
            case Op.Conv2dBackwardWeight c -> Conv.backwardWeight(c, in[0], in[1], out[0]);
            case Op.MaxPool2d p -> Conv.maxPool2d(p, in[0], out[0], out[1]);
            case Op.Gather g -> IndexKernels.gather(g.axis(), in[0], in[1], out[0]);
            case Op.Scatter s -> IndexKernels.scatter(s.axis(), s.mode(), in[0], in[1], out[0]);
        }
    }

    @Override
    public boolean supportsFused(Fused op, DType dtype) { return FusedKernels.supports(op, dtype); }

    @Override
    public void executeFused(Fused op, Operand[] in, Operand[] out) { FusedKernels.execute(op, in, out); }

    @Override
    public String toString() { return "CpuBackend[" + description() + "]"; }
}
