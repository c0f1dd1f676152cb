package dev.balboa.bench;

import dev.balboa.api.Functional;
import dev.balboa.api.Generator;
import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import dev.balboa.spi.DType;
import dev.balboa.spi.Device;
import java.util.List;
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
 * One training step of an MLP 784-512-512-10 (ReLU) at batch 128, float32 on the CPU device:
 * forward, cross-entropy (logSoftmax + gather + mean), backward, and a plain SGD update of the
 * parameters under {@code Grad.disabled()}. Compare with bench/scripts/torch_mlp_step.py.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class MlpStepBench {
    private static final int BATCH = 128;
    private Tensor x;
    private Tensor target;
    private List<Tensor> params;

    @Setup
    public void setup() {
        var dev = Device.CPU;
        Generator gen = new Generator(1);
        x = Tensor.randn(new long[] {BATCH, 784}, gen, DType.FLOAT32, dev);
        target = Tensor.randint(0, 10, new long[] {BATCH, 1}, gen, DType.INT64, dev);
        params = List.of(weight(gen, 512, 784), bias(512), weight(gen, 512, 512), bias(512), weight(gen, 10, 512), bias(10));
    }

    private static Tensor weight(Generator gen, long out, long in) {
        var dev = Device.CPU;
        return Tensor.randn(new long[] {out, in}, gen, DType.FLOAT32, dev).mul(1.0 / Math.sqrt(in)).requiresGrad_();
    }

    private static Tensor bias(long n) {
        return Tensor.zeros(new long[] {n}, DType.FLOAT32, Device.CPU).requiresGrad_();
    }

    @Benchmark
    public Tensor trainStep() {
        Tensor h = Functional.linear(x, params.get(0), params.get(1)).relu();
        h = Functional.linear(h, params.get(2), params.get(3)).relu();
        Tensor logits = Functional.linear(h, params.get(4), params.get(5));
        Tensor loss = logits.logSoftmax(1).gather(1, target).neg().mean();
        loss.backward();
        try (var g = Grad.disabled()) {
            for (Tensor p : params) {
                p.sub_(p.grad().mul(0.01));
                p.setGrad(null);
            }
        }
        return loss;
    }
}
