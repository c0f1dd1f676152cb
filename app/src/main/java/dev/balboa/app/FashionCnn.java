package dev.balboa.app;

import dev.balboa.api.Tensor;
import dev.balboa.nn.Conv2d;
import dev.balboa.nn.Linear;
import dev.balboa.nn.MaxPool2d;
import dev.balboa.nn.Module;

/**
 * The Fashion-MNIST classifier trained by {@code balboa train}: two blocks of 3x3 convolution
 * (32 and 64 channels, padding 1), ReLU and 2x2 max pooling, then linear 3136-128, ReLU and
 * linear 128-10. The same network is in tools/compare/torch_fashion_mnist.py.
 */
final class FashionCnn extends Module {
    final Conv2d conv1 = registerModule("conv1", new Conv2d(1, 32, 3, 1, 1));
    final Conv2d conv2 = registerModule("conv2", new Conv2d(32, 64, 3, 1, 1));
    final MaxPool2d pool = registerModule("pool", new MaxPool2d(2));
    final Linear fc1 = registerModule("fc1", new Linear(64 * 7 * 7, 128));
    final Linear fc2 = registerModule("fc2", new Linear(128, 10));

    /** Logits [N, 10] for normalised images [N, 1, 28, 28]. */
    @Override
    public Tensor forward(Tensor x) {
        x = pool.forward(conv1.forward(x).relu());
        x = pool.forward(conv2.forward(x).relu());
        x = fc1.forward(x.flatten(1)).relu();
        return fc2.forward(x);
    }
}
