package dev.balboa.nn;

import dev.balboa.api.Tensor;

/**
 * Kullback-Leibler divergence of log-probabilities ({@code torch.nn.KLDivLoss}); see {@link Loss#klDiv(Tensor, Tensor, Reduction, boolean)}.
 */
public class KLDivLoss extends Module {
    private final Reduction reduction;
    private final boolean logTarget;

    /** Mean reduction (as PyTorch; {@link Reduction#BATCHMEAN} gives the true KL divergence), probability targets. */
    public KLDivLoss() { this(Reduction.MEAN, false); }

    /** A loss with the given reduction, with targets given as log-probabilities when {@code logTarget}. */
    public KLDivLoss(Reduction reduction, boolean logTarget) {
        this.reduction = reduction;
        this.logTarget = logTarget;
    }

    /** The divergence of log-probabilities {@code input} from {@code target}. */
    public Tensor forward(Tensor input, Tensor target) { return Loss.klDiv(input, target, reduction, logTarget); }
}
