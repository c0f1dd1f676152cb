package dev.balboa.nn;

import dev.balboa.api.Tensor;

/**
 * Smooth L1 loss ({@code torch.nn.SmoothL1Loss}); see {@link Loss#smoothL1Loss(Tensor, Tensor, Reduction, double)}.
 */
public class SmoothL1Loss extends Module {
    private final Reduction reduction;
    private final double beta;

    /** Mean reduction, beta 1. */
    public SmoothL1Loss() { this(Reduction.MEAN, 1.0); }

    /** A loss with the given reduction and beta. */
    public SmoothL1Loss(Reduction reduction, double beta) {
        this.reduction = reduction;
        this.beta = beta;
    }

    /** The loss of {@code input} against {@code target}. */
    public Tensor forward(Tensor input, Tensor target) { return Loss.smoothL1Loss(input, target, reduction, beta); }
}
