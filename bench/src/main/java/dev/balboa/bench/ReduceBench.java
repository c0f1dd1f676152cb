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
 * Float32 sums of a row-major {@code [rows, cols]} matrix through the SPI's Reduce op: over the
 * last axis (each row to one number, contiguous reads) and over the first axis (each column to
 * one number, as in a bias gradient), and over everything.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class ReduceBench {
    /** rows x cols. */
    @Param({"1024x1024", "8192x128", "128x8192"})
    public String shape;

    private static final Op SUM_ROWS = new Op.Reduce(Op.ReduceFn.SUM, new int[] {1});
    private static final Op SUM_COLS = new Op.Reduce(Op.ReduceFn.SUM, new int[] {0});
    private static final Op SUM_ALL = new Op.Reduce(Op.ReduceFn.SUM, new int[] {0, 1});
    private Backend cpu;
    private Operand[] in;
    private Operand[] rowSums, colSums, total;

    @Setup
    public void setup() {
        String[] p = shape.split("x");
        long r = Long.parseLong(p[0]), c = Long.parseLong(p[1]);
        cpu = CpuDevice.open();
        in = new Operand[] {CpuDevice.randomF32(cpu, 1, r, c)};
        rowSums = new Operand[] {CpuDevice.emptyF32(cpu, r, 1)};
        colSums = new Operand[] {CpuDevice.emptyF32(cpu, 1, c)};
        total = new Operand[] {CpuDevice.emptyF32(cpu, 1, 1)};
    }

    /** Sum over the last axis: one number per row. */
    @Benchmark
    public Operand sumRows() {
        cpu.execute(SUM_ROWS, in, rowSums);
        return rowSums[0];
    }

    /** Sum over the first axis: one number per column. */
    @Benchmark
    public Operand sumCols() {
        cpu.execute(SUM_COLS, in, colSums);
        return colSums[0];
    }

    /** Sum of every element. */
    @Benchmark
    public Operand sumAll() {
        cpu.execute(SUM_ALL, in, total);
        return total[0];
    }
}
