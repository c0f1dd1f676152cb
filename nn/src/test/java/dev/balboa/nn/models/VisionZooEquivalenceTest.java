package dev.balboa.nn.models;

import static dev.balboa.nn.testing.TensorFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import dev.balboa.nn.BatchNorm2d;
import dev.balboa.nn.Module;
import dev.balboa.nn.Sequential;
import dev.balboa.nn.testing.TensorFixtures;
import dev.balboa.spi.DType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Forward passes against torchvision (fixtures from tools/fixtures/gen_zoo_param_counts.py).
 * Whole ResNet-18 and MobileNetV2 in eval mode: their 11 M and 2 M weights are too large for a
 * fixture, so both sides fill every state entry from the same integer hash (exact in Python and
 * Java), load it with {@code loadStateDict} and compare the logits of one 3x32x32 image. Single
 * blocks (BasicBlock, Bottleneck, InvertedResidual with and without residual) load torch's seeded
 * random weights and running statistics and are compared in eval and training mode, with the
 * input and parameter gradients of {@code sum(y * w)} in training mode.
 */
class VisionZooEquivalenceTest {
    static final TensorFixtures FX = TensorFixtures.load("/fixtures/models/vision_equivalence.json");

    /** Pseudo-random numbers in [0, 1) for entry {@code index}, the same integer hash as the fixture script. */
    static double[] hashUniform(int n, int index) {
        final long mask = 0xFFFFFFFFL;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            long h = (i * 2654435761L + index * 40503L + 12345L) & mask;
            h ^= h >>> 15;
            h = (h * 2246822519L) & mask;
            h ^= h >>> 13;
            out[i] = h / 4294967296.0;
        }
        return out;
    }

    /** The state the fixture script builds for a model: hashed values scaled like a He initialisation. */
    static Map<String, Tensor> formulaState(Module model) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        int index = 0;
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            String k = e.getKey();
            long[] shape = e.getValue().shape();
            if (k.endsWith("num_batches_tracked")) {
                state.put(k, Tensor.zeros(new long[0], DType.INT64));
                index++;
                continue;
            }
            int n = Math.toIntExact(e.getValue().numel());
            double[] u = hashUniform(n, index);
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                double x;
                if (k.endsWith("running_var") || (shape.length == 1 && k.endsWith("weight"))) x = 0.5 + u[i];
                else if (k.endsWith("running_mean") || k.endsWith("bias")) x = 0.2 * (2 * u[i] - 1);
                else x = Math.sqrt(6.0 / (n / shape[0])) * (2 * u[i] - 1);
                v[i] = (float) x;
            }
            state.put(k, Tensor.of(v, shape));
            index++;
        }
        return state;
    }

    @ParameterizedTest
    @CsvSource({"resnet18, resnet18_formula", "mobilenet_v2, mobilenet_v2_formula"})
    void wholeModelLogitsInEvalMode(String name, String fixture) {
        Module m = Models.create(name, 10);
        Module.LoadResult r = m.loadStateDict(formulaState(m), true);
        assertTrue(r.missingKeys().isEmpty() && r.unexpectedKeys().isEmpty());
        m.eval();
        try (var g = Grad.disabled()) {
            Tensor y = m.forward(FX.tensor(fixture, "x"));
            Tensor expected = FX.tensor(fixture, "y");
            double scale = expected.abs().max().item();
            assertClose(expected, y, 1e-4, 1e-4 * scale, name + " logits");
        }
    }

    static final Map<String, Supplier<Module>> BLOCKS = Map.of(
            "basic_block", () -> new BasicBlock(8, 16, 2, new Sequential(ResNet.conv1x1(8, 16, 2), new BatchNorm2d(16))),
            "bottleneck", () -> new Bottleneck(16, 4, 2, new Sequential(ResNet.conv1x1(16, 16, 2), new BatchNorm2d(16))),
            "inverted_residual_s2", () -> new InvertedResidual(8, 16, 2, 6),
            "inverted_residual_res", () -> new InvertedResidual(8, 8, 1, 6));

    @ParameterizedTest
    @CsvSource({"basic_block", "bottleneck", "inverted_residual_s2", "inverted_residual_res"})
    void blockMatchesTorchvisionInEvalAndTrainingWithGradients(String name) {
        Module block = BLOCKS.get(name).get();
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : FX.tensors(name).entrySet()) {
            if (e.getKey().startsWith("state.")) state.put(e.getKey().substring(6), e.getValue());
        }
        assertEquals(block.stateDict().keySet(), state.keySet(), name + " keys");
        block.loadStateDict(state, true);
        Tensor x = FX.tensor(name, "x");
        try (var g = Grad.disabled()) {
            block.eval();
            assertClose(FX.tensor(name, "y_eval"), block.forward(x), 1e-4, 1e-5, name + " eval");
        }
        block.train();
        Tensor xg = x.detach().requiresGrad_();
        Tensor y = block.forward(xg);
        assertClose(FX.tensor(name, "y_train"), y, 1e-4, 1e-4, name + " train");
        y.mul(FX.tensor(name, "w")).sum().backward();
        assertClose(FX.tensor(name, "grad_x"), xg.grad(), 1e-3, 1e-4, name + " input gradient");
        for (Map.Entry<String, Tensor> e : block.namedParameters().entrySet()) {
            assertClose(FX.tensor(name, "grad." + e.getKey()), e.getValue().grad(), 1e-3, 1e-4, name + " gradient of " + e.getKey());
        }
    }

    @Test
    void hashMatchesTheFixtureScript() {
        // formula_uniform(3, 0) and formula_uniform(2, 5) as the Python script computes them
        assertEquals(java.util.List.of(0.029149997048079967, 0.9666562881320715, 0.5902466711122543),
                java.util.Arrays.stream(hashUniform(3, 0)).boxed().toList());
        assertEquals(java.util.List.of(0.47935979114845395, 0.35936622810550034),
                java.util.Arrays.stream(hashUniform(2, 5)).boxed().toList());
    }
}
