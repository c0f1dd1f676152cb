package dev.balboa.nn.models;

import dev.balboa.api.Tensor;
import dev.balboa.nn.BatchNorm2d;
import dev.balboa.nn.Conv2d;
import dev.balboa.nn.Module;
import dev.balboa.nn.ReLU;
import dev.balboa.nn.Sequential;

/**
 * ResNet's bottleneck block (ResNet-50 and deeper), version 1.5: 1x1 convolution to
 * {@code planes}, batch norm, ReLU, 3x3 convolution carrying the stride, batch norm, ReLU, 1x1
 * convolution to {@code 4 * planes}, batch norm, plus the identity or a {@code downsample}
 * projection, then ReLU. Submodule names follow torchvision:
 * {@code conv1, bn1, conv2, bn2, conv3, bn3, relu, downsample}.
 */
public class Bottleneck extends Module {
    /** Output channels per {@code planes}: 4. */
    public static final int EXPANSION = 4;

    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Conv2d conv3;
    private final BatchNorm2d bn3;
    private final ReLU relu;
    private final Sequential downsample;

    /**
     * A block from {@code inplanes} to {@code 4 * planes} channels.
     *
     * @param downsample the projection of the shortcut, or null for the identity
     */
    @SuppressWarnings("this-escape")
    public Bottleneck(int inplanes, int planes, int stride, Sequential downsample) {
        conv1 = registerModule("conv1", ResNet.conv1x1(inplanes, planes, 1));
        bn1 = registerModule("bn1", new BatchNorm2d(planes));
        conv2 = registerModule("conv2", ResNet.conv3x3(planes, planes, stride));
        bn2 = registerModule("bn2", new BatchNorm2d(planes));
        conv3 = registerModule("conv3", ResNet.conv1x1(planes, planes * EXPANSION, 1));
        bn3 = registerModule("bn3", new BatchNorm2d(planes * EXPANSION));
        relu = registerModule("relu", new ReLU());
        this.downsample = downsample == null ? null : registerModule("downsample", downsample);
    }

    /** The third batch norm, the one torchvision's {@code zero_init_residual} zeroes. */
    public BatchNorm2d lastBn() { return bn3; }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = relu.forward(bn1.forward(conv1.forward(x)));
        out = relu.forward(bn2.forward(conv2.forward(out)));
        out = bn3.forward(conv3.forward(out));
        Tensor identity = downsample == null ? x : downsample.forward(x);
        return relu.forward(out.add(identity));
    }
}
