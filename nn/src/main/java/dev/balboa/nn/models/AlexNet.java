package dev.balboa.nn.models;

import dev.balboa.api.Tensor;
import dev.balboa.nn.AdaptiveAvgPool2d;
import dev.balboa.nn.Conv2d;
import dev.balboa.nn.Dropout;
import dev.balboa.nn.Linear;
import dev.balboa.nn.MaxPool2d;
import dev.balboa.nn.Module;
import dev.balboa.nn.ReLU;
import dev.balboa.nn.Sequential;

/**
 * AlexNet in torchvision's single-tower layout: {@code features} (five convolutions 64-192-384-256-256
 * with ReLU and three 3x3/2 max pools), {@code avgpool} (adaptive average pooling to 6x6) and
 * {@code classifier} (dropout, 9216-4096, ReLU, dropout, 4096-4096, ReLU, 4096-numClasses).
 * Layers keep PyTorch's default initialisation. 61,100,840 parameters for 1000 classes.
 * Inputs need at least 63x63 pixels so that the last max pool has a window.
 */
public class AlexNet extends Module {
    private final Sequential features;
    private final AdaptiveAvgPool2d avgpool;
    private final Sequential classifier;

    /** AlexNet with 1000 classes and dropout 0.5. */
    public AlexNet() { this(1000); }

    /** AlexNet with {@code numClasses} outputs and dropout 0.5. */
    public AlexNet(int numClasses) { this(numClasses, 0.5); }

    /** AlexNet with {@code numClasses} outputs and the given dropout probability. */
    @SuppressWarnings("this-escape")
    public AlexNet(int numClasses, double dropout) {
        features = registerModule("features", new Sequential(
                new Conv2d(3, 64, 11, 4, 2), new ReLU(), new MaxPool2d(3, 2),
                new Conv2d(64, 192, 5, 1, 2), new ReLU(), new MaxPool2d(3, 2),
                new Conv2d(192, 384, 3, 1, 1), new ReLU(),
                new Conv2d(384, 256, 3, 1, 1), new ReLU(),
                new Conv2d(256, 256, 3, 1, 1), new ReLU(), new MaxPool2d(3, 2)));
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(6));
        classifier = registerModule("classifier", new Sequential(
                new Dropout(dropout), new Linear(256 * 6 * 6, 4096), new ReLU(),
                new Dropout(dropout), new Linear(4096, 4096), new ReLU(),
                new Linear(4096, numClasses)));
    }

    /** Logits {@code [N, numClasses]} for images {@code [N, 3, H, W]}. */
    @Override
    public Tensor forward(Tensor x) {
        x = avgpool.forward(features.forward(x));
        return classifier.forward(x.flatten(1));
    }
}
