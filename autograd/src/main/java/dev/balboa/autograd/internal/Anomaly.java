package dev.balboa.autograd.internal;

/** The thread-confined anomaly-detection flag. */
public final class Anomaly {
    private static final ThreadLocal<boolean[]> FLAG = ThreadLocal.withInitial(() -> new boolean[1]);

    private Anomaly() {}

    /** Whether anomaly detection is on for this thread. */
    public static boolean enabled() { return FLAG.get()[0]; }

    /** Sets the flag and returns the previous value. */
    public static boolean set(boolean on) {
        boolean[] f = FLAG.get();
        boolean prev = f[0];
        f[0] = on;
        return prev;
    }
}
