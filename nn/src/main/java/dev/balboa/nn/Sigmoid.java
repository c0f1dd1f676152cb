package dev.balboa.nn;

import dev.balboa.api.Tensor;

/** Logistic sigmoid {@code 1 / (1 + exp(-x))} ({@code torch.nn.Sigmoid}). */
public class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) { return x.sigmoid(); }
}
