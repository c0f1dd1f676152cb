package dev.balboa.nn;

import dev.balboa.api.Functional;
import dev.balboa.api.Tensor;

/**
 * 2-D average pooling ({@code torch.nn.AvgPool2d}). The stride defaults to the kernel size;
 * {@code countIncludePad} (default true) counts the zero padding in the divisor, and a
 * positive {@code divisorOverride} replaces the divisor.
 */
public class AvgPool2d extends Module {
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final boolean ceilMode;
    private final boolean countIncludePad;
    private final int divisorOverride;

    /** Pooling with stride = kernel size, no padding. */
    public AvgPool2d(int kernelSize) { this(new int[] {kernelSize}, null, new int[] {0}, false, true, 0); }

    /** Pooling with the given stride, no padding. */
    public AvgPool2d(int kernelSize, int stride) { this(new int[] {kernelSize}, new int[] {stride}, new int[] {0}, false, true, 0); }

    /** Pooling with the given stride and padding. */
    public AvgPool2d(int kernelSize, int stride, int padding) {
        this(new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, false, true, 0);
    }

    /** Pooling with every option; {@code stride} null means the kernel size, {@code divisorOverride} 0 means none. */
    public AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad, int divisorOverride) {
        this.kernelSize = Repr.pair("AvgPool2d", "kernel_size", kernelSize);
        this.stride = stride == null ? this.kernelSize.clone() : Repr.pair("AvgPool2d", "stride", stride);
        this.padding = Repr.pair("AvgPool2d", "padding", padding);
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
        if (divisorOverride < 0) throw new IllegalArgumentException("AvgPool2d: divisor_override must be positive, got " + divisorOverride);
        this.divisorOverride = divisorOverride;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.avgPool2d(x, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + MaxPool2d.one(kernelSize) + ", stride=" + MaxPool2d.one(stride) + ", padding=" + MaxPool2d.one(padding);
    }
}
