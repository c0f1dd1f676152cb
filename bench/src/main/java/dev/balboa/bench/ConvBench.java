package dev.balboa.bench;

import dev.balboa.spi.Backend;
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
 * 3x3, stride 1, padding 1 float32 convolutions on ResNet-like layers (batch 8): the forward pass
 * and both gradients through the CPU device. The "mflop" counter gives MFLOP/s
 * (2 * N * O * OH * OW * C * 9 flops per call for each of the three ops).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class ConvBench {
    /** Channels x spatial size: ResNet stage 1 (64 x 56x56) and stage 3 (256 x 14x14). */
    @Param({"64x56", "256x14"})
    public String layer;

    @Param({"8"})
    public int batch;

    private static final int[] ONE = {1, 1};
    private Backend cpu;
    private Operand x, w, y, gy, gx, gw;
    private Op forward, backwardInput, backwardWeight;
    private long mflopPerCall;

    @Setup
    public void setup() {
        String[] p = layer.split("x");
        int c = Integer.parseInt(p[0]), s = Integer.parseInt(p[1]);
        cpu = CpuDevice.open();
        x = CpuDevice.randomF32(cpu, 1, batch, c, s, s);
        w = CpuDevice.randomF32(cpu, 2, c, c, 3, 3);
        gy = CpuDevice.randomF32(cpu, 3, batch, c, s, s);
        y = CpuDevice.emptyF32(cpu, batch, c, s, s);
        gx = CpuDevice.emptyF32(cpu, batch, c, s, s);
        gw = CpuDevice.emptyF32(cpu, c, c, 3, 3);
        forward = new Op.Conv2d(ONE, ONE, ONE, 1);
        backwardInput = new Op.Conv2dBackwardInput(ONE, ONE, ONE, 1);
        backwardWeight = new Op.Conv2dBackwardWeight(ONE, ONE, ONE, 1);
        mflopPerCall = 2L * batch * c * s * s * c * 9 / 1_000_000;
    }

    @Benchmark
    public Operand conv2d(FlopCounter flops) {
        cpu.execute(forward, new Operand[] {x, w}, new Operand[] {y});
        flops.mflop += mflopPerCall;
        return y;
    }

    @Benchmark
    public Operand conv2dBackwardInput(FlopCounter flops) {
        cpu.execute(backwardInput, new Operand[] {gy, w}, new Operand[] {gx});
        flops.mflop += mflopPerCall;
        return gx;
    }

    @Benchmark
    public Operand conv2dBackwardWeight(FlopCounter flops) {
        cpu.execute(backwardWeight, new Operand[] {x, gy}, new Operand[] {gw});
        flops.mflop += mflopPerCall;
        return gw;
    }
}
