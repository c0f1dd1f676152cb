package dev.balboa.nn.models;

import dev.balboa.api.Functional;
import dev.balboa.api.Tensor;
import dev.balboa.nn.Dropout;
import dev.balboa.nn.Linear;
import dev.balboa.nn.Module;
import dev.balboa.nn.Sequential;

/**
 * MobileNetV2 as in torchvision: {@code features} (a 3x3/2 stem of 32 channels, seventeen
 * {@link InvertedResidual} blocks and a 1x1 convolution to 1280 channels, all with ReLU6), global
 * average pooling, and {@code classifier} (dropout 0.2 and a linear layer). Channel counts are
 * scaled by the width multiplier and rounded to multiples of 8. Initialisation as in torchvision:
 * convolutions kaiming normal (fan_out), batch norm 1 and 0, the linear layer N(0, 0.01) with zero
 * bias. 3,504,872 parameters for 1000 classes at width 1.0.
 */
public class MobileNetV2 extends Module {
    /** Expansion t, output channels c, repeats n and first stride s of each stage. */
    private static final int[][] SETTINGS = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1},
    };

    private final Sequential features;
    private final Sequential classifier;

    /** MobileNetV2 with width 1.0 and dropout 0.2. */
    public MobileNetV2(int numClasses) { this(numClasses, 1.0, 0.2); }

    /** MobileNetV2 with the given width multiplier and classifier dropout. */
    @SuppressWarnings("this-escape")
    public MobileNetV2(int numClasses, double widthMult, double dropout) {
        int inputChannel = makeDivisible(32 * widthMult, 8);
        int lastChannel = makeDivisible(1280 * Math.max(1.0, widthMult), 8);
        Sequential f = new Sequential(new ConvNormActivation(3, inputChannel, 3, 2, 1));
        for (int[] s : SETTINGS) {
            int out = makeDivisible(s[1] * widthMult, 8);
            for (int i = 0; i < s[2]; i++) {
                f.add(new InvertedResidual(inputChannel, out, i == 0 ? s[3] : 1, s[0]));
                inputChannel = out;
            }
        }
        f.add(new ConvNormActivation(inputChannel, lastChannel, 1, 1, 1));
        features = registerModule("features", f);
        classifier = registerModule("classifier", new Sequential(new Dropout(dropout), new Linear(lastChannel, numClasses)));
        VisionInit.apply(this, 0.01);
    }

    /** {@code v} rounded to the nearest multiple of {@code divisor}, at least {@code divisor} and never below 90% of {@code v}. */
    static int makeDivisible(double v, int divisor) {
        int out = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
        if (out < 0.9 * v) out += divisor;
        return out;
    }

    /** Logits {@code [N, numClasses]} for images {@code [N, 3, H, W]}. */
    @Override
    public Tensor forward(Tensor x) {
        x = Functional.adaptiveAvgPool2d(features.forward(x), 1, 1);
        return classifier.forward(x.flatten(1));
    }
}
