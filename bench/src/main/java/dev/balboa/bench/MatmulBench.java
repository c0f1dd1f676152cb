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
 * Square float32 matrix products through the CPU device's Matmul op. Besides the time per call,
 * the "mflop" counter gives MFLOP/s (2 n^3 flops per call).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class MatmulBench {
    @Param({"256", "1024"})
    public int size;

    private static final Op MATMUL = new Op.Matmul();
    private Backend cpu;
    private Operand[] in;
    private Operand[] out;
    private long mflopPerCall;

    @Setup
    public void setup() {
        cpu = CpuDevice.open();
        in = new Operand[] {CpuDevice.randomF32(cpu, 1, 1, size, size), CpuDevice.randomF32(cpu, 2, 1, size, size)};
        out = new Operand[] {CpuDevice.emptyF32(cpu, 1, size, size)};
        mflopPerCall = 2L * size * size * size / 1_000_000;
    }

    @Benchmark
    public Operand matmul(FlopCounter flops) {
        cpu.execute(MATMUL, in, out);
        flops.mflop += mflopPerCall;
        return out[0];
    }
}
