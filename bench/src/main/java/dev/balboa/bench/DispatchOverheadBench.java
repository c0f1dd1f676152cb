package dev.balboa.bench;

import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import dev.balboa.spi.DType;
import dev.balboa.spi.Device;
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
 * Per-op overhead with tiny tensors: {@code a.add(b)} of two one-element float32 tensors through
 * the whole tensor API (shape checks, allocation, dispatch, kernel), without autograd, with an
 * input that requires grad (a graph node is recorded), and with that input under no-grad.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class DispatchOverheadBench {
    private Tensor a;
    private Tensor b;
    private Tensor recorded;

    @Setup
    public void setup() {
        var dev = Device.CPU;
        a = Tensor.full(new long[] {1}, 1.0, DType.FLOAT32, dev);
        b = Tensor.full(new long[] {1}, 2.0, DType.FLOAT32, dev);
        recorded = Tensor.full(new long[] {1}, 3.0, DType.FLOAT32, dev).requiresGrad_();
    }

    /** No input requires grad: the autograd layer only checks and passes through. */
    @Benchmark
    public Tensor addPlain() { return a.add(b); }

    /** One input requires grad: the op is recorded with a node. */
    @Benchmark
    public Tensor addRecorded() { return recorded.add(b); }

    /** An input requires grad but recording is off for the thread. */
    @Benchmark
    public Tensor addRecordedUnderNoGrad() {
        try (var g = Grad.disabled()) {
            return recorded.add(b);
        }
    }
}
