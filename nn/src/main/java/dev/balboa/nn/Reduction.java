package dev.balboa.nn;

/**
 * How a loss combines its per-element values: {@code NONE} keeps them, {@code MEAN} averages
 * them (a weighted mean where the loss has class weights), {@code SUM} adds them up, and
 * {@code BATCHMEAN} (only for {@link Loss#klDiv}) divides the sum by the batch size.
 */
public enum Reduction {
    /** Per-element losses, same shape as the broadcast inputs (or the target for class losses). */
    NONE,
    /** The mean; for losses with class weights the weighted mean {@code sum(w_i l_i) / sum(w_i)}. */
    MEAN,
    /** The sum. */
    SUM,
    /** The sum divided by the size of the first dimension (KL divergence only). */
    BATCHMEAN;

    /** Parses PyTorch's spelling: "none", "mean", "sum", "batchmean". */
    public static Reduction of(String name) {
        return switch (name) {
            case "none" -> NONE;
            case "mean" -> MEAN;
            case "sum" -> SUM;
            case "batchmean" -> BATCHMEAN;
            default -> throw new IllegalArgumentException("unknown reduction '" + name
                    + "' (valid: none, mean, sum, batchmean)");
        };
    }
}
