package dev.balboa.nn;

import dev.balboa.api.Functional;
import dev.balboa.api.Tensor;

/**
 * Adaptive 2-D average pooling to a fixed output size ({@code torch.nn.AdaptiveAvgPool2d}),
 * whatever the input's height and width.
 */
public class AdaptiveAvgPool2d extends Module {
    private final long outH;
    private final long outW;
    private final boolean square;

    /** Pools to {@code size x size}. */
    public AdaptiveAvgPool2d(long size) {
        this.outH = size;
        this.outW = size;
        this.square = true;
    }

    /** Pools to {@code outH x outW}. */
    public AdaptiveAvgPool2d(long outH, long outW) {
        this.outH = outH;
        this.outW = outW;
        this.square = false;
    }

    @Override
    public Tensor forward(Tensor x) { return Functional.adaptiveAvgPool2d(x, outH, outW); }

    @Override
    protected String extraRepr() { return "output_size=" + (square ? Long.toString(outH) : "(" + outH + ", " + outW + ")"); }
}
