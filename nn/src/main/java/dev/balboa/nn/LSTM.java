package dev.balboa.nn;

import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;
import java.util.List;

/**
 * A multi-layer long short-term memory network ({@code torch.nn.LSTM}). For each step,
 * {@code i, f, g, o} are the four gate blocks (in that order) of
 * {@code x W_ih^T + b_ih + h W_hh^T + b_hh}; then {@code c' = σ(f) c + σ(i) tanh(g)} and
 * {@code h' = σ(o) tanh(c')}.
 *
 * <p>Parameters are named and shaped as in PyTorch ({@code weight_ih_l0 [4*hidden, input]},
 * {@code weight_hh_l0}, {@code bias_ih_l0}, {@code bias_hh_l0}, with {@code _reverse} for the
 * backward direction) so that state dicts load either way, and start as U(-1/√hidden, 1/√hidden).
 * In training mode, dropout is applied to the outputs of every layer but the last.
 *
 * <pre>{@code
 * LSTM lstm = LSTM.builder(32, 64).numLayers(2).bidirectional(true).build();
 * LSTM.Output out = lstm.forward(x, lengths, null);   // x [seq, batch, 32]
 * Tensor y = out.output();                            // [seq, batch, 128]
 * }</pre>
 */
public class LSTM extends Module {
    private final Recurrent.Config cfg;
    private final List<Recurrent.Weights> weights;
    private final Generator gen;

    /**
     * The states of every layer and direction, each {@code [numLayers * numDirections, batch, hidden]}
     * (without the batch dim for unbatched input).
     *
     * @param h the hidden states
     * @param c the cell states
     */
    public record State(Tensor h, Tensor c) {}

    /**
     * What {@link #forward(Tensor, State)} returns.
     *
     * @param output the last layer's hidden state at every step, {@code [seq, batch, dirs*hidden]}
     *               ({@code [batch, seq, dirs*hidden]} when batch first)
     * @param state  the final states
     */
    public record Output(Tensor output, State state) {}

    /** One layer with biases, sequence-first input, initialised from the default generator. */
    public LSTM(long inputSize, long hiddenSize) { this(builder(inputSize, hiddenSize)); }

    private LSTM(Builder b) {
        cfg = new Recurrent.Config(Recurrent.Kind.LSTM, b.inputSize, b.hiddenSize, b.numLayers, b.bias, b.batchFirst,
                b.dropout, b.bidirectional);
        cfg.validate("LSTM");
        gen = b.gen;
        weights = Recurrent.createWeights(cfg, this::registerParameter, gen);
    }

    /** Starts a builder with PyTorch's defaults. */
    public static Builder builder(long inputSize, long hiddenSize) { return new Builder(inputSize, hiddenSize); }

    /** Runs over full-length sequences; {@code state} may be null (zeros). */
    public Output forward(Tensor input, State state) { return forward(input, null, state); }

    /**
     * Runs over sequences of the given lengths (one per batch entry, each at least 1): padded
     * positions produce zeros in the output, the output covers the longest sequence only, and the
     * final state of each sequence is the one at its last valid step (the reverse direction
     * starts there), as with PyTorch's packed sequences. {@code lengths} null means full length;
     * {@code state} may be null (zeros).
     */
    public Output forward(Tensor input, long[] lengths, State state) {
        Recurrent.Result r = Recurrent.run("LSTM", cfg, weights, input, lengths, state == null ? null : state.h(),
                state == null ? null : state.c(), isTraining(), gen);
        return new Output(r.output(), new State(r.h(), r.c()));
    }

    /** The output sequence for full-length sequences starting from zero states. */
    @Override
    public Tensor forward(Tensor input) { return forward(input, null, null).output(); }

    /** Size of each input step. */
    public long inputSize() { return cfg.inputSize(); }

    /** Size of the hidden state. */
    public long hiddenSize() { return cfg.hiddenSize(); }

    /** Number of stacked layers. */
    public int numLayers() { return cfg.numLayers(); }

    /** Whether a backward direction runs too. */
    public boolean bidirectional() { return cfg.bidirectional(); }

    /** Whether input and output are {@code [batch, seq, feature]}. */
    public boolean batchFirst() { return cfg.batchFirst(); }

    @Override
    protected String extraRepr() { return Recurrent.repr(cfg); }

    /** Options of {@link LSTM}. */
    public static final class Builder {
        private final long inputSize;
        private final long hiddenSize;
        private int numLayers = 1;
        private boolean bias = true;
        private boolean batchFirst;
        private double dropout;
        private boolean bidirectional;
        private Generator gen = Generator.defaultGenerator();

        private Builder(long inputSize, long hiddenSize) {
            this.inputSize = inputSize;
            this.hiddenSize = hiddenSize;
        }

        /** Number of stacked layers; default 1. */
        public Builder numLayers(int v) { numLayers = v; return this; }

        /** Whether to use biases; default true. */
        public Builder bias(boolean v) { bias = v; return this; }

        /** Whether input and output are {@code [batch, seq, feature]}; default false. */
        public Builder batchFirst(boolean v) { batchFirst = v; return this; }

        /** Dropout probability between layers in training mode; default 0. */
        public Builder dropout(double v) { dropout = v; return this; }

        /** Whether to add a backward direction; default false. */
        public Builder bidirectional(boolean v) { bidirectional = v; return this; }

        /** The generator for initialisation and dropout; default {@link Generator#defaultGenerator()}. */
        public Builder generator(Generator v) { gen = v; return this; }

        /** The layer. */
        public LSTM build() { return new LSTM(this); }
    }
}
