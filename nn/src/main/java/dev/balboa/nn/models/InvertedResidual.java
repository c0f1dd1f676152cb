package dev.balboa.nn.models;

import dev.balboa.api.Tensor;
import dev.balboa.nn.BatchNorm2d;
import dev.balboa.nn.Conv2d;
import dev.balboa.nn.Module;
import dev.balboa.nn.Sequential;

/**
 * MobileNetV2's inverted residual block, as in torchvision: {@code conv} is a 1x1 expansion to
 * {@code round(in * expandRatio)} channels (left out when the ratio is 1), a 3x3 depthwise
 * convolution carrying the stride (both {@link ConvNormActivation} with ReLU6), then a linear 1x1
 * projection and batch norm. The input is added back when the stride is 1 and the channel count
 * is unchanged.
 */
public class InvertedResidual extends Module {
    private final Sequential conv;
    private final boolean useResConnect;

    /** A block from {@code in} to {@code out} channels; {@code stride} is 1 or 2. */
    @SuppressWarnings("this-escape")
    public InvertedResidual(int in, int out, int stride, int expandRatio) {
        if (stride != 1 && stride != 2) throw new IllegalArgumentException("InvertedResidual: stride should be 1 or 2, got " + stride);
        int hidden = Math.round((float) in * expandRatio);
        useResConnect = stride == 1 && in == out;
        Sequential layers = new Sequential();
        if (expandRatio != 1) layers.add(new ConvNormActivation(in, hidden, 1, 1, 1));
        layers.add(new ConvNormActivation(hidden, hidden, 3, stride, hidden));
        layers.add(Conv2d.builder(hidden, out, 1).bias(false).build());
        layers.add(new BatchNorm2d(out));
        conv = registerModule("conv", layers);
    }

    /** Whether the block adds its input to its output. */
    public boolean usesResidual() { return useResConnect; }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = conv.forward(x);
        return useResConnect ? x.add(y) : y;
    }
}
