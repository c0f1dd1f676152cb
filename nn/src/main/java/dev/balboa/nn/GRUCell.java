package dev.balboa.nn;

import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;

/**
 * One step of a GRU ({@code torch.nn.GRUCell}), with the equations, gate order ({@code r, z, n})
 * and parameters ({@code weight_ih [3*hidden, input]}, {@code weight_hh}, {@code bias_ih},
 * {@code bias_hh}, U(-1/√hidden, 1/√hidden)) of {@link GRU}.
 */
public class GRUCell extends Module {
    private final long inputSize;
    private final long hiddenSize;
    private final boolean bias;
    private final Recurrent.Weights w;

    /** A cell with biases, initialised from the default generator. */
    public GRUCell(long inputSize, long hiddenSize) { this(inputSize, hiddenSize, true, Generator.defaultGenerator()); }

    /** A cell with or without biases, initialised from {@code gen}. */
    public GRUCell(long inputSize, long hiddenSize, boolean bias, Generator gen) {
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.bias = bias;
        this.w = Recurrent.createCellWeights(Recurrent.Kind.GRU, inputSize, hiddenSize, bias, this::registerParameter, gen);
    }

    /** The next hidden state from {@code h} (null means zeros) for input {@code [batch, input]} or {@code [input]}. */
    public Tensor forward(Tensor input, Tensor h) {
        boolean batched = Cells.checkInput("GRUCell", input, inputSize);
        Tensor x = batched ? input : input.unsqueeze(0);
        Tensor h0 = Cells.state("GRUCell", "h", h, x, hiddenSize, batched);
        Tensor next = Recurrent.step(Recurrent.Kind.GRU, Recurrent.project(x, w.wih(), w.bih()), h0, null, w)[0];
        return batched ? next : next.squeeze(0);
    }

    /** The next hidden state from a zero state. */
    @Override
    public Tensor forward(Tensor input) { return forward(input, null); }

    @Override
    protected String extraRepr() { return Recurrent.cellRepr(inputSize, hiddenSize, bias, null); }
}
