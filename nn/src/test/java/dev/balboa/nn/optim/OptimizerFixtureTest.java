package dev.balboa.nn.optim;

import static dev.balboa.nn.testing.TensorFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.api.Tensor;
import dev.balboa.nn.testing.TensorFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Optimizers against PyTorch 1.13: five steps from the same parameters with fixed gradient
 * sequences (one parameter has no gradient at step 2), parameters compared after every step;
 * state-dict round trips after three steps.
 */
class OptimizerFixtureTest {
    private static final TensorFixtures FX = TensorFixtures.load("/fixtures/optim/optimizers.json");
    private static final double RTOL = 1e-5, ATOL = 1e-6;

    static Optimizer make(String cls, Map<String, Object> options, List<Tensor> params) {
        ParamGroup g = ParamGroup.of(params);
        for (Map.Entry<String, Object> e : options.entrySet()) g.set(e.getKey(), e.getValue());
        List<ParamGroup> groups = List.of(g);
        return switch (cls) {
            case "SGD" -> SGD.of(groups, new SGD.Options());
            case "Adam" -> Adam.of(groups, new Adam.Options());
            case "AdamW" -> AdamW.of(groups, AdamW.options());
            case "RMSprop" -> RMSprop.of(groups, new RMSprop.Options());
            case "Adagrad" -> Adagrad.of(groups, new Adagrad.Options());
            default -> throw new IllegalArgumentException(cls);
        };
    }

    @SuppressWarnings("unchecked")
    private static Optimizer make(String c, List<Tensor> params) {
        String cls = (String) FX.value(c, "optimizer");
        if (cls.equals("SGD_groups")) {
            return SGD.of(List.of(ParamGroup.of(List.of(params.get(0))),
                    ParamGroup.of(List.of(params.get(1))).with("lr", 0.01).with("momentum", 0.5)),
                    new SGD.Options().lr(0.1).momentum(0.9));
        }
        return make(cls, (Map<String, Object>) FX.value(c, "options"), params);
    }

    private static List<Tensor> initParams(String c) {
        List<Tensor> ps = new ArrayList<>();
        for (int i = 0; i < 2; i++) ps.add(FX.tensor(c, "init_" + i).requiresGrad_());
        return ps;
    }

    private static boolean has(String c, String key) {
        try {
            FX.value(c, key);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void runStep(String c, Optimizer opt, List<Tensor> ps, int s) {
        for (int i = 0; i < ps.size(); i++) {
            String key = "grad_" + s + "_" + i;
            ps.get(i).setGrad(has(c, key) ? FX.tensor(c, key) : null);
        }
        opt.step();
    }

    private static void checkStep(String c, List<Tensor> ps, int s, String what) {
        for (int i = 0; i < ps.size(); i++) {
            assertClose(FX.tensor(c, "param_" + s + "_" + i), ps.get(i).detach(), RTOL, ATOL, c + " " + what + " step " + s + " param " + i);
        }
    }

    @TestFactory
    List<DynamicTest> fiveStepsMatchTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String c : FX.cases()) {
            tests.add(DynamicTest.dynamicTest(c, () -> {
                List<Tensor> ps = initParams(c);
                Optimizer opt = make(c, ps);
                for (int s = 0; s < 5; s++) {
                    runStep(c, opt, ps, s);
                    checkStep(c, ps, s, "");
                }
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> stateDictRoundTripContinuesIdentically() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String c : FX.cases()) {
            tests.add(DynamicTest.dynamicTest(c, () -> {
                List<Tensor> ps = initParams(c);
                Optimizer opt = make(c, ps);
                for (int s = 0; s < 3; s++) runStep(c, opt, ps, s);
                Optimizer.FlatState flat = Optimizer.flatten(opt.stateDict());
                Map<String, Object> restored = Optimizer.unflatten(flat);

                List<Tensor> fresh = new ArrayList<>();
                for (Tensor p : ps) fresh.add(p.detach().clone().requiresGrad_());
                Optimizer resumed = make(c, fresh);
                resumed.loadStateDict(restored);
                for (int s = 3; s < 5; s++) {
                    runStep(c, opt, ps, s);
                    runStep(c, resumed, fresh, s);
                    checkStep(c, ps, s, "uninterrupted");
                    checkStep(c, fresh, s, "resumed");
                    for (int i = 0; i < ps.size(); i++) {
                        assertTrue(ps.get(i).detach().equal(fresh.get(i).detach()), c + ": resumed differs from uninterrupted");
                    }
                }
            }));
        }
        return tests;
    }

    private static void assertJsonAble(Object o) {
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                assertTrue(e.getKey() instanceof String, "key " + e.getKey());
                assertJsonAble(e.getValue());
            }
        } else if (o instanceof List<?> l) {
            for (Object x : l) assertJsonAble(x);
        } else {
            assertTrue(o instanceof String || o instanceof Number || o instanceof Boolean, "not JSON-able: " + o);
        }
    }

    @Test
    void stateDictHasTorchLayout() {
        String c = "adam_amsgrad";
        List<Tensor> ps = initParams(c);
        Optimizer opt = make(c, ps);
        for (int s = 0; s < 3; s++) runStep(c, opt, ps, s);
        Map<String, Object> sd = opt.stateDict();
        Map<?, ?> state = (Map<?, ?>) sd.get("state");
        Map<?, ?> s0 = (Map<?, ?>) state.get(0);
        assertEquals(List.of("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"), new ArrayList<>(((Map<String, ?>) s0).keySet()));
        assertEquals(3.0, ((Tensor) s0.get("step")).item());
        assertEquals(2.0, ((Tensor) ((Map<?, ?>) state.get(1)).get("step")).item(), "param 1 skipped step 2");
        Map<?, ?> g0 = (Map<?, ?>) ((List<?>) sd.get("param_groups")).get(0);
        assertEquals(List.of(0L, 1L), g0.get("params"));
        assertEquals(List.of(0.9, 0.999), g0.get("betas"));
        assertEquals(true, g0.get("amsgrad"));
        Optimizer.FlatState flat = Optimizer.flatten(sd);
        assertTrue(flat.tensors().containsKey("state.1.exp_avg_sq"));
        assertEquals(8, flat.tensors().size());
        assertJsonAble(flat.meta());

        Optimizer other = make(c, initParams(c));
        other.loadStateDict(sd);
        Tensor mine = (Tensor) opt.state().get(ps.get(0)).get("exp_avg");
        Tensor loaded = (Tensor) other.state().get(other.paramGroups().get(0).params().get(0)).get("exp_avg");
        assertNotSame(mine, loaded);
        assertTrue(mine.equal(loaded));
    }
}
