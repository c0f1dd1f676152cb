package dev.balboa.bench;

import dev.balboa.api.Generator;
import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
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
 * Softmax and log-softmax over the last axis of a float32 {@code [rows, cols]} tensor through
 * {@link Tensor}'s API (the composite, or a device's fused kernel when it offers one), without
 * gradient recording: classifier outputs (256 x 1000), attention weights (4096 x 20) and GNMT's
 * vocabulary logits (640 x 8000).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class SoftmaxBench {
    /** rows x cols. */
    @Param({"256x1000", "4096x20", "640x8000"})
    public String shape;

    private Tensor x;

    @Setup
    public void setup() {
        String[] p = shape.split("x");
        x = Tensor.randn(new long[] {Long.parseLong(p[0]), Long.parseLong(p[1])}, new Generator(1));
    }

    @Benchmark
    public Tensor softmax() {
        try (var g = Grad.inference()) {
            return x.softmax(1);
        }
    }

    @Benchmark
    public Tensor logSoftmax() {
        try (var g = Grad.inference()) {
            return x.logSoftmax(1);
        }
    }
}
