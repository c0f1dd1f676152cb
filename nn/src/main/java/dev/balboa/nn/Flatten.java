package dev.balboa.nn;

import dev.balboa.api.Tensor;

/** Flattens dims {@code startDim..endDim} (default 1..-1) into one ({@code torch.nn.Flatten}). */
public class Flatten extends Module {
    private final int startDim;
    private final int endDim;

    /** Flattens everything but the batch dim. */
    public Flatten() { this(1, -1); }

    /** Flattens dims {@code startDim..endDim}. */
    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor x) { return x.flatten(startDim, endDim); }

    @Override
    protected String extraRepr() { return "start_dim=" + startDim + ", end_dim=" + endDim; }
}
