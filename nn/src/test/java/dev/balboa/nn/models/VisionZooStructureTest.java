package dev.balboa.nn.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.api.Generator;
import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import dev.balboa.nn.BatchNorm2d;
import dev.balboa.nn.Conv2d;
import dev.balboa.nn.Linear;
import dev.balboa.nn.Module;
import dev.balboa.nn.testing.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vision models' structure against torchvision: parameter counts (the published figures for
 * 1000 classes, torch's for 10), state-dict keys and shapes in order (from
 * tools/fixtures/gen_zoo_param_counts.py), output shapes on small inputs, and initialisation.
 */
class VisionZooStructureTest {
    @SuppressWarnings("unchecked")
    static final Map<String, Object> ZOO = (Map<String, Object>) readJson("/fixtures/models/vision_zoo.json");

    static Object readJson(String resource) {
        try (InputStream in = VisionZooStructureTest.class.getResourceAsStream(resource)) {
            return Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> entry(String name) { return (Map<String, Object>) ZOO.get(name); }

    /** Published parameter counts of torchvision's models for 1000 classes. */
    static final Map<String, Long> PUBLISHED = Map.of("alexnet", 61_100_840L, "vgg19", 143_667_240L, "resnet18", 11_689_512L,
            "resnet34", 21_797_672L, "resnet50", 25_557_032L, "mobilenet_v2", 3_504_872L);

    /**
     * One model at a time, each built once per class count (VGG-19 alone takes seconds to
     * initialise): the 1000-class count against the published figure and torch's (for the six
     * models with a published figure), then for 10
     * classes torch's count, state-dict keys and shapes in order, and the logits' shape on a
     * small batch in eval mode (AlexNet needs 63 pixels or more, the others run at 32).
     */
    @ParameterizedTest
    @CsvSource({"alexnet, 64", "vgg19, 32", "vgg11_bn, 32", "resnet18, 32", "resnet34, 32", "resnet50, 32",
                "mobilenet_v2, 32"})
    @SuppressWarnings("unchecked")
    void matchesTorchvision(String name, int size) {
        Map<String, Object> e = entry(name);
        long p1000 = ((Number) e.get("params_1000")).longValue();
        if (PUBLISHED.containsKey(name)) {
            assertEquals(PUBLISHED.get(name), p1000, "fixture agrees with the published count");
            assertEquals(p1000, Models.create(name, 1000).numParameters(), name + " parameters, 1000 classes");
        }

        Module m = Models.create(name, 10);
        assertEquals(((Number) e.get("params_10")).longValue(), m.numParameters(), name + " parameters, 10 classes");
        List<String> keys = (List<String>) e.get("keys");
        List<List<Object>> shapes = (List<List<Object>>) e.get("shapes");
        Map<String, Tensor> state = m.stateDict();
        assertEquals(keys, new ArrayList<>(state.keySet()), name + " state-dict keys");
        for (int i = 0; i < keys.size(); i++) {
            long[] expected = shapes.get(i).stream().mapToLong(o -> ((Number) o).longValue()).toArray();
            assertArrayEquals(expected, state.get(keys.get(i)).shape(), name + " shape of " + keys.get(i));
        }
        if (m instanceof VGG || m instanceof MobileNetV2) {
            for (Module sub : m.namedModules().values()) {
                if (sub instanceof Linear l) {
                    assertEquals(0.01, l.weight().std(true).item(), 0.002, name + " linear init N(0, 0.01)");
                    assertEquals(0.0, l.bias().abs().max().item(), name + " linear bias 0");
                }
            }
        }
        m.eval();
        try (var g = Grad.disabled()) {
            Tensor y = m.forward(Tensor.randn(new long[] {2, 3, size, size}, new Generator(1)));
            assertArrayEquals(new long[] {2, 10}, y.shape(), name);
            for (float v : y.toFloatArray()) assertTrue(Float.isFinite(v), name + " gives finite logits");
        }
    }

    @ParameterizedTest
    @CsvSource({"resnet18, 64", "mobilenet_v2, 64", "resnet50, 48"})
    void otherInputSizes(String name, int size) {
        Module m = Models.create(name, 7).eval();
        try (var g = Grad.disabled()) {
            assertArrayEquals(new long[] {1, 7}, m.forward(Tensor.randn(new long[] {1, 3, size, size}, new Generator(2))).shape());
        }
    }

    /**
     * Every VGG configuration, with and without batch norm, through its convolutional part only
     * (the classifier, the same 25088-4096-4096-classes stack in every variant, is checked above
     * for VGG-19 and VGG-11-BN): parameter count and state-dict keys of torchvision's
     * {@code features}.
     */
    @ParameterizedTest
    @CsvSource({"vgg11, A, false", "vgg13, B, false", "vgg16, D, false", "vgg19, E, false",
                "vgg11_bn, A, true", "vgg13_bn, B, true", "vgg16_bn, D, true", "vgg19_bn, E, true"})
    @SuppressWarnings("unchecked")
    void vggFeaturesOfEveryConfiguration(String name, VGG.Config config, boolean batchNorm) {
        Map<String, Object> e = (Map<String, Object>) entry("vgg_features").get(name);
        Module features = VGG.makeFeatures(config, batchNorm);
        assertEquals(((Number) e.get("params")).longValue(), features.numParameters(), name);
        assertEquals(e.get("keys"), new ArrayList<>(features.stateDict().keySet()), name);
    }

    @Test
    void factoryNamesAndErrors() {
        for (String n : List.of("alexnet", "vgg19", "resnet18", "resnet34", "resnet50", "mobilenet_v2")) {
            assertTrue(Models.names().contains(n), n);
        }
        assertTrue(Models.create("ResNet18", 3) instanceof ResNet);
        assertTrue(Models.create("mobilenet_v2", 3) instanceof MobileNetV2);
        var ex = assertThrows(IllegalArgumentException.class, () -> Models.create("resnet101", 10));
        assertTrue(ex.getMessage().contains("resnet18"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Models.create("resnet18", 0));
    }

    @Test
    void resnetInitialisationFollowsTorchvision() {
        ResNet m = ResNet.resnet18(10);
        for (Module sub : m.namedModules().values()) {
            if (sub instanceof Conv2d c) {
                // kaiming normal, fan_out, ReLU gain: std = sqrt(2 / (out * kh * kw))
                long[] s = c.weight().shape();
                double expected = Math.sqrt(2.0 / (s[0] * s[2] * s[3]));
                assertEquals(expected, c.weight().std(true).item(), expected * 0.15, "conv std " + java.util.Arrays.toString(s));
                assertEquals(0.0, c.weight().mean().item(), expected * 0.2);
            } else if (sub instanceof BatchNorm2d bn) {
                assertEquals(1.0, bn.weight().min().item());
                assertEquals(1.0, bn.weight().max().item());
                assertEquals(0.0, bn.bias().abs().max().item());
            }
        }
        ResNet zero = new ResNet(ResNet.Block.BOTTLENECK, new int[] {1, 1, 1, 1}, 10, true);
        for (Map.Entry<String, Tensor> e : zero.namedParameters().entrySet()) {
            if (e.getKey().endsWith("bn3.weight")) assertEquals(0.0, e.getValue().abs().max().item(), e.getKey());
            if (e.getKey().endsWith("bn2.weight")) assertEquals(1.0, e.getValue().min().item(), e.getKey());
        }
    }

    @Test
    void mobileNetBlocksAndRounding() {
        assertEquals(32, MobileNetV2.makeDivisible(32, 8));
        assertEquals(24, MobileNetV2.makeDivisible(22.4, 8));
        assertEquals(16, MobileNetV2.makeDivisible(12, 8));
        assertEquals(8, MobileNetV2.makeDivisible(3, 8));
        assertFalse(new InvertedResidual(16, 24, 2, 6).usesResidual());
        assertTrue(new InvertedResidual(24, 24, 1, 6).usesResidual());
        assertFalse(new InvertedResidual(24, 32, 1, 6).usesResidual());
        MobileNetV2 half = new MobileNetV2(10, 0.5, 0.2);
        assertArrayEquals(new long[] {16, 3, 3, 3}, half.stateDict().get("features.0.0.weight").shape());
        assertArrayEquals(new long[] {10, 1280}, half.stateDict().get("classifier.1.weight").shape());
        assertThrows(IllegalArgumentException.class, () -> new InvertedResidual(8, 8, 3, 6));
    }

    @Test
    void relu6ClampsAndHasTorchsGradientAtTheBounds() {
        Tensor x = Tensor.of(new float[] {-2f, 0f, 3f, 6f, 7.5f}, 5).requiresGrad_();
        Tensor y = new dev.balboa.nn.ReLU6().forward(x);
        assertArrayEquals(new float[] {0f, 0f, 3f, 6f, 6f}, y.toFloatArray());
        y.sum().backward();
        assertArrayEquals(new float[] {0f, 0f, 1f, 0f, 0f}, x.grad().toFloatArray());
        Tensor z = new dev.balboa.nn.Hardtanh().forward(Tensor.of(new float[] {-3f, 0.5f, 2f}, 3));
        assertArrayEquals(new float[] {-1f, 0.5f, 1f}, z.toFloatArray());
        assertEquals("ReLU6()", new dev.balboa.nn.ReLU6().toString());
        assertEquals("Hardtanh(min_val=-1.0, max_val=1.0)", new dev.balboa.nn.Hardtanh().toString());
        assertThrows(IllegalArgumentException.class, () -> new dev.balboa.nn.Hardtanh(1, 1));
    }
}
