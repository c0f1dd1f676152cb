package dev.balboa.nn;

import dev.balboa.api.Tensor;

/**
 * Negative log-likelihood of log-probabilities against class indices ({@code torch.nn.NLLLoss});
 * see {@link Loss#nllLoss(Tensor, Tensor, Tensor, long, Reduction)}. The class weights, if any,
 * are a buffer named "weight".
 */
public class NLLLoss extends Module {
    private final boolean weighted;
    private final long ignoreIndex;
    private final Reduction reduction;

    /** Mean reduction, no weights, ignore index -100. */
    public NLLLoss() { this(null, Loss.DEFAULT_IGNORE_INDEX, Reduction.MEAN); }

    /** A loss with the given class weights (or null), ignore index and reduction. */
    public NLLLoss(Tensor weight, long ignoreIndex, Reduction reduction) {
        weighted = registerBuffer("weight", weight) != null;
        this.ignoreIndex = ignoreIndex;
        this.reduction = reduction;
    }

    /** The loss of log-probabilities {@code input} against class indices {@code target}. */
    public Tensor forward(Tensor input, Tensor target) {
        return Loss.nllLoss(input, target, weighted ? namedBuffers().get("weight") : null, ignoreIndex, reduction);
    }
}
