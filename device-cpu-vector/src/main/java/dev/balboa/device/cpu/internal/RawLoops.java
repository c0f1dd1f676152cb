package dev.balboa.device.cpu.internal;

/**
 * Strided element moves that do not look at values (same-dtype copy and where-selection), for
 * every backing array type: one type switch per run, then a plain loop.
 */
final class RawLoops {
    private RawLoops() {}

    /** dst[di + i*ds] = src[si + i*ss] for i < n; src and dst are arrays of the same type. */
    static void copy(Object src, int si, int ss, Object dst, int di, int ds, int n) {
        if (ss == 1 && ds == 1) {
            System.arraycopy(src, si, dst, di, n);
            return;
        }
        switch (dst) {
            case float[] d -> { float[] s = (float[]) src; for (int i = 0; i < n; i++) d[di + i * ds] = s[si + i * ss]; }
            case double[] d -> { double[] s = (double[]) src; for (int i = 0; i < n; i++) d[di + i * ds] = s[si + i * ss]; }
            case short[] d -> { short[] s = (short[]) src; for (int i = 0; i < n; i++) d[di + i * ds] = s[si + i * ss]; }
            case byte[] d -> { byte[] s = (byte[]) src; for (int i = 0; i < n; i++) d[di + i * ds] = s[si + i * ss]; }
            case int[] d -> { int[] s = (int[]) src; for (int i = 0; i < n; i++) d[di + i * ds] = s[si + i * ss]; }
            case long[] d -> { long[] s = (long[]) src; for (int i = 0; i < n; i++) d[di + i * ds] = s[si + i * ss]; }
            default -> throw new AssertionError(dst.getClass());
        }
    }

    /** dst[di + i*ds] = c[ci + i*cs] != 0 ? a[ai + i*as] : b[bi + i*bs] for i < n. */
    static void where(byte[] c, int ci, int cs, Object a, int ai, int as, Object b, int bi, int bs,
                      Object dst, int di, int ds, int n) {
        switch (dst) {
            case float[] d -> {
                float[] x = (float[]) a, y = (float[]) b;
                for (int i = 0; i < n; i++) d[di + i * ds] = c[ci + i * cs] != 0 ? x[ai + i * as] : y[bi + i * bs];
            }
            case double[] d -> {
                double[] x = (double[]) a, y = (double[]) b;
                for (int i = 0; i < n; i++) d[di + i * ds] = c[ci + i * cs] != 0 ? x[ai + i * as] : y[bi + i * bs];
            }
            case short[] d -> {
                short[] x = (short[]) a, y = (short[]) b;
                for (int i = 0; i < n; i++) d[di + i * ds] = c[ci + i * cs] != 0 ? x[ai + i * as] : y[bi + i * bs];
            }
            case byte[] d -> {
                byte[] x = (byte[]) a, y = (byte[]) b;
                for (int i = 0; i < n; i++) d[di + i * ds] = c[ci + i * cs] != 0 ? x[ai + i * as] : y[bi + i * bs];
            }
            case int[] d -> {
                int[] x = (int[]) a, y = (int[]) b;
                for (int i = 0; i < n; i++) d[di + i * ds] = c[ci + i * cs] != 0 ? x[ai + i * as] : y[bi + i * bs];
            }
            case long[] d -> {
                long[] x = (long[]) a, y = (long[]) b;
                for (int i = 0; i < n; i++) d[di + i * ds] = c[ci + i * cs] != 0 ? x[ai + i * as] : y[bi + i * bs];
            }
            default -> throw new AssertionError(dst.getClass());
        }
    }
}
