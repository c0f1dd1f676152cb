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
 * Stride-1 float32 convolutions on ResNet-like layers (batch 8): the forward pass and both
 * gradients through the CPU device, 3x3 with padding 1 or 1x1 without. The "mflop" counter gives
 * MFLOP/s (2 * N * O * OH * OW * C * K * K flops per call for each of the three ops).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class ConvBench {
    /**
     * Channels x spatial size: ResNet stage 1 (64 x 56x56), stage 3 (256 x 14x14) and a small
     * late plane (512 x 4x4); "C:O" gives different input and output channels.
     */
    @Param({"64x56", "256x14", "512x4"})
    public String layer;

    /** Kernel side: 3 (padding 1) or 1 (pointwise, no padding). */
    @Param({"3"})
    public int kernel;

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
        String[] ch = p[0].split(":");
        int c = Integer.parseInt(ch[0]), o = Integer.parseInt(ch[ch.length - 1]), s = Integer.parseInt(p[1]);
        int k = kernel;
        int[] pad = k == 1 ? new int[] {0, 0} : ONE;
        cpu = CpuDevice.open();
        x = CpuDevice.randomF32(cpu, 1, batch, c, s, s);
        w = CpuDevice.randomF32(cpu, 2, o, c, k, k);
        gy = CpuDevice.randomF32(cpu, 3, batch, o, s, s);
        y = CpuDevice.emptyF32(cpu, batch, o, s, s);
        gx = CpuDevice.emptyF32(cpu, batch, c, s, s);
        gw = CpuDevice.emptyF32(cpu, o, c, k, k);
        forward = new Op.Conv2d(ONE, pad, ONE, 1);
        backwardInput = new Op.Conv2dBackwardInput(ONE, pad, ONE, 1);
        backwardWeight = new Op.Conv2dBackwardWeight(ONE, pad, ONE, 1);
        mflopPerCall = Math.max(1, 2L * batch * c * s * s * o * k * k / 1_000_000);
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
