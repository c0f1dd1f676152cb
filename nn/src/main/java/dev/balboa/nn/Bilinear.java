package dev.balboa.nn;

import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;
import java.util.Arrays;

/**
 * A bilinear map {@code y_o = x1^T A_o x2 + b_o} ({@code torch.nn.Bilinear}) of two inputs
 * {@code [*, in1]} and {@code [*, in2]} to {@code [*, out]}. Weight {@code [out, in1, in2]} and
 * bias start as U(-1/√in1, 1/√in1), as in PyTorch.
 */
public class Bilinear extends Module {
    private final long in1Features;
    private final long in2Features;
    private final long outFeatures;
    private final Tensor weight;
    private final Tensor bias;

    /** A layer with bias from the default generator. */
    public Bilinear(long in1Features, long in2Features, long outFeatures) {
        this(in1Features, in2Features, outFeatures, true, Generator.defaultGenerator());
    }

    /** A layer initialised from {@code gen}. */
    public Bilinear(long in1Features, long in2Features, long outFeatures, boolean bias, Generator gen) {
        this.in1Features = in1Features;
        this.in2Features = in2Features;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Tensor.empty(outFeatures, in1Features, in2Features));
        this.bias = registerParameter("bias", bias ? Tensor.empty(outFeatures) : null);
        resetParameters(gen);
    }

    /** Re-draws the parameters with PyTorch's default initialisation. */
    public void resetParameters(Generator gen) {
        double bound = 1 / Math.sqrt(in1Features);
        Init.uniform_(weight, -bound, bound, gen);
        if (bias != null) Init.uniform_(bias, -bound, bound, gen);
    }

    /** The weight {@code [out, in1, in2]}. */
    public Tensor weight() { return weight; }

    /** The bias {@code [out]}, or null. */
    public Tensor bias() { return bias; }

    /** Not supported: a bilinear layer takes two inputs. */
    @Override
    public Tensor forward(Tensor x) {
        throw new UnsupportedOperationException("Bilinear takes two inputs; use forward(x1, x2)");
    }

    /** {@code y[..., o] = sum_ij x1[..., i] W[o, i, j] x2[..., j] + b[o]}. */
    public Tensor forward(Tensor x1, Tensor x2) {
        if (x1.dim() == 0 || x1.size(-1) != in1Features || x2.dim() == 0 || x2.size(-1) != in2Features) {
            throw new IllegalArgumentException("Bilinear: inputs " + Arrays.toString(x1.shape()) + " and " + Arrays.toString(x2.shape())
                    + " do not end in in1_features=" + in1Features + " and in2_features=" + in2Features);
        }
        long[] lead = Arrays.copyOf(x1.shape(), x1.dim() - 1);
        if (!Arrays.equals(lead, Arrays.copyOf(x2.shape(), x2.dim() - 1))) {
            throw new IllegalArgumentException("Bilinear: inputs must have the same leading dims, got "
                    + Arrays.toString(x1.shape()) + " and " + Arrays.toString(x2.shape()));
        }
        Tensor a = x1.reshape(-1, in1Features);
        Tensor b = x2.reshape(-1, in2Features);
        // [N, in1] @ [in1, out*in2] -> [N, out, in2], then contract with x2 over in2
        Tensor w = weight.permute(1, 0, 2).reshape(in1Features, outFeatures * in2Features);
        Tensor y = a.matmul(w).view(-1, outFeatures, in2Features).mul(b.unsqueeze(1)).sum(-1);
        if (bias != null) y = y.add(bias);
        long[] outShape = Arrays.copyOf(lead, lead.length + 1);
        outShape[lead.length] = outFeatures;
        return y.reshape(outShape);
    }

    @Override
    protected String extraRepr() {
        return "in1_features=" + in1Features + ", in2_features=" + in2Features + ", out_features=" + outFeatures
                + ", bias=" + Repr.pyBool(bias != null);
    }
}
