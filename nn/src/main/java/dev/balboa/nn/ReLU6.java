package dev.balboa.nn;

/** ReLU capped at 6, {@code min(max(0, x), 6)} ({@code torch.nn.ReLU6}), a {@link Hardtanh} on {@code [0, 6]}. */
public class ReLU6 extends Hardtanh {
    /** The activation. */
    public ReLU6() { super(0.0, 6.0); }

    @Override
    protected String extraRepr() { return ""; }
}
