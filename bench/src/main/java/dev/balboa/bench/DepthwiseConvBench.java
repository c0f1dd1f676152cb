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
 * Depthwise 3x3 float32 convolutions (groups = channels, padding 1) as in MobileNetV2's inverted
 * residual blocks, batch 16: the forward pass and both gradients through the CPU device. The
 * "mflop" counter gives MFLOP/s (2 * N * C * OH * OW * 9 flops per call).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class DepthwiseConvBench {
    /** Channels x input side x stride: MobileNetV2 at 64x64 input (first block, stages 2 to 4). */
    @Param({"32x32x1", "96x32x2", "96x16x1", "144x16x2", "384x4x1"})
    public String layer;

    @Param({"16"})
    public int batch;

    private Backend cpu;
    private Operand x, w, y, gy, gx, gw;
    private Op forward, backwardInput, backwardWeight;
    private double mflopPerCall;

    @Setup
    public void setup() {
        String[] p = layer.split("x");
        int c = Integer.parseInt(p[0]), s = Integer.parseInt(p[1]), stride = Integer.parseInt(p[2]);
        int o = (s + 2 - 3) / stride + 1;
        int[] st = {stride, stride}, pad = {1, 1}, dil = {1, 1};
        cpu = CpuDevice.open();
        x = CpuDevice.randomF32(cpu, 1, batch, c, s, s);
        w = CpuDevice.randomF32(cpu, 2, c, 1, 3, 3);
        gy = CpuDevice.randomF32(cpu, 3, batch, c, o, o);
        y = CpuDevice.emptyF32(cpu, batch, c, o, o);
        gx = CpuDevice.emptyF32(cpu, batch, c, s, s);
        gw = CpuDevice.emptyF32(cpu, c, 1, 3, 3);
        forward = new Op.Conv2d(st, pad, dil, c);
        backwardInput = new Op.Conv2dBackwardInput(st, pad, dil, c);
        backwardWeight = new Op.Conv2dBackwardWeight(st, pad, dil, c);
        mflopPerCall = 2.0 * batch * c * o * o * 9 / 1e6;
    }

    @Benchmark
    public Operand forward(DoubleFlopCounter flops) {
        cpu.execute(forward, new Operand[] {x, w}, new Operand[] {y});
        flops.mflop += mflopPerCall;
        return y;
    }

    @Benchmark
    public Operand backwardInput(DoubleFlopCounter flops) {
        cpu.execute(backwardInput, new Operand[] {gy, w}, new Operand[] {gx});
        flops.mflop += mflopPerCall;
        return gx;
    }

    @Benchmark
    public Operand backwardWeight(DoubleFlopCounter flops) {
        cpu.execute(backwardWeight, new Operand[] {x, gy}, new Operand[] {gw});
        flops.mflop += mflopPerCall;
        return gw;
    }
}
