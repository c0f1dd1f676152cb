package dev.balboa.tck;

import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import dev.balboa.spi.Op.BinaryFn;
import dev.balboa.spi.Op.UnaryFn;
import java.util.ArrayList;
import java.util.List;

/**
 * Cases of the elementwise ops (unary and binary functions, and the layout variants shared with
 * where): every function, every dtype it is defined for, every layout variant.
 */
final class ElementwiseCases {
    private ElementwiseCases() {}

    private static final long[] SHAPE = {3, 4, 5};

    /** Stride-0 dimensions of input {@code i} in the broadcast variant. */
    private static boolean[] broadcastMask(int i) {
        return switch (i % 3) {
            case 0 -> Cases.mask(true, false, false);
            case 1 -> Cases.mask(false, false, true);
            default -> Cases.mask(true, true, false);
        };
    }

    /**
     * Builds the layout variants of one elementwise op: contiguous, rank 0, long rows (vector
     * tails), offset, transposed, sliced, broadcast, empty, mixed layouts, and (when the output
     * dtype is that of input 0) in place, contiguous and sliced.
     */
    static List<OpCase> variants(Cases cx, String label, Op op, DType[] in, Gen.Domain[] doms, DType out, boolean exact) {
        List<OpCase> cases = new ArrayList<>();
        record V(String name, long[] shape, Layout[] ins, Layout out, boolean broadcast, int alias) {}
        Layout C = Layout.CONTIGUOUS, T = Layout.TRANSPOSED, S = Layout.SLICED, O = Layout.OFFSET, B = Layout.BROADCAST;
        List<V> vs = new ArrayList<>(List.of(
                new V("contiguous", SHAPE, new Layout[] {C, C, C}, C, false, -1),
                new V("rank0", new long[0], new Layout[] {C, C, C}, C, false, -1),
                new V("long-rows", new long[] {3, 261}, new Layout[] {C, C, C}, C, false, -1),
                new V("offset", SHAPE, new Layout[] {O, O, O}, O, false, -1),
                new V("transposed", SHAPE, new Layout[] {T, T, T}, C, false, -1),
                new V("sliced", SHAPE, new Layout[] {S, S, S}, S, false, -1),
                new V("broadcast", SHAPE, new Layout[] {B, B, B}, T, true, -1),
                new V("empty", new long[] {3, 0, 5}, new Layout[] {C, S, T}, C, false, -1),
                new V("mixed", SHAPE, new Layout[] {T, S, O}, S, false, -1)));
        if (in[0] == out) {
            vs.add(new V("inplace", SHAPE, new Layout[] {C, T, C}, C, false, 0));
            vs.add(new V("inplace-sliced", SHAPE, new Layout[] {S, B, S}, S, true, 0));
        }
        for (V v : vs) {
            String name = label + " " + v.name;
            Gen g = cx.gen(name);
            OpCase c = new OpCase(name, op).exact(exact);
            for (int i = 0; i < in.length; i++) {
                boolean[] mask = v.ins[i] == Layout.BROADCAST ? broadcastMask(i) : null;
                c.in(g.tensor(in[i], v.shape, doms[i], mask), v.ins[i], mask);
            }
            if (v.alias >= 0) c.outAliasing(v.alias);
            else c.out(out, v.shape, v.out);
            cases.add(c);
        }
        return cases;
    }

    static boolean defined(UnaryFn fn, DType t) {
        if (fn.isPredicate()) return true;
        if (t == DType.BOOL) return false;
        return t.isFloatingPoint() || !fn.needsFloat();
    }

    static Gen.Domain domain(UnaryFn fn) {
        return switch (fn) {
            case EXP, EXPM1, SIN, COS, TANH, SIGMOID, ERF -> Gen.Domain.WIDE;
            case LOG, SQRT, RSQRT -> Gen.Domain.POSITIVE;
            case LOG1P -> Gen.Domain.LOG1P;
            case RECIPROCAL -> Gen.Domain.NONZERO;
            default -> Gen.Domain.SPECIAL;
        };
    }

    static boolean exact(UnaryFn fn) {
        return switch (fn) {
            case NEG, ABS, SIGN, RELU, FLOOR, CEIL, ROUND, LOGICAL_NOT, ISNAN, ISINF -> true;
            default -> false;
        };
    }

    static List<OpCase> unary(Cases cx) {
        List<OpCase> cases = new ArrayList<>();
        for (UnaryFn fn : UnaryFn.values()) {
            for (DType t : DType.values()) {
                if (!cx.dtypes.contains(t) || !defined(fn, t)) continue;
                Op op = new Op.Unary(fn);
                Gen.Domain dom = t.isFloatingPoint() ? domain(fn) : Gen.Domain.GENERAL;
                cases.addAll(variants(cx, op.name() + " " + t, op, new DType[] {t}, new Gen.Domain[] {dom},
                        fn.isPredicate() ? DType.BOOL : t, exact(fn)));
            }
        }
        return cases;
    }

    static boolean defined(BinaryFn fn, DType t) {
        boolean logical = fn == BinaryFn.LOGICAL_AND || fn == BinaryFn.LOGICAL_OR;
        if (t == DType.BOOL) return fn.isComparison();
        return !logical;
    }

    static Gen.Domain[] domains(BinaryFn fn, DType t) {
        Gen.Domain g = Gen.Domain.GENERAL;
        return switch (fn) {
            case ADD, SUB, MUL, MAXIMUM, MINIMUM -> t.isFloatingPoint()
                    ? new Gen.Domain[] {Gen.Domain.SPECIAL, Gen.Domain.SPECIAL} : new Gen.Domain[] {g, g};
            case DIV -> t.isFloatingPoint()
                    ? new Gen.Domain[] {Gen.Domain.SPECIAL, Gen.Domain.GRID} : new Gen.Domain[] {Gen.Domain.WIDE, Gen.Domain.NONZERO};
            case POW -> new Gen.Domain[] {Gen.Domain.POW_BASE, Gen.Domain.POW_EXP};
            default -> new Gen.Domain[] {Gen.Domain.GRID, Gen.Domain.GRID};
        };
    }

    static List<OpCase> binary(Cases cx) {
        List<OpCase> cases = new ArrayList<>();
        for (BinaryFn fn : BinaryFn.values()) {
            for (DType t : DType.values()) {
                if (!cx.dtypes.contains(t) || !defined(fn, t)) continue;
                Op op = new Op.Binary(fn);
                boolean exact = fn != BinaryFn.DIV && fn != BinaryFn.POW;
                cases.addAll(variants(cx, op.name() + " " + t, op, new DType[] {t, t}, domains(fn, t),
                        fn.isComparison() ? DType.BOOL : t, exact));
            }
        }
        // Integer division of wide values, where floor and truncation differ for negative quotients.
        for (DType t : cx.ints()) {
            Op op = new Op.Binary(BinaryFn.DIV);
            cases.addAll(variants(cx, op.name() + " " + t + " full-range", op, new DType[] {t, t},
                    new Gen.Domain[] {Gen.Domain.GENERAL, Gen.Domain.NONZERO}, t, true).subList(0, 1));
        }
        return cases;
    }
}
