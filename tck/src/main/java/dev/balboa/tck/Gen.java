package dev.balboa.tck;

import dev.balboa.spi.DType;
import java.util.SplittableRandom;

/**
 * Deterministic input generator: every case seeds its own generator from the kit's seed and the
 * case name, so a case produces the same inputs whatever runs before it.
 */
final class Gen {
    /** Value ranges suited to the ops (see each constant). */
    enum Domain {
        /** Floats in [-2, 2]; integers over the dtype's whole range (wrapping is exercised). */ GENERAL,
        /** Floats in [-1, 1], integers in [-9, 9], bools mostly false; for accumulations. */ UNIT,
        /** Floats in [-4, 4]; for exp, sin, tanh, erf and the like. */ WIDE,
        /** Floats in [0.05, 4], integers in [1, 20]; for log, sqrt, rsqrt. */ POSITIVE,
        /** Floats in [-0.9, 3]; for log1p. */ LOG1P,
        /** Magnitudes in [0.25, 4] with either sign; divisors and reciprocals. */ NONZERO,
        /** A quarter NaN, infinities, signed zeros and halves; the rest GENERAL. */ SPECIAL,
        /** Multiples of 0.5 in [-2, 2] (integers in [-3, 3]) with about 8% NaN: ties and equalities. */ GRID,
        /** Like GRID without NaN. */ GRID_FINITE,
        /** Floats in [0.25, 3], integers in [-4, 4]; bases of pow. */ POW_BASE,
        /** Floats in [-2, 2], integers in [0, 5]; exponents of pow. */ POW_EXP,
        /** Magnitudes in [0.6, 1.4] with either sign, integers in [-2, 2], bools mostly true; for products. */ PROD,
        /** Floats in [-100, 100] with about 5% NaN; sources of float-to-integer copies. */ COPY,
        /** Floats in [0, 200] with about 5% NaN; sources of float-to-uint8 copies. */ COPY_UNSIGNED
    }

    private static final double[] SPECIALS = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 0.5, -0.5, 1.5, -2.5};

    private final SplittableRandom rnd;

    Gen(long seed, String name) { this.rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + name.hashCode()); }

    double uniform(double lo, double hi) { return lo + (hi - lo) * rnd.nextDouble(); }

    long uniformLong(long lo, long hiInclusive) { return lo + rnd.nextLong(hiInclusive - lo + 1); }

    int nextInt(int bound) { return rnd.nextInt(bound); }

    double floatValue(Domain dom) {
        return switch (dom) {
            case GENERAL -> uniform(-2, 2);
            case UNIT -> uniform(-1, 1);
            case WIDE -> uniform(-4, 4);
            case POSITIVE -> uniform(0.05, 4);
            case LOG1P -> uniform(-0.9, 3);
            case NONZERO -> (rnd.nextBoolean() ? 1 : -1) * uniform(0.25, 4);
            case SPECIAL -> rnd.nextInt(4) == 0 ? SPECIALS[rnd.nextInt(SPECIALS.length)] : uniform(-2, 2);
            case GRID -> rnd.nextInt(12) == 0 ? Double.NaN : rnd.nextInt(9) / 2.0 - 2;
            case GRID_FINITE -> rnd.nextInt(9) / 2.0 - 2;
            case POW_BASE -> uniform(0.25, 3);
            case POW_EXP -> uniform(-2, 2);
            case PROD -> (rnd.nextBoolean() ? 1 : -1) * uniform(0.6, 1.4);
            case COPY -> rnd.nextInt(20) == 0 ? Double.NaN : uniform(-100, 100);
            case COPY_UNSIGNED -> rnd.nextInt(20) == 0 ? Double.NaN : uniform(0, 200);
        };
    }

    long intValue(DType t, Domain dom) {
        if (t == DType.BOOL) {
            int percentTrue = switch (dom) { case UNIT -> 5; case PROD -> 95; default -> 50; };
            return rnd.nextInt(100) < percentTrue ? 1 : 0;
        }
        boolean unsigned = t == DType.UINT8;
        return switch (dom) {
            case GENERAL, SPECIAL, COPY, COPY_UNSIGNED -> switch (t) {
                case INT8 -> uniformLong(-128, 127);
                case UINT8 -> uniformLong(0, 255);
                case INT32 -> rnd.nextInt();
                default -> rnd.nextLong();
            };
            case UNIT, WIDE -> unsigned ? uniformLong(0, 9) : uniformLong(-9, 9);
            case POSITIVE, LOG1P -> uniformLong(1, 20);
            case NONZERO -> unsigned ? uniformLong(1, 9) : (rnd.nextBoolean() ? 1 : -1) * uniformLong(1, 9);
            case GRID, GRID_FINITE -> unsigned ? uniformLong(0, 6) : uniformLong(-3, 3);
            case POW_BASE -> unsigned ? uniformLong(0, 4) : uniformLong(-4, 4);
            case POW_EXP -> uniformLong(0, 5);
            case PROD -> unsigned ? uniformLong(0, 2) : uniformLong(-2, 2);
        };
    }

    HostTensor tensor(DType t, long[] shape, Domain dom) { return tensor(t, shape, dom, null); }

    /** A tensor whose values are constant along the dimensions marked in {@code broadcast} (may be null). */
    HostTensor tensor(DType t, long[] shape, Domain dom, boolean[] broadcast) {
        long[] small = shape.clone();
        if (broadcast != null) for (int k = 0; k < small.length; k++) if (broadcast[k]) small[k] = Math.min(1, small[k]);
        HostTensor base = new HostTensor(t, small);
        for (int i = 0; i < base.numel(); i++) {
            if (t.isFloatingPoint()) base.set(i, floatValue(dom));
            else base.setL(i, intValue(t, dom));
        }
        return expand(base, shape);
    }

    /** Indices in {@code [0, bound)}, constant along the dimensions marked in {@code broadcast} (may be null). */
    HostTensor indices(long[] shape, long bound, boolean[] broadcast) {
        long[] small = shape.clone();
        if (broadcast != null) for (int k = 0; k < small.length; k++) if (broadcast[k]) small[k] = Math.min(1, small[k]);
        HostTensor base = new HostTensor(DType.INT64, small);
        for (int i = 0; i < base.numel(); i++) base.l[i] = uniformLong(0, bound - 1);
        return expand(base, shape);
    }

    /** Repeats a tensor along its size-1 dimensions to {@code shape}, like a stride-0 view. */
    static HostTensor expand(HostTensor small, long[] shape) {
        HostTensor out = new HostTensor(small.dtype, shape);
        long[] smallStrides = dev.balboa.spi.Operand.contiguousStrides(small.shape);
        for (int k = 0; k < shape.length; k++) if (small.shape[k] == 1 && shape[k] != 1) smallStrides[k] = 0;
        long[] from = Runner.positions(shape, smallStrides, 0);
        for (int i = 0; i < from.length; i++) {
            if (out.d != null) out.d[i] = small.d[(int) from[i]];
            else out.l[i] = small.l[(int) from[i]];
        }
        return out;
    }

    /** A tensor holding the given values in row-major order, rounded or wrapped to {@code t}. */
    static HostTensor of(DType t, long[] shape, double... values) {
        HostTensor h = new HostTensor(t, shape);
        for (int i = 0; i < values.length; i++) h.set(i, values[i]);
        return h;
    }
}
