package dev.balboa.spi;

/**
 * The counter-based generator behind Balboa's random ops: Philox4x32-10 (Salmon et al.,
 * "Parallel random numbers: as easy as 1, 2, 3", SC 2011). Each output element is a pure
 * function of (seed, counter), so results do not depend on the device, the thread count or the
 * order in which elements are computed. Devices call these methods (or reproduce them bit for
 * bit) for {@link Op.RandomUniform} and {@link Op.RandomNormal}.
 */
public final class Philox {
    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final double TWO_POW_M53 = 0x1.0p-53;
    private static final double TWO_POW_M24 = 0x1.0p-24;

    private Philox() {}

    /**
     * The 10-round Philox4x32 block function: four 32-bit counter words and two key words in,
     * four 32-bit words out (written to {@code out[0..3]}).
     */
    public static void block(int c0, int c1, int c2, int c3, int k0, int k1, int[] out) {
        for (int round = 0; round < 10; round++) {
            if (round > 0) {
                k0 += W0;
                k1 += W1;
            }
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int hi0 = (int) (p0 >>> 32), lo0 = (int) p0;
            int hi1 = (int) (p1 >>> 32), lo1 = (int) p1;
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }

    private static long bits64(int hi, int lo) {
        return ((long) hi << 32) | (lo & 0xFFFFFFFFL);
    }

    /** The four words for {@code counter} under key {@code seed}: counter words (lo, hi, 0, 0), key words (lo, hi). */
    public static void words(long seed, long counter, int[] out) {
        block((int) counter, (int) (counter >>> 32), 0, 0, (int) seed, (int) (seed >>> 32), out);
    }

    /** A double in [0, 1) with 53 random bits, from words 0 and 1. */
    public static double uniform(long seed, long counter) {
        int[] w = new int[4];
        words(seed, counter, w);
        return (bits64(w[0], w[1]) >>> 11) * TWO_POW_M53;
    }

    /** A float in [0, 1) with 24 random bits, from word 0; used for float32, float16 and bfloat16 outputs. */
    public static float uniformFloat(long seed, long counter) {
        int[] w = new int[4];
        words(seed, counter, w);
        return (float) ((w[0] >>> 8) * TWO_POW_M24);
    }

    /**
     * Scales a unit uniform to [low, high), stepping below {@code high} if rounding reached it.
     * {@code isFloat32} selects float rounding for float32, float16 and bfloat16 outputs.
     */
    public static double scale(double unit, double low, double high, boolean isFloat32) {
        if (isFloat32) {
            float v = (float) (low + (high - low) * unit);
            return v >= (float) high && high > low ? Math.nextDown((float) high) : v;
        }
        double v = low + (high - low) * unit;
        return v >= high && high > low ? Math.nextDown(high) : v;
    }

    /**
     * A standard normal number by the Box-Muller transform: u1 in (0, 1] from words 0 and 1,
     * u2 in [0, 1) from words 2 and 3, result {@code sqrt(-2 ln u1) * cos(2 pi u2)}.
     */
    public static double normal(long seed, long counter) {
        int[] w = new int[4];
        words(seed, counter, w);
        double u1 = ((bits64(w[0], w[1]) >>> 11) + 1) * TWO_POW_M53;
        double u2 = (bits64(w[2], w[3]) >>> 11) * TWO_POW_M53;
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
