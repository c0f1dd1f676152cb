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

    /**
     * Two selects, {@code t = x <= min ? min : x} then {@code t >= max ? max : t} (a ReLU for a zero
     * lower bound): NaN passes through as in {@code clamp}, and the recorded gradient is 1 exactly
     * where {@code min < x < max}, in four elementwise passes rather than a clamp plus a mask.
     */
    @Override
    public Tensor forward(Tensor x) {
        long[] scalar = new long[0];
        Tensor t = minVal == 0.0 && x.dtype().isFloatingPoint() ? x.relu()
                : Tensor.where(x.le(minVal), Tensor.full(scalar, minVal, x.dtype(), x.device()), x);
        return Tensor.where(t.ge(maxVal), Tensor.full(scalar, maxVal, x.dtype(), x.device()), t);
    }

    @Override
    protected String extraRepr() { return "min_val=" + Repr.pyFloat(minVal) + ", max_val=" + Repr.pyFloat(maxVal); }
}
