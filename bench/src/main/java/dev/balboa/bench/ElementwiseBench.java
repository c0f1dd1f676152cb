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
 * Contiguous float32 elementwise ops through the SPI: add and mul (two inputs), exp (one), and an
 * add whose second input broadcasts a row ({@code [rows, 256] + [1, 256]}, stride 0), at a size
 * that fits in the caches and one that does not.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class ElementwiseBench {
    /** Number of elements, a multiple of 256. */
    @Param({"65536", "4194304"})
    public long elements;

    private static final Op ADD = new Op.Binary(Op.BinaryFn.ADD);
    private static final Op MUL = new Op.Binary(Op.BinaryFn.MUL);
    private static final Op EXP = new Op.Unary(Op.UnaryFn.EXP);
    private Backend cpu;
    private Operand x, y, row, out;

    @Setup
    public void setup() {
        cpu = CpuDevice.open();
        long rows = elements / 256;
        x = CpuDevice.randomF32(cpu, 1, rows, 256);
        y = CpuDevice.randomF32(cpu, 2, rows, 256);
        Operand r = CpuDevice.randomF32(cpu, 3, 1, 256);
        row = new Operand(r.buffer(), new long[] {rows, 256}, new long[] {0, 1}, 0);
        out = CpuDevice.emptyF32(cpu, rows, 256);
    }

    @Benchmark
    public Operand add() {
        cpu.execute(ADD, new Operand[] {x, y}, new Operand[] {out});
        return out;
    }

    @Benchmark
    public Operand mul() {
        cpu.execute(MUL, new Operand[] {x, y}, new Operand[] {out});
        return out;
    }

    @Benchmark
    public Operand exp() {
        cpu.execute(EXP, new Operand[] {x}, new Operand[] {out});
        return out;
    }

    /** Adds a broadcast row, as a bias add does. */
    @Benchmark
    public Operand addBroadcastRow() {
        cpu.execute(ADD, new Operand[] {x, row}, new Operand[] {out});
        return out;
    }
}
