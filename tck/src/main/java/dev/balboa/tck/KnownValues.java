package dev.balboa.tck;

import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Closed-form checks run on the device under test alone: results known without any reference
 * (sums of ranges, identity and delta kernels, known permutations, rounding and casting rules,
 * statistics of the random ops), so the kit is not only a comparison of two devices.
 */
final class KnownValues {
    /**
     * A case and its expected outputs (null entries are not checked), compared with
     * {@code tolerance} for floating outputs; a null tolerance means a statistical check of output 0.
     */
    record Check(OpCase c, List<HostTensor> expected, Tolerance tolerance) {}

    private static final DType F32 = DType.FLOAT32, I64 = DType.INT64, BOOL = DType.BOOL;
    private static final Layout C = Layout.CONTIGUOUS;
    private final Set<DType> dtypes;
    private final List<Check> checks = new ArrayList<>();

    KnownValues(Set<DType> dtypes) { this.dtypes = dtypes; }

    private static long[] s(long... shape) { return shape; }

    private static HostTensor t(DType dt, long[] shape, double... v) { return Gen.of(dt, shape, v); }

    private void exact(OpCase c, HostTensor... expected) { checks.add(new Check(c, Arrays.asList(expected), Tolerance.EXACT)); }

    private void close(OpCase c, Tolerance tol, HostTensor... expected) { checks.add(new Check(c, Arrays.asList(expected), tol)); }

    private static HostTensor range(DType dt, long n) {
        HostTensor h = new HostTensor(dt, s(n));
        for (int i = 0; i < n; i++) h.setL(i, i);
        return h;
    }

    List<Check> checks() {
        // Sums of 0..n-1 are n(n-1)/2, exactly representable here.
        exact(new OpCase("sum of arange(1000) float32 = 499500", new Op.Reduce(Op.ReduceFn.SUM, new int[] {0})).in(range(F32, 1000), C).out(F32, s(1), C),
                t(F32, s(1), 499500));
        exact(new OpCase("sum of arange(100000) int64 = 4999950000", new Op.Reduce(Op.ReduceFn.SUM, new int[] {0})).in(range(I64, 100000), C).out(I64, s(1), C),
                t(I64, s(1), 4999950000.0));
        exact(new OpCase("arange(0, 1) of 1000 float32 is 0..999", new Op.Arange(0, 1)).out(F32, s(1000), C), range(F32, 1000));
        exact(new OpCase("arange(-3, 0.5) of 5 int64 truncates toward zero", new Op.Arange(-3, 0.5)).out(I64, s(5), C), t(I64, s(5), -3, -2, -2, -1, -1));
        exact(new OpCase("cumsum of 100 ones float32 is 1..100", new Op.Scan(Op.ScanFn.SUM, 0)).in(Gen.of(F32, s(100), ones(100)), C).out(F32, s(100), C),
                Gen.of(F32, s(100), rangeFrom(1, 100)));
        exact(new OpCase("prod of 1..5 int64 = 120", new Op.Reduce(Op.ReduceFn.PROD, new int[] {0})).in(t(I64, s(5), 1, 2, 3, 4, 5), C).out(I64, s(1), C), t(I64, s(1), 120));
        exact(new OpCase("sum over an empty axis is 0", new Op.Reduce(Op.ReduceFn.SUM, new int[] {1})).in(new HostTensor(F32, s(2, 0)), C).out(F32, s(2, 1), C), t(F32, s(2, 1), 0, 0));
        exact(new OpCase("prod over an empty axis is 1", new Op.Reduce(Op.ReduceFn.PROD, new int[] {1})).in(new HostTensor(F32, s(2, 0)), C).out(F32, s(2, 1), C), t(F32, s(2, 1), 1, 1));
        exact(new OpCase("any/all over an empty axis are false/true (any)", new Op.Reduce(Op.ReduceFn.ANY, new int[] {0})).in(new HostTensor(BOOL, s(0)), C).out(BOOL, s(1), C), t(BOOL, s(1), 0));
        exact(new OpCase("any/all over an empty axis are false/true (all)", new Op.Reduce(Op.ReduceFn.ALL, new int[] {0})).in(new HostTensor(BOOL, s(0)), C).out(BOOL, s(1), C), t(BOOL, s(1), 1));
        exact(new OpCase("max propagates NaN", new Op.Reduce(Op.ReduceFn.MAX, new int[] {0})).in(t(F32, s(4), 1, Double.NaN, 3, 2), C).out(F32, s(1), C), t(F32, s(1), Double.NaN));

        // Matmul: identity on either side, a known 2x2 product, and K = 0.
        HostTensor a = new Gen(1, "identity").tensor(F32, s(1, 17, 33), Gen.Domain.GENERAL);
        HostTensor eye = new HostTensor(F32, s(1, 33, 33));
        for (int i = 0; i < 33; i++) eye.d[i * 33 + i] = 1;
        exact(new OpCase("matmul A x I = A (17x33)", new Op.Matmul()).in(a, C).in(eye, C).out(F32, s(1, 17, 33), C), a);
        exact(new OpCase("matmul [[1,2],[3,4]] x [[5,6],[7,8]] = [[19,22],[43,50]]", new Op.Matmul())
                .in(t(F32, s(1, 2, 2), 1, 2, 3, 4), C).in(t(F32, s(1, 2, 2), 5, 6, 7, 8), C).out(F32, s(1, 2, 2), C), t(F32, s(1, 2, 2), 19, 22, 43, 50));
        exact(new OpCase("matmul int64 [[1,2],[3,4]] x [[5,6],[7,8]]", new Op.Matmul())
                .in(t(I64, s(1, 2, 2), 1, 2, 3, 4), C).in(t(I64, s(1, 2, 2), 5, 6, 7, 8), C).out(I64, s(1, 2, 2), C), t(I64, s(1, 2, 2), 19, 22, 43, 50));
        exact(new OpCase("matmul with K = 0 gives zeros", new Op.Matmul()).in(new HostTensor(F32, s(1, 2, 0)), C).in(new HostTensor(F32, s(1, 0, 3)), C).out(F32, s(1, 2, 3), C),
                new HostTensor(F32, s(1, 2, 3)));

        // Convolution: a delta kernel with padding 1 is the identity; a ones kernel counts neighbours.
        HostTensor x = new Gen(2, "delta").tensor(F32, s(1, 2, 6, 6), Gen.Domain.GENERAL);
        HostTensor delta = new HostTensor(F32, s(2, 2, 3, 3));
        delta.d[0 * 18 + 0 * 9 + 4] = 1;
        delta.d[1 * 18 + 1 * 9 + 4] = 1;
        exact(new OpCase("conv2d with a delta kernel is the identity", new Op.Conv2d(new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1))
                .in(x, C).in(delta, C).out(F32, s(1, 2, 6, 6), C), x);
        exact(new OpCase("conv2d of ones with a ones kernel counts neighbours", new Op.Conv2d(new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1))
                .in(Gen.of(F32, s(1, 1, 4, 4), ones(16)), C).in(Gen.of(F32, s(1, 1, 3, 3), ones(9)), C).out(F32, s(1, 1, 4, 4), C),
                t(F32, s(1, 1, 4, 4), 4, 6, 6, 4, 6, 9, 9, 6, 6, 9, 9, 6, 4, 6, 6, 4));
        exact(new OpCase("conv2d_backward_weight of a delta gradient picks the input window",
                new Op.Conv2dBackwardWeight(new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1))
                .in(t(F32, s(1, 1, 3, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9), C).in(t(F32, s(1, 1, 2, 2), 0, 0, 0, 1), C).out(F32, s(1, 1, 2, 2), C),
                t(F32, s(1, 1, 2, 2), 5, 6, 8, 9));
        exact(new OpCase("conv2d_backward_input of a delta gradient places the kernel",
                new Op.Conv2dBackwardInput(new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1))
                .in(t(F32, s(1, 1, 2, 2), 0, 0, 0, 1), C).in(t(F32, s(1, 1, 2, 2), 1, 2, 3, 4), C).out(F32, s(1, 1, 3, 3), C),
                t(F32, s(1, 1, 3, 3), 0, 0, 0, 0, 1, 2, 0, 3, 4));
        exact(new OpCase("max_pool2d 2x2 of arange(16) as 4x4", new Op.MaxPool2d(new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}))
                .in(Gen.of(F32, s(1, 1, 4, 4), rangeFrom(0, 16)), C).out(F32, s(1, 1, 2, 2), C).out(I64, s(1, 1, 2, 2), C),
                t(F32, s(1, 1, 2, 2), 5, 7, 13, 15), t(I64, s(1, 1, 2, 2), 5, 7, 13, 15));

        // Sort, arg-reductions, gather, scatter on known data.
        double[] perm = {7, 2, 9, 0, 4, 1, 8, 3, 6, 5};
        exact(new OpCase("sort of a permutation of 0..9", new Op.Sort(0, false)).in(Gen.of(F32, s(10), perm), C).out(F32, s(10), C).out(I64, s(10), C),
                Gen.of(F32, s(10), rangeFrom(0, 10)), t(I64, s(10), 3, 5, 1, 7, 4, 9, 8, 0, 6, 2));
        exact(new OpCase("sort descending is stable and puts NaN first", new Op.Sort(0, true)).in(t(F32, s(5), 1, Double.NaN, 2, 1, 2), C).out(F32, s(5), C).out(I64, s(5), C),
                t(F32, s(5), Double.NaN, 2, 2, 1, 1), t(I64, s(5), 1, 2, 4, 0, 3));
        exact(new OpCase("argmax takes the first maximum", new Op.ArgReduce(Op.ArgFn.MAX, 0)).in(t(F32, s(8), 3, 1, 4, 1, 5, 9, 2, 9), C).out(F32, s(1), C).out(I64, s(1), C),
                t(F32, s(1), 9), t(I64, s(1), 5));
        exact(new OpCase("argmin takes the first minimum", new Op.ArgReduce(Op.ArgFn.MIN, 0)).in(t(I64, s(8), 3, 1, 4, 1, 5, 9, 2, 6), C).out(I64, s(1), C).out(I64, s(1), C),
                t(I64, s(1), 1), t(I64, s(1), 1));
        exact(new OpCase("gather picks by index", new Op.Gather(0)).in(t(F32, s(4), 10, 20, 30, 40), C).in(t(I64, s(4), 3, 0, 0, 2), C).out(F32, s(4), C),
                t(F32, s(4), 40, 10, 10, 30));
        exact(new OpCase("scatter_add adds every contribution", new Op.Scatter(0, Op.ScatterMode.ADD)).in(t(I64, s(4), 0, 1, 0, 3), C).in(t(F32, s(4), 1, 2, 3, 4), C)
                .outWithBase(t(F32, s(4), 100, 0, 0, 0), C), t(F32, s(4), 104, 2, 0, 4));
        exact(new OpCase("where selects", new Op.Where()).in(t(BOOL, s(3), 1, 0, 1), C).in(t(F32, s(3), 1, 2, 3), C).in(t(F32, s(3), -1, -2, -3), C).out(F32, s(3), C),
                t(F32, s(3), 1, -2, 3));

        // Rounding, division and cast rules.
        exact(new OpCase("round is half to even", new Op.Unary(Op.UnaryFn.ROUND)).in(t(F32, s(6), 0.5, 1.5, 2.5, -0.5, -1.5, 2.4), C).out(F32, s(6), C),
                t(F32, s(6), 0, 2, 2, -0.0, -2, 2));
        exact(new OpCase("integer division floors", new Op.Binary(Op.BinaryFn.DIV)).in(t(I64, s(4), -7, 7, -7, 7), C).in(t(I64, s(4), 2, 2, -2, -2), C).out(I64, s(4), C),
                t(I64, s(4), -4, 3, 3, -4));
        exact(new OpCase("integer pow is exact", new Op.Binary(Op.BinaryFn.POW)).in(t(I64, s(4), 3, -2, 1, -1), C).in(t(I64, s(4), 20, 3, -5, -3), C).out(I64, s(4), C),
                t(I64, s(4), 3486784401.0, -8, 1, -1));
        exact(new OpCase("copy float32 to int32 truncates, NaN gives 0", new Op.Copy()).in(t(F32, s(4), -2.7, 2.7, Double.NaN, -0.5), C).out(DType.INT32, s(4), C),
                t(DType.INT32, s(4), -2, 2, 0, 0));
        exact(new OpCase("copy int32 to uint8 wraps", new Op.Copy()).in(t(DType.INT32, s(3), 300, -1, 256), C).out(DType.UINT8, s(3), C), t(DType.UINT8, s(3), 44, 255, 0));
        exact(new OpCase("copy to bool is x != 0", new Op.Copy()).in(t(F32, s(4), 0, -0.0, 0.1, Double.NaN), C).out(BOOL, s(4), C), t(BOOL, s(4), 0, 0, 1, 1));
        exact(new OpCase("copy float32 to float16 rounds to nearest even", new Op.Copy()).in(t(F32, s(4), 1.0 / 3, 65520, 1 + 0x1p-11, 1 + 3 * 0x1p-11), C).out(DType.FLOAT16, s(4), C),
                t(DType.FLOAT16, s(4), 0.333251953125, Double.POSITIVE_INFINITY, 1, 1 + 0x1p-9));
        exact(new OpCase("copy float32 to bfloat16 rounds to nearest even", new Op.Copy()).in(t(F32, s(3), 1 + 0x1p-8, 1 + 3 * 0x1p-8, 1 + 0x1p-7 + 0x1p-9), C).out(DType.BFLOAT16, s(3), C),
                t(DType.BFLOAT16, s(3), 1, 1 + 0x1p-6, 1 + 0x1p-7));
        exact(new OpCase("fill 3.5", new Op.Fill(3.5, 3)).out(F32, s(2, 3), C), t(F32, s(2, 3), 3.5, 3.5, 3.5, 3.5, 3.5, 3.5));

        // Math functions at known points.
        Tolerance f32 = Tolerance.defaultFor(F32);
        close(new OpCase("exp, log, sqrt, sin, cos at known points (exp)", new Op.Unary(Op.UnaryFn.EXP)).in(t(F32, s(3), 0, 1, -1), C).out(F32, s(3), C), f32,
                t(F32, s(3), 1, Math.E, 1 / Math.E));
        close(new OpCase("exp, log, sqrt, sin, cos at known points (log)", new Op.Unary(Op.UnaryFn.LOG)).in(t(F32, s(3), 1, Math.E, 0), C).out(F32, s(3), C), f32,
                t(F32, s(3), 0, 1, Double.NEGATIVE_INFINITY));
        close(new OpCase("exp, log, sqrt, sin, cos at known points (sqrt)", new Op.Unary(Op.UnaryFn.SQRT)).in(t(F32, s(3), 4, 2, -1), C).out(F32, s(3), C), f32,
                t(F32, s(3), 2, Math.sqrt(2), Double.NaN));
        close(new OpCase("exp, log, sqrt, sin, cos at known points (sin)", new Op.Unary(Op.UnaryFn.SIN)).in(t(F32, s(2), 0, Math.PI / 2), C).out(F32, s(2), C), f32, t(F32, s(2), 0, 1));
        close(new OpCase("sigmoid(0) = 0.5, tanh(0) = 0", new Op.Unary(Op.UnaryFn.SIGMOID)).in(t(F32, s(3), 0, 100, -100), C).out(F32, s(3), C), f32, t(F32, s(3), 0.5, 1, 0));
        close(new OpCase("erf at 0, 0.5, 1, 2, -1", new Op.Unary(Op.UnaryFn.ERF)).in(t(F32, s(5), 0, 0.5, 1, 2, -1), C).out(F32, s(5), C), f32,
                t(F32, s(5), 0, 0.5204998778130465, 0.8427007929497149, 0.9953222650189527, -0.8427007929497149));

        // Random numbers: right range and moments.
        checks.add(new Check(new OpCase("random_uniform float32 lies in [2, 3) with mean 2.5", new Op.RandomUniform(11, 0, 2, 3)).out(F32, s(20000), C),
                java.util.Collections.singletonList(null), null));
        checks.add(new Check(new OpCase("random_normal float32 has mean 1 and std 2", new Op.RandomNormal(12, 0, 1, 2)).out(F32, s(20000), C),
                java.util.Collections.singletonList(null), null));
        return checks.stream().filter(k -> dtypes.containsAll(k.c().dtypes())).toList();
    }

    /** Statistical checks of the random cases (those registered without expected values). */
    static void checkMoments(OpCase c, HostTensor out) {
        double sum = 0, sq = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < out.numel(); i++) {
            double v = out.d[i];
            sum += v;
            sq += v * v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = sum / out.numel(), std = Math.sqrt(sq / out.numel() - mean * mean);
        if (c.op instanceof Op.RandomUniform u) {
            if (!(min >= u.low() && max < u.high() && Math.abs(mean - (u.low() + u.high()) / 2) < 0.01)) {
                throw new AssertionError(c.name + ": min " + min + ", max " + max + ", mean " + mean);
            }
        } else if (c.op instanceof Op.RandomNormal n) {
            if (!(Math.abs(mean - n.mean()) < 0.05 && Math.abs(std - n.std()) < 0.05)) {
                throw new AssertionError(c.name + ": mean " + mean + ", std " + std);
            }
        }
    }

    private static double[] ones(int n) {
        double[] v = new double[n];
        Arrays.fill(v, 1);
        return v;
    }

    private static double[] rangeFrom(int start, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = start + i;
        return v;
    }
}
