package dev.balboa.nn;

import dev.balboa.api.Tensor;

/** Rectified linear unit {@code max(0, x)} ({@code torch.nn.ReLU}). */
public class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) { return x.relu(); }
}
