package dev.balboa.tck;

import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Cases of reductions, arg-reductions, scans and sort: several axes, layouts, wider outputs and empty axes. */
final class ReductionCases {
    private ReductionCases() {}

    private static final Layout C = Layout.CONTIGUOUS, T = Layout.TRANSPOSED, S = Layout.SLICED, O = Layout.OFFSET, B = Layout.BROADCAST;
    private static final long[] X = {4, 5, 6};

    private static long[] reducedShape(long[] shape, int[] axes) {
        long[] out = shape.clone();
        for (int a : axes) out[a] = 1;
        return out;
    }

    private static long terms(long[] shape, int[] axes) {
        long k = 1;
        for (int a : axes) k *= shape[a];
        return k;
    }

    private static List<DType> dtypesFor(Cases cx, Op.ReduceFn fn) {
        return switch (fn) {
            case ANY, ALL -> cx.dtypes.contains(DType.BOOL) ? List.of(DType.BOOL) : List.of();
            default -> cx.numeric();
        };
    }

    private static Gen.Domain domainFor(Op.ReduceFn fn) {
        return switch (fn) {
            case SUM -> Gen.Domain.UNIT;
            case PROD, ALL -> Gen.Domain.PROD;
            case MAX, MIN -> Gen.Domain.GRID;
            case ANY -> Gen.Domain.UNIT;
        };
    }

    static List<OpCase> reduce(Cases cx) {
        List<OpCase> cases = new ArrayList<>();
        record V(String name, long[] shape, int[] axes, Layout in, boolean[] mask, Layout out, boolean wider) {}
        boolean[] m0 = Cases.mask(true, false, false);
        for (Op.ReduceFn fn : Op.ReduceFn.values()) {
            boolean accumulates = fn == Op.ReduceFn.SUM || fn == Op.ReduceFn.PROD;
            List<V> vs = new ArrayList<>(List.of(
                    new V("contiguous", X, new int[] {0}, C, null, C, false),
                    new V("contiguous", X, new int[] {1}, C, null, C, false),
                    new V("contiguous", X, new int[] {2}, C, null, C, false),
                    new V("contiguous", X, new int[] {0, 2}, C, null, C, false),
                    new V("contiguous", X, new int[] {0, 1, 2}, C, null, C, false),
                    new V("transposed", X, new int[] {1}, T, null, S, false),
                    new V("transposed", X, new int[] {0, 2}, T, null, C, false),
                    new V("sliced", X, new int[] {2}, S, null, O, false),
                    new V("sliced", X, new int[] {0, 1, 2}, S, null, C, false),
                    new V("broadcast", X, new int[] {0}, B, m0, C, false),
                    new V("broadcast", X, new int[] {0, 1}, B, m0, T, false),
                    new V("long", new long[] {3, 1000}, new int[] {1}, C, null, C, false),
                    new V("long", new long[] {2000}, new int[] {0}, S, null, C, false),
                    new V("empty-output", new long[] {4, 0, 6}, new int[] {0}, C, null, C, false)));
            if (fn != Op.ReduceFn.MAX && fn != Op.ReduceFn.MIN) {
                vs.add(new V("empty-axes", new long[] {4, 0, 6}, new int[] {1}, C, null, C, false));
                vs.add(new V("empty-axes", new long[] {0, 3}, new int[] {0, 1}, C, null, C, false));
            }
            if (accumulates) {
                vs.add(new V("wider-output", X, new int[] {1}, C, null, C, true));
                vs.add(new V("wider-output", X, new int[] {0, 1, 2}, T, null, C, true));
                vs.add(new V("wider-output", new long[] {3, 1000}, new int[] {1}, C, null, C, true));
            }
            List<DType> dts = new ArrayList<>(dtypesFor(cx, fn));
            if (fn == Op.ReduceFn.SUM && cx.dtypes.contains(DType.BOOL)) dts.add(DType.BOOL); // sums of bools count, into int64
            for (DType t : dts) {
                for (V v : vs) {
                    boolean boolSum = t == DType.BOOL && fn == Op.ReduceFn.SUM;
                    if (boolSum && !v.wider) continue;
                    DType out = v.wider ? Cases.wider(t) : t;
                    if (out == null || !cx.dtypes.contains(out)) continue;
                    Op op = new Op.Reduce(fn, v.axes);
                    String name = op.name() + " " + t + (out != t ? "->" + out : "") + " axes " + Arrays.toString(v.axes)
                            + " " + Arrays.toString(v.shape) + " " + v.name;
                    Gen g = cx.gen(name);
                    cases.add(new OpCase(name, op).in(g.tensor(t, v.shape, domainFor(fn), v.mask), v.in, v.mask)
                            .out(out, reducedShape(v.shape, v.axes), v.out)
                            .exact(!accumulates).terms(accumulates ? terms(v.shape, v.axes) : 1));
                }
            }
        }
        return cases;
    }

    static List<OpCase> argScanSort(Cases cx) {
        List<OpCase> cases = new ArrayList<>();
        record V(String name, long[] shape, int axis, Layout in, boolean[] mask, Layout out) {}
        List<V> vs = List.of(
                new V("contiguous", X, 0, C, null, C), new V("contiguous", X, 1, C, null, C), new V("contiguous", X, 2, C, null, C),
                new V("transposed", X, 1, T, null, S), new V("sliced", X, 2, S, null, T), new V("offset", X, 0, O, null, O),
                new V("broadcast", X, 0, B, Cases.mask(true, false, false), C),
                new V("broadcast", X, 2, B, Cases.mask(false, true, true), T),
                new V("long", new long[] {3, 300}, 1, C, null, C));
        List<V> empties = List.of(new V("empty", new long[] {4, 0, 6}, 0, C, null, C), new V("empty", new long[] {4, 0, 6}, 1, C, null, C));
        for (DType t : cx.numeric()) {
            for (Op.ArgFn fn : Op.ArgFn.values()) {
                for (V v : vs) {
                    Op op = new Op.ArgReduce(fn, v.axis);
                    String name = op.name() + " " + t + " axis " + v.axis + " " + Arrays.toString(v.shape) + " " + v.name;
                    Gen g = cx.gen(name);
                    long[] os = v.shape.clone();
                    os[v.axis] = 1;
                    cases.add(new OpCase(name, op).exact(true).in(g.tensor(t, v.shape, Gen.Domain.GRID, v.mask), v.in, v.mask)
                            .out(t, os, v.out).out(DType.INT64, os, v.out));
                }
                Op op = new Op.ArgReduce(fn, 1);
                String name = op.name() + " " + t + " empty-output";
                cases.add(new OpCase(name, op).exact(true).in(cx.gen(name).tensor(t, new long[] {0, 5}, Gen.Domain.GRID), C)
                        .out(t, new long[] {0, 1}, C).out(DType.INT64, new long[] {0, 1}, C));
            }
            for (Op.ScanFn fn : Op.ScanFn.values()) {
                List<V> scanVariants = new ArrayList<>(vs);
                scanVariants.addAll(empties);
                for (V v : scanVariants) {
                    for (boolean wider : new boolean[] {false, true}) {
                        DType out = wider ? Cases.wider(t) : t;
                        if (out == null || !cx.dtypes.contains(out) || (wider && !v.name.equals("contiguous") && !v.name.equals("long"))) continue;
                        if (fn == Op.ScanFn.PROD && v.name.equals("long")) continue;
                        Op op = new Op.Scan(fn, v.axis);
                        String name = op.name() + " " + t + (wider ? "->" + out : "") + " axis " + v.axis + " " + Arrays.toString(v.shape) + " " + v.name;
                        Gen g = cx.gen(name);
                        cases.add(new OpCase(name, op).terms(v.shape[v.axis])
                                .in(g.tensor(t, v.shape, fn == Op.ScanFn.SUM ? Gen.Domain.UNIT : Gen.Domain.PROD, v.mask), v.in, v.mask)
                                .out(out, v.shape, v.out));
                    }
                }
            }
            List<V> sortVariants = new ArrayList<>(vs);
            sortVariants.addAll(empties);
            for (V v : sortVariants) {
                for (boolean descending : new boolean[] {false, true}) {
                    Op op = new Op.Sort(v.axis, descending);
                    String name = "sort " + t + (descending ? " descending" : " ascending") + " axis " + v.axis + " " + Arrays.toString(v.shape) + " " + v.name;
                    Gen g = cx.gen(name);
                    cases.add(new OpCase(name, op).exact(true).in(g.tensor(t, v.shape, Gen.Domain.GRID, v.mask), v.in, v.mask)
                            .out(t, v.shape, v.out).out(DType.INT64, v.shape, v.out));
                }
            }
        }
        return cases;
    }
}
