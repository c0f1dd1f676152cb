package dev.balboa.nn;

import dev.balboa.api.Tensor;

/** Log of the softmax along a dim, computed stably ({@code torch.nn.LogSoftmax}). */
public class LogSoftmax extends Module {
    private final int dim;

    /** Log-softmax along {@code dim}. */
    public LogSoftmax(int dim) { this.dim = dim; }

    @Override
    public Tensor forward(Tensor x) { return x.logSoftmax(dim); }

    @Override
    protected String extraRepr() { return "dim=" + dim; }
}
