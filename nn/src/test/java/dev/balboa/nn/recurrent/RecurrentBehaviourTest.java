package dev.balboa.nn.recurrent;

import static dev.balboa.nn.testing.TensorFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;
import dev.balboa.nn.GRU;
import dev.balboa.nn.LSTM;
import dev.balboa.nn.LSTMCell;
import dev.balboa.nn.LayerNorm;
import dev.balboa.nn.MultiheadAttention;
import dev.balboa.nn.RNN;
import dev.balboa.nn.RNNCell;
import dev.balboa.nn.TransformerEncoder;
import dev.balboa.nn.TransformerEncoderLayer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Behaviour of the recurrent and attention layers that the torch fixtures do not cover. */
class RecurrentBehaviourTest {
    static final double TOL = 1e-5;

    @Test
    void parametersAreDrawnFromTheHiddenSizeBoundAndReproducible() {
        LSTM a = LSTM.builder(5, 16).numLayers(2).bidirectional(true).generator(new Generator(11)).build();
        LSTM b = LSTM.builder(5, 16).numLayers(2).bidirectional(true).generator(new Generator(11)).build();
        double bound = 1 / Math.sqrt(16);
        for (Map.Entry<String, Tensor> e : a.namedParameters().entrySet()) {
            Tensor p = e.getValue();
            assertTrue(p.abs().max().item() <= bound, e.getKey() + " within the bound");
            assertTrue(p.std(false).item() > bound / 4, e.getKey() + " is spread out");
            assertTrue(p.equal(b.namedParameters().get(e.getKey())), e.getKey() + " reproducible from the generator");
        }
        assertArrayEquals(new long[] {64, 32}, a.namedParameters().get("weight_ih_l1_reverse").shape());
        assertEquals(16, a.namedParameters().size());
    }

    @Test
    void dropoutActsBetweenLayersInTrainingOnly() {
        Tensor x = Tensor.randn(new long[] {6, 2, 3}, new Generator(1));
        LSTM two = LSTM.builder(3, 8).numLayers(2).dropout(0.5).generator(new Generator(5)).build();
        Tensor train1 = two.forward(x);
        two.eval();
        Tensor eval1 = two.forward(x);
        assertFalse(train1.allclose(eval1, 1e-4, 1e-5, false), "dropout changes the training output");
        assertTrue(eval1.allclose(two.forward(x)), "evaluation is deterministic");

        // one layer: nothing lies between layers, so dropout has no effect
        GRU one = GRU.builder(3, 8).dropout(0.5).generator(new Generator(5)).build();
        Tensor t = one.forward(x);
        one.eval();
        assertTrue(t.allclose(one.forward(x)));

        // training dropout is reproducible from the generator
        LSTM c = LSTM.builder(3, 8).numLayers(2).dropout(0.5).generator(new Generator(5)).build();
        assertTrue(train1.allclose(c.forward(x)));
    }

    @Test
    void variableLengthsMatchRunningEachSequenceAlone() {
        Generator g = new Generator(2);
        LSTM lstm = LSTM.builder(3, 4).numLayers(2).bidirectional(true).generator(g).build();
        Tensor x = Tensor.randn(new long[] {5, 3, 3}, g).requiresGrad_();
        Tensor h0 = Tensor.randn(new long[] {4, 3, 4}, g), c0 = Tensor.randn(new long[] {4, 3, 4}, g);
        long[] lengths = {3, 5, 1};
        LSTM.Output all = lstm.forward(x, lengths, new LSTM.State(h0, c0));
        assertArrayEquals(new long[] {5, 3, 8}, all.output().shape());
        for (int b = 0; b < 3; b++) {
            Tensor xb = x.detach().narrow(0, 0, lengths[b]).narrow(1, b, 1);
            LSTM.State sb = new LSTM.State(h0.narrow(1, b, 1), c0.narrow(1, b, 1));
            LSTM.Output one = lstm.forward(xb, sb);
            assertClose(one.output(), all.output().narrow(1, b, 1).narrow(0, 0, lengths[b]), TOL, TOL, "output of " + b);
            if (lengths[b] < 5) {
                assertEquals(0.0, all.output().narrow(1, b, 1).narrow(0, lengths[b], 5 - lengths[b]).abs().max().item());
            }
            assertClose(one.state().h(), all.state().h().narrow(1, b, 1), TOL, TOL, "h of " + b);
            assertClose(one.state().c(), all.state().c().narrow(1, b, 1), TOL, TOL, "c of " + b);
        }
        // padded positions get no gradient
        all.output().sum().add(all.state().h().sum()).backward();
        assertEquals(0.0, x.grad().narrow(1, 2, 1).narrow(0, 1, 4).abs().max().item());
        assertTrue(x.grad().narrow(1, 1, 1).abs().min().item() > 0);
    }

    @Test
    void nullStateMeansZerosAndShapesFollowTheLayout() {
        Generator g = new Generator(4);
        GRU gru = GRU.builder(3, 4).numLayers(3).batchFirst(true).bidirectional(true).generator(g).build();
        Tensor x = Tensor.randn(new long[] {2, 7, 3}, g);
        GRU.Output a = gru.forward(x, null);
        GRU.Output b = gru.forward(x, new GRU.State(Tensor.zeros(6, 2, 4)));
        assertArrayEquals(new long[] {2, 7, 8}, a.output().shape());
        assertArrayEquals(new long[] {6, 2, 4}, a.state().h().shape());
        assertTrue(a.output().allclose(b.output()));
        assertTrue(a.output().allclose(gru.forward(x)));
        // the last layer's forward state is the output at the last step, the reverse one at the first
        assertClose(a.output().select(1, 6).narrow(1, 0, 4), a.state().h().select(0, 4), TOL, TOL, "forward final");
        assertClose(a.output().select(1, 0).narrow(1, 4, 4), a.state().h().select(0, 5), TOL, TOL, "reverse final");
    }

    @Test
    void lstmIsConsistentWithItsCellsWeights() {
        Generator g = new Generator(9);
        LSTM lstm = LSTM.builder(3, 4).generator(g).build();
        LSTMCell cell = new LSTMCell(3, 4, true, g);
        Map<String, Tensor> state = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : lstm.stateDict().entrySet()) state.put(e.getKey().replace("_l0", ""), e.getValue());
        cell.loadStateDict(state, true);
        Tensor x = Tensor.randn(new long[] {4, 2, 3}, g);
        LSTMCell.State s = null;
        for (int t = 0; t < 4; t++) s = cell.forward(x.select(0, t), s);
        LSTM.Output o = lstm.forward(x, null);
        assertClose(s.h(), o.state().h().select(0, 0), TOL, TOL, "h");
        assertClose(s.c(), o.state().c().select(0, 0), TOL, TOL, "c");
        assertArrayEquals(new long[] {4}, cell.forward(x.select(0, 0).select(0, 0), null).h().shape(), "unbatched cell");
    }

    @Test
    void reprsMatchTorch() {
        assertEquals("LSTM(10, 20, num_layers=2, bias=False, batch_first=True, dropout=0.5, bidirectional=True)",
                LSTM.builder(10, 20).numLayers(2).bias(false).batchFirst(true).dropout(0.5).bidirectional(true).build()
                        .toString().replaceAll("  #.*", ""));
        assertEquals("GRU(3, 4)", new GRU(3, 4).toString().replaceAll("  #.*", ""));
        assertEquals("RNNCell(3, 4, nonlinearity=relu)", new RNNCell(3, 4, true, "relu", new Generator(1)).toString().replaceAll("  #.*", ""));
        assertEquals("relu", RNN.builder(2, 2).nonlinearity("relu").build().nonlinearity());
    }

    @Test
    void badArgumentsAreRejectedWithClearMessages() {
        LSTM lstm = new LSTM(3, 4);
        assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(5, 2, 4)));
        assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(5)));
        assertThrows(IllegalArgumentException.class,
                () -> lstm.forward(Tensor.zeros(5, 2, 3), new LSTM.State(Tensor.zeros(2, 2, 4), Tensor.zeros(1, 2, 4))));
        assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(5, 2, 3), new long[] {6, 1}, null));
        assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(5, 2, 3), new long[] {0, 1}, null));
        assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(5, 2, 3), new long[] {3}, null));
        assertThrows(IllegalArgumentException.class, () -> RNN.builder(3, 4).nonlinearity("sigmoid"));
        assertThrows(IllegalArgumentException.class, () -> LSTM.builder(3, 4).numLayers(0).build());
        assertThrows(IllegalArgumentException.class, () -> LSTM.builder(3, 4).dropout(1.5).build());
        assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(10, 3));
        assertThrows(IllegalArgumentException.class, () -> TransformerEncoderLayer.builder(8, 2).activation("tanh").build());
        MultiheadAttention mha = new MultiheadAttention(4, 2);
        Tensor q = Tensor.zeros(3, 2, 4);
        assertThrows(IllegalArgumentException.class, () -> mha.forward(q, q, q, Tensor.zeros(2, 4), false, null, true));
        assertThrows(IllegalArgumentException.class, () -> mha.forward(q, q, q, null, false, Tensor.zeros(3, 4), true));
        assertThrows(IllegalArgumentException.class, () -> mha.forward(q, Tensor.zeros(3, 2, 5), q));
    }

    @Test
    void attentionWithoutBatchDimMatchesABatchOfOne() {
        Generator g = new Generator(6);
        MultiheadAttention mha = MultiheadAttention.builder(6, 2).generator(g).build();
        Tensor q = Tensor.randn(new long[] {4, 6}, g), kv = Tensor.randn(new long[] {5, 6}, g);
        Tensor kpm = Tensor.of(new boolean[] {false, true, false, false, false});
        MultiheadAttention.Output u = mha.forward(q, kv, kv, kpm, true, null, false);
        MultiheadAttention.Output b = mha.forward(q.unsqueeze(1), kv.unsqueeze(1), kv.unsqueeze(1), kpm.unsqueeze(0), true, null, false);
        assertClose(b.output().squeeze(1), u.output(), TOL, TOL, "output");
        assertClose(b.weights().squeeze(0), u.weights(), TOL, TOL, "weights");
        assertArrayEquals(new long[] {2, 4, 5}, u.weights().shape());
        assertEquals(0.0, u.weights().select(2, 1).abs().max().item(), "padded key gets no weight");
        assertNull(mha.forward(q, kv, kv, null, false, null, true).weights());
        assertArrayEquals(new long[] {4, 6}, mha.forward(q).shape());
    }

    @Test
    void encoderStackKeysAndTrainingDropout() {
        Generator g = new Generator(8);
        TransformerEncoder enc = new TransformerEncoder(
                () -> TransformerEncoderLayer.builder(8, 2).dimFeedforward(16).generator(g).build(), 3, new LayerNorm(8));
        List<String> keys = List.copyOf(enc.stateDict().keySet());
        assertEquals(3 * 12 + 2, keys.size());
        assertEquals("layers.0.self_attn.in_proj_weight", keys.get(0));
        assertEquals("layers.2.norm2.bias", keys.get(keys.size() - 3));
        assertEquals("norm.bias", keys.get(keys.size() - 1));
        Tensor x = Tensor.randn(new long[] {5, 2, 8}, g);
        Tensor train = enc.forward(x);
        enc.eval();
        Tensor eval = enc.forward(x);
        assertFalse(train.allclose(eval, 1e-4, 1e-5, false), "dropout 0.1 is active in training");
        assertTrue(eval.allclose(enc.forward(x)));
    }
}
