package dev.balboa.nn.optim;

import static dev.balboa.nn.testing.TensorFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.balboa.api.Tensor;
import dev.balboa.nn.testing.TensorFixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Gradient clipping against PyTorch 1.13's clip_grad_norm_ and clip_grad_value_. */
class GradClipTest {
    private static final TensorFixtures FX = TensorFixtures.load("/fixtures/optim/clipping.json");

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : "inf".equals(o) ? Double.POSITIVE_INFINITY : Double.NaN;
    }

    @TestFactory
    List<DynamicTest> clippingMatchesTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String c : FX.cases()) {
            tests.add(DynamicTest.dynamicTest(c, () -> {
                List<Tensor> ps = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    Tensor g = FX.tensor(c, "grad_" + i);
                    Tensor p = Tensor.zerosLike(g).requiresGrad_();
                    p.setGrad(g);
                    ps.add(p);
                }
                if (FX.value(c, "kind").equals("norm")) {
                    Tensor total = GradClip.clipGradNorm(ps, number(FX.value(c, "max_norm")), number(FX.value(c, "norm_type")), false);
                    assertClose(FX.tensor(c, "total"), total, 1e-5, 1e-6, c + " total norm");
                } else {
                    GradClip.clipGradValue(ps, number(FX.value(c, "clip_value")));
                }
                for (int i = 0; i < 3; i++) assertClose(FX.tensor(c, "clipped_" + i), ps.get(i).grad(), 1e-5, 1e-6, c + " grad " + i);
            }));
        }
        return tests;
    }

    @Test
    void noGradientsAndNonFinite() {
        Tensor p = Tensor.zeros(3).requiresGrad_();
        assertEquals(0.0, GradClip.clipGradNorm(List.of(p), 1.0).item());
        p.setGrad(Tensor.of(new float[] {1, Float.NaN, 2}, 3));
        assertThrows(IllegalStateException.class, () -> GradClip.clipGradNorm(List.of(p), 1.0, 2.0, true));
    }
}
