package dev.balboa.tck;

import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Cases of batched matmul, convolution (forward, backward input, backward weight) and max pooling. */
final class LinalgCases {
    private LinalgCases() {}

    private static final Layout C = Layout.CONTIGUOUS, T = Layout.TRANSPOSED, S = Layout.SLICED, O = Layout.OFFSET, B = Layout.BROADCAST;

    static List<OpCase> matmul(Cases cx) {
        List<OpCase> cases = new ArrayList<>();
        long[][] shapes = { // B, M, K, N
                {1, 1, 1, 1}, {1, 17, 33, 65}, {1, 70, 130, 90}, {3, 5, 7, 4}, {2, 1, 64, 1}, {2, 16, 16, 16},
                {1, 4, 0, 3}, {2, 0, 3, 4}, {0, 2, 3, 4}};
        record V(String name, Layout a, Layout b, Layout out, boolean batchBroadcast) {}
        List<V> vs = List.of(new V("contiguous", C, C, C, false), new V("a-transposed", T, C, C, false),
                new V("b-transposed", C, T, C, false), new V("both-transposed", T, T, S, false),
                new V("sliced", S, S, O, false), new V("batch-broadcast", B, O, T, true));
        List<DType> dts = new ArrayList<>(cx.floats());
        dts.addAll(cx.ints());
        for (DType t : dts) {
            for (long[] s : shapes) {
                boolean big = s[1] * s[2] * s[3] > 100_000;
                for (V v : vs) {
                    if (big && !v.name.equals("contiguous") && !v.name.equals("both-transposed")) continue;
                    if (v.batchBroadcast && s[0] < 2) continue;
                    String name = "matmul " + t + " " + s[0] + "x" + s[1] + "x" + s[2] + "x" + s[3] + " (BxMxKxN) " + v.name;
                    Gen g = cx.gen(name);
                    boolean[] mask = v.batchBroadcast ? Cases.mask(true, false, false) : null;
                    cases.add(new OpCase(name, new Op.Matmul()).terms(s[2])
                            .in(g.tensor(t, new long[] {s[0], s[1], s[2]}, Gen.Domain.UNIT, mask), v.a, mask)
                            .in(g.tensor(t, new long[] {s[0], s[2], s[3]}, Gen.Domain.UNIT), v.b)
                            .out(t, new long[] {s[0], s[1], s[3]}, v.out));
                }
            }
        }
        return cases;
    }

    /** A convolution configuration: input [n, c, h, w], weight [o, c/groups, kh, kw]. */
    record Conv(String name, long n, long c, long h, long w, long o, long kh, long kw, int[] stride, int[] padding, int[] dilation, int groups) {
        long oh() { return (h + 2L * padding[0] - dilation[0] * (kh - 1) - 1) / stride[0] + 1; }
        long ow() { return (w + 2L * padding[1] - dilation[1] * (kw - 1) - 1) / stride[1] + 1; }
        long[] x() { return new long[] {n, c, h, w}; }
        long[] weight() { return new long[] {o, c / groups, kh, kw}; }
        long[] out() { return new long[] {n, o, oh(), ow()}; }
    }

    private static int[] p(int a, int b) { return new int[] {a, b}; }

    static final List<Conv> CONVS = List.of(
            new Conv("basic", 2, 3, 7, 7, 4, 3, 3, p(1, 1), p(0, 0), p(1, 1), 1),
            new Conv("stride2-pad1", 2, 3, 8, 8, 4, 3, 3, p(2, 2), p(1, 1), p(1, 1), 1),
            new Conv("dilation2-pad2", 1, 2, 9, 9, 3, 3, 3, p(1, 1), p(2, 2), p(2, 2), 1),
            new Conv("groups2", 2, 4, 6, 6, 6, 3, 3, p(1, 1), p(1, 1), p(1, 1), 2),
            new Conv("depthwise", 2, 4, 7, 7, 4, 3, 3, p(1, 1), p(1, 1), p(1, 1), 4),
            new Conv("depthwise-multiplier2-stride2", 1, 3, 6, 6, 6, 3, 3, p(2, 2), p(1, 1), p(1, 1), 3),
            new Conv("pointwise", 2, 8, 5, 5, 16, 1, 1, p(1, 1), p(0, 0), p(1, 1), 1),
            new Conv("asymmetric", 1, 2, 6, 9, 3, 2, 3, p(1, 2), p(1, 0), p(2, 1), 1),
            new Conv("wide", 1, 16, 12, 12, 8, 3, 3, p(1, 1), p(1, 1), p(1, 1), 1),
            new Conv("empty-batch", 0, 3, 5, 5, 2, 3, 3, p(1, 1), p(0, 0), p(1, 1), 1));

    static List<OpCase> convAndPool(Cases cx) {
        List<OpCase> cases = new ArrayList<>();
        record V(String name, Layout first, Layout second, Layout out) {}
        List<V> vs = List.of(new V("contiguous", C, C, C), new V("strided", S, T, S), new V("offset", O, O, T));
        for (DType t : cx.floats()) {
            for (Conv cv : CONVS) {
                for (V v : vs) {
                    String suffix = " " + t + " " + cv.name + " x" + Arrays.toString(cv.x()) + " w" + Arrays.toString(cv.weight()) + " " + v.name;
                    Op fwd = new Op.Conv2d(cv.stride, cv.padding, cv.dilation, cv.groups);
                    Gen g = cx.gen("conv2d" + suffix);
                    cases.add(new OpCase("conv2d" + suffix, fwd).terms(cv.c / cv.groups * cv.kh * cv.kw)
                            .in(g.tensor(t, cv.x(), Gen.Domain.UNIT), v.first).in(g.tensor(t, cv.weight(), Gen.Domain.UNIT), v.second)
                            .out(t, cv.out(), v.out));
                    Op bwdIn = new Op.Conv2dBackwardInput(cv.stride, cv.padding, cv.dilation, cv.groups);
                    g = cx.gen("conv2d_backward_input" + suffix);
                    cases.add(new OpCase("conv2d_backward_input" + suffix, bwdIn).terms(cv.o / cv.groups * cv.kh * cv.kw)
                            .in(g.tensor(t, cv.out(), Gen.Domain.UNIT), v.first).in(g.tensor(t, cv.weight(), Gen.Domain.UNIT), v.second)
                            .out(t, cv.x(), v.out));
                    Op bwdW = new Op.Conv2dBackwardWeight(cv.stride, cv.padding, cv.dilation, cv.groups);
                    g = cx.gen("conv2d_backward_weight" + suffix);
                    cases.add(new OpCase("conv2d_backward_weight" + suffix, bwdW).terms(cv.n * cv.oh() * cv.ow())
                            .in(g.tensor(t, cv.x(), Gen.Domain.UNIT), v.first).in(g.tensor(t, cv.out(), Gen.Domain.UNIT), v.second)
                            .out(t, cv.weight(), v.out));
                }
            }
            // Transposed-convolution output padding: the input gradient is larger than the forward formula implies.
            Conv cv = CONVS.get(1);
            long[] gradIn = {cv.n, cv.c, cv.h + 1, cv.w + 1};
            String name = "conv2d_backward_input " + t + " output-padding gradIn" + Arrays.toString(gradIn);
            Gen g = cx.gen(name);
            cases.add(new OpCase(name, new Op.Conv2dBackwardInput(cv.stride, cv.padding, cv.dilation, cv.groups)).terms(cv.o * cv.kh * cv.kw)
                    .in(g.tensor(t, cv.out(), Gen.Domain.UNIT), C).in(g.tensor(t, cv.weight(), Gen.Domain.UNIT), C).out(t, gradIn, C));
        }
        record Pool(String name, long[] x, int[] kernel, int[] stride, int[] padding, int[] dilation, long oh, long ow) {}
        List<Pool> pools = List.of(
                new Pool("k2s2", new long[] {2, 3, 8, 8}, p(2, 2), p(2, 2), p(0, 0), p(1, 1), 4, 4),
                new Pool("k3s1p1", new long[] {1, 2, 7, 7}, p(3, 3), p(1, 1), p(1, 1), p(1, 1), 7, 7),
                new Pool("k3s2p1d2", new long[] {1, 2, 9, 9}, p(3, 3), p(2, 2), p(1, 1), p(2, 2), 4, 4),
                new Pool("asymmetric", new long[] {1, 2, 6, 9}, p(2, 3), p(1, 2), p(0, 1), p(1, 1), 5, 5),
                new Pool("ceil-mode", new long[] {1, 1, 7, 7}, p(2, 2), p(2, 2), p(0, 0), p(1, 1), 4, 4),
                new Pool("empty", new long[] {0, 2, 5, 5}, p(2, 2), p(2, 2), p(0, 0), p(1, 1), 2, 2));
        for (DType t : cx.numeric()) {
            for (Pool pl : pools) {
                for (V v : vs) {
                    Op op = new Op.MaxPool2d(pl.kernel, pl.stride, pl.padding, pl.dilation);
                    String name = "max_pool2d " + t + " " + pl.name + " x" + Arrays.toString(pl.x) + " " + v.name;
                    long[] os = {pl.x[0], pl.x[1], pl.oh, pl.ow};
                    cases.add(new OpCase(name, op).exact(true).in(cx.gen(name).tensor(t, pl.x, Gen.Domain.GRID), v.first)
                            .out(t, os, v.out).out(DType.INT64, os, v.second == T ? S : v.out));
                }
            }
        }
        return cases;
    }
}
