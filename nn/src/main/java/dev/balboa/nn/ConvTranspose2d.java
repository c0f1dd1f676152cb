package dev.balboa.nn;

import dev.balboa.api.Functional;
import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;

/**
 * Transposed 2-D convolution ({@code torch.nn.ConvTranspose2d}), the gradient of {@link Conv2d}
 * with respect to its input; weight {@code [in, out/groups, KH, KW]}. Output size per dim:
 * {@code (in-1)*stride - 2*padding + dilation*(k-1) + output_padding + 1}.
 */
public class ConvTranspose2d extends ConvBase {
    /** Stride 1, no padding. */
    public ConvTranspose2d(long inChannels, long outChannels, int kernelSize) {
        this(builder(inChannels, outChannels, kernelSize));
    }

    /** A square kernel with the given stride and padding. */
    public ConvTranspose2d(long inChannels, long outChannels, int kernelSize, int stride, int padding) {
        this(builder(inChannels, outChannels, kernelSize).stride(stride).padding(padding));
    }

    private ConvTranspose2d(Builder b) {
        super("ConvTranspose2d", b.in, b.out, b.kernel, b.stride, b.padding, null, b.dilation, b.outputPadding, b.groups, b.bias,
                "zeros", true, b.gen);
    }

    /** Starts a builder; {@code kernelSize} takes one value or (height, width). */
    public static Builder builder(long inChannels, long outChannels, int... kernelSize) {
        return new Builder(inChannels, outChannels, kernelSize);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.convTranspose2d(x, weight, bias, stride, padding, outputPadding, groups, dilation);
    }

    /** Options of {@link ConvTranspose2d} with PyTorch's defaults. */
    public static final class Builder {
        private final long in;
        private final long out;
        private final int[] kernel;
        private int[] stride = {1, 1};
        private int[] padding = {0, 0};
        private int[] outputPadding = {0, 0};
        private int[] dilation = {1, 1};
        private int groups = 1;
        private boolean bias = true;
        private Generator gen = Generator.defaultGenerator();

        private Builder(long in, long out, int... kernel) {
            this.in = in;
            this.out = out;
            this.kernel = sized("ConvTranspose2d", "kernel_size", 2, kernel);
        }

        /** Stride; default 1. */
        public Builder stride(int... v) { stride = sized("ConvTranspose2d", "stride", 2, v); return this; }

        /** Implicit zero padding removed from both sides of the output; default 0. */
        public Builder padding(int... v) { padding = sized("ConvTranspose2d", "padding", 2, v); return this; }

        /** Extra size added to one side of the output; default 0. */
        public Builder outputPadding(int... v) { outputPadding = sized("ConvTranspose2d", "output_padding", 2, v); return this; }

        /** Spacing between kernel elements; default 1. */
        public Builder dilation(int... v) { dilation = sized("ConvTranspose2d", "dilation", 2, v); return this; }

        /** Number of blocked connections; default 1. */
        public Builder groups(int v) { groups = v; return this; }

        /** Whether to learn an additive bias; default true. */
        public Builder bias(boolean v) { bias = v; return this; }

        /** The generator for the initial weights. */
        public Builder generator(Generator v) { gen = v; return this; }

        /** The layer. */
        public ConvTranspose2d build() { return new ConvTranspose2d(this); }
    }
}
