package dev.balboa.autograd;

/**
 * Thrown in anomaly mode ({@link Autograd#detectAnomaly()}) when backward produces NaN or Inf:
 * names the backward node and carries, as its cause, where the forward op was called.
 */
public final class AnomalyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception for gradient {@code index} of node {@code node}. */
    public AnomalyException(String node, int index, String what, Throwable forwardCall) {
        super("autograd anomaly: " + node + " returned " + what + " values in its gradient " + index
                + (forwardCall != null ? "; the forward op was called at (see cause):" : ""), forwardCall);
    }
}
