package dev.balboa.nn.recurrent;

import static dev.balboa.nn.recurrent.FixtureCheck.outputs;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.balboa.api.Tensor;
import dev.balboa.nn.LayerNorm;
import dev.balboa.nn.Module;
import dev.balboa.nn.MultiheadAttention;
import dev.balboa.nn.TransformerEncoder;
import dev.balboa.nn.TransformerEncoderLayer;
import dev.balboa.nn.testing.TensorFixtures;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MultiheadAttention, TransformerEncoderLayer and TransformerEncoder against PyTorch (fixtures
 * from tools/fixtures/gen_nn_recurrent_fixtures.py): bool and float masks, kdim/vdim, per-head
 * and averaged weights, pre- and post-norm, gelu, batch first; outputs and the gradients of
 * inputs and every parameter.
 */
class AttentionFixturesTest {
    static final TensorFixtures MHA = TensorFixtures.load("/fixtures/recurrent/attention.json");
    static final TensorFixtures ENC = TensorFixtures.load("/fixtures/recurrent/transformer.json");
    static final Map<String, Supplier<Module>> LAYERS = new LinkedHashMap<>();

    static {
        LAYERS.put("mha_basic", () -> new MultiheadAttention(8, 2));
        LAYERS.put("mha_bool_kpm_float_mask_heads", () -> new MultiheadAttention(8, 2));
        LAYERS.put("mha_kvdim_batch_first_bool_mask", () -> MultiheadAttention.builder(8, 4).kdim(5).vdim(7).batchFirst(true).build());
        LAYERS.put("mha_self_nobias_causal_noweights", () -> MultiheadAttention.builder(6, 3).bias(false).build());
        LAYERS.put("mha_float_kpm_eval_dropout", () -> MultiheadAttention.builder(8, 2).dropout(0.3).build().eval());
        LAYERS.put("encoder_layer_post_relu", () -> TransformerEncoderLayer.builder(8, 2).dimFeedforward(16).dropout(0).build());
        LAYERS.put("encoder_layer_pre_gelu_batch_first_eval", () -> TransformerEncoderLayer.builder(8, 4).dimFeedforward(12)
                .dropout(0.2).activation("gelu").layerNormEps(1e-6).batchFirst(true).normFirst(true).build().eval());
        LAYERS.put("encoder_stack_norm", () -> new TransformerEncoder(
                () -> TransformerEncoderLayer.builder(8, 2).dimFeedforward(16).dropout(0).build(), 2, new LayerNorm(8)));
    }

    static Stream<String> cases() { return LAYERS.keySet().stream(); }

    static Tensor optional(TensorFixtures fx, String name, String key) {
        return fx.tensors(name).get(key);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTorch(String name) {
        Module m = LAYERS.get(name).get();
        if (m instanceof MultiheadAttention mha) {
            Map<String, Tensor> in = FixtureCheck.inputs(MHA, name, "query", "key", "value");
            boolean needWeights = (Boolean) MHA.value(name, "need_weights");
            boolean average = (Boolean) MHA.value(name, "average");
            Tensor kpm = optional(MHA, name, "key_padding_mask"), mask = optional(MHA, name, "attn_mask");
            FixtureCheck.check(MHA, name, m, in, inputs -> {
                Tensor q = inputs.get("query");
                Tensor k = inputs.getOrDefault("key", q), v = inputs.getOrDefault("value", q);
                MultiheadAttention.Output o = mha.forward(q, k, v, kpm, needWeights, mask, average);
                return outputs("y", o.output(), "attn", o.weights());
            }, false);
        } else {
            Map<String, Tensor> in = FixtureCheck.inputs(ENC, name, "src");
            Tensor mask = optional(ENC, name, "src_mask"), kpm = optional(ENC, name, "src_key_padding_mask");
            FixtureCheck.check(ENC, name, m, in, inputs -> outputs("y", m instanceof TransformerEncoder e
                    ? e.forward(inputs.get("src"), mask, kpm)
                    : ((TransformerEncoderLayer) m).forward(inputs.get("src"), mask, kpm)), false);
        }
    }

    @Test
    void everyFixtureCaseIsTested() {
        for (String c : MHA.cases()) assertNotNull(LAYERS.get(c), "no Balboa layer for fixture case " + c);
        for (String c : ENC.cases()) assertNotNull(LAYERS.get(c), "no Balboa layer for fixture case " + c);
    }
}
