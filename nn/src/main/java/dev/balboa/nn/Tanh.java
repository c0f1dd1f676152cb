package dev.balboa.nn;

import dev.balboa.api.Tensor;

/** Hyperbolic tangent ({@code torch.nn.Tanh}). */
public class Tanh extends Module {
    @Override
    public Tensor forward(Tensor x) { return x.tanh(); }
}
