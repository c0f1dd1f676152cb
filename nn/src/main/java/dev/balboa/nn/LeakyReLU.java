package dev.balboa.nn;

import dev.balboa.api.Tensor;

/** Leaky ReLU ({@code torch.nn.LeakyReLU}): {@code x} for positive inputs, {@code negativeSlope * x} otherwise. */
public class LeakyReLU extends Module {
    private final double negativeSlope;

    /** Leaky ReLU with slope 0.01. */
    public LeakyReLU() { this(0.01); }

    /** Leaky ReLU with the given negative slope. */
    public LeakyReLU(double negativeSlope) { this.negativeSlope = negativeSlope; }

    @Override
    public Tensor forward(Tensor x) { return Tensor.where(x.gt(0.0), x, x.mul(negativeSlope)); }

    @Override
    protected String extraRepr() { return "negative_slope=" + Repr.pyFloat(negativeSlope); }
}
