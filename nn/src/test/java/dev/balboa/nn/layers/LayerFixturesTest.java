package dev.balboa.nn.layers;

import static dev.balboa.nn.testing.TensorFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.balboa.api.Generator;
import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import dev.balboa.nn.AdaptiveAvgPool2d;
import dev.balboa.nn.AvgPool2d;
import dev.balboa.nn.BatchNorm1d;
import dev.balboa.nn.BatchNorm2d;
import dev.balboa.nn.Bilinear;
import dev.balboa.nn.Conv1d;
import dev.balboa.nn.Conv2d;
import dev.balboa.nn.ConvTranspose2d;
import dev.balboa.nn.Dropout;
import dev.balboa.nn.ELU;
import dev.balboa.nn.Embedding;
import dev.balboa.nn.Flatten;
import dev.balboa.nn.GELU;
import dev.balboa.nn.GroupNorm;
import dev.balboa.nn.LayerNorm;
import dev.balboa.nn.LeakyReLU;
import dev.balboa.nn.Linear;
import dev.balboa.nn.LogSoftmax;
import dev.balboa.nn.MaxPool2d;
import dev.balboa.nn.Module;
import dev.balboa.nn.ReLU;
import dev.balboa.nn.SiLU;
import dev.balboa.nn.Sigmoid;
import dev.balboa.nn.Softmax;
import dev.balboa.nn.Softplus;
import dev.balboa.nn.Tanh;
import dev.balboa.nn.testing.TensorFixtures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every layer against PyTorch (fixtures from tools/fixtures/gen_nn_layer_fixtures.py): torch's
 * state dict is loaded under the same keys, then the forward output, the input gradients and
 * the parameter gradients of {@code sum(y * w)} must match in float32; the repr, state-dict
 * keys and parameter count must match too.
 */
class LayerFixturesTest {
    static final TensorFixtures FX = TensorFixtures.load("/fixtures/layers/layers.json");
    static final double RTOL = 1e-4;
    static final double ATOL = 1e-5;

    /** Balboa layers built with the same settings as the torch layers of each case. */
    static final Map<String, Supplier<Module>> LAYERS = new LinkedHashMap<>();

    static {
        Generator g = new Generator(7);
        LAYERS.put("linear", () -> new Linear(5, 3));
        LAYERS.put("linear_nobias", () -> new Linear(5, 3, false, g));
        LAYERS.put("bilinear", () -> new Bilinear(4, 3, 2));
        LAYERS.put("conv1d", () -> new Conv1d(3, 4, 3, 2, 1));
        LAYERS.put("conv1d_same_reflect", () -> Conv1d.builder(2, 2, 4).padding("same").paddingMode("reflect").build());
        LAYERS.put("conv1d_groups_dilation", () -> Conv1d.builder(4, 2, 2).dilation(2).groups(2).bias(false).build());
        LAYERS.put("conv2d", () -> new Conv2d(3, 4, 3, 1, 1));
        LAYERS.put("conv2d_groups", () -> Conv2d.builder(4, 6, 3, 2).stride(2, 1).padding(1, 0).dilation(1, 2).groups(2)
                .bias(false).generator(g).build());
        LAYERS.put("conv2d_same", () -> Conv2d.builder(2, 3, 4).padding("same").build());
        LAYERS.put("conv2d_circular", () -> Conv2d.builder(2, 2, 3).padding(1).paddingMode("circular").build());
        LAYERS.put("conv_transpose2d", () -> ConvTranspose2d.builder(3, 2, 3).stride(2).padding(1).outputPadding(1).build());
        LAYERS.put("conv_transpose2d_groups", () -> ConvTranspose2d.builder(4, 6, 2, 3).stride(1, 2).groups(2).dilation(2, 1)
                .bias(false).build());
        LAYERS.put("max_pool2d", () -> new MaxPool2d(2));
        LAYERS.put("max_pool2d_ceil", () -> new MaxPool2d(new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, true));
        LAYERS.put("avg_pool2d", () -> new AvgPool2d(2));
        LAYERS.put("avg_pool2d_pad", () -> new AvgPool2d(new int[] {3}, new int[] {2}, new int[] {1}, true, false, 0));
        LAYERS.put("adaptive_avg_pool2d", () -> new AdaptiveAvgPool2d(2, 3));
        LAYERS.put("adaptive_avg_pool2d_1", () -> new AdaptiveAvgPool2d(1));
        LAYERS.put("layer_norm", () -> new LayerNorm(4, 5));
        LAYERS.put("layer_norm_noaffine", () -> LayerNorm.builder(6).eps(1e-3).elementwiseAffine(false).build());
        LAYERS.put("group_norm", () -> new GroupNorm(2, 6));
        LAYERS.put("group_norm_noaffine", () -> new GroupNorm(3, 3, 1e-5, false));
        LAYERS.put("embedding", () -> new Embedding(10, 4));
        LAYERS.put("embedding_padding", () -> new Embedding(10, 4, 2L));
        LAYERS.put("relu", ReLU::new);
        LAYERS.put("leaky_relu", () -> new LeakyReLU(0.2));
        LAYERS.put("gelu", GELU::new);
        LAYERS.put("gelu_tanh", () -> new GELU("tanh"));
        LAYERS.put("silu", SiLU::new);
        LAYERS.put("tanh", Tanh::new);
        LAYERS.put("sigmoid", Sigmoid::new);
        LAYERS.put("softmax", () -> new Softmax(1));
        LAYERS.put("log_softmax", () -> new LogSoftmax(0));
        LAYERS.put("elu", () -> new ELU(0.7));
        LAYERS.put("softplus", () -> new Softplus(2, 3));
        LAYERS.put("dropout", () -> new Dropout(0.25).eval());
        LAYERS.put("flatten", Flatten::new);
        LAYERS.put("batch_norm1d", () -> new BatchNorm1d(4));
        LAYERS.put("batch_norm1d_3d_cumulative", () -> BatchNorm1d.builder(3).momentum(null).build());
        LAYERS.put("batch_norm2d", () -> new BatchNorm2d(3, 1e-3, 0.3));
        LAYERS.put("batch_norm2d_noaffine_notrack", () -> BatchNorm2d.builder(3).affine(false).trackRunningStats(false).build());
    }

    static Stream<String> cases() { return LAYERS.keySet().stream(); }

    /** The case's tensors under {@code prefix} with the prefix removed. */
    static Map<String, Tensor> withPrefix(String caseName, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : FX.tensors(caseName).entrySet()) {
            if (e.getKey().startsWith(prefix)) out.put(e.getKey().substring(prefix.length()), e.getValue());
        }
        return out;
    }

    /** A module's repr with Balboa's parameter-count annotations removed, to compare with PyTorch's. */
    static String torchRepr(Module m) { return m.toString().replaceAll("  # [0-9,]+ parameters", ""); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardAndGradientsMatchTorch(String name) {
        Module m = LAYERS.get(name).get();
        Map<String, Tensor> state = withPrefix(name, "state.");
        m.loadStateDict(state, true);

        List<Tensor> xs = new ArrayList<>();
        for (int i = 0; FX.tensors(name).containsKey("x" + i); i++) {
            Tensor x = FX.tensor(name, "x" + i);
            xs.add(x.dtype().isFloatingPoint() ? x.clone().requiresGrad_() : x);
        }
        Tensor y = xs.size() == 2 ? ((Bilinear) m).forward(xs.get(0), xs.get(1)) : m.forward(xs.get(0));
        assertClose(FX.tensor(name, "y"), y, RTOL, ATOL, name + " forward");
        y.mul(FX.tensor(name, "w")).sum().backward();
        for (int i = 0; i < xs.size(); i++) {
            if (FX.tensors(name).containsKey("grad_x" + i)) {
                assertNotNull(xs.get(i).grad(), name + ": no gradient for input " + i);
                assertClose(FX.tensor(name, "grad_x" + i), xs.get(i).grad(), RTOL, ATOL, name + " grad of input " + i);
            }
        }
        Map<String, Tensor> grads = withPrefix(name, "grad.");
        for (Map.Entry<String, Tensor> p : m.namedParameters().entrySet()) {
            Tensor expected = grads.get(p.getKey());
            assertNotNull(expected, name + ": torch has no gradient for " + p.getKey());
            assertNotNull(p.getValue().grad(), name + ": no gradient for " + p.getKey());
            assertClose(expected, p.getValue().grad(), RTOL, ATOL, name + " grad of " + p.getKey());
        }
        assertEquals(grads.keySet(), m.namedParameters().keySet(), name + ": parameters with gradients");

        assertEquals(FX.value(name, "keys"), new ArrayList<>(m.stateDict().keySet()), name + ": state_dict keys");
        assertEquals(((Number) FX.value(name, "num_params")).longValue(), m.numParameters(), name + ": parameter count");
        assertEquals(FX.value(name, "repr"), torchRepr(m), name + ": repr");

        // after a training step the buffers hold torch's running statistics
        if (FX.tensors(name).containsKey("x_second")) {
            checkState(name, "after1.", m);
            try (var g = Grad.disabled()) {
                m.forward(FX.tensor(name, "x_second"));
            }
            checkState(name, "after2.", m);
            m.eval();
            try (var g = Grad.disabled()) {
                assertClose(FX.tensor(name, "y_eval"), m.forward(xs.get(0).detach()), RTOL, ATOL, name + " eval forward");
            }
        }
    }

    static void checkState(String name, String prefix, Module m) {
        Map<String, Tensor> expected = withPrefix(name, prefix);
        Map<String, Tensor> actual = m.stateDict();
        assertEquals(expected.keySet(), actual.keySet(), name + ": " + prefix + " keys");
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            Tensor a = actual.get(e.getKey());
            assertEquals(e.getValue().dtype(), a.dtype(), name + ": dtype of " + prefix + e.getKey());
            assertClose(e.getValue(), a, RTOL, ATOL, name + " " + prefix + e.getKey());
        }
    }

    @Test
    void everyFixtureCaseHasALayer() {
        for (String c : FX.cases()) {
            if (!c.equals("sequential") && !c.equals("init")) assertNotNull(LAYERS.get(c), "no Balboa layer for fixture case " + c);
        }
    }

    @Test
    void sequentialKeysCountAndReprMatchTorch() {
        var seq = new dev.balboa.nn.Sequential(Conv2d.builder(1, 4, 3).padding(1).build(), new BatchNorm2d(4), new ReLU(),
                new MaxPool2d(2), new Flatten(), new Linear(36, 10), new Dropout(0.1));
        assertEquals(FX.value("sequential", "keys"), new ArrayList<>(seq.stateDict().keySet()));
        assertEquals(((Number) FX.value("sequential", "num_params")).longValue(), seq.numParameters());
        assertEquals(FX.value("sequential", "repr"), torchRepr(seq));
    }
}
