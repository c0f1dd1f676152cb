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
 * Square float32 matrix products {@code C = op(A) op(B)} through the CPU device's Matmul op, with
 * each operand either row-major or a transposed view of a row-major matrix (strides swapped, no
 * copy): NN, NT ({@code A B^T}, the layout of {@code Linear}'s forward) and TN ({@code A^T B},
 * the layout of a weight gradient). The "mflop" counter gives MFLOP/s (2 n^3 flops per call).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class SgemmBench {
    @Param({"128", "512", "1024"})
    public int size;

    /** NN, NT or TN: whether A and B are used as stored (N) or transposed (T). */
    @Param({"NN", "NT", "TN"})
    public String layout;

    private static final Op MATMUL = new Op.Matmul();
    private Backend cpu;
    private Operand[] in;
    private Operand[] out;
    private long mflopPerCall;

    @Setup
    public void setup() {
        cpu = CpuDevice.open();
        Operand a = CpuDevice.randomF32(cpu, 1, 1, size, size);
        Operand b = CpuDevice.randomF32(cpu, 2, 1, size, size);
        if (layout.charAt(0) == 'T') a = transposed(a);
        if (layout.charAt(1) == 'T') b = transposed(b);
        in = new Operand[] {a, b};
        out = new Operand[] {CpuDevice.emptyF32(cpu, 1, size, size)};
        mflopPerCall = 2L * size * size * size / 1_000_000;
    }

    /** The view of {@code [1, n, n]} row-major {@code m} that reads it transposed. */
    static Operand transposed(Operand m) {
        long[] s = m.strides();
        return new Operand(m.buffer(), m.shape().clone(), new long[] {s[0], s[2], s[1]}, m.offset());
    }

    @Benchmark
    public Operand sgemm(FlopCounter flops) {
        cpu.execute(MATMUL, in, out);
        flops.mflop += mflopPerCall;
        return out[0];
    }
}
