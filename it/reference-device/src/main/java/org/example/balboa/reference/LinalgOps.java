package org.example.balboa.reference;

import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import dev.balboa.spi.Operand;

/**
 * Matmul, convolution (forward and both backward forms) and max pooling of the reference device,
 * written as their defining loops. Sums run in double (floating) or long (integral).
 */
final class LinalgOps {
    private LinalgOps() {}

    static void matmul(Operand a, Operand b, Operand out) {
        View va = new View(a), vb = new View(b), vo = new View(out);
        DType t = a.dtype();
        if (t == DType.BOOL || b.dtype() != t) throw ReferenceBackend.unsupported("matmul", t, b.dtype());
        long batch = out.shape()[0], m = out.shape()[1], n = out.shape()[2], k = a.shape()[2];
        long[] ai = new long[3], bi = new long[3], oi = new long[3];
        for (long p = 0; p < batch; p++) {
            for (long i = 0; i < m; i++) {
                for (long j = 0; j < n; j++) {
                    double ds = 0;
                    long ls = 0;
                    for (long q = 0; q < k; q++) {
                        set(ai, p, i, q);
                        set(bi, p, q, j);
                        if (t.isFloatingPoint()) ds += va.getD(ai) * vb.getD(bi);
                        else ls += va.getL(ai) * vb.getL(bi);
                    }
                    set(oi, p, i, j);
                    if (t.isFloatingPoint()) vo.setD(oi, ds);
                    else vo.setL(oi, ls);
                }
            }
        }
    }

    private static void set(long[] idx, long... v) { System.arraycopy(v, 0, idx, 0, v.length); }

    private static void requireFloat(String op, Operand... ops) {
        for (Operand o : ops) if (!o.dtype().isFloatingPoint()) throw ReferenceBackend.unsupported(op, o.dtype());
    }

    /**
     * Calls {@code body} for every term {@code x[n, c, ih, iw] * w[o, cg, kh, kw]} that contributes
     * to {@code out[n, o, oh, ow]} of a forward convolution; the three gradients are sums of the
     * same terms grouped differently.
     */
    private static void forEachTerm(Op.Conv2d p, long[] xShape, long[] wShape, long[] outShape, Term body) {
        long batch = xShape[0], c = xShape[1], h = xShape[2], w = xShape[3];
        long o = wShape[0], cg = wShape[1], kh = wShape[2], kw = wShape[3];
        long oh = outShape[2], ow = outShape[3];
        long og = o / p.groups();
        for (long ni = 0; ni < batch; ni++)
            for (long oc = 0; oc < o; oc++)
                for (long y = 0; y < oh; y++)
                    for (long x = 0; x < ow; x++)
                        for (long ci = 0; ci < cg; ci++)
                            for (long ky = 0; ky < kh; ky++)
                                for (long kx = 0; kx < kw; kx++) {
                                    long iy = y * p.stride()[0] - p.padding()[0] + ky * p.dilation()[0];
                                    long ix = x * p.stride()[1] - p.padding()[1] + kx * p.dilation()[1];
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue; // zero padding
                                    long channel = (oc / og) * cg + ci;
                                    if (channel >= c) continue;
                                    body.accept(new long[] {ni, channel, iy, ix}, new long[] {oc, ci, ky, kx}, new long[] {ni, oc, y, x});
                                }
    }

    /** One contributing term of a convolution: indices into input, weight and output. */
    private interface Term { void accept(long[] xi, long[] wi, long[] oi); }

    /** Sums per output element in a double array indexed row-major, then stores them rounded. */
    private static void store(double[] acc, Operand out) {
        View vo = new View(out);
        View.forEach(out.shape(), idx -> vo.setD(idx, acc[(int) ElementwiseOps.flat(out.shape(), idx)]));
    }

    static void conv2d(Op.Conv2d p, Operand x, Operand w, Operand out) {
        requireFloat("conv2d", x, w, out);
        View vx = new View(x), vw = new View(w);
        double[] acc = new double[(int) View.numel(out.shape())];
        forEachTerm(p, x.shape(), w.shape(), out.shape(),
                (xi, wi, oi) -> acc[(int) ElementwiseOps.flat(out.shape(), oi)] += vx.getD(xi) * vw.getD(wi));
        store(acc, out);
    }

    static void conv2dBackwardInput(Op.Conv2dBackwardInput p, Operand gradOut, Operand w, Operand gradIn) {
        requireFloat("conv2d_backward_input", gradOut, w, gradIn);
        View vg = new View(gradOut), vw = new View(w);
        double[] acc = new double[(int) View.numel(gradIn.shape())];
        forEachTerm(new Op.Conv2d(p.stride(), p.padding(), p.dilation(), p.groups()), gradIn.shape(), w.shape(), gradOut.shape(),
                (xi, wi, oi) -> acc[(int) ElementwiseOps.flat(gradIn.shape(), xi)] += vg.getD(oi) * vw.getD(wi));
        store(acc, gradIn);
    }

    static void conv2dBackwardWeight(Op.Conv2dBackwardWeight p, Operand x, Operand gradOut, Operand gradW) {
        requireFloat("conv2d_backward_weight", x, gradOut, gradW);
        View vx = new View(x), vg = new View(gradOut);
        double[] acc = new double[(int) View.numel(gradW.shape())];
        forEachTerm(new Op.Conv2d(p.stride(), p.padding(), p.dilation(), p.groups()), x.shape(), gradW.shape(), gradOut.shape(),
                (xi, wi, oi) -> acc[(int) ElementwiseOps.flat(gradW.shape(), wi)] += vx.getD(xi) * vg.getD(oi));
        store(acc, gradW);
    }

    static void maxPool2d(Op.MaxPool2d p, Operand x, Operand values, Operand indices) {
        View vx = new View(x), vv = new View(values), vi = new View(indices);
        DType t = x.dtype();
        if (t == DType.BOOL) throw ReferenceBackend.unsupported("max_pool2d", t);
        long h = x.shape()[2], w = x.shape()[3];
        long[] xi = new long[4];
        View.forEach(values.shape(), oi -> {
            long best = -1;
            double bd = Double.NEGATIVE_INFINITY;
            long bl = Long.MIN_VALUE;
            for (long ky = 0; ky < p.kernel()[0]; ky++) {
                for (long kx = 0; kx < p.kernel()[1]; kx++) {
                    long iy = oi[2] * p.stride()[0] - p.padding()[0] + ky * p.dilation()[0];
                    long ix = oi[3] * p.stride()[1] - p.padding()[1] + kx * p.dilation()[1];
                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue; // implicit -inf padding
                    xi[0] = oi[0]; xi[1] = oi[1]; xi[2] = iy; xi[3] = ix;
                    boolean better;
                    if (t.isFloatingPoint()) {
                        double v = vx.getD(xi);
                        better = best < 0 || (!Double.isNaN(bd) && (Double.isNaN(v) || v > bd));
                        if (better) bd = v;
                    } else {
                        long v = vx.getL(xi);
                        better = best < 0 || v > bl;
                        if (better) bl = v;
                    }
                    if (better) best = iy * w + ix;
                }
            }
            if (t.isFloatingPoint()) vv.setD(oi, bd);
            else vv.setL(oi, bl);
            vi.setL(oi, best);
        });
    }
}
