package dev.balboa.nn;

import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;

/**
 * One step of an LSTM ({@code torch.nn.LSTMCell}), with the equations, gate order
 * ({@code i, f, g, o}) and parameters ({@code weight_ih [4*hidden, input]}, {@code weight_hh},
 * {@code bias_ih}, {@code bias_hh}, U(-1/√hidden, 1/√hidden)) of {@link LSTM}.
 */
public class LSTMCell extends Module {
    private final long inputSize;
    private final long hiddenSize;
    private final boolean bias;
    private final Recurrent.Weights w;

    /**
     * The hidden and cell states, each {@code [batch, hidden]} (or {@code [hidden]} for unbatched input).
     *
     * @param h the hidden state
     * @param c the cell state
     */
    public record State(Tensor h, Tensor c) {}

    /** A cell with biases, initialised from the default generator. */
    public LSTMCell(long inputSize, long hiddenSize) { this(inputSize, hiddenSize, true, Generator.defaultGenerator()); }

    /** A cell with or without biases, initialised from {@code gen}. */
    public LSTMCell(long inputSize, long hiddenSize, boolean bias, Generator gen) {
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.bias = bias;
        this.w = Recurrent.createCellWeights(Recurrent.Kind.LSTM, inputSize, hiddenSize, bias, this::registerParameter, gen);
    }

    /** One step from {@code state} (null means zeros) for input {@code [batch, input]} or {@code [input]}. */
    public State forward(Tensor input, State state) {
        boolean batched = Cells.checkInput("LSTMCell", input, inputSize);
        Tensor x = batched ? input : input.unsqueeze(0);
        Tensor h = Cells.state("LSTMCell", "h", state == null ? null : state.h(), x, hiddenSize, batched);
        Tensor c = Cells.state("LSTMCell", "c", state == null ? null : state.c(), x, hiddenSize, batched);
        Tensor[] next = Recurrent.step(Recurrent.Kind.LSTM, Recurrent.project(x, w.wih(), w.bih()), h, c, w);
        return batched ? new State(next[0], next[1]) : new State(next[0].squeeze(0), next[1].squeeze(0));
    }

    /** The next hidden state from zero states. */
    @Override
    public Tensor forward(Tensor input) { return forward(input, null).h(); }

    @Override
    protected String extraRepr() { return Recurrent.cellRepr(inputSize, hiddenSize, bias, null); }
}
