package dev.balboa.device.cpu.internal;

import static dev.balboa.device.cpu.internal.Tensors.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.balboa.spi.DType;
import dev.balboa.spi.Op.BinaryFn;
import dev.balboa.spi.Operand;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Binary ops of an NCHW tensor with a per-channel [1,C,1,1] operand (the batch-norm layout),
 * which run on the plane path of {@link ElementwiseKernels}: every plane size 1..33, several
 * channel counts, either operand broadcast, offsets, and output aliasing the full operand;
 * checked against a float64 oracle.
 */
class PlaneBroadcastTest {

    static final BinaryFn[] FNS = {BinaryFn.ADD, BinaryFn.SUB, BinaryFn.MUL, BinaryFn.DIV,
            BinaryFn.MAXIMUM, BinaryFn.MINIMUM, BinaryFn.POW};

    /** A contiguous [n,c,h,w] view at offset 3 inside a larger buffer, holding random values. */
    static Operand offsetFull(DType t, Random r, long... shape) {
        long n = numel(shape);
        Operand base = random(t, r, n + 5);
        long[] st = new long[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) { st[d] = s; s *= shape[d]; }
        return view(base, shape, st, 3);
    }

    /** The per-channel values of c channels seen as [n,c,h,w] with strides (0,1,0,0) at offset 1. */
    static Operand perChannel(DType t, Random r, long[] shape) {
        Operand v = random(t, r, shape[1] + 1);
        return view(v, shape, new long[] {0, 1, 0, 0}, 1);
    }

    static double[] snapshot(Operand o) {
        long n = numel(o.shape());
        double[] v = new double[(int) n];
        for (int i = 0; i < n; i++) v[i] = d(o, i);
        return v;
    }

    static void check(BinaryFn fn, DType t, double[] xs, double[] ys, Operand out, String what) {
        for (int i = 0; i < xs.length; i++) {
            double want = round(t, ElementwiseKernelsTest.binaryOracle(fn, xs[i], ys[i], false));
            double tol = fn == BinaryFn.POW && t == DType.FLOAT32 ? 1e-5 : tol(t);
            double got = d(out, i);
            if (!close(want, got, tol)) {
                fail(fn + " " + t + " " + what + " element " + i + ": " + xs[i] + ", " + ys[i] + " want " + want + " got " + got);
            }
        }
    }

    void runShape(DType t, Random r, long[] shape) {
        String what = java.util.Arrays.toString(shape);
        for (BinaryFn fn : FNS) {
            // y per-channel, fresh output
            Operand x = offsetFull(t, r, shape), y = perChannel(t, r, shape), out = zeros(t, shape);
            if (fn == BinaryFn.POW) Access.of(x).setD(3, 0.5);
            double[] xs = snapshot(x), ys = snapshot(y);
            ElementwiseKernels.binary(fn, x, y, out);
            check(fn, t, xs, ys, out, what + " y broadcast");
            // x per-channel, fresh output
            ElementwiseKernels.binary(fn, y, x, out);
            check(fn, t, ys, xs, out, what + " x broadcast");
            // in place: out aliases the full operand
            ElementwiseKernels.binary(fn, x, y, x);
            check(fn, t, xs, ys, x, what + " in place, y broadcast");
            Operand x2 = offsetFull(t, r, shape);
            double[] x2s = snapshot(x2);
            ElementwiseKernels.binary(fn, y, x2, x2);
            check(fn, t, ys, x2s, x2, what + " in place, x broadcast");
        }
    }

    @Test
    void everyPlaneSizeAndChannelCount() {
        Random r = new Random(11);
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int plane = 1; plane <= 33; plane++) {
                for (int c : new int[] {1, 3, 7}) {
                    runShape(t, r, new long[] {2, c, 1, plane});
                }
            }
            runShape(t, r, new long[] {3, 5, 3, 3});
            runShape(t, r, new long[] {1, 4, 5, 7});
        }
    }

    @Test
    void manyPlanesSplitAcrossThreadsAndBlocks() {
        Random r = new Random(12);
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            runShape(t, r, new long[] {16, 160, 4, 4});   // 40960 elements: parallel, several scratch blocks
            runShape(t, r, new long[] {4, 37, 9, 9});     // 81-element planes, blocks not a multiple of the plane
            runShape(t, r, new long[] {2, 3, 32, 32});    // 1024-element planes: one plane per block
            runShape(t, r, new long[] {2, 3, 40, 40});    // longer planes take the general path
        }
    }
}
