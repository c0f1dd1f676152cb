package dev.balboa.nn;

import dev.balboa.api.Tensor;

/**
 * Binary cross entropy of probabilities ({@code torch.nn.BCELoss}); see {@link Loss#binaryCrossEntropy(Tensor, Tensor, Tensor, Reduction)}. The element weights, if any, are a buffer named "weight".
 */
public class BCELoss extends Module {
    private final boolean weighted;
    private final Reduction reduction;

    /** Mean reduction, no weights. */
    public BCELoss() { this(null, Reduction.MEAN); }

    /** A loss with the given element weights (or null) and reduction. */
    public BCELoss(Tensor weight, Reduction reduction) {
        weighted = registerBuffer("weight", weight) != null;
        this.reduction = reduction;
    }

    /** The loss of probabilities {@code input} against {@code target} in [0, 1]. */
    public Tensor forward(Tensor input, Tensor target) {
        return Loss.binaryCrossEntropy(input, target, weighted ? namedBuffers().get("weight") : null, reduction);
    }
}
