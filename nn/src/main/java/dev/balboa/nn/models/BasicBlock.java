package dev.balboa.nn.models;

import dev.balboa.api.Tensor;
import dev.balboa.nn.BatchNorm2d;
import dev.balboa.nn.Conv2d;
import dev.balboa.nn.Module;
import dev.balboa.nn.ReLU;
import dev.balboa.nn.Sequential;

/**
 * ResNet's basic residual block (ResNet-18/34): 3x3 convolution (carrying the stride), batch
 * norm, ReLU, 3x3 convolution, batch norm, plus the identity or a {@code downsample} projection
 * (1x1 strided convolution and batch norm), then ReLU. Convolutions have no bias. Submodule
 * names follow torchvision: {@code conv1, bn1, relu, conv2, bn2, downsample}.
 */
public class BasicBlock extends Module {
    /** Output channels per {@code planes}: 1. */
    public static final int EXPANSION = 1;

    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final ReLU relu;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Sequential downsample;

    /**
     * A block from {@code inplanes} to {@code planes} channels.
     *
     * @param downsample the projection of the shortcut, or null for the identity
     */
    @SuppressWarnings("this-escape")
    public BasicBlock(int inplanes, int planes, int stride, Sequential downsample) {
        conv1 = registerModule("conv1", ResNet.conv3x3(inplanes, planes, stride));
        bn1 = registerModule("bn1", new BatchNorm2d(planes));
        relu = registerModule("relu", new ReLU());
        conv2 = registerModule("conv2", ResNet.conv3x3(planes, planes, 1));
        bn2 = registerModule("bn2", new BatchNorm2d(planes));
        this.downsample = downsample == null ? null : registerModule("downsample", downsample);
    }

    /** The second batch norm, the one torchvision's {@code zero_init_residual} zeroes. */
    public BatchNorm2d lastBn() { return bn2; }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = relu.forward(bn1.forward(conv1.forward(x)));
        out = bn2.forward(conv2.forward(out));
        Tensor identity = downsample == null ? x : downsample.forward(x);
        return relu.forward(out.add(identity));
    }
}
