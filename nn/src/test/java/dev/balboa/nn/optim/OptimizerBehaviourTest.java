package dev.balboa.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import dev.balboa.nn.Loss;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Optimizer mechanics: zeroing, closures, groups, validation, and training with autograd. */
class OptimizerBehaviourTest {
    private static Tensor param(float... v) { return Tensor.of(v, v.length).requiresGrad_(); }

    @Test
    void minimizesAQuadraticWithAutograd() {
        Tensor target = Tensor.of(new float[] {1, -2, 3}, 3);
        for (Optimizer opt : List.<java.util.function.Function<List<Tensor>, Optimizer>>of(
                ps -> new SGD(ps, new SGD.Options().lr(0.1).momentum(0.9)),
                ps -> new Adam(ps, new Adam.Options().lr(0.1)),
                ps -> new AdamW(ps, AdamW.options().lr(0.1).weightDecay(0.0)),
                ps -> new RMSprop(ps, new RMSprop.Options().lr(0.05)),
                ps -> new Adagrad(ps, new Adagrad.Options().lr(0.5))).stream().map(f -> f.apply(List.of(param(0, 0, 0)))).toList()) {
            Tensor p = opt.paramGroups().get(0).params().get(0);
            double first = 0, last = 0;
            for (int i = 0; i < 100; i++) {
                Tensor loss = opt.step(() -> {
                    opt.zeroGrad();
                    Tensor l = Loss.mseLoss(p, target);
                    l.backward();
                    return l;
                });
                if (i == 0) first = loss.item();
                last = loss.item();
            }
            assertTrue(last < first * 0.01, opt.getClass().getSimpleName() + ": " + first + " -> " + last);
            assertFalse(p.grad().requiresGrad());
            assertTrue(p.isLeaf(), "step must not record the update");
        }
    }

    @Test
    void stepRunsWithoutRecordingEvenWhenGradIsEnabled() {
        Tensor p = param(1, 2);
        SGD opt = new SGD(List.of(p), new SGD.Options().lr(1));
        p.setGrad(Tensor.of(new float[] {0.5f, 0.5f}, 2));
        assertTrue(Grad.isEnabled());
        opt.step();
        assertTrue(p.isLeaf());
        assertTrue(Tensor.of(new float[] {0.5f, 1.5f}, 2).equal(p.detach()));
        assertEquals(1, opt.stepCount());
    }

    @Test
    void zeroGradZeroesOrRemoves() {
        Tensor p = param(1, 2);
        SGD opt = new SGD(List.of(p), new SGD.Options().lr(0.1));
        p.setGrad(Tensor.of(new float[] {3, 4}, 2));
        opt.zeroGrad();
        assertEquals(0.0, p.grad().abs().sum().item());
        opt.zeroGrad(true);
        assertNull(p.grad());
        opt.zeroGrad();
        assertNull(p.grad());
    }

    @Test
    void paramGroupsAndAddParamGroup() {
        Tensor a = param(1), b = param(1), c = param(1);
        SGD opt = SGD.of(List.of(ParamGroup.of(List.of(a)), ParamGroup.of(List.of(b)).with("lr", 0.5)), new SGD.Options().lr(0.1));
        opt.addParamGroup(ParamGroup.of(List.of(c)).with("momentum", 0.9));
        assertEquals(3, opt.paramGroups().size());
        assertEquals(0.1, opt.paramGroups().get(2).lr());
        assertEquals(0.9, opt.paramGroups().get(2).getDouble("momentum"));
        for (Tensor t : List.of(a, b, c)) t.setGrad(Tensor.of(new float[] {1}, 1));
        opt.step();
        assertEquals(0.9, a.item(), 1e-7);
        assertEquals(0.5, b.item(), 1e-7);
        assertEquals(0.9, c.item(), 1e-7);
        var e = assertThrows(IllegalArgumentException.class, () -> opt.addParamGroup(ParamGroup.of(List.of(a))));
        assertTrue(e.getMessage().contains("more than one parameter group"));
    }

    @Test
    void invalidHyperParametersAreRejected() {
        List<Tensor> ps = List.of(param(1));
        assertThrows(IllegalArgumentException.class, () -> new SGD(ps, new SGD.Options()), "lr is required");
        assertThrows(IllegalArgumentException.class, () -> new SGD(ps, new SGD.Options().lr(0.1).nesterov(true)));
        assertThrows(IllegalArgumentException.class, () -> new SGD(ps, new SGD.Options().lr(-1)));
        assertThrows(IllegalArgumentException.class, () -> new Adam(ps, new Adam.Options().betas(1.0, 0.9)));
        assertThrows(IllegalArgumentException.class, () -> new RMSprop(ps, new RMSprop.Options().eps(-1)));
        assertThrows(IllegalArgumentException.class, () -> new Adagrad(ps, new Adagrad.Options().lrDecay(-1)));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(), new SGD.Options().lr(1)));
        assertThrows(IllegalArgumentException.class, () -> ParamGroup.of(List.of(param(1).mul(2))), "non-leaf");
    }

    @Test
    void loadStateDictChecksGroupShape() {
        Tensor a = param(1), b = param(1);
        Adam one = new Adam(List.of(a, b), new Adam.Options());
        Adam two = Adam.of(List.of(ParamGroup.of(List.of(a)), ParamGroup.of(List.of(b))), new Adam.Options());
        assertThrows(IllegalArgumentException.class, () -> two.loadStateDict(one.stateDict()));
    }

    @Test
    void loadStateDictRestoresGroupOptions() {
        Tensor a = param(1);
        SGD src = new SGD(List.of(a), new SGD.Options().lr(0.3).momentum(0.7));
        SGD dst = new SGD(List.of(param(1)), new SGD.Options().lr(0.01));
        dst.loadStateDict(src.stateDict());
        assertEquals(0.3, dst.paramGroups().get(0).lr());
        assertEquals(0.7, dst.paramGroups().get(0).getDouble("momentum"));
    }
}
