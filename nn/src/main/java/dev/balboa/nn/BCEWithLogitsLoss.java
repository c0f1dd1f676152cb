package dev.balboa.nn;

import dev.balboa.api.Tensor;

/**
 * Binary cross entropy on logits ({@code torch.nn.BCEWithLogitsLoss}); see {@link Loss#binaryCrossEntropyWithLogits(Tensor, Tensor, Tensor, Tensor, Reduction)}. The weights, if any, are buffers named "weight" and "pos_weight".
 */
public class BCEWithLogitsLoss extends Module {
    private final boolean weighted;
    private final boolean posWeighted;
    private final Reduction reduction;

    /** Mean reduction, no weights. */
    public BCEWithLogitsLoss() { this(null, null, Reduction.MEAN); }

    /** A loss with the given element weights and positive-class weights (either may be null) and reduction. */
    public BCEWithLogitsLoss(Tensor weight, Tensor posWeight, Reduction reduction) {
        weighted = registerBuffer("weight", weight) != null;
        posWeighted = registerBuffer("pos_weight", posWeight) != null;
        this.reduction = reduction;
    }

    /** The loss of logits {@code input} against {@code target} in [0, 1]. */
    public Tensor forward(Tensor input, Tensor target) {
        var b = namedBuffers();
        return Loss.binaryCrossEntropyWithLogits(input, target, weighted ? b.get("weight") : null,
                posWeighted ? b.get("pos_weight") : null, reduction);
    }
}
