package dev.balboa.tck;

import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import java.util.ArrayList;
import java.util.List;

/** Cases of the data ops: where, copy between every dtype pair, fill, arange, random, gather and scatter. */
final class DataCases {
    private DataCases() {}

    private static final Layout C = Layout.CONTIGUOUS, T = Layout.TRANSPOSED, S = Layout.SLICED, O = Layout.OFFSET;

    static List<OpCase> whereCopyFillArange(Cases cx) {
        List<OpCase> cases = new ArrayList<>();
        for (DType t : DType.values()) {
            if (!cx.dtypes.contains(t)) continue;
            // Where's output dtype is a's, not cond's: its in-place variants alias input 1.
            for (OpCase c : ElementwiseCases.variants(cx, "where " + t, new Op.Where(), new DType[] {DType.BOOL, t, t},
                    new Gen.Domain[] {Gen.Domain.GENERAL, Gen.Domain.SPECIAL, Gen.Domain.SPECIAL}, t, true)) {
                cases.add(c);
            }
            if (t != DType.BOOL) {
                OpCase c = new OpCase("where " + t + " inplace", new Op.Where()).exact(true);
                Gen g = cx.gen(c.name);
                c.in(g.tensor(DType.BOOL, new long[] {3, 4, 5}, Gen.Domain.GENERAL), T)
                        .in(g.tensor(t, new long[] {3, 4, 5}, Gen.Domain.GENERAL), S)
                        .in(g.tensor(t, new long[] {3, 4, 5}, Gen.Domain.GENERAL), C).outAliasing(1);
                cases.add(c);
            }
        }
        for (DType from : DType.values()) {
            for (DType to : DType.values()) {
                if (!cx.dtypes.contains(from) || !cx.dtypes.contains(to)) continue;
                cases.addAll(ElementwiseCases.variants(cx, "copy " + from + "->" + to, new Op.Copy(), new DType[] {from},
                        new Gen.Domain[] {copyDomain(from, to)}, to, true));
            }
        }
        for (DType t : DType.values()) {
            if (!cx.dtypes.contains(t)) continue;
            List<Op.Fill> fills = t.isFloatingPoint()
                    ? List.of(new Op.Fill(2.5, 2), new Op.Fill(-0.1, 0), new Op.Fill(Double.NaN, 0), new Op.Fill(Double.NEGATIVE_INFINITY, 0))
                    : List.of(Op.Fill.of(-7L), new Op.Fill(3.75, 300), new Op.Fill(0.0, 0), new Op.Fill(1.0, 1));
            for (Op.Fill f : fills) {
                for (Layout l : List.of(C, S, T)) {
                    cases.add(new OpCase("fill " + t + " " + f.value() + "/" + f.longValue() + " " + l, f).exact(true).out(t, new long[] {3, 4, 5}, l));
                }
                cases.add(new OpCase("fill " + t + " " + f.value() + "/" + f.longValue() + " long-rows", f).exact(true).out(t, new long[] {3, 261}, C));
                cases.add(new OpCase("fill " + t + " " + f.value() + "/" + f.longValue() + " empty", f).exact(true).out(t, new long[] {3, 0}, C));
            }
            if (t == DType.BOOL) continue;
            double[][] ranges = {{0, 1, 100}, {-3.5, 0.25, 37}, {10, -2, 13}, {0.1, 0.1, 50}, {5, 1, 0}};
            for (double[] r : ranges) {
                for (Layout l : List.of(C, S, O)) {
                    Op.Arange a = new Op.Arange(r[0], r[1]);
                    cases.add(new OpCase("arange " + t + " start " + r[0] + " step " + r[1] + " n " + (long) r[2] + " " + l, a)
                            .exact(!t.isFloatingPoint()).out(t, new long[] {(long) r[2]}, l));
                }
            }
        }
        return cases;
    }

    /** Inputs for a copy: NaN and fractions for float-to-integer, zeros for anything-to-bool, small integers where a float cannot hold the range. */
    static Gen.Domain copyDomain(DType from, DType to) {
        if (from.isFloatingPoint()) {
            if (to.isIntegral()) return to == DType.UINT8 ? Gen.Domain.COPY_UNSIGNED : Gen.Domain.COPY;
            return Gen.Domain.SPECIAL;
        }
        if (to == DType.BOOL) return Gen.Domain.GRID;
        if (to == DType.FLOAT16 || to == DType.BFLOAT16) return Gen.Domain.WIDE;
        return Gen.Domain.GENERAL;
    }

    static List<OpCase> random(Cases cx) {
        List<OpCase> cases = new ArrayList<>();
        record Shape(String name, long[] shape, Layout layout) {}
        List<Shape> shapes = List.of(new Shape("1000 contiguous", new long[] {1000}, C),
                new Shape("7x33 transposed", new long[] {7, 33}, T), new Shape("5x9 sliced", new long[] {5, 9}, S),
                new Shape("empty", new long[] {0, 3}, C));
        for (DType t : cx.floats()) {
            for (Shape s : shapes) {
                Op u1 = new Op.RandomUniform(42, 0, 0, 1), u2 = new Op.RandomUniform(7, 1000, -3, 5);
                Op n1 = new Op.RandomNormal(42, 0, 0, 1), n2 = new Op.RandomNormal(9, 123456789L, 2, 0.5);
                for (Op op : List.of(u1, u2, n1, n2)) {
                    boolean uniform = op instanceof Op.RandomUniform;
                    cases.add(new OpCase(op.name() + " " + t + " " + op + " " + s.name, op).exact(uniform).out(t, s.shape, s.layout));
                }
            }
        }
        return cases;
    }

    static List<OpCase> gatherScatter(Cases cx) {
        List<OpCase> cases = new ArrayList<>();
        long[] xs = {4, 5, 6};
        for (DType t : DType.values()) {
            if (!cx.dtypes.contains(t) || !cx.dtypes.contains(DType.INT64)) continue;
            for (int axis = 0; axis < 3; axis++) {
                boolean[] bc = new boolean[3];
                bc[(axis + 1) % 3] = true;
                for (long len : new long[] {3, 7, 0}) {
                    long[] is = xs.clone();
                    is[axis] = len;
                    String base = "gather " + t + " axis " + axis + " index length " + len;
                    Op op = new Op.Gather(axis);
                    Gen g = cx.gen(base);
                    cases.add(new OpCase(base + " contiguous", op).exact(true)
                            .in(g.tensor(t, xs, Gen.Domain.GENERAL), C).in(g.indices(is, xs[axis], null), C).out(t, is, C));
                    if (len == 0) continue;
                    cases.add(new OpCase(base + " strided", op).exact(true)
                            .in(g.tensor(t, xs, Gen.Domain.GENERAL), T).in(g.indices(is, xs[axis], null), S).out(t, is, S));
                    cases.add(new OpCase(base + " index-broadcast", op).exact(true)
                            .in(g.tensor(t, xs, Gen.Domain.GENERAL), O).in(g.indices(is, xs[axis], bc), Layout.BROADCAST, bc).out(t, is, T));
                }
                for (Op.ScatterMode mode : Op.ScatterMode.values()) {
                    if (mode == Op.ScatterMode.ADD && t == DType.BOOL) continue;
                    Op op = new Op.Scatter(axis, mode);
                    String base = op.name() + " " + t + " axis " + axis;
                    record V(String name, long[] shape, Layout out, Layout src, Layout index, boolean broadcast) {}
                    for (V v : List.of(new V("contiguous", xs, C, C, C, false), new V("strided", xs, S, T, O, false),
                            new V("index-broadcast", xs, T, S, Layout.BROADCAST, true), new V("empty", new long[] {4, 0, 6}, C, C, C, false))) {
                        Gen g = cx.gen(base + " " + v.name);
                        boolean[] mask = v.broadcast ? bc : null;
                        HostTensor index = mode == Op.ScatterMode.REPLACE
                                ? permutations(g, v.shape, axis, mask) : g.indices(v.shape, v.shape[axis], mask);
                        OpCase c = new OpCase(base + " " + v.name, op)
                                .in(index, v.index, mask).in(g.tensor(t, v.shape, Gen.Domain.UNIT), v.src)
                                .outWithBase(g.tensor(t, v.shape, Gen.Domain.UNIT), v.out);
                        c.exact(mode == Op.ScatterMode.REPLACE).terms(mode == Op.ScatterMode.ADD ? v.shape[axis] + 1 : 1);
                        cases.add(c);
                    }
                }
            }
        }
        return cases;
    }

    /** Indices that are a random permutation of {@code [0, shape[axis])} along every line of {@code axis} (unique targets). */
    static HostTensor permutations(Gen g, long[] shape, int axis, boolean[] broadcast) {
        long[] small = shape.clone();
        if (broadcast != null) for (int k = 0; k < small.length; k++) if (broadcast[k]) small[k] = Math.min(1, small[k]);
        HostTensor h = new HostTensor(DType.INT64, small);
        long[] lines = small.clone();
        lines[axis] = Math.min(1, lines[axis]);
        long[] lineStarts = Runner.positions(lines, dev.balboa.spi.Operand.contiguousStrides(small), 0);
        long step = dev.balboa.spi.Operand.contiguousStrides(small)[axis];
        int n = (int) small[axis];
        for (long start : lineStarts) {
            int[] perm = new int[n];
            for (int i = 0; i < n; i++) perm[i] = i;
            for (int i = n - 1; i > 0; i--) {
                int j = g.nextInt(i + 1);
                int tmp = perm[i]; perm[i] = perm[j]; perm[j] = tmp;
            }
            for (int i = 0; i < n; i++) h.l[(int) (start + i * step)] = perm[i];
        }
        return Gen.expand(h, shape);
    }
}
