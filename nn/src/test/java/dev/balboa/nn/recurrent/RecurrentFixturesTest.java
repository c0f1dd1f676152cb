package dev.balboa.nn.recurrent;

import static dev.balboa.nn.recurrent.FixtureCheck.outputs;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;
import dev.balboa.nn.GRU;
import dev.balboa.nn.GRUCell;
import dev.balboa.nn.LSTM;
import dev.balboa.nn.LSTMCell;
import dev.balboa.nn.Module;
import dev.balboa.nn.RNN;
import dev.balboa.nn.RNNCell;
import dev.balboa.nn.testing.TensorFixtures;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RNN, LSTM, GRU and their cells against PyTorch (fixtures from
 * tools/fixtures/gen_nn_recurrent_fixtures.py): outputs, final states and the gradients of
 * inputs, initial states and every parameter; variable-length cases against torch's packed
 * sequences.
 */
class RecurrentFixturesTest {
    static final TensorFixtures FX = TensorFixtures.load("/fixtures/recurrent/recurrent.json");
    static final Map<String, Supplier<Module>> LAYERS = new LinkedHashMap<>();

    static {
        Generator g = new Generator(3);
        LAYERS.put("lstm_single", () -> new LSTM(3, 4));
        LAYERS.put("lstm_multi_eval_dropout", () -> LSTM.builder(3, 4).numLayers(2).dropout(0.5).generator(g).build().eval());
        LAYERS.put("lstm_bidirectional", () -> LSTM.builder(3, 4).numLayers(2).bidirectional(true).build());
        LAYERS.put("lstm_batch_first_state", () -> LSTM.builder(3, 4).batchFirst(true).bidirectional(true).build());
        LAYERS.put("lstm_nobias", () -> LSTM.builder(3, 2).bias(false).build());
        LAYERS.put("lstm_unbatched", () -> LSTM.builder(3, 4).numLayers(2).build());
        LAYERS.put("lstm_lengths", () -> LSTM.builder(3, 4).numLayers(2).bidirectional(true).build());
        LAYERS.put("lstm_lengths_batch_first_short", () -> LSTM.builder(3, 4).batchFirst(true).bidirectional(true).build());
        LAYERS.put("gru_single", () -> new GRU(3, 4));
        LAYERS.put("gru_multi_bidirectional_state", () -> GRU.builder(3, 4).numLayers(2).bidirectional(true).build());
        LAYERS.put("gru_batch_first_lengths", () -> GRU.builder(3, 4).batchFirst(true).numLayers(2).build());
        LAYERS.put("rnn_tanh", () -> new RNN(3, 4));
        LAYERS.put("rnn_relu_multi_bidirectional", () -> RNN.builder(3, 4).numLayers(2).nonlinearity("relu").bidirectional(true).build());
        LAYERS.put("rnn_relu_lengths", () -> RNN.builder(3, 4).nonlinearity("relu").bidirectional(true).build());
        LAYERS.put("lstm_cell", () -> new LSTMCell(3, 4));
        LAYERS.put("gru_cell", () -> new GRUCell(3, 4));
        LAYERS.put("rnn_cell_relu", () -> new RNNCell(3, 4, true, "relu", g));
        LAYERS.put("rnn_cell_nobias", () -> new RNNCell(3, 4, false, "tanh", g));
    }

    static Stream<String> cases() { return LAYERS.keySet().stream(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTorch(String name) {
        Module m = LAYERS.get(name).get();
        Map<String, Tensor> in = FixtureCheck.inputs(FX, name, "x", "h0", "c0");
        long[] lengths = !hasLengths(name) ? null : FixtureCheck.lengths(FX, name);
        FixtureCheck.check(FX, name, m, in, inputs -> run(m, inputs, lengths), true);
    }

    static boolean hasLengths(String name) {
        try {
            FX.value(name, "lengths");
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static Map<String, Tensor> run(Module m, Map<String, Tensor> in, long[] lengths) {
        Tensor x = in.get("x"), h0 = in.get("h0"), c0 = in.get("c0");
        return switch (m) {
            case LSTM l -> {
                LSTM.Output o = l.forward(x, lengths, h0 == null ? null : new LSTM.State(h0, c0));
                yield outputs("y", o.output(), "hn", o.state().h(), "cn", o.state().c());
            }
            case GRU l -> {
                GRU.Output o = l.forward(x, lengths, h0 == null ? null : new GRU.State(h0));
                yield outputs("y", o.output(), "hn", o.state().h());
            }
            case RNN l -> {
                RNN.Output o = l.forward(x, lengths, h0 == null ? null : new RNN.State(h0));
                yield outputs("y", o.output(), "hn", o.state().h());
            }
            case LSTMCell c -> {
                LSTMCell.State s = c.forward(x, new LSTMCell.State(h0, c0));
                yield outputs("hn", s.h(), "cn", s.c());
            }
            case GRUCell c -> outputs("hn", c.forward(x, h0));
            case RNNCell c -> outputs("hn", c.forward(x, h0));
            default -> throw new AssertionError(m);
        };
    }

    @Test
    void everyFixtureCaseIsTested() {
        for (String c : FX.cases()) assertNotNull(LAYERS.get(c), "no Balboa layer for fixture case " + c);
    }
}
