package dev.balboa.nn;

import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;
import java.util.List;

/**
 * A multi-layer Elman recurrent network ({@code torch.nn.RNN}):
 * {@code h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh)} with {@code act} tanh (the default) or relu.
 *
 * <p>Parameters are named and shaped as in PyTorch ({@code weight_ih_l0 [hidden, input]},
 * {@code weight_hh_l0}, {@code bias_ih_l0}, {@code bias_hh_l0}, with {@code _reverse} for the
 * backward direction) and start as U(-1/√hidden, 1/√hidden). In training mode, dropout is
 * applied to the outputs of every layer but the last.
 */
public class RNN extends Module {
    private final Recurrent.Config cfg;
    private final List<Recurrent.Weights> weights;
    private final Generator gen;

    /**
     * The hidden states of every layer and direction, {@code [numLayers * numDirections, batch, hidden]}
     * (without the batch dim for unbatched input).
     *
     * @param h the hidden states
     */
    public record State(Tensor h) {}

    /**
     * What {@link #forward(Tensor, State)} returns.
     *
     * @param output the last layer's hidden state at every step, {@code [seq, batch, dirs*hidden]}
     *               ({@code [batch, seq, dirs*hidden]} when batch first)
     * @param state  the final states
     */
    public record Output(Tensor output, State state) {}

    /** One layer with biases, sequence-first input, initialised from the default generator. */
    public RNN(long inputSize, long hiddenSize) { this(builder(inputSize, hiddenSize)); }

    private RNN(Builder b) {
        cfg = new Recurrent.Config(b.relu ? Recurrent.Kind.RNN_RELU : Recurrent.Kind.RNN_TANH, b.inputSize, b.hiddenSize, b.numLayers, b.bias, b.batchFirst,
                b.dropout, b.bidirectional);
        cfg.validate("RNN");
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
        Recurrent.Result r = Recurrent.run("RNN", cfg, weights, input, lengths, state == null ? null : state.h(), null,
                isTraining(), gen);
        return new Output(r.output(), new State(r.h()));
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

    /** The nonlinearity, "tanh" or "relu". */
    public String nonlinearity() { return cfg.kind() == Recurrent.Kind.RNN_RELU ? "relu" : "tanh"; }

    /** Whether a backward direction runs too. */
    public boolean bidirectional() { return cfg.bidirectional(); }

    /** Whether input and output are {@code [batch, seq, feature]}. */
    public boolean batchFirst() { return cfg.batchFirst(); }

    @Override
    protected String extraRepr() { return Recurrent.repr(cfg); }

    /** Options of {@link RNN}. */
    public static final class Builder {
        private final long inputSize;
        private final long hiddenSize;
        private int numLayers = 1;
        private boolean bias = true;
        private boolean batchFirst;
        private double dropout;
        private boolean bidirectional;
        private Generator gen = Generator.defaultGenerator();
        private boolean relu;

        private Builder(long inputSize, long hiddenSize) {
            this.inputSize = inputSize;
            this.hiddenSize = hiddenSize;
        }

        /** The nonlinearity, "tanh" (the default) or "relu". */
        public Builder nonlinearity(String v) {
            if (!v.equals("tanh") && !v.equals("relu")) {
                throw new IllegalArgumentException("RNN: unknown nonlinearity '" + v + "' (tanh or relu)");
            }
            relu = v.equals("relu");
            return this;
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
        public RNN build() { return new RNN(this); }
    }
}
