package dev.balboa.bench;

import dev.balboa.spi.Backend;
import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import dev.balboa.spi.Operand;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
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
 * The transcendental elementwise kernels of the CPU device (exp, log, tanh, sigmoid, sin, ...
 * and pow with a tensor or a scalar exponent) on 65,536 contiguous elements, a size that stays
 * in cache so the figure is the cost of the math, in float32 and float64.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class VecMathBench {
    /** The function: a unary function name, "pow" (tensor exponent) or "pow2" (scalar exponent 2). */
    @Param({"EXP", "EXPM1", "LOG", "LOG1P", "TANH", "SIGMOID", "SIN", "COS", "ERF", "pow", "pow2"})
    public String fn;

    /** float32 or float64. */
    @Param({"FLOAT32", "FLOAT64"})
    public String dtype;

    private static final long N = 65536;
    private Backend cpu;
    private Op op;
    private Operand[] in;
    private Operand[] out;

    @Setup
    public void setup() {
        cpu = CpuDevice.open();
        DType dt = DType.valueOf(dtype);
        boolean positive = fn.startsWith("LOG") || fn.startsWith("pow");
        Operand x = random(dt, 1, positive ? 0.01 : -8, 8);
        Operand o = Operand.contiguous(cpu.allocate(dt, N), new long[] {N});
        out = new Operand[] {o};
        switch (fn) {
            case "pow" -> {
                op = new Op.Binary(Op.BinaryFn.POW);
                in = new Operand[] {x, random(dt, 2, -3, 3)};
            }
            case "pow2" -> {
                op = new Op.Binary(Op.BinaryFn.POW);
                Operand two = random(dt, 3, 2, 2);
                in = new Operand[] {x, new Operand(two.buffer(), new long[] {N}, new long[] {0}, 0)};
            }
            default -> {
                op = new Op.Unary(Op.UnaryFn.valueOf(fn));
                in = new Operand[] {x};
            }
        }
    }

    private Operand random(DType dt, long seed, double lo, double hi) {
        var buffer = cpu.allocate(dt, N);
        SplittableRandom rnd = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined()) {
            boolean f32 = dt == DType.FLOAT32;
            MemorySegment host = arena.allocate(f32 ? ValueLayout.JAVA_FLOAT : ValueLayout.JAVA_DOUBLE, N);
            for (long i = 0; i < N; i++) {
                double v = lo + (hi - lo) * rnd.nextDouble();
                if (f32) host.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) v);
                else host.setAtIndex(ValueLayout.JAVA_DOUBLE, i, v);
            }
            cpu.write(host, buffer, 0, N);
        }
        return Operand.contiguous(buffer, new long[] {N});
    }

    @Benchmark
    public Operand run() {
        cpu.execute(op, in, out);
        return out[0];
    }
}
