package dev.balboa.nn;

import dev.balboa.api.Tensor;

/**
 * Cross entropy of logits against class indices or class probabilities
 * ({@code torch.nn.CrossEntropyLoss}); see {@link Loss#crossEntropy(Tensor, Tensor, Tensor, long, Reduction, double)}.
 * The class weights, if any, are a buffer named "weight".
 */
public class CrossEntropyLoss extends Module {
    private final boolean weighted;
    private final long ignoreIndex;
    private final Reduction reduction;
    private final double labelSmoothing;

    /** Mean reduction, no weights, ignore index -100, no smoothing. */
    public CrossEntropyLoss() { this(null, Loss.DEFAULT_IGNORE_INDEX, Reduction.MEAN, 0.0); }

    /** A loss with the given class weights (or null), ignore index, reduction and label smoothing. */
    public CrossEntropyLoss(Tensor weight, long ignoreIndex, Reduction reduction, double labelSmoothing) {
        weighted = registerBuffer("weight", weight) != null;
        this.ignoreIndex = ignoreIndex;
        this.reduction = reduction;
        this.labelSmoothing = labelSmoothing;
    }

    /** The loss of logits {@code input} against {@code target}. */
    public Tensor forward(Tensor input, Tensor target) {
        Tensor w = weighted ? namedBuffers().get("weight") : null;
        return Loss.crossEntropy(input, target, w, ignoreIndex, reduction, labelSmoothing);
    }
}
