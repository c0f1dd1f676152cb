package dev.balboa.nn;

import dev.balboa.api.Functional;
import dev.balboa.api.Tensor;
import dev.balboa.api.ValuesIndices;

/**
 * 2-D max pooling ({@code torch.nn.MaxPool2d}). Sizes take one value or (height, width); the
 * stride defaults to the kernel size.
 */
public class MaxPool2d extends Module {
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final boolean ceilMode;

    /** Pooling with stride = kernel size, no padding. */
    public MaxPool2d(int kernelSize) { this(new int[] {kernelSize}, null, new int[] {0}, new int[] {1}, false); }

    /** Pooling with the given stride, no padding. */
    public MaxPool2d(int kernelSize, int stride) { this(new int[] {kernelSize}, new int[] {stride}, new int[] {0}, new int[] {1}, false); }

    /** Pooling with the given stride and padding. */
    public MaxPool2d(int kernelSize, int stride, int padding) {
        this(new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, new int[] {1}, false);
    }

    /** Pooling with every option; {@code stride} null means the kernel size. */
    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        this.kernelSize = Repr.pair("MaxPool2d", "kernel_size", kernelSize);
        this.stride = stride == null ? this.kernelSize.clone() : Repr.pair("MaxPool2d", "stride", stride);
        this.padding = Repr.pair("MaxPool2d", "padding", padding);
        this.dilation = Repr.pair("MaxPool2d", "dilation", dilation);
        this.ceilMode = ceilMode;
    }

    @Override
    public Tensor forward(Tensor x) { return Functional.maxPool2d(x, kernelSize, stride, padding, dilation, ceilMode); }

    /** The maxima and the flat position {@code h*W + w} of each within its plane ({@code return_indices=True}). */
    public ValuesIndices forwardWithIndices(Tensor x) {
        return Functional.maxPool2dWithIndices(x, kernelSize, stride, padding, dilation, ceilMode);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + one(kernelSize) + ", stride=" + one(stride) + ", padding=" + one(padding)
                + ", dilation=" + one(dilation) + ", ceil_mode=" + Repr.pyBool(ceilMode);
    }

    /** A square size prints as one number, as it does in PyTorch when given as an int. */
    static String one(int[] v) { return v[0] == v[1] ? Integer.toString(v[0]) : Repr.tuple(v); }
}
