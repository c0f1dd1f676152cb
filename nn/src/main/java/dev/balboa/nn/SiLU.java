package dev.balboa.nn;

import dev.balboa.api.Tensor;

/** Sigmoid-weighted linear unit {@code x * sigmoid(x)}, also called swish ({@code torch.nn.SiLU}). */
public class SiLU extends Module {
    @Override
    public Tensor forward(Tensor x) { return x.silu(); }
}
