package dev.balboa.bench;

import dev.balboa.spi.Backend;
import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import dev.balboa.spi.Operand;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * 2x2 max pooling with stride 2 on float32 NCHW input through the CPU device, as in the
 * Fashion-MNIST network (batch 64): the forward pass (values and int64 indices) and its gradient,
 * a scatter-add of the output gradient into each input plane at the saved indices.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class PoolBench {
    /** Channels x input side. */
    @Param({"32x28", "64x14"})
    public String layer;

    @Param({"64"})
    public int batch;

    private Backend cpu;
    private Operand x, values, indices, gy, gx, gxFlat, gyFlat, idxFlat;
    private Op pool, scatter;

    @Setup
    public void setup() {
        String[] p = layer.split("x");
        int c = Integer.parseInt(p[0]), s = Integer.parseInt(p[1]), o = s / 2;
        cpu = CpuDevice.open();
        x = CpuDevice.randomF32(cpu, 1, batch, c, s, s);
        values = CpuDevice.emptyF32(cpu, batch, c, o, o);
        indices = Operand.contiguous(cpu.allocate(DType.INT64, (long) batch * c * o * o), new long[] {batch, c, o, o});
        gy = CpuDevice.randomF32(cpu, 2, batch, c, o, o);
        gx = CpuDevice.emptyF32(cpu, batch, c, s, s);
        pool = new Op.MaxPool2d(new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1});
        scatter = new Op.Scatter(2, Op.ScatterMode.ADD);
        cpu.execute(pool, new Operand[] {x}, new Operand[] {values, indices});
        idxFlat = Operand.contiguous(indices.buffer(), new long[] {batch, c, (long) o * o});
        gyFlat = Operand.contiguous(gy.buffer(), new long[] {batch, c, (long) o * o});
        gxFlat = Operand.contiguous(gx.buffer(), new long[] {batch, c, (long) s * s});
    }

    @Benchmark
    public Operand forward() {
        cpu.execute(pool, new Operand[] {x}, new Operand[] {values, indices});
        return values;
    }

    /** The gradient as autograd computes it: a scatter-add into the (here not re-zeroed) input gradient. */
    @Benchmark
    public Operand backwardScatter() {
        cpu.execute(scatter, new Operand[] {idxFlat, gyFlat}, new Operand[] {gxFlat});
        return gxFlat;
    }
}
