package dev.balboa.nn;

import dev.balboa.api.Tensor;
import java.util.Arrays;

/**
 * Group normalisation ({@code torch.nn.GroupNorm}): the channels of {@code [N, C, *]} are split
 * into {@code numGroups} groups, each normalised with its own mean and biased variance, then an
 * optional per-channel scale (ones) and shift (zeros).
 */
public class GroupNorm extends Module {
    private final int numGroups;
    private final long numChannels;
    private final double eps;
    private final Tensor weight;
    private final Tensor bias;

    /** Group norm with eps 1e-5 and a per-channel affine transform. */
    public GroupNorm(int numGroups, long numChannels) { this(numGroups, numChannels, 1e-5, true); }

    /** Group norm with every option. */
    public GroupNorm(int numGroups, long numChannels, double eps, boolean affine) {
        if (numGroups <= 0 || numChannels % numGroups != 0) {
            throw new IllegalArgumentException("GroupNorm: num_channels " + numChannels + " must be divisible by num_groups " + numGroups);
        }
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        this.weight = registerParameter("weight", affine ? Tensor.ones(numChannels) : null);
        this.bias = registerParameter("bias", affine ? Tensor.zeros(numChannels) : null);
    }

    /** The per-channel scale, or null. */
    public Tensor weight() { return weight; }

    /** The per-channel shift, or null. */
    public Tensor bias() { return bias; }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() < 2 || x.size(1) != numChannels) {
            throw new IllegalArgumentException("GroupNorm: expected an input [N, " + numChannels + ", *], got shape " + Arrays.toString(x.shape()));
        }
        long[] shape = x.shape();
        Tensor g = x.reshape(shape[0], numGroups, -1);
        int[] last = {2};
        Tensor mean = g.mean(last, true);
        Tensor var = g.var(last, false, true);
        Tensor y = g.sub(mean).mul(var.add(eps).rsqrt()).reshape(shape);
        if (weight != null) {
            long[] bshape = new long[shape.length];
            Arrays.fill(bshape, 1);
            bshape[1] = numChannels;
            y = y.mul(weight.view(bshape)).add(bias.view(bshape));
        }
        return y;
    }

    @Override
    protected String extraRepr() {
        return numGroups + ", " + numChannels + ", eps=" + Repr.pyFloat(eps) + ", affine=" + Repr.pyBool(weight != null);
    }
}
