package dev.balboa.autograd;

import dev.balboa.api.Devices;
import dev.balboa.api.Generator;
import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import dev.balboa.autograd.internal.GraphProbe;
import dev.balboa.spi.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * One gradient check: a function of float64 leaves, the inputs to check it at, its tolerances,
 * and whether second derivatives are checked too. Also the input makers the op families share.
 */
record GradCase(String name, Function<List<Tensor>, Tensor> f, Supplier<Tensor[]> inputs,
                GradCheck.Options options, boolean gradgrad) {

    static final GradCheck.Options DEFAULT = GradCheck.Options.defaults();

    static GradCase of(String name, Function<List<Tensor>, Tensor> f, Supplier<Tensor[]> inputs) {
        return new GradCase(name, f, inputs, DEFAULT, false);
    }

    /** The same case with second derivatives checked as well. */
    GradCase withGradgrad() { return new GradCase(name, f, inputs, options, true); }

    GradCase withOptions(GradCheck.Options o) { return new GradCase(name, f, inputs, o, gradgrad); }

    /** Runs gradcheck (and gradgradcheck when asked). */
    void run() {
        GradCheck.gradcheck(f, options, inputs.get());
        if (gradgrad) GradCheck.gradgradcheck(f, options, inputs.get());
    }

    /**
     * The primitives and views recorded while the case runs its forward (and, for gradgrad
     * cases, its first backward with a graph).
     */
    Set<String> recordedOps() {
        Tensor[] xs = inputs.get();
        Tensor out;
        try (var g = Grad.enabled()) {
            out = f.apply(Arrays.asList(xs));
        }
        Set<String> keys = new LinkedHashSet<>(GraphProbe.opKeys(List.of(out)));
        if (gradgrad && out.requiresGrad()) {
            List<Tensor> diff = new ArrayList<>();
            for (Tensor x : xs) if (x.requiresGrad()) diff.add(x);
            Tensor v = Tensor.onesLike(out);
            List<Tensor> gs = Autograd.grad(List.of(out), diff, List.of(v), true, true, true);
            keys.addAll(GraphProbe.opKeys(gs));
        }
        return keys;
    }

    static Stream<DynamicTest> tests(List<GradCase> cases) {
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name() + (c.gradgrad() ? " (+gradgrad)" : ""), c::run));
    }

    // ---------------------------------------------------------------- inputs

    private static final ThreadLocal<long[]> SEEDS = ThreadLocal.withInitial(() -> new long[] {1});

    static Generator gen() { return new Generator(SEEDS.get()[0]++ * 7919L + 17); }

    /** A float64 leaf of standard normal values that requires grad. */
    static Tensor randn(long... shape) {
        return Tensor.randn(shape, gen(), DType.FLOAT64, Devices.defaultDevice()).requiresGrad_();
    }

    /** Values in [lo, hi). */
    static Tensor uniform(double lo, double hi, long... shape) {
        return Tensor.rand(shape, gen(), DType.FLOAT64, Devices.defaultDevice()).mul(hi - lo).add(lo).requiresGrad_();
    }

    /** Values in [0.5, 2): safe for log, sqrt, division. */
    static Tensor positive(long... shape) { return uniform(0.5, 2.0, shape); }

    /** Values with |x| in [0.2, 1.2) and random sign: away from the kinks of abs, relu, clamp at 0. */
    static Tensor awayFromZero(long... shape) {
        Tensor u = Tensor.rand(shape, gen(), DType.FLOAT64, Devices.defaultDevice()).add(0.2);
        Tensor s = Tensor.rand(shape, gen(), DType.FLOAT64, Devices.defaultDevice()).gt(0.5).to(DType.FLOAT64).mul(2.0).sub(1.0);
        return u.mul(s).requiresGrad_();
    }

    /** Distinct values (a shuffled arange scaled), so that max, sort and pooling have no ties. */
    static Tensor distinct(long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        double[] v = new double[(int) n];
        Generator g = gen();
        // a random offset per tensor keeps two distinct() tensors from sharing values (ties in maximum/minimum)
        double offset = g.nextDouble() * 0.17;
        for (int i = 0; i < n; i++) v[i] = (i - n / 2.0) * 0.173 + offset;
        for (int i = (int) n - 1; i > 0; i--) {
            int j = (int) g.nextLong(i + 1);
            double t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return Tensor.of(v, shape.length == 0 ? new long[] {1} : shape).reshape(shape).requiresGrad_();
    }

    /** A float64 leaf with the given values. */
    static Tensor leaf(double[] values, long... shape) { return Tensor.of(values, shape).requiresGrad_(); }

    /** An int64 index tensor. */
    static Tensor index(long[] values, long... shape) { return Tensor.of(values, shape); }

    /** A bool tensor. */
    static Tensor mask(boolean[] values, long... shape) { return Tensor.of(values, shape); }

    static Tensor[] in(Tensor... xs) { return xs; }
}
