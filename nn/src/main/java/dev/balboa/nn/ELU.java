package dev.balboa.nn;

import dev.balboa.api.Tensor;

/** Exponential linear unit ({@code torch.nn.ELU}): {@code x} for positive inputs, {@code alpha * (exp(x) - 1)} otherwise. */
public class ELU extends Module {
    private final double alpha;

    /** ELU with alpha 1. */
    public ELU() { this(1.0); }

    /** ELU with the given alpha. */
    public ELU(double alpha) { this.alpha = alpha; }

    @Override
    public Tensor forward(Tensor x) {
        // clamp the exponential branch so that large positive inputs cannot overflow it (its gradient is masked anyway)
        return Tensor.where(x.gt(0.0), x, x.clampMax(0.0).expm1().mul(alpha));
    }

    @Override
    protected String extraRepr() { return "alpha=" + Repr.pyFloat(alpha); }
}
