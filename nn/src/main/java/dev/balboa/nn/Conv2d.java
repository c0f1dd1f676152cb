package dev.balboa.nn;

import dev.balboa.api.Functional;
import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;

/**
 * 2-D convolution over {@code [N, C, H, W]} ({@code torch.nn.Conv2d}) with stride, padding
 * (numbers, "same" or "valid", and a padding mode), dilation, groups and an optional bias.
 * Common cases have constructors; the rest go through {@link #builder}:
 * <pre>{@code
 * Conv2d conv = Conv2d.builder(3, 64, 3).stride(2).padding(1).bias(false).build();
 * }</pre>
 */
public class Conv2d extends ConvBase {
    /** A 3x3-style convolution with stride 1, no padding. */
    public Conv2d(long inChannels, long outChannels, int kernelSize) {
        this(builder(inChannels, outChannels, kernelSize));
    }

    /** A square-kernel convolution with the given stride and padding. */
    public Conv2d(long inChannels, long outChannels, int kernelSize, int stride, int padding) {
        this(builder(inChannels, outChannels, kernelSize).stride(stride).padding(padding));
    }

    private Conv2d(Builder b) {
        super("Conv2d", b.in, b.out, b.kernel, b.stride, b.padding, b.paddingString, b.dilation, new int[2], b.groups, b.bias,
                b.paddingMode, false, b.gen);
    }

    /** Starts a builder; {@code kernelSize} takes one value or (height, width). */
    public static Builder builder(long inChannels, long outChannels, int... kernelSize) {
        return new Builder(inChannels, outChannels, kernelSize);
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] p = new int[2];
        Tensor in = prepad(x, p);
        return Functional.conv2d(in, weight, bias, stride, p, dilation, groups);
    }

    /** Options of {@link Conv2d} with PyTorch's defaults. */
    public static final class Builder {
        private final long in;
        private final long out;
        private final int[] kernel;
        private int[] stride = {1, 1};
        private int[] padding = {0, 0};
        private String paddingString;
        private int[] dilation = {1, 1};
        private int groups = 1;
        private boolean bias = true;
        private String paddingMode = "zeros";
        private Generator gen = Generator.defaultGenerator();

        private Builder(long in, long out, int... kernel) {
            this.in = in;
            this.out = out;
            this.kernel = sized("Conv2d", "kernel_size", 2, kernel);
        }

        /** Stride: one value or (height, width); default 1. */
        public Builder stride(int... v) { stride = sized("Conv2d", "stride", 2, v); return this; }

        /** Zero padding on each side: one value or (height, width); default 0. */
        public Builder padding(int... v) { padding = sized("Conv2d", "padding", 2, v); paddingString = null; return this; }

        /** {@code "same"} (output as large as the input; stride 1 only) or {@code "valid"} (no padding). */
        public Builder padding(String v) { paddingString = v; return this; }

        /** Spacing between kernel elements; default 1. */
        public Builder dilation(int... v) { dilation = sized("Conv2d", "dilation", 2, v); return this; }

        /** Number of blocked connections from input to output channels; default 1. */
        public Builder groups(int v) { groups = v; return this; }

        /** Whether to learn an additive bias; default true. */
        public Builder bias(boolean v) { bias = v; return this; }

        /** {@code "zeros"} (default), {@code "reflect"}, {@code "replicate"} or {@code "circular"}. */
        public Builder paddingMode(String v) { paddingMode = v; return this; }

        /** The generator for the initial weights; default {@link Generator#defaultGenerator()}. */
        public Builder generator(Generator v) { gen = v; return this; }

        /** The layer. */
        public Conv2d build() { return new Conv2d(this); }
    }
}
