package dev.balboa.nn.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.api.Generator;
import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import dev.balboa.nn.Loss;
import dev.balboa.nn.Module;
import dev.balboa.nn.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SLOW (tagged "slow", about a minute in all on two cores): each vision model memorises a batch of
 * four random images with fixed labels for a few SGD steps (momentum 0.9) in training mode, with
 * dropout and batch statistics active; the loss after the steps must be at least 10% below the first.
 * Inputs are 3x32x32 (3x64x64 for AlexNet, whose pooling needs 63 pixels); the step counts stay
 * small for the large models.
 */
@Tag("slow")
class VisionZooTrainingTest {
    @ParameterizedTest(name = "{0}: {2} steps at lr {1}")
    @CsvSource({"resnet18, 0.02, 5", "resnet34, 0.02, 4", "resnet50, 0.005, 4", "mobilenet_v2, 0.01, 5",
                "alexnet, 0.1, 5", "vgg19, 0.03, 3"})
    void fewStepsReduceTheLoss(String name, double lr, int steps) {
        Generator.manualSeed(1234);
        Module model = Models.create(name, 10);
        model.train();
        int size = name.equals("alexnet") ? 64 : 32;
        Tensor x = Tensor.randn(new long[] {4, 3, size, size}, new Generator(42));
        Tensor y = Tensor.of(new long[] {0, 3, 5, 9}, 4);
        var opt = new SGD(model.parameters(), new SGD.Options().lr(lr).momentum(0.9));
        List<Double> losses = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            Tensor logits = model.forward(x);
            assertArrayEquals(new long[] {4, 10}, logits.shape());
            Tensor loss = Loss.crossEntropy(logits, y);
            opt.zeroGrad(true);
            loss.backward();
            opt.step();
            losses.add(loss.item());
        }
        double last;
        try (var g = Grad.disabled()) {
            last = Loss.crossEntropy(model.forward(x), y).item();
        }
        losses.add(last);
        double first = losses.get(0);
        assertTrue(Double.isFinite(last) && last < 0.9 * first, name + ": losses " + losses);
        System.out.println("[zoo-vision] " + name + " losses " + losses);
    }
}
