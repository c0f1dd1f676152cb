package dev.balboa.nn.models;

import dev.balboa.api.Tensor;
import dev.balboa.nn.AdaptiveAvgPool2d;
import dev.balboa.nn.BatchNorm2d;
import dev.balboa.nn.Conv2d;
import dev.balboa.nn.Init;
import dev.balboa.nn.Linear;
import dev.balboa.nn.MaxPool2d;
import dev.balboa.nn.Module;
import dev.balboa.nn.ReLU;
import dev.balboa.nn.Sequential;

/**
 * ResNet as in torchvision (v1.5: a bottleneck's stride sits on its 3x3 convolution): a 7x7/2
 * stem {@code conv1, bn1, relu, maxpool} (3x3/2), four stages {@code layer1..layer4} of 64, 128,
 * 256 and 512 planes (stride 2 from the second on), global average pooling {@code avgpool} and
 * {@code fc}. Initialisation as in torchvision: convolutions kaiming normal (fan_out, ReLU),
 * batch norm weight 1 and bias 0, {@code fc} PyTorch's default; optionally the last batch norm
 * of each block starts at zero ({@code zeroInitResidual}). ResNet-18, 34 and 50 have 11,689,512,
 * 21,797,672 and 25,557,032 parameters for 1000 classes.
 */
public class ResNet extends Module {
    /** The residual block of a ResNet and its channel expansion. */
    public enum Block {
        /** {@link BasicBlock}, expansion 1. */
        BASIC(BasicBlock.EXPANSION),
        /** {@link Bottleneck}, expansion 4. */
        BOTTLENECK(Bottleneck.EXPANSION);

        private final int expansion;

        Block(int expansion) { this.expansion = expansion; }

        /** Output channels per plane. */
        public int expansion() { return expansion; }

        Module create(int inplanes, int planes, int stride, Sequential downsample) {
            return this == BASIC ? new BasicBlock(inplanes, planes, stride, downsample)
                    : new Bottleneck(inplanes, planes, stride, downsample);
        }
    }

    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final ReLU relu;
    private final MaxPool2d maxpool;
    private final Sequential layer1;
    private final Sequential layer2;
    private final Sequential layer3;
    private final Sequential layer4;
    private final AdaptiveAvgPool2d avgpool;
    private final Linear fc;
    private int inplanes = 64;

    /** A ResNet with the given block, blocks per stage and classes; no zero-initialised residuals. */
    public ResNet(Block block, int[] layers, int numClasses) { this(block, layers, numClasses, false); }

    /**
     * A ResNet.
     *
     * @param layers           the number of blocks in each of the four stages
     * @param zeroInitResidual whether the last batch norm of every block starts with weight 0,
     *                         so that each block starts as the identity
     */
    @SuppressWarnings("this-escape")
    public ResNet(Block block, int[] layers, int numClasses, boolean zeroInitResidual) {
        if (layers.length != 4) throw new IllegalArgumentException("ResNet: expected 4 stage sizes, got " + layers.length);
        conv1 = registerModule("conv1", Conv2d.builder(3, 64, 7).stride(2).padding(3).bias(false).build());
        bn1 = registerModule("bn1", new BatchNorm2d(64));
        relu = registerModule("relu", new ReLU());
        maxpool = registerModule("maxpool", new MaxPool2d(3, 2, 1));
        layer1 = registerModule("layer1", makeLayer(block, 64, layers[0], 1));
        layer2 = registerModule("layer2", makeLayer(block, 128, layers[1], 2));
        layer3 = registerModule("layer3", makeLayer(block, 256, layers[2], 2));
        layer4 = registerModule("layer4", makeLayer(block, 512, layers[3], 2));
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1));
        fc = registerModule("fc", new Linear(512L * block.expansion(), numClasses));
        VisionInit.apply(this, 0);
        if (zeroInitResidual) {
            apply(m -> {
                if (m instanceof BasicBlock b) Init.zeros_(b.lastBn().weight());
                if (m instanceof Bottleneck b) Init.zeros_(b.lastBn().weight());
            });
        }
    }

    /** ResNet-18: basic blocks [2, 2, 2, 2]. */
    public static ResNet resnet18(int numClasses) { return new ResNet(Block.BASIC, new int[] {2, 2, 2, 2}, numClasses); }

    /** ResNet-34: basic blocks [3, 4, 6, 3]. */
    public static ResNet resnet34(int numClasses) { return new ResNet(Block.BASIC, new int[] {3, 4, 6, 3}, numClasses); }

    /** ResNet-50: bottlenecks [3, 4, 6, 3]. */
    public static ResNet resnet50(int numClasses) { return new ResNet(Block.BOTTLENECK, new int[] {3, 4, 6, 3}, numClasses); }

    /** A 3x3 convolution with padding 1 and no bias. */
    static Conv2d conv3x3(int in, int out, int stride) {
        return Conv2d.builder(in, out, 3).stride(stride).padding(1).bias(false).build();
    }

    /** A 1x1 convolution without bias. */
    static Conv2d conv1x1(int in, int out, int stride) {
        return Conv2d.builder(in, out, 1).stride(stride).bias(false).build();
    }

    private Sequential makeLayer(Block block, int planes, int blocks, int stride) {
        Sequential downsample = null;
        int out = planes * block.expansion();
        if (stride != 1 || inplanes != out) {
            downsample = new Sequential(conv1x1(inplanes, out, stride), new BatchNorm2d(out));
        }
        Sequential layer = new Sequential(block.create(inplanes, planes, stride, downsample));
        inplanes = out;
        for (int i = 1; i < blocks; i++) layer.add(block.create(inplanes, planes, 1, null));
        return layer;
    }

    /** Logits {@code [N, numClasses]} for images {@code [N, 3, H, W]}. */
    @Override
    public Tensor forward(Tensor x) {
        x = maxpool.forward(relu.forward(bn1.forward(conv1.forward(x))));
        x = layer4.forward(layer3.forward(layer2.forward(layer1.forward(x))));
        return fc.forward(avgpool.forward(x).flatten(1));
    }
}
