package dev.balboa.nn.models;

import dev.balboa.api.Tensor;
import dev.balboa.nn.AdaptiveAvgPool2d;
import dev.balboa.nn.BatchNorm2d;
import dev.balboa.nn.Conv2d;
import dev.balboa.nn.Dropout;
import dev.balboa.nn.Linear;
import dev.balboa.nn.MaxPool2d;
import dev.balboa.nn.Module;
import dev.balboa.nn.ReLU;
import dev.balboa.nn.Sequential;

/**
 * VGG as in torchvision: {@code features} (3x3 convolutions with padding 1, each followed by
 * ReLU or by batch norm and ReLU, with 2x2 max pools between stages, from a {@link Config}),
 * {@code avgpool} (adaptive average pooling to 7x7, so small inputs work) and {@code classifier}
 * (25088-4096, ReLU, dropout, 4096-4096, ReLU, dropout, 4096-numClasses). Initialisation as in
 * torchvision: kaiming normal (fan_out, ReLU) convolutions with zero bias, batch norm 1 and 0,
 * linear weights N(0, 0.01) with zero bias. VGG-19 has 143,667,240 parameters for 1000 classes.
 */
public class VGG extends Module {
    /** The convolution widths of each variant; 0 stands for a 2x2 max pool. */
    public enum Config {
        /** VGG-11 (configuration "A"). */
        A(64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0),
        /** VGG-13 (configuration "B"). */
        B(64, 64, 0, 128, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0),
        /** VGG-16 (configuration "D"). */
        D(64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0),
        /** VGG-19 (configuration "E"). */
        E(64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512, 512, 512, 512, 0);

        private final int[] layers;

        Config(int... layers) { this.layers = layers; }
    }

    private final Sequential features;
    private final AdaptiveAvgPool2d avgpool;
    private final Sequential classifier;

    /** A VGG of the given configuration with dropout 0.5. */
    public VGG(Config config, boolean batchNorm, int numClasses) { this(config, batchNorm, numClasses, 0.5); }

    /** A VGG of the given configuration, with or without batch norm, and the given dropout probability. */
    @SuppressWarnings("this-escape")
    public VGG(Config config, boolean batchNorm, int numClasses, double dropout) {
        features = registerModule("features", makeFeatures(config, batchNorm));
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(7));
        classifier = registerModule("classifier", new Sequential(
                new Linear(512 * 7 * 7, 4096), new ReLU(), new Dropout(dropout),
                new Linear(4096, 4096), new ReLU(), new Dropout(dropout),
                new Linear(4096, numClasses)));
        VisionInit.apply(this, 0.01);
    }

    /** VGG-11 without batch norm. */
    public static VGG vgg11(int numClasses) { return new VGG(Config.A, false, numClasses); }

    /** VGG-13 without batch norm. */
    public static VGG vgg13(int numClasses) { return new VGG(Config.B, false, numClasses); }

    /** VGG-16 without batch norm. */
    public static VGG vgg16(int numClasses) { return new VGG(Config.D, false, numClasses); }

    /** VGG-19 without batch norm. */
    public static VGG vgg19(int numClasses) { return new VGG(Config.E, false, numClasses); }

    /** The convolutional part of a VGG: the {@code features} submodule. */
    static Sequential makeFeatures(Config config, boolean batchNorm) {
        Sequential s = new Sequential();
        int in = 3;
        for (int v : config.layers) {
            if (v == 0) {
                s.add(new MaxPool2d(2, 2));
            } else {
                s.add(new Conv2d(in, v, 3, 1, 1));
                if (batchNorm) s.add(new BatchNorm2d(v));
                s.add(new ReLU());
                in = v;
            }
        }
        return s;
    }

    /** Logits {@code [N, numClasses]} for images {@code [N, 3, H, W]} with H, W at least 32. */
    @Override
    public Tensor forward(Tensor x) {
        x = avgpool.forward(features.forward(x));
        return classifier.forward(x.flatten(1));
    }
}
