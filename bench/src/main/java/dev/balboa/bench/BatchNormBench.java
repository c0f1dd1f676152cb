package dev.balboa.bench;

import dev.balboa.api.Functional;
import dev.balboa.api.Generator;
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
 * One training-mode batch norm, forward and backward, on float32 NCHW activations of the
 * benchmark workloads (MobileNetV2 batch 16 and ResNet-50 batch 8 at 64 x 64): through
 * {@link Functional#batchNorm} (the device's fused kernels when it offers them), and as the
 * composite of primitive ops that the layer recorded before (mean, centre, variance, scale,
 * shift, each with its backward node).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class BatchNormBench {
    /** N x C x H x W. */
    @Param({"16x32x32x32", "16x144x16x16", "16x384x4x4", "8x256x16x16", "8x2048x2x2"})
    public String shape;

    private Tensor x, w, b, g;
    private int[] dims = {0, 2, 3};
    private long[] bshape;

    @Setup
    public void setup() {
        String[] p = shape.split("x");
        long[] s = new long[4];
        for (int i = 0; i < 4; i++) s[i] = Long.parseLong(p[i]);
        Generator gen = new Generator(1);
        x = Tensor.randn(s, gen).requiresGrad_();
        g = Tensor.randn(s, gen);
        w = Tensor.randn(new long[] {s[1]}, gen).requiresGrad_();
        b = Tensor.randn(new long[] {s[1]}, gen).requiresGrad_();
        bshape = new long[] {1, s[1], 1, 1};
    }

    private void clearGrads() {
        x.setGrad(null);
        w.setGrad(null);
        b.setGrad(null);
    }

    @Benchmark
    public Tensor functional() {
        clearGrads();
        Tensor y = Functional.batchNorm(x, null, null, w, b, true, 0.1, 1e-5);
        y.backward(g);
        return x.grad();
    }

    @Benchmark
    public Tensor composite() {
        clearGrads();
        Tensor mean = x.mean(dims, true);
        Tensor centred = x.add(mean.neg());
        Tensor var = centred.mul(centred).mean(dims, true);
        Tensor y = centred.mul(var.add(1e-5).rsqrt().mul(w.view(bshape))).add(b.view(bshape));
        y.backward(g);
        return x.grad();
    }
}
