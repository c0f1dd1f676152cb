package dev.balboa.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.spi.DType;
import dev.balboa.spi.Device;
import dev.balboa.spi.Fused;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The optimizer steps of {@link OptimizerSteps}: on the CPU device, which offers fused kernels,
 * against the scalar reference device, which offers none and so runs the composite of primitive
 * ops. Both are run for several steps with every option combination, on a small tensor (vector
 * tail), a large one (split across threads) and non-contiguous parameters (the CPU's fallback);
 * the fused kernels keep the composite's operation order, so results agree bit for bit.
 */
class OptimizerStepsTest {

    private static final Device REF = Device.of("reference");
    private static final int STEPS = 3;

    /** A tensor of n values drawn from {@code rnd} with some exact zeros, on the CPU. */
    private static Tensor random(Random rnd, long n, DType dtype) {
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = i % 17 == 0 ? 0.0 : rnd.nextGaussian();
        return Tensor.of(v, n).to(dtype);
    }

    /** The same tensor's values in both places: a CPU tensor (possibly a non-contiguous view) and a contiguous reference copy. */
    private record Pair(Tensor cpu, Tensor ref) {
        static Pair of(Tensor cpu) { return new Pair(cpu, cpu.contiguous().to(REF)); }

        void assertSame(String what) {
            if (cpu.dtype() == DType.FLOAT32) {
                assertArrayEquals(ref.toFloatArray(), cpu.toFloatArray(), what);
            } else {
                assertArrayEquals(ref.toDoubleArray(), cpu.toDoubleArray(), what);
            }
        }
    }

    /** A parameter-shaped CPU tensor: contiguous [n] or, when {@code strided}, a transposed [n/7, 7] view. */
    private static Tensor shaped(Tensor flat, boolean strided) {
        if (!strided) return flat;
        long n = flat.numel();
        return flat.view(7, n / 7).t();
    }

    static Stream<Arguments> adamCases() {
        List<Arguments> out = new ArrayList<>();
        for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
            for (boolean amsgrad : List.of(false, true)) {
                for (boolean maximize : List.of(false, true)) {
                    for (boolean decoupled : List.of(false, true)) {
                        for (double wd : List.of(0.0, 0.1)) {
                            out.add(Arguments.of(dt, amsgrad, maximize, decoupled, wd, 1001L, false));
                        }
                    }
                }
            }
            out.add(Arguments.of(dt, true, false, false, 0.1, 70_007L, false));
            out.add(Arguments.of(dt, false, true, true, 0.01, 70_007L, false));
            out.add(Arguments.of(dt, true, true, false, 0.1, 1001L, true));
            out.add(Arguments.of(dt, false, false, true, 0.1, 1001L, true));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} amsgrad={1} maximize={2} decoupled={3} wd={4} n={5} strided={6}")
    @MethodSource("adamCases")
    void adamFusedEqualsComposite(DType dt, boolean amsgrad, boolean maximize, boolean decoupled, double wd, long n, boolean strided) {
        Random rnd = new Random(n * 31 + (amsgrad ? 1 : 0) + (maximize ? 2 : 0) + (decoupled ? 4 : 0));
        Pair p = Pair.of(shaped(random(rnd, n, dt), strided));
        Tensor zeros = Tensor.zerosLike(p.cpu);
        Pair m = Pair.of(zeros.clone()), v = Pair.of(zeros.clone()), vmax = Pair.of(zeros.clone());
        assertTrue(p.cpu.isContiguous() != strided);
        for (int step = 1; step <= STEPS; step++) {
            Pair g = Pair.of(shaped(random(rnd, n, dt), strided));
            var h = new Fused.AdamStep(1e-2, 0.9, 0.999, 1e-8, wd, decoupled, amsgrad, maximize, step);
            int version = p.cpu.version();
            OptimizerSteps.adam(p.cpu, g.cpu, m.cpu, v.cpu, amsgrad ? vmax.cpu : null, h);
            OptimizerSteps.adam(p.ref, g.ref, m.ref, v.ref, amsgrad ? vmax.ref : null, h);
            assertTrue(p.cpu.version() > version, "the parameter's version counter must advance");
            p.assertSame("param after step " + step);
            m.assertSame("exp_avg after step " + step);
            v.assertSame("exp_avg_sq after step " + step);
            if (amsgrad) vmax.assertSame("max_exp_avg_sq after step " + step);
        }
    }

    static Stream<Arguments> sgdCases() {
        List<Arguments> out = new ArrayList<>();
        for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
            for (double momentum : List.of(0.0, 0.9)) {
                for (double dampening : momentum == 0 ? List.of(0.0) : List.of(0.0, 0.3)) {
                    for (boolean nesterov : momentum == 0 || dampening != 0 ? List.of(false) : List.of(false, true)) {
                        for (boolean maximize : List.of(false, true)) {
                            for (double wd : List.of(0.0, 5e-4)) {
                                out.add(Arguments.of(dt, momentum, dampening, nesterov, maximize, wd, 1001L, false));
                            }
                        }
                    }
                }
            }
            out.add(Arguments.of(dt, 0.9, 0.0, true, false, 5e-4, 70_007L, false));
            out.add(Arguments.of(dt, 0.9, 0.0, false, true, 0.0, 1001L, true));
            out.add(Arguments.of(dt, 0.0, 0.0, false, false, 5e-4, 1001L, true));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} momentum={1} dampening={2} nesterov={3} maximize={4} wd={5} n={6} strided={7}")
    @MethodSource("sgdCases")
    void sgdFusedEqualsComposite(DType dt, double momentum, double dampening, boolean nesterov, boolean maximize,
                                 double wd, long n, boolean strided) {
        Random rnd = new Random(n * 17 + (nesterov ? 1 : 0) + (maximize ? 2 : 0) + (momentum != 0 ? 4 : 0));
        Pair p = Pair.of(shaped(random(rnd, n, dt), strided));
        // the first step overwrites the buffer: start it from garbage to show its contents are not read
        Pair buf = momentum == 0 ? null : Pair.of(Tensor.fullLike(p.cpu, 1e30));
        for (int step = 1; step <= STEPS; step++) {
            Pair g = Pair.of(shaped(random(rnd, n, dt), strided));
            var h = new Fused.SgdStep(0.05, momentum, dampening, wd, nesterov, maximize, step == 1);
            OptimizerSteps.sgd(p.cpu, g.cpu, buf == null ? null : buf.cpu, h);
            OptimizerSteps.sgd(p.ref, g.ref, buf == null ? null : buf.ref, h);
            p.assertSame("param after step " + step);
            if (buf != null) buf.assertSame("momentum_buffer after step " + step);
        }
    }

    static Stream<Arguments> rmspropCases() {
        List<Arguments> out = new ArrayList<>();
        for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
            for (double momentum : List.of(0.0, 0.9)) {
                for (boolean centered : List.of(false, true)) {
                    for (boolean maximize : List.of(false, true)) {
                        for (double wd : List.of(0.0, 0.01)) {
                            out.add(Arguments.of(dt, momentum, centered, maximize, wd, 1001L, false));
                        }
                    }
                }
            }
            out.add(Arguments.of(dt, 0.9, true, false, 0.01, 70_007L, false));
            out.add(Arguments.of(dt, 0.9, true, true, 0.01, 1001L, true));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} momentum={1} centered={2} maximize={3} wd={4} n={5} strided={6}")
    @MethodSource("rmspropCases")
    void rmspropFusedEqualsComposite(DType dt, double momentum, boolean centered, boolean maximize, double wd, long n, boolean strided) {
        Random rnd = new Random(n * 13 + (centered ? 1 : 0) + (maximize ? 2 : 0) + (momentum != 0 ? 4 : 0));
        Pair p = Pair.of(shaped(random(rnd, n, dt), strided));
        Tensor zeros = Tensor.zerosLike(p.cpu);
        Pair sq = Pair.of(zeros.clone()), buf = Pair.of(zeros.clone()), avg = Pair.of(zeros.clone());
        for (int step = 1; step <= STEPS; step++) {
            Pair g = Pair.of(shaped(random(rnd, n, dt), strided));
            var h = new Fused.RmspropStep(0.01, 0.9, 1e-8, wd, momentum, centered, maximize);
            OptimizerSteps.rmsprop(p.cpu, g.cpu, sq.cpu, momentum > 0 ? buf.cpu : null, centered ? avg.cpu : null, h);
            OptimizerSteps.rmsprop(p.ref, g.ref, sq.ref, momentum > 0 ? buf.ref : null, centered ? avg.ref : null, h);
            p.assertSame("param after step " + step);
            sq.assertSame("square_avg after step " + step);
            if (momentum > 0) buf.assertSame("momentum_buffer after step " + step);
            if (centered) avg.assertSame("grad_avg after step " + step);
        }
    }

    static Stream<Arguments> adagradCases() {
        List<Arguments> out = new ArrayList<>();
        for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
            for (boolean maximize : List.of(false, true)) {
                for (double wd : List.of(0.0, 0.01)) {
                    for (double lrDecay : List.of(0.0, 0.1)) out.add(Arguments.of(dt, lrDecay, maximize, wd, 1001L, false));
                }
            }
            out.add(Arguments.of(dt, 0.1, true, 0.01, 70_007L, false));
            out.add(Arguments.of(dt, 0.1, false, 0.01, 1001L, true));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} lrDecay={1} maximize={2} wd={3} n={4} strided={5}")
    @MethodSource("adagradCases")
    void adagradFusedEqualsComposite(DType dt, double lrDecay, boolean maximize, double wd, long n, boolean strided) {
        Random rnd = new Random(n * 19 + (maximize ? 2 : 0) + (lrDecay != 0 ? 4 : 0));
        Pair p = Pair.of(shaped(random(rnd, n, dt), strided));
        Pair sum = Pair.of(Tensor.fullLike(p.cpu, 0.1));
        for (int step = 1; step <= STEPS; step++) {
            Pair g = Pair.of(shaped(random(rnd, n, dt), strided));
            var h = new Fused.AdagradStep(0.05, lrDecay, wd, 1e-10, maximize, step);
            OptimizerSteps.adagrad(p.cpu, g.cpu, sum.cpu, h);
            OptimizerSteps.adagrad(p.ref, g.ref, sum.ref, h);
            p.assertSame("param after step " + step);
            sum.assertSame("sum after step " + step);
        }
    }

    @Test
    void cpuOffersTheFusedKernelsAndTheReferenceDeviceDoesNot() {
        var adam = new Fused.AdamStep(1e-3, 0.9, 0.999, 1e-8, 0, false, false, false, 1);
        var sgd = new Fused.SgdStep(0.1, 0.9, 0, 0, false, false, false);
        for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
            assertTrue(Devices.backend(Device.CPU).supportsFused(adam, dt));
            assertTrue(Devices.backend(Device.CPU).supportsFused(sgd, dt));
            assertTrue(Devices.backend(Device.CPU).supportsFused(new Fused.RmspropStep(0.01, 0.99, 1e-8, 0, 0, false, false), dt));
            assertTrue(Devices.backend(Device.CPU).supportsFused(new Fused.AdagradStep(0.01, 0, 0, 1e-10, false, 1), dt));
            assertFalse(Devices.backend(REF).supportsFused(adam, dt));
        }
        assertFalse(Devices.backend(Device.CPU).supportsFused(adam, DType.FLOAT16));
        assertThrows(UnsupportedOperationException.class,
                () -> Devices.backend(REF).executeFused(adam, new dev.balboa.spi.Operand[0], new dev.balboa.spi.Operand[0]));
    }

    /** A closed form: one Adam step from zero moments moves every element by lr * g / (|g| + eps') against g's sign. */
    @Test
    void adamFirstStepClosedFormFloat64() {
        double lr = 0.01, eps = 1e-8;
        Tensor p = Tensor.of(new double[] {1, -2, 3, 0.5, 4}, 5);
        Tensor g = Tensor.of(new double[] {0.5, -0.25, 0, 3, -1e-3}, 5);
        double[] before = p.toDoubleArray(), gs = g.toDoubleArray();
        OptimizerSteps.adam(p, g, Tensor.zerosLike(p), Tensor.zerosLike(p), null,
                new Fused.AdamStep(lr, 0.9, 0.999, eps, 0, false, false, false, 1));
        double[] after = p.toDoubleArray();
        for (int i = 0; i < 5; i++) {
            // m-hat = g, v-hat = g^2 after bias correction
            double expected = before[i] - lr * gs[i] / (Math.abs(gs[i]) + eps);
            assertTrue(Math.abs(after[i] - expected) <= 1e-12 * Math.max(1, Math.abs(expected)),
                    "element " + i + ": " + after[i] + " vs " + expected);
        }
    }

    @Test
    void misuseIsRefusedWithClearMessages() {
        Tensor p = Tensor.zeros(new long[] {4, 3}, DType.FLOAT32);
        Tensor good = Tensor.zerosLike(p);
        var adam = new Fused.AdamStep(1e-3, 0.9, 0.999, 1e-8, 0, false, false, false, 1);
        var ams = new Fused.AdamStep(1e-3, 0.9, 0.999, 1e-8, 0, false, true, false, 1);
        var sgd = new Fused.SgdStep(0.1, 0.9, 0, 0, false, false, true);
        expect(() -> OptimizerSteps.adam(p, Tensor.zeros(new long[] {3, 4}, DType.FLOAT32), good, good.clone(), null, adam),
                "adam_step", "grad", "[4, 3]", "[3, 4]");
        expect(() -> OptimizerSteps.adam(p, good, good.clone(), Tensor.zeros(new long[] {12}, DType.FLOAT32), null, adam),
                "adam_step", "exp_avg_sq", "[12]");
        expect(() -> OptimizerSteps.adam(p, good.to(REF), good.clone(), good.clone(), null, adam),
                "adam_step", "same device", "cpu", "reference");
        expect(() -> OptimizerSteps.adam(p, good, good.clone(), good.clone(), null, ams), "adam_step", "max_exp_avg_sq", "null");
        expect(() -> OptimizerSteps.adam(p, good, good.clone(), good.clone(), null, null), "adam_step", "hyper-parameters");
        Tensor ints = Tensor.zeros(new long[] {4, 3}, DType.INT64);
        expect(() -> OptimizerSteps.adam(ints, ints, ints, ints, null, adam), "adam_step", "floating-point", "int64");
        expect(() -> OptimizerSteps.sgd(p, good, null, sgd), "sgd_step", "momentum_buffer", "null");
        expect(() -> OptimizerSteps.sgd(p, good, Tensor.zeros(new long[] {4, 1}, DType.FLOAT32), sgd),
                "sgd_step", "momentum_buffer", "[4, 1]");
        expect(() -> OptimizerSteps.sgd(p.to(REF), good, good.clone(), sgd), "sgd_step", "same device");
        var centered = new Fused.RmspropStep(0.01, 0.99, 1e-8, 0, 0.9, true, false);
        expect(() -> OptimizerSteps.rmsprop(p, good, good.clone(), good.clone(), null, centered), "rmsprop_step", "grad_avg", "null");
        expect(() -> OptimizerSteps.rmsprop(p, good, good.clone(), Tensor.zeros(new long[] {3}, DType.FLOAT32), good.clone(), centered),
                "rmsprop_step", "momentum_buffer", "[3]");
        expect(() -> OptimizerSteps.adagrad(p, good, good.to(REF), new Fused.AdagradStep(0.01, 0, 0, 1e-10, false, 1)),
                "adagrad_step", "same device");
        assertThrows(IllegalArgumentException.class, () -> new Fused.AdamStep(1e-3, 0.9, 0.999, 1e-8, 0, false, false, false, 0));
    }

    private static void expect(org.junit.jupiter.api.function.Executable call, String... fragments) {
        String msg = assertThrows(IllegalArgumentException.class, call).getMessage();
        for (String f : fragments) assertTrue(msg != null && msg.contains(f), "message lacks '" + f + "': " + msg);
    }
}
