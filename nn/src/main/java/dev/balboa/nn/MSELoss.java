package dev.balboa.nn;

import dev.balboa.api.Tensor;

/**
 * Mean squared error ({@code torch.nn.MSELoss}); see {@link Loss#mseLoss(Tensor, Tensor, Reduction)}.
 */
public class MSELoss extends Module {
    private final Reduction reduction;

    /** Mean reduction. */
    public MSELoss() { this(Reduction.MEAN); }

    /** A loss with the given reduction. */
    public MSELoss(Reduction reduction) { this.reduction = reduction; }

    /** The loss of {@code input} against {@code target}. */
    public Tensor forward(Tensor input, Tensor target) { return Loss.mseLoss(input, target, reduction); }
}
