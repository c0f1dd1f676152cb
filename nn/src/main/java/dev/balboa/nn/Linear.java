package dev.balboa.nn;

import dev.balboa.api.Functional;
import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;

/**
 * A fully connected layer {@code y = x W^T + b} ({@code torch.nn.Linear}) over the last dim.
 * The weight {@code [out, in]} and bias {@code [out]} start as U(-1/√in, 1/√in), PyTorch's
 * default (kaiming uniform with a = √5).
 */
public class Linear extends Module {
    private final long inFeatures;
    private final long outFeatures;
    private final Tensor weight;
    private final Tensor bias;

    /** A layer with bias, initialised from the default generator. */
    public Linear(long inFeatures, long outFeatures) { this(inFeatures, outFeatures, true); }

    /** A layer with or without bias, initialised from the default generator. */
    public Linear(long inFeatures, long outFeatures, boolean bias) {
        this(inFeatures, outFeatures, bias, Generator.defaultGenerator());
    }

    /** A layer initialised from {@code gen}. */
    public Linear(long inFeatures, long outFeatures, boolean bias, Generator gen) {
        if (inFeatures < 0 || outFeatures < 0) {
            throw new IllegalArgumentException("Linear: features must be non-negative, got in_features=" + inFeatures
                    + ", out_features=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Tensor.empty(outFeatures, inFeatures));
        this.bias = registerParameter("bias", bias ? Tensor.empty(outFeatures) : null);
        resetParameters(gen);
    }

    /** Re-draws the weight and bias with PyTorch's default initialisation. */
    public void resetParameters(Generator gen) {
        Init.kaimingUniform_(weight, Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu", gen);
        if (bias != null) {
            double bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
            Init.uniform_(bias, -bound, bound, gen);
        }
    }

    /** The weight {@code [out_features, in_features]}. */
    public Tensor weight() { return weight; }

    /** The bias {@code [out_features]}, or null. */
    public Tensor bias() { return bias; }

    /** Size of each input sample. */
    public long inFeatures() { return inFeatures; }

    /** Size of each output sample. */
    public long outFeatures() { return outFeatures; }

    @Override
    public Tensor forward(Tensor x) { return Functional.linear(x, weight, bias); }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + Repr.pyBool(bias != null);
    }
}
