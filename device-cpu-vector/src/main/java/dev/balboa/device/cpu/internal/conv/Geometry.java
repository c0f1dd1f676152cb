package dev.balboa.device.cpu.internal.conv;

import java.util.Arrays;

/**
 * The sizes and hyper-parameters of one NCHW convolution, shared by the forward and both backward
 * kernels: input {@code [n, c, h, w]}, weight {@code [o, c/groups, kh, kw]}, output
 * {@code [n, o, oh, ow]}.
 */
record Geometry(int n, int c, int h, int w, int o, int kh, int kw, int oh, int ow,
                int sh, int sw, int ph, int pw, int dh, int dw, int groups) {

    /** Builds the geometry from the three shapes and the op's parameters, checking that they agree. */
    static Geometry of(String op, long[] x, long[] wt, long[] y, int[] stride, int[] padding, int[] dilation, int groups) {
        if (x.length != 4 || wt.length != 4 || y.length != 4) {
            throw new IllegalArgumentException(op + ": expected rank-4 NCHW operands, got input " + Arrays.toString(x)
                    + ", weight " + Arrays.toString(wt) + ", output " + Arrays.toString(y));
        }
        if (groups < 1 || x[1] % groups != 0 || wt[0] % groups != 0 || wt[1] * groups != x[1] || y[1] != wt[0] || y[0] != x[0]) {
            throw new IllegalArgumentException(op + ": input " + Arrays.toString(x) + ", weight " + Arrays.toString(wt)
                    + " and output " + Arrays.toString(y) + " do not match with groups=" + groups);
        }
        if (stride[0] < 1 || stride[1] < 1 || dilation[0] < 1 || dilation[1] < 1 || padding[0] < 0 || padding[1] < 0) {
            throw new IllegalArgumentException(op + ": stride and dilation must be positive and padding non-negative, got stride "
                    + Arrays.toString(stride) + ", padding " + Arrays.toString(padding) + ", dilation " + Arrays.toString(dilation));
        }
        return new Geometry((int) x[0], (int) x[1], (int) x[2], (int) x[3], (int) wt[0], (int) wt[2], (int) wt[3],
                (int) y[2], (int) y[3], stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1], groups);
    }

    /** Input channels per group. */
    int cg() { return c / groups; }

    /** Output channels per group. */
    int og() { return o / groups; }

    /** Rows of the im2col matrix: input channels per group times kernel positions. */
    int colRows() { return cg() * kh * kw; }

    /** Output pixels of one plane. */
    int outPlane() { return oh * ow; }

    /** Input pixels of one plane. */
    int inPlane() { return h * w; }

    /** True for depthwise convolution: one input and one output channel per group. */
    boolean depthwise() { return groups == c && o == c; }

    /** True when im2col would be the identity: 1x1 kernel, stride 1, no padding, same output size. */
    boolean pointwise() { return kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0 && oh == h && ow == w; }

    /** First output column whose input column {@code ow*sw - pw + kx*dw} is at least 0. */
    int owLo(int kx) { return Math.max(0, Math.ceilDiv(pw - kx * dw, sw)); }

    /** One past the last output column whose input column lies below {@code w}. */
    int owHi(int kx) { return Math.max(owLo(kx), Math.min(ow, Math.ceilDiv(w + pw - kx * dw, sw))); }

    /** Multiply-adds of the whole forward convolution. */
    long macs() { return (long) n * o * oh * ow * cg() * kh * kw; }
}
