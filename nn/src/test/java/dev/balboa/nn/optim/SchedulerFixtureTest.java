package dev.balboa.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.balboa.api.Tensor;
import dev.balboa.nn.testing.TensorFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Learning-rate (and momentum) sequences of every scheduler against PyTorch 1.13 over 25+ steps. */
class SchedulerFixtureTest {
    private static final TensorFixtures FX = TensorFixtures.load("/fixtures/optim/schedulers.json");

    private static List<Tensor> params() {
        return List.of(Tensor.zeros(2).requiresGrad_(), Tensor.zeros(3).requiresGrad_());
    }

    /** Two groups with lr 0.1 and 0.01, as in the fixture script. */
    static Optimizer sgd() {
        List<Tensor> p = params();
        return SGD.of(List.of(ParamGroup.of(List.of(p.get(0))), ParamGroup.of(List.of(p.get(1))).with("lr", 0.01)),
                new SGD.Options().lr(0.1).momentum(0.9));
    }

    static Optimizer adam() {
        List<Tensor> p = params();
        return Adam.of(List.of(ParamGroup.of(List.of(p.get(0))), ParamGroup.of(List.of(p.get(1))).with("lr", 0.01)),
                new Adam.Options().lr(0.1));
    }

    private interface Stepper {
        void step(int i);
    }

    private static Stepper make(String name, Optimizer o) {
        Function<LRScheduler, Stepper> plain = s -> i -> s.step();
        return switch (name) {
            case "step" -> plain.apply(new StepLR(o, 3, 0.5));
            case "multistep" -> plain.apply(new MultiStepLR(o, new int[] {2, 5, 5, 11}, 0.3));
            case "exponential" -> plain.apply(new ExponentialLR(o, 0.9));
            case "cosine" -> plain.apply(new CosineAnnealingLR(o, 10, 0.001));
            case "cosine_zero" -> plain.apply(new CosineAnnealingLR(o, 7, 0.0));
            case "linear" -> plain.apply(new LinearLR(o, 0.1, 1.0, 6));
            case "linear_decay" -> plain.apply(new LinearLR(o, 1.0, 0.25, 10));
            case "onecycle_cos_sgd" -> plain.apply(new OneCycleLR(o, new OneCycleLR.Options(new double[] {1.0, 0.5}, 25)));
            case "onecycle_linear_adam" -> plain.apply(new OneCycleLR(o, new OneCycleLR.Options(0.3, 26)
                    .annealStrategy("linear").pctStart(0.4).divFactor(10.0).finalDivFactor(100.0)));
            case "onecycle_three_phase" -> plain.apply(new OneCycleLR(o, new OneCycleLR.Options(0.8, 25)
                    .threePhase(true).baseMomentum(0.8).maxMomentum(0.9)));
            case "onecycle_nomomentum" -> plain.apply(new OneCycleLR(o, new OneCycleLR.Options(0.8, 25).cycleMomentum(false)));
            case "sequential" -> plain.apply(new SequentialLR(o, List.of(new LinearLR(o, 0.2, 1.0, 4),
                    new ExponentialLR(o, 0.8)), new int[] {5}));
            case "sequential3" -> plain.apply(new SequentialLR(o, List.of(new LinearLR(o, 0.5, 1.0, 3),
                    new StepLR(o, 2, 0.5), new CosineAnnealingLR(o, 8, 0.0)), new int[] {4, 12}));
            case "chained" -> plain.apply(new ChainedScheduler(List.of(new LinearLR(o, 0.25, 1.0, 5), new ExponentialLR(o, 0.9))));
            case "plateau_min_rel" -> plateau(o, new ReduceLROnPlateau.Options().patience(2), name);
            case "plateau_min_abs_cooldown" -> plateau(o, new ReduceLROnPlateau.Options().patience(1).threshold(0.05)
                    .thresholdMode("abs").cooldown(2).factor(0.5).minLr(0.02, 0.004), name);
            case "plateau_max" -> plateau(o, new ReduceLROnPlateau.Options().mode("max").patience(1).factor(0.3).minLr(0.001), name);
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static Stepper plateau(Optimizer o, ReduceLROnPlateau.Options opts, String name) {
        ReduceLROnPlateau s = new ReduceLROnPlateau(o, opts);
        List<?> metrics = (List<?>) FX.value(name, "metrics");
        return i -> s.step(((Number) metrics.get(i)).doubleValue());
    }

    private static double momentum(ParamGroup g) {
        return g.has("betas") ? g.getDoubles("betas")[0] : g.getDouble("momentum");
    }

    @TestFactory
    List<DynamicTest> sequencesMatchTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String c : FX.cases()) {
            tests.add(DynamicTest.dynamicTest(c, () -> {
                Optimizer o = c.contains("adam") ? adam() : sgd();
                Stepper s = make(c, o);
                List<?> lrs = (List<?>) FX.value(c, "lrs");
                List<?> moms = (List<?>) FX.value(c, "momenta");
                int steps = ((Number) FX.value(c, "steps")).intValue();
                for (int i = 0; i <= steps; i++) {
                    if (i > 0) {
                        o.step();
                        s.step(i - 1);
                    }
                    for (int gi = 0; gi < 2; gi++) {
                        ParamGroup g = o.paramGroups().get(gi);
                        double expected = ((Number) ((List<?>) lrs.get(i)).get(gi)).doubleValue();
                        assertEquals(expected, g.lr(), 1e-12 + 1e-9 * Math.abs(expected), c + " lr at step " + i + " group " + gi);
                        double em = ((Number) ((List<?>) moms.get(i)).get(gi)).doubleValue();
                        assertEquals(em, momentum(g), 1e-12, c + " momentum at step " + i + " group " + gi);
                    }
                }
            }));
        }
        return tests;
    }

    @Test
    void stateDictResumesSchedule() {
        Optimizer a = sgd();
        CosineAnnealingLR s = new CosineAnnealingLR(a, 10, 0.001);
        for (int i = 0; i < 4; i++) s.step();
        Map<String, Object> sd = s.stateDict();
        assertEquals(4L, sd.get("last_epoch"));

        Optimizer b = sgd();
        CosineAnnealingLR r = new CosineAnnealingLR(b, 3, 0.5);
        r.loadStateDict(sd);
        for (int gi = 0; gi < 2; gi++) b.paramGroups().get(gi).setLr(a.paramGroups().get(gi).lr());
        for (int i = 0; i < 6; i++) {
            s.step();
            r.step();
            assertEquals(s.getLastLr(), r.getLastLr());
        }
    }

    @Test
    void plateauStateDictRoundTrip() {
        Optimizer a = sgd();
        ReduceLROnPlateau s = new ReduceLROnPlateau(a, new ReduceLROnPlateau.Options().patience(1));
        s.step(1.0);
        s.step(2.0);
        ReduceLROnPlateau r = new ReduceLROnPlateau(sgd());
        r.loadStateDict(s.stateDict());
        assertEquals(1.0, r.best());
        assertEquals(1, r.numBadEpochs());
    }

    @Test
    void getLastLrAndErrors() {
        Optimizer o = sgd();
        StepLR s = new StepLR(o, 2, 0.1);
        assertEquals(List.of(0.1, 0.01), s.getLastLr());
        assertThrows(IllegalArgumentException.class, () -> new StepLR(sgd(), 0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau(sgd(), new ReduceLROnPlateau.Options().factor(1.5)));
        assertThrows(IllegalArgumentException.class, () -> new LinearLR(sgd(), 1.5, 1.0, 3));
        Optimizer one = sgd();
        OneCycleLR oc = new OneCycleLR(one, new OneCycleLR.Options(1.0, 3));
        oc.step();
        oc.step();
        oc.step();
        assertThrows(IllegalStateException.class, oc::step);
        assertThrows(IllegalArgumentException.class, () -> new StepLR(sgd(), 2, 0.1, 5), "resume needs initial_lr");
    }
}
