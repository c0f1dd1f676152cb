package dev.balboa.nn;

import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;

/**
 * One step of an Elman RNN ({@code torch.nn.RNNCell}):
 * {@code h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh)} with {@code act} tanh or relu; parameters
 * {@code weight_ih [hidden, input]}, {@code weight_hh}, {@code bias_ih}, {@code bias_hh}, drawn
 * from U(-1/√hidden, 1/√hidden).
 */
public class RNNCell extends Module {
    private final long inputSize;
    private final long hiddenSize;
    private final boolean bias;
    private final Recurrent.Kind kind;
    private final Recurrent.Weights w;

    /** A tanh cell with biases, initialised from the default generator. */
    public RNNCell(long inputSize, long hiddenSize) { this(inputSize, hiddenSize, true, "tanh", Generator.defaultGenerator()); }

    /** A cell with or without biases, with nonlinearity "tanh" or "relu", initialised from {@code gen}. */
    public RNNCell(long inputSize, long hiddenSize, boolean bias, String nonlinearity, Generator gen) {
        kind = switch (nonlinearity) {
            case "tanh" -> Recurrent.Kind.RNN_TANH;
            case "relu" -> Recurrent.Kind.RNN_RELU;
            default -> throw new IllegalArgumentException("RNNCell: unknown nonlinearity '" + nonlinearity + "' (tanh or relu)");
        };
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.bias = bias;
        this.w = Recurrent.createCellWeights(kind, inputSize, hiddenSize, bias, this::registerParameter, gen);
    }

    /** The next hidden state from {@code h} (null means zeros) for input {@code [batch, input]} or {@code [input]}. */
    public Tensor forward(Tensor input, Tensor h) {
        boolean batched = Cells.checkInput("RNNCell", input, inputSize);
        Tensor x = batched ? input : input.unsqueeze(0);
        Tensor h0 = Cells.state("RNNCell", "h", h, x, hiddenSize, batched);
        Tensor next = Recurrent.step(kind, Recurrent.project(x, w.wih(), w.bih()), h0, null, w)[0];
        return batched ? next : next.squeeze(0);
    }

    /** The next hidden state from a zero state. */
    @Override
    public Tensor forward(Tensor input) { return forward(input, null); }

    @Override
    protected String extraRepr() {
        return Recurrent.cellRepr(inputSize, hiddenSize, bias, kind == Recurrent.Kind.RNN_RELU ? "relu" : "tanh");
    }
}
