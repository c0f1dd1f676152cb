package dev.balboa.nn;

import dev.balboa.api.Tensor;

/** Gaussian error linear unit ({@code torch.nn.GELU}): {@code x * Phi(x)}, exact ("none") or with the tanh approximation ("tanh"). */
public class GELU extends Module {
    private final String approximate;

    /** Exact GELU. */
    public GELU() { this("none"); }

    /** GELU with {@code approximate} "none" or "tanh". */
    public GELU(String approximate) {
        if (!approximate.equals("none") && !approximate.equals("tanh")) {
            throw new IllegalArgumentException("GELU: approximate must be \"none\" or \"tanh\", got \"" + approximate + "\"");
        }
        this.approximate = approximate;
    }

    @Override
    public Tensor forward(Tensor x) { return x.gelu(approximate); }

    @Override
    protected String extraRepr() { return "approximate='" + approximate + "'"; }
}
