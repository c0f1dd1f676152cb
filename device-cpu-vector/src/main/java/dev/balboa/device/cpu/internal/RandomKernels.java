package dev.balboa.device.cpu.internal;

import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import dev.balboa.spi.Operand;
import dev.balboa.spi.Philox;

/**
 * Random fills. Element {@code i} in row-major order takes Philox at counter {@code offset + i},
 * computed here with the same formulas as {@link Philox#uniformFloat}, {@link Philox#uniform}
 * and {@link Philox#normal} (reusing one word array per run), so the numbers do not depend on
 * how the work is split across threads.
 */
final class RandomKernels {
    private RandomKernels() {}

    private static final long COST = 24;

    static void uniform(Op.RandomUniform r, Operand out) {
        Checks.floating(r.name(), "out", out);
        Strided p = Strided.of(out.shape(), out);
        if (p.numel == 0) return;
        int so = p.innerStride(0);
        DType t = out.dtype();
        boolean wide = t == DType.FLOAT64;
        Access oa = Access.of(out);
        long seed = r.seed(), offset = r.offset();
        double low = r.low(), high = r.high();
        p.parallel(COST, (off, len, flat) -> {
            int[] w = new int[4];
            int o = off[0];
            for (int k = 0; k < len; k++, o += so) {
                Philox.words(seed, offset + flat + k, w);
                double unit = wide ? unitDouble(w) : unitFloat(w);
                oa.setD(o, Philox.scale(unit, low, high, !wide));
            }
        });
    }

    static void normal(Op.RandomNormal r, Operand out) {
        Checks.floating(r.name(), "out", out);
        Strided p = Strided.of(out.shape(), out);
        if (p.numel == 0) return;
        int so = p.innerStride(0);
        Access oa = Access.of(out);
        long seed = r.seed(), offset = r.offset();
        double mean = r.mean(), std = r.std();
        p.parallel(COST * 2, (off, len, flat) -> {
            int[] w = new int[4];
            int o = off[0];
            for (int k = 0; k < len; k++, o += so) {
                Philox.words(seed, offset + flat + k, w);
                oa.setD(o, mean + std * normal(w));
            }
        });
    }

    private static long bits64(int hi, int lo) {
        return ((long) hi << 32) | (lo & 0xFFFFFFFFL);
    }

    /** As {@link Philox#uniformFloat}, from the words. */
    static float unitFloat(int[] w) {
        return (float) ((w[0] >>> 8) * 0x1.0p-24);
    }

    /** As {@link Philox#uniform}, from the words. */
    static double unitDouble(int[] w) {
        return (bits64(w[0], w[1]) >>> 11) * 0x1.0p-53;
    }

    /** As {@link Philox#normal}, from the words. */
    static double normal(int[] w) {
        double u1 = ((bits64(w[0], w[1]) >>> 11) + 1) * 0x1.0p-53;
        double u2 = (bits64(w[2], w[3]) >>> 11) * 0x1.0p-53;
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
