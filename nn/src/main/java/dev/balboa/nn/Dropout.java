package dev.balboa.nn;

import dev.balboa.api.Functional;
import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;

/**
 * Dropout ({@code torch.nn.Dropout}): in training, zeroes each element with probability
 * {@code p} and scales the rest by {@code 1/(1-p)}; in evaluation, the identity. Draws from its
 * own {@link Generator} so runs are reproducible.
 */
public class Dropout extends Module {
    private final double p;
    private final Generator gen;

    /** Dropout with p = 0.5 from the default generator. */
    public Dropout() { this(0.5); }

    /** Dropout with probability {@code p} from the default generator. */
    public Dropout(double p) { this(p, Generator.defaultGenerator()); }

    /** Dropout with probability {@code p} drawing from {@code gen}. */
    public Dropout(double p, Generator gen) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("Dropout: probability has to be between 0 and 1, but got " + p);
        this.p = p;
        this.gen = gen;
    }

    /** The drop probability. */
    public double p() { return p; }

    @Override
    public Tensor forward(Tensor x) { return Functional.dropout(x, p, isTraining(), gen); }

    @Override
    protected String extraRepr() { return "p=" + Repr.pyFloat(p) + ", inplace=False"; }
}
