package dev.balboa.nn;

import dev.balboa.api.Tensor;

/**
 * Huber loss ({@code torch.nn.HuberLoss}); see {@link Loss#huberLoss(Tensor, Tensor, Reduction, double)}.
 */
public class HuberLoss extends Module {
    private final Reduction reduction;
    private final double delta;

    /** Mean reduction, delta 1. */
    public HuberLoss() { this(Reduction.MEAN, 1.0); }

    /** A loss with the given reduction and delta. */
    public HuberLoss(Reduction reduction, double delta) {
        this.reduction = reduction;
        this.delta = delta;
    }

    /** The loss of {@code input} against {@code target}. */
    public Tensor forward(Tensor input, Tensor target) { return Loss.huberLoss(input, target, reduction, delta); }
}
