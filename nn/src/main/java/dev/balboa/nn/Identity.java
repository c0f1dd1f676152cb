package dev.balboa.nn;

import dev.balboa.api.Tensor;

/** Returns its input unchanged ({@code torch.nn.Identity}). */
public class Identity extends Module {
    @Override
    public Tensor forward(Tensor x) { return x; }
}
