package dev.balboa.nn;

import dev.balboa.api.Tensor;

/** Softmax along a dim ({@code torch.nn.Softmax}): entries in [0, 1] that sum to 1. */
public class Softmax extends Module {
    private final int dim;

    /** Softmax along {@code dim}. */
    public Softmax(int dim) { this.dim = dim; }

    @Override
    public Tensor forward(Tensor x) { return x.softmax(dim); }

    @Override
    protected String extraRepr() { return "dim=" + dim; }
}
