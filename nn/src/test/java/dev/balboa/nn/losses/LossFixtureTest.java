package dev.balboa.nn.losses;

import static dev.balboa.nn.testing.TensorFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.balboa.api.Tensor;
import dev.balboa.nn.Loss;
import dev.balboa.nn.Reduction;
import dev.balboa.nn.testing.TensorFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every loss and option combination against PyTorch 1.13: values and input gradients. */
class LossFixtureTest {
    private static final TensorFixtures FX = TensorFixtures.load("/fixtures/optim/losses.json");

    @TestFactory
    List<DynamicTest> lossesMatchTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String c : FX.cases()) tests.add(DynamicTest.dynamicTest(c, () -> check(c)));
        return tests;
    }

    private static Object opt(String c, String key) {
        try {
            return FX.value(c, key);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static Tensor compute(String c, Tensor x, Map<String, Tensor> t) {
        String fn = (String) FX.value(c, "fn");
        Reduction red = Reduction.of((String) FX.value(c, "reduction"));
        Tensor target = t.get("target"), weight = t.get("weight");
        return switch (fn) {
            case "cross_entropy" -> Loss.crossEntropy(x, target, weight, ((Number) FX.value(c, "ignore_index")).longValue(), red,
                    ((Number) FX.value(c, "label_smoothing")).doubleValue());
            case "nll_loss" -> Loss.nllLoss(x, target, weight, ((Number) FX.value(c, "ignore_index")).longValue(), red);
            case "mse_loss" -> Loss.mseLoss(x, target, red);
            case "l1_loss" -> Loss.l1Loss(x, target, red);
            case "smooth_l1_loss" -> Loss.smoothL1Loss(x, target, red, ((Number) FX.value(c, "beta")).doubleValue());
            case "huber_loss" -> Loss.huberLoss(x, target, red, ((Number) FX.value(c, "delta")).doubleValue());
            case "binary_cross_entropy" -> Loss.binaryCrossEntropy(x, target, weight, red);
            case "binary_cross_entropy_with_logits" -> Loss.binaryCrossEntropyWithLogits(x, target, weight, t.get("pos_weight"), red);
            case "kl_div" -> Loss.klDiv(x, target, red, (Boolean) FX.value(c, "log_target"));
            default -> throw new IllegalArgumentException("unknown loss " + fn);
        };
    }

    private static void check(String c) {
        Map<String, Tensor> t = FX.tensors(c);
        Tensor x = t.get("input").requiresGrad_();
        Tensor loss = compute(c, x, t);
        assertClose(t.get("loss"), loss, 1e-4, 1e-5, c + " value");
        if (opt(c, "grad") == null) return;
        loss.sum().backward();
        assertNotNull(x.grad(), c + ": no gradient");
        assertClose(t.get("grad"), x.grad(), 1e-4, 1e-5, c + " gradient");
    }
}
