package dev.balboa.nn;

import dev.balboa.api.Tensor;

/**
 * Hard tanh ({@code torch.nn.Hardtanh}): the input clamped into {@code [minVal, maxVal]},
 * by default {@code [-1, 1]}. As in PyTorch, the gradient is 1 strictly inside the interval and
 * 0 at and beyond its bounds (unlike {@code clamp}, which passes it at the bounds).
 */
public class Hardtanh extends Module {
    private final double minVal;
    private final double maxVal;

    /** Clamps into {@code [-1, 1]}. */
    public Hardtanh() { this(-1.0, 1.0); }

    /** Clamps into {@code [minVal, maxVal]}. */
    public Hardtanh(double minVal, double maxVal) {
        if (!(maxVal > minVal)) {
            throw new IllegalArgumentException("Hardtanh: max_val must be greater than min_val, got min_val=" + minVal + ", max_val=" + maxVal);
        }
        this.minVal = minVal;
        this.maxVal = maxVal;
    }

    /** The lower bound. */
    public double minVal() { return minVal; }

    /** The upper bound. */
    public double maxVal() { return maxVal; }

    @Override
    public Tensor forward(Tensor x) {
        if (!x.requiresGrad()) return x.clamp(minVal, maxVal);
        return Tensor.where(x.gt(minVal).logicalAnd(x.lt(maxVal)), x, x.detach().clamp(minVal, maxVal));
    }

    @Override
    protected String extraRepr() { return "min_val=" + Repr.pyFloat(minVal) + ", max_val=" + Repr.pyFloat(maxVal); }
}
