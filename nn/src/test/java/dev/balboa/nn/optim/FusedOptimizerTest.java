package dev.balboa.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.api.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SGD, Adam, AdamW, RMSprop and Adagrad against a plain float64 implementation of PyTorch 1.13's update rules,
 * for every option combination, on a contiguous parameter (the CPU's fused kernel) and on a
 * transposed, non-contiguous one (the composite fallback), over several steps with fresh
 * gradients.
 */
class FusedOptimizerTest {
    private static final int ROWS = 9, COLS = 13, N = ROWS * COLS, STEPS = 4;
    private static final double TOL = 1e-12;

    /** A [ROWS, COLS] float64 parameter holding {@code values} (row-major), contiguous or a transposed view. */
    private static Tensor param(double[] values, boolean strided) {
        if (!strided) return Tensor.of(values.clone(), ROWS, COLS).requiresGrad_();
        // store the transpose so that .t() shows the same [ROWS, COLS] values through strides (1, ROWS)
        double[] tr = new double[N];
        for (int i = 0; i < ROWS; i++) for (int j = 0; j < COLS; j++) tr[j * ROWS + i] = values[i * COLS + j];
        Tensor p = Tensor.of(tr, COLS, ROWS).t();
        assertTrue(!p.isContiguous());
        return p;
    }

    private static double[] gaussian(Random rnd) {
        double[] v = new double[N];
        for (int i = 0; i < N; i++) v[i] = i % 11 == 0 ? 0 : rnd.nextGaussian();
        return v;
    }

    private static void assertClose(double[] expected, Tensor actual, String what) {
        assertCloseTol(expected, actual, what, TOL);
    }

    private static void assertCloseTol(double[] expected, Tensor actual, String what, double tol0) {
        double[] a = actual.contiguous().toDoubleArray();
        assertEquals(expected.length, a.length);
        for (int i = 0; i < a.length; i++) {
            double tol = tol0 * Math.max(1, Math.abs(expected[i]));
            assertTrue(Math.abs(a[i] - expected[i]) <= tol, what + "[" + i + "]: " + a[i] + " vs " + expected[i]);
        }
    }

    static Stream<Arguments> adamCases() {
        List<Arguments> out = new ArrayList<>();
        for (boolean decoupled : List.of(false, true)) {
            for (boolean amsgrad : List.of(false, true)) {
                for (boolean maximize : List.of(false, true)) {
                    for (double wd : List.of(0.0, 0.05)) {
                        for (boolean strided : List.of(false, true)) out.add(Arguments.of(decoupled, amsgrad, maximize, wd, strided));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "decoupled={0} amsgrad={1} maximize={2} wd={3} strided={4}")
    @MethodSource("adamCases")
    void adamAndAdamWMatchTheirUpdateRule(boolean decoupled, boolean amsgrad, boolean maximize, double wd, boolean strided) {
        double lr = 0.02, b1 = 0.8, b2 = 0.95, eps = 1e-6;
        Random rnd = new Random(7);
        double[] p = gaussian(rnd), m = new double[N], v = new double[N], vmax = new double[N];
        Tensor param = param(p, strided);
        Adam.Options o = (decoupled ? AdamW.options() : new Adam.Options())
                .lr(lr).betas(b1, b2).eps(eps).weightDecay(wd).amsgrad(amsgrad).maximize(maximize);
        Optimizer opt = decoupled ? new AdamW(List.of(param), o) : new Adam(List.of(param), o);
        for (int t = 1; t <= STEPS; t++) {
            double[] g = gaussian(rnd);
            param.setGrad(param(g, strided).detach());
            opt.step();
            double bc1 = 1 - Math.pow(b1, t), bc2 = 1 - Math.pow(b2, t);
            for (int i = 0; i < N; i++) {
                double gi = maximize ? -g[i] : g[i];
                if (decoupled) p[i] *= 1 - lr * wd;
                else gi += wd * p[i];
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                vmax[i] = Math.max(vmax[i], v[i]);
                double vhat = (amsgrad ? vmax[i] : v[i]) / bc2;
                p[i] -= lr * (m[i] / bc1) / (Math.sqrt(vhat) + eps);
            }
            assertClose(p, param.detach(), "param after step " + t);
            var s = opt.state().get(param);
            assertClose(m, (Tensor) s.get("exp_avg"), "exp_avg after step " + t);
            assertClose(v, (Tensor) s.get("exp_avg_sq"), "exp_avg_sq after step " + t);
            if (amsgrad) assertClose(vmax, (Tensor) s.get("max_exp_avg_sq"), "max_exp_avg_sq after step " + t);
            assertEquals((double) t, ((Number) s.get("step")).doubleValue());
        }
    }

    static Stream<Arguments> sgdCases() {
        List<Arguments> out = new ArrayList<>();
        for (double momentum : List.of(0.0, 0.9)) {
            for (double dampening : momentum == 0 ? List.of(0.0) : List.of(0.0, 0.25)) {
                for (boolean nesterov : momentum == 0 || dampening != 0 ? List.of(false) : List.of(false, true)) {
                    for (boolean maximize : List.of(false, true)) {
                        for (double wd : List.of(0.0, 0.01)) {
                            for (boolean strided : List.of(false, true)) {
                                out.add(Arguments.of(momentum, dampening, nesterov, maximize, wd, strided));
                            }
                        }
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "momentum={0} dampening={1} nesterov={2} maximize={3} wd={4} strided={5}")
    @MethodSource("sgdCases")
    void sgdMatchesItsUpdateRule(double momentum, double dampening, boolean nesterov, boolean maximize, double wd, boolean strided) {
        double lr = 0.03;
        Random rnd = new Random(11);
        double[] p = gaussian(rnd), b = new double[N];
        Tensor param = param(p, strided);
        SGD opt = new SGD(List.of(param), new SGD.Options().lr(lr).momentum(momentum).dampening(dampening)
                .nesterov(nesterov).maximize(maximize).weightDecay(wd));
        for (int t = 1; t <= STEPS; t++) {
            double[] g = gaussian(rnd);
            param.setGrad(param(g, strided).detach());
            opt.step();
            for (int i = 0; i < N; i++) {
                double d = (maximize ? -g[i] : g[i]) + wd * p[i];
                if (momentum != 0) {
                    b[i] = t == 1 ? d : momentum * b[i] + (1 - dampening) * d;
                    d = nesterov ? d + momentum * b[i] : b[i];
                }
                p[i] -= lr * d;
            }
            assertClose(p, param.detach(), "param after step " + t);
            if (momentum != 0) assertClose(b, (Tensor) opt.state().get(param).get("momentum_buffer"), "momentum_buffer after step " + t);
        }
    }

    static Stream<Arguments> rmspropCases() {
        List<Arguments> out = new ArrayList<>();
        for (double momentum : List.of(0.0, 0.5)) {
            for (boolean centered : List.of(false, true)) {
                for (boolean maximize : List.of(false, true)) {
                    for (double wd : List.of(0.0, 0.01)) {
                        for (boolean strided : List.of(false, true)) out.add(Arguments.of(momentum, centered, maximize, wd, strided));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "momentum={0} centered={1} maximize={2} wd={3} strided={4}")
    @MethodSource("rmspropCases")
    void rmspropMatchesItsUpdateRule(double momentum, boolean centered, boolean maximize, double wd, boolean strided) {
        double lr = 0.01, alpha = 0.9, eps = 1e-6;
        Random rnd = new Random(5);
        double[] p = gaussian(rnd), sq = new double[N], ga = new double[N], b = new double[N];
        Tensor param = param(p, strided);
        RMSprop opt = new RMSprop(List.of(param), new RMSprop.Options().lr(lr).alpha(alpha).eps(eps).weightDecay(wd)
                .momentum(momentum).centered(centered).maximize(maximize));
        for (int t = 1; t <= STEPS; t++) {
            double[] g = gaussian(rnd);
            param.setGrad(param(g, strided).detach());
            opt.step();
            for (int i = 0; i < N; i++) {
                double gi = (maximize ? -g[i] : g[i]) + wd * p[i];
                sq[i] = alpha * sq[i] + (1 - alpha) * gi * gi;
                ga[i] = alpha * ga[i] + (1 - alpha) * gi;
                double avg = Math.sqrt(centered ? sq[i] - ga[i] * ga[i] : sq[i]) + eps;
                if (momentum > 0) {
                    b[i] = momentum * b[i] + gi / avg;
                    p[i] -= lr * b[i];
                } else {
                    p[i] -= lr * gi / avg;
                }
            }
            // the centered variance sqrt(sq - ga^2) loses digits to cancellation: compare it a little more loosely
            assertCloseTol(p, param.detach(), "param after step " + t, centered ? 1e-9 : TOL);
            assertClose(sq, (Tensor) opt.state().get(param).get("square_avg"), "square_avg after step " + t);
        }
    }

    @ParameterizedTest(name = "maximize={0} wd={1} lrDecay={2} strided={3}")
    @MethodSource("adagradCases")
    void adagradMatchesItsUpdateRule(boolean maximize, double wd, double lrDecay, boolean strided) {
        double lr = 0.05, eps = 1e-10, init = 0.1;
        Random rnd = new Random(3);
        double[] p = gaussian(rnd), sum = new double[N];
        java.util.Arrays.fill(sum, init);
        Tensor param = param(p, strided);
        Adagrad opt = new Adagrad(List.of(param), new Adagrad.Options().lr(lr).lrDecay(lrDecay).weightDecay(wd).eps(eps)
                .initialAccumulatorValue(init).maximize(maximize));
        for (int t = 1; t <= STEPS; t++) {
            double[] g = gaussian(rnd);
            param.setGrad(param(g, strided).detach());
            opt.step();
            double clr = lr / (1 + (t - 1) * lrDecay);
            for (int i = 0; i < N; i++) {
                double gi = (maximize ? -g[i] : g[i]) + wd * p[i];
                sum[i] += gi * gi;
                p[i] -= clr * gi / (Math.sqrt(sum[i]) + eps);
            }
            assertClose(p, param.detach(), "param after step " + t);
            assertClose(sum, (Tensor) opt.state().get(param).get("sum"), "sum after step " + t);
        }
    }

    static Stream<Arguments> adagradCases() {
        List<Arguments> out = new ArrayList<>();
        for (boolean maximize : List.of(false, true)) {
            for (double wd : List.of(0.0, 0.01)) {
                for (double lrDecay : List.of(0.0, 0.2)) {
                    for (boolean strided : List.of(false, true)) out.add(Arguments.of(maximize, wd, lrDecay, strided));
                }
            }
        }
        return out.stream();
    }
}
