package dev.balboa.nn;

import dev.balboa.api.Tensor;

/** Softplus {@code log(1 + exp(beta * x)) / beta} ({@code torch.nn.Softplus}), linear where {@code beta * x > threshold}. */
public class Softplus extends Module {
    private final double beta;
    private final double threshold;

    /** Softplus with beta 1 and threshold 20. */
    public Softplus() { this(1, 20); }

    /** Softplus with the given beta and threshold. */
    public Softplus(double beta, double threshold) {
        this.beta = beta;
        this.threshold = threshold;
    }

    @Override
    public Tensor forward(Tensor x) { return x.softplus(beta, threshold); }

    @Override
    protected String extraRepr() { return "beta=" + Repr.pyNumber(beta) + ", threshold=" + Repr.pyNumber(threshold); }
}
