package dev.balboa.nn.recurrent;

import static dev.balboa.nn.testing.TensorFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.balboa.api.Tensor;
import dev.balboa.nn.Module;
import dev.balboa.nn.testing.TensorFixtures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The comparison shared by the recurrent, attention and transformer fixture tests: load torch's
 * state dict strictly, run, and compare the outputs, the gradients of {@code sum(output * w)}
 * over all outputs with respect to inputs and parameters, the state-dict keys, the parameter
 * count and (optionally) the repr.
 */
final class FixtureCheck {
    static final double RTOL = 1e-4;
    static final double ATOL = 1e-5;

    private FixtureCheck() {}

    /** Runs a module on named inputs and returns its named outputs. */
    interface Runner {
        Map<String, Tensor> run(Map<String, Tensor> inputs);
    }

    /** The case's tensors under {@code prefix} with the prefix removed. */
    static Map<String, Tensor> withPrefix(TensorFixtures fx, String caseName, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : fx.tensors(caseName).entrySet()) {
            if (e.getKey().startsWith(prefix)) out.put(e.getKey().substring(prefix.length()), e.getValue());
        }
        return out;
    }

    /** Loads the leaf inputs of a case (those named in {@code names} that the case has), requiring gradients. */
    static Map<String, Tensor> inputs(TensorFixtures fx, String name, String... names) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Map<String, Tensor> all = fx.tensors(name);
        for (String n : names) if (all.containsKey(n)) out.put(n, all.get(n).clone().requiresGrad_());
        return out;
    }

    static void check(TensorFixtures fx, String name, Module m, Map<String, Tensor> inputs, Runner runner, boolean repr) {
        m.loadStateDict(withPrefix(fx, name, "state."), true);
        Map<String, Tensor> outputs = runner.run(inputs);
        Map<String, Tensor> weights = withPrefix(fx, name, "w.");
        assertEquals(weights.keySet(), outputs.keySet(), name + ": outputs");
        Tensor loss = null;
        for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
            assertClose(fx.tensor(name, e.getKey()), e.getValue(), RTOL, ATOL, name + " " + e.getKey());
            Tensor term = e.getValue().mul(weights.get(e.getKey())).sum();
            loss = loss == null ? term : loss.add(term);
        }
        loss.backward();
        for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
            assertNotNull(e.getValue().grad(), name + ": no gradient for input " + e.getKey());
            assertClose(fx.tensor(name, "grad." + e.getKey()), e.getValue().grad(), RTOL, ATOL, name + " grad of " + e.getKey());
        }
        Map<String, Tensor> grads = withPrefix(fx, name, "grad.param.");
        for (Map.Entry<String, Tensor> p : m.namedParameters().entrySet()) {
            Tensor expected = grads.get(p.getKey());
            assertNotNull(expected, name + ": torch has no gradient for " + p.getKey());
            assertNotNull(p.getValue().grad(), name + ": no gradient for " + p.getKey());
            assertClose(expected, p.getValue().grad(), RTOL, ATOL, name + " grad of " + p.getKey());
        }
        assertEquals(grads.keySet(), m.namedParameters().keySet(), name + ": parameters with gradients");
        assertEquals(fx.value(name, "keys"), new ArrayList<>(m.stateDict().keySet()), name + ": state_dict keys");
        assertEquals(((Number) fx.value(name, "num_params")).longValue(), m.numParameters(), name + ": parameter count");
        if (repr) assertEquals(fx.value(name, "repr"), m.toString().replaceAll("  # [0-9,]+ parameters", ""), name + ": repr");
    }

    /** The lengths list of a case. */
    @SuppressWarnings("unchecked")
    static long[] lengths(TensorFixtures fx, String name) {
        List<Object> l = (List<Object>) fx.value(name, "lengths");
        return l.stream().mapToLong(o -> ((Number) o).longValue()).toArray();
    }

    /** A map of non-null outputs, in order. */
    static Map<String, Tensor> outputs(Object... keyValues) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) out.put((String) keyValues[i], (Tensor) keyValues[i + 1]);
        }
        return out;
    }
}
