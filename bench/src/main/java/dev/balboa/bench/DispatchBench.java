package dev.balboa.bench;

import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-op overhead on tiny tensors (4 float32 elements), where the kernel's work is negligible:
 * the SPI kernel call alone, an op through {@link Tensor}'s dispatcher with gradient recording
 * off, the same op recorded by autograd, and a recorded op followed by its backward pass.
 * The difference between the lines is what the dispatcher, the output allocation and the
 * autograd layer cost per op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class DispatchBench {
    private static final Op ADD = new Op.Binary(Op.BinaryFn.ADD);
    private Backend cpu;
    private Operand[] in;
    private Operand[] out;
    private Tensor a, b, leaf;

    @Setup
    public void setup() {
        cpu = CpuDevice.open();
        in = new Operand[] {CpuDevice.randomF32(cpu, 1, 4), CpuDevice.randomF32(cpu, 2, 4)};
        out = new Operand[] {CpuDevice.emptyF32(cpu, 4)};
        a = Tensor.of(new float[] {1, 2, 3, 4}, 4);
        b = Tensor.of(new float[] {5, 6, 7, 8}, 4);
        leaf = Tensor.of(new float[] {1, 2, 3, 4}, 4).requiresGrad_();
    }

    /** The device kernel called directly through the SPI, into a preallocated output. */
    @Benchmark
    public Operand kernelOnly() {
        cpu.execute(ADD, in, out);
        return out[0];
    }

    /** {@code a + b} through the dispatcher with gradient recording off (a new output each call). */
    @Benchmark
    public Tensor addNoGrad() {
        try (var g = Grad.disabled()) {
            return a.add(b);
        }
    }

    /** {@code a + b} on tensors that do not require gradients, with recording on. */
    @Benchmark
    public Tensor addPlain() {
        return a.add(b);
    }

    /** {@code leaf + b} recorded by autograd (a graph node per call). */
    @Benchmark
    public Tensor addRecorded() {
        return leaf.add(b);
    }

    /** {@code (leaf * b).sum()}, recorded, then its backward pass: four ops forward and back. */
    @Benchmark
    public Tensor mulSumBackward() {
        leaf.setGrad(null);
        Tensor loss = leaf.mul(b).sum();
        loss.backward();
        return leaf.grad();
    }
}
