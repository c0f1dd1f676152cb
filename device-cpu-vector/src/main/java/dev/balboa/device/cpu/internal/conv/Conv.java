package dev.balboa.device.cpu.internal.conv;

import dev.balboa.device.cpu.internal.CpuBuffer;
import dev.balboa.device.cpu.internal.Parallel;
import dev.balboa.device.cpu.internal.gemm.Elements;
import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import dev.balboa.spi.Operand;
import java.util.Arrays;

/**
 * The CPU kernels of {@link Op.Conv2d}, {@link Op.Conv2dBackwardInput},
 * {@link Op.Conv2dBackwardWeight} and {@link Op.MaxPool2d} (NCHW). float32, float16 and bfloat16
 * run {@link ConvF32} (im2col into the packed GEMM, direct loops for depthwise; the half types
 * are widened to float32 and rounded back); float64 runs direct loops accumulating in double.
 * Operands with any strides are accepted: non-contiguous ones are copied to dense arrays first.
 */
public final class Conv {
    private Conv() {}

    /** {@code out = conv2d(x, w)}. */
    public static void conv2d(Op.Conv2d p, Operand x, Operand w, Operand out) {
        Geometry g = Geometry.of("conv2d", x.shape(), w.shape(), out.shape(), p.stride(), p.padding(), p.dilation(), p.groups());
        checkForward(g, x.shape()[2], x.shape()[3]);
        DType dt = floating("conv2d", x, w, out);
        if (out.numel() == 0) return;
        if (dt == DType.FLOAT64) {
            double[] xd = Elements.denseF64(x), wd = Elements.denseF64(w);
            double[] yd = new double[Math.toIntExact(out.numel())];
            ConvF64.forward(g, xd, wd, yd);
            Elements.store(out, yd);
            return;
        }
        Dense xs = Dense.of(x), ws = Dense.of(w), ys = Dense.forOutput(out);
        ConvF32.forward(g, xs.a, xs.off, ws.a, ws.off, ys.a, ys.off);
        ys.writeBack(out);
    }

    /** {@code gradIn = conv2d_backward_input(gradOut, w)}, also the transposed convolution. */
    public static void backwardInput(Op.Conv2dBackwardInput p, Operand gradOut, Operand w, Operand gradIn) {
        Geometry g = Geometry.of("conv2d_backward_input", gradIn.shape(), w.shape(), gradOut.shape(),
                p.stride(), p.padding(), p.dilation(), p.groups());
        DType dt = floating("conv2d_backward_input", gradOut, w, gradIn);
        if (gradIn.numel() == 0) return;
        if (dt == DType.FLOAT64) {
            double[] gy = Elements.denseF64(gradOut), wd = Elements.denseF64(w);
            double[] gx = new double[Math.toIntExact(gradIn.numel())];
            ConvF64.backwardInput(g, gy, wd, gx);
            Elements.store(gradIn, gx);
            return;
        }
        Dense gy = Dense.of(gradOut), ws = Dense.of(w), gx = Dense.forOutput(gradIn);
        if (gradOut.numel() == 0 || g.cg() == 0 || g.og() == 0) {
            Arrays.fill(gx.a, gx.off, gx.off + Math.toIntExact(gradIn.numel()), 0f);
        } else {
            ConvF32.backwardInput(g, gy.a, gy.off, ws.a, ws.off, gx.a, gx.off);
        }
        gx.writeBack(gradIn);
    }

    /** {@code gradW = conv2d_backward_weight(x, gradOut)}, summed over the batch. */
    public static void backwardWeight(Op.Conv2dBackwardWeight p, Operand x, Operand gradOut, Operand gradW) {
        Geometry g = Geometry.of("conv2d_backward_weight", x.shape(), gradW.shape(), gradOut.shape(),
                p.stride(), p.padding(), p.dilation(), p.groups());
        DType dt = floating("conv2d_backward_weight", x, gradOut, gradW);
        if (gradW.numel() == 0) return;
        if (dt == DType.FLOAT64) {
            double[] xd = Elements.denseF64(x), gy = Elements.denseF64(gradOut);
            double[] gw = new double[Math.toIntExact(gradW.numel())];
            ConvF64.backwardWeight(g, xd, gy, gw);
            Elements.store(gradW, gw);
            return;
        }
        Dense xs = Dense.of(x), gy = Dense.of(gradOut), gw = Dense.forOutput(gradW);
        if (gradOut.numel() == 0) {
            Arrays.fill(gw.a, gw.off, gw.off + Math.toIntExact(gradW.numel()), 0f);
        } else {
            ConvF32.backwardWeight(g, xs.a, xs.off, gy.a, gy.off, gw.a, gw.off);
        }
        gw.writeBack(gradW);
    }

    private static void checkForward(Geometry g, long h, long w) {
        long eh = (h + 2L * g.ph() - (long) g.dh() * (g.kh() - 1) - 1) / g.sh() + 1;
        long ew = (w + 2L * g.pw() - (long) g.dw() * (g.kw() - 1) - 1) / g.sw() + 1;
        if (g.oh() != Math.max(eh, 0) || g.ow() != Math.max(ew, 0)) {
            throw new IllegalArgumentException("conv2d: output spatial size " + g.oh() + "x" + g.ow()
                    + " differs from the expected " + eh + "x" + ew);
        }
    }

    private static DType floating(String op, Operand a, Operand b, Operand out) {
        DType dt = out.dtype();
        if (a.dtype() != dt || b.dtype() != dt) {
            throw new IllegalArgumentException(op + ": dtypes " + a.dtype() + ", " + b.dtype() + " and output " + dt + " differ");
        }
        if (!dt.isFloatingPoint()) {
            throw new UnsupportedOperationException(op + ": cpu convolves floating-point tensors only, got " + dt);
        }
        return dt;
    }

    /**
     * A dense row-major float32 view of an operand: the operand's own array when it is contiguous
     * float32, otherwise a converted copy.
     */
    private record Dense(float[] a, int off, boolean copied) {
        static Dense of(Operand o) {
            if (o.dtype() == DType.FLOAT32 && o.isContiguous()) {
                return new Dense(Elements.cpu(o, "conv").f32(), (int) o.offset(), false);
            }
            return new Dense(Elements.denseF32(o), 0, true);
        }

        static Dense forOutput(Operand o) {
            if (o.dtype() == DType.FLOAT32 && o.isContiguous()) {
                return new Dense(Elements.cpu(o, "conv").f32(), (int) o.offset(), false);
            }
            return new Dense(new float[Math.toIntExact(o.numel())], 0, true);
        }

        void writeBack(Operand o) {
            if (copied) Elements.store(o, a);
        }
    }

    // ---------------------------------------------------------------- max pooling

    /**
     * Max pooling over each plane with the window rule of {@link Op.MaxPool2d}: positions outside
     * the input are skipped, NaN wins, the first maximum wins on ties; indices are {@code h*W + w}.
     */
    public static void maxPool2d(Op.MaxPool2d p, Operand x, Operand values, Operand indices) {
        long[] xs = x.shape(), ys = values.shape();
        if (xs.length != 4 || ys.length != 4 || indices.rank() != 4 || !Arrays.equals(ys, indices.shape())
                || xs[0] != ys[0] || xs[1] != ys[1]) {
            throw new IllegalArgumentException("max_pool2d: input " + Arrays.toString(xs) + ", values " + Arrays.toString(ys)
                    + " and indices " + Arrays.toString(indices.shape()) + " do not match");
        }
        if (values.dtype() != x.dtype() || indices.dtype() != DType.INT64) {
            throw new IllegalArgumentException("max_pool2d: values must have the input's dtype " + x.dtype()
                    + " and indices int64, got " + values.dtype() + " and " + indices.dtype());
        }
        int planes = (int) (xs[0] * xs[1]);
        int h = (int) xs[2], w = (int) xs[3], oh = (int) ys[2], ow = (int) ys[3];
        if (planes == 0 || oh == 0 || ow == 0) return;
        int c = (int) xs[1];
        int kh = p.kernel()[0], kw = p.kernel()[1], sh = p.stride()[0], sw = p.stride()[1];
        int ph = p.padding()[0], pw = p.padding()[1], dh = p.dilation()[0], dw = p.dilation()[1];
        CpuBuffer xb = Elements.cpu(x, "max_pool2d"), vb = Elements.cpu(values, "max_pool2d");
        long[] idx = Elements.cpu(indices, "max_pool2d").i64();
        long[] xst = x.strides(), vst = values.strides(), ist = indices.strides();
        DType dt = x.dtype();
        if (dt == DType.FLOAT32 && x.isContiguous() && values.isContiguous() && indices.isContiguous()) {
            MaxPoolF32.run(xb.f32(), (int) x.offset(), vb.f32(), (int) values.offset(), idx, (int) indices.offset(),
                    planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw);
            return;
        }
        Parallel.forRange(planes, (long) oh * ow * kh * kw, (from, to) -> {
            for (int pl = (int) from; pl < to; pl++) {
                int n = pl / c, ch = pl % c;
                long xBase = x.offset() + n * xst[0] + ch * xst[1];
                long vBase = values.offset() + n * vst[0] + ch * vst[1];
                long iBase = indices.offset() + n * ist[0] + ch * ist[1];
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int best = -1;
                        double bestD = 0;
                        long bestL = 0;
                        boolean bestNaN = false;
                        for (int ky = 0; ky < kh && !bestNaN; ky++) {
                            int iy = oy * sh - ph + ky * dh;
                            if (iy < 0 || iy >= h) continue;
                            for (int kx = 0; kx < kw; kx++) {
                                int ix = ox * sw - pw + kx * dw;
                                if (ix < 0 || ix >= w) continue;
                                int at = (int) (xBase + iy * xst[2] + ix * xst[3]);
                                if (dt.isFloatingPoint()) {
                                    double v = dt == DType.FLOAT32 ? xb.f32()[at] : Elements.getDouble(xb, at);
                                    if (best < 0 || v > bestD || Double.isNaN(v)) {
                                        best = iy * w + ix;
                                        bestD = v;
                                        if (Double.isNaN(v)) {
                                            bestNaN = true;
                                            break;
                                        }
                                    }
                                } else {
                                    long v = Elements.getLong(xb, at);
                                    if (best < 0 || v > bestL) {
                                        best = iy * w + ix;
                                        bestL = v;
                                    }
                                }
                            }
                        }
                        int vAt = (int) (vBase + oy * vst[2] + ox * vst[3]);
                        if (dt.isFloatingPoint()) {
                            double v = best < 0 ? Double.NEGATIVE_INFINITY : bestD;
                            if (dt == DType.FLOAT32) vb.f32()[vAt] = (float) v;
                            else Elements.setDouble(vb, vAt, v);
                        } else {
                            Elements.setLong(vb, vAt, best < 0 ? Long.MIN_VALUE : bestL);
                        }
                        idx[(int) (iBase + oy * ist[2] + ox * ist[3])] = best;
                    }
                }
            }
        });
    }
}
