package dev.balboa.nn;

import dev.balboa.api.Tensor;

/**
 * Mean absolute error ({@code torch.nn.L1Loss}); see {@link Loss#l1Loss(Tensor, Tensor, Reduction)}.
 */
public class L1Loss extends Module {
    private final Reduction reduction;

    /** Mean reduction. */
    public L1Loss() { this(Reduction.MEAN); }

    /** A loss with the given reduction. */
    public L1Loss(Reduction reduction) { this.reduction = reduction; }

    /** The loss of {@code input} against {@code target}. */
    public Tensor forward(Tensor input, Tensor target) { return Loss.l1Loss(input, target, reduction); }
}
