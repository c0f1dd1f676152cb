package dev.balboa.nn.models;

import static dev.balboa.nn.testing.TensorFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.balboa.api.Tensor;
import dev.balboa.nn.Module;
import dev.balboa.nn.testing.TensorFixtures;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GNMT and NCF against PyTorch (fixtures from tools/fixtures/gen_nn_model_fixtures.py, built
 * from the models of tools/compare/torch_workloads.py): with torch's state dict loaded, the
 * logits, the training loss and the loss's gradient of every parameter.
 */
class ModelFixturesTest {
    static final TensorFixtures FX = TensorFixtures.load("/fixtures/models/gnmt_ncf.json");
    static final double RTOL = 1e-4;
    static final double ATOL = 1e-5;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gnmt_small", "gnmt_one_layer_long_target", "ncf_small"})
    void matchesTorch(String name) {
        Map<String, Tensor> all = FX.tensors(name);
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : all.entrySet()) {
            if (e.getKey().startsWith("state.")) state.put(e.getKey().substring("state.".length()), e.getValue());
        }
        Module model;
        Tensor logits, loss;
        if (name.startsWith("gnmt")) {
            Tensor embed = state.get("src_embed.weight");
            long layers = state.keySet().stream().filter(k -> k.startsWith("encoder.weight_ih_l")).count();
            GNMT g = new GNMT(embed.size(0), embed.size(1), (int) layers);
            g.loadStateDict(state, true);
            logits = g.forward(all.get("src"), all.get("tgt_in"));
            loss = g.loss(all.get("src"), all.get("tgt_in"), all.get("tgt_out"));
            model = g;
        } else {
            Tensor gmfUser = state.get("gmf_user.weight"), mlpUser = state.get("mlp_user.weight");
            long[] widths = state.keySet().stream().filter(k -> k.startsWith("mlp.") && k.endsWith(".bias"))
                    .mapToLong(k -> state.get(k).size(0)).toArray();
            NCF n = new NCF(gmfUser.size(0), state.get("gmf_item.weight").size(0), gmfUser.size(1), mlpUser.size(1), widths);
            n.loadStateDict(state, true);
            logits = n.forward(all.get("users"), all.get("items"));
            loss = n.loss(all.get("users"), all.get("items"), all.get("labels"));
            model = n;
        }
        assertClose(all.get("logits"), logits, RTOL, ATOL, name + " logits");
        assertClose(all.get("loss"), loss.reshape(1), RTOL, ATOL, name + " loss");
        loss.backward();
        for (Map.Entry<String, Tensor> p : model.namedParameters().entrySet()) {
            Tensor expected = all.get("grad.param." + p.getKey());
            assertNotNull(expected, name + ": torch has no gradient for " + p.getKey());
            assertNotNull(p.getValue().grad(), name + ": no gradient for " + p.getKey());
            assertClose(expected, p.getValue().grad(), RTOL, ATOL, name + " grad of " + p.getKey());
        }
        assertEquals(all.keySet().stream().filter(k -> k.startsWith("grad.param.")).count(), model.namedParameters().size(),
                name + ": parameters with gradients");
    }
}
