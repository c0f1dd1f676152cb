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
 * A large contiguous float32 elementwise add ({@code out = x + y}) through the SPI's Binary ADD
 * op: a memory-bandwidth benchmark (12 bytes moved per element).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class AddBench {
    @Param({"16777216"})
    public long elements;

    private static final Op ADD = new Op.Binary(Op.BinaryFn.ADD);
    private Backend cpu;
    private Operand[] in;
    private Operand[] out;

    @Setup
    public void setup() {
        cpu = CpuDevice.open();
        in = new Operand[] {CpuDevice.randomF32(cpu, 1, elements), CpuDevice.randomF32(cpu, 2, elements)};
        out = new Operand[] {CpuDevice.emptyF32(cpu, elements)};
    }

    @Benchmark
    public Operand add() {
        cpu.execute(ADD, in, out);
        return out[0];
    }
}
