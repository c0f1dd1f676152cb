package dev.balboa.nn;

import dev.balboa.api.Functional;
import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;

/**
 * 1-D convolution over {@code [N, C, L]} ({@code torch.nn.Conv1d}) with stride, padding
 * (numbers, "same" or "valid", and a padding mode), dilation, groups and an optional bias;
 * see {@link #builder}.
 */
public class Conv1d extends ConvBase {
    /** A convolution with stride 1 and no padding. */
    public Conv1d(long inChannels, long outChannels, int kernelSize) {
        this(builder(inChannels, outChannels, kernelSize));
    }

    /** A convolution with the given stride and padding. */
    public Conv1d(long inChannels, long outChannels, int kernelSize, int stride, int padding) {
        this(builder(inChannels, outChannels, kernelSize).stride(stride).padding(padding));
    }

    private Conv1d(Builder b) {
        super("Conv1d", b.in, b.out, new int[] {b.kernel}, new int[] {b.stride}, new int[] {b.padding}, b.paddingString,
                new int[] {b.dilation}, new int[1], b.groups, b.bias, b.paddingMode, false, b.gen);
    }

    /** Starts a builder. */
    public static Builder builder(long inChannels, long outChannels, int kernelSize) {
        return new Builder(inChannels, outChannels, kernelSize);
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] p = new int[1];
        Tensor in = prepad(x, p);
        return Functional.conv1d(in, weight, bias, stride[0], p[0], dilation[0], groups);
    }

    /** Options of {@link Conv1d} with PyTorch's defaults. */
    public static final class Builder {
        private final long in;
        private final long out;
        private final int kernel;
        private int stride = 1;
        private int padding = 0;
        private String paddingString;
        private int dilation = 1;
        private int groups = 1;
        private boolean bias = true;
        private String paddingMode = "zeros";
        private Generator gen = Generator.defaultGenerator();

        private Builder(long in, long out, int kernel) {
            this.in = in;
            this.out = out;
            this.kernel = kernel;
        }

        /** Stride; default 1. */
        public Builder stride(int v) { stride = v; return this; }

        /** Padding on each side; default 0. */
        public Builder padding(int v) { padding = v; paddingString = null; return this; }

        /** {@code "same"} (stride 1 only) or {@code "valid"}. */
        public Builder padding(String v) { paddingString = v; return this; }

        /** Spacing between kernel elements; default 1. */
        public Builder dilation(int v) { dilation = v; return this; }

        /** Number of blocked connections from input to output channels; default 1. */
        public Builder groups(int v) { groups = v; return this; }

        /** Whether to learn an additive bias; default true. */
        public Builder bias(boolean v) { bias = v; return this; }

        /** {@code "zeros"} (default), {@code "reflect"}, {@code "replicate"} or {@code "circular"}. */
        public Builder paddingMode(String v) { paddingMode = v; return this; }

        /** The generator for the initial weights. */
        public Builder generator(Generator v) { gen = v; return this; }

        /** The layer. */
        public Conv1d build() { return new Conv1d(this); }
    }
}
