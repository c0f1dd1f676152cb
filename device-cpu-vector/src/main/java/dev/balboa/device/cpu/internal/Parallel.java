package dev.balboa.device.cpu.internal;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CPU device's one intra-op thread pool. Its size is the system property
 * {@code balboa.cpu.threads} (default: the number of available processors). Work smaller than
 * {@link #GRAIN} units stays on the calling thread; larger work is cut into at most one chunk
 * per thread, the caller running the first chunk itself.
 */
public final class Parallel {

    /** Below this much work (roughly: element operations) a loop runs on the calling thread. */
    public static final long GRAIN = 32_768;

    /** A body over a half-open range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(long from, long to);
    }

    private static final int THREADS = configuredThreads();
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final ForkJoinPool POOL = THREADS > 1 ? new ForkJoinPool(THREADS - 1, pool -> {
        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setName("balboa-cpu-" + Parallel.COUNTER.incrementAndGet());
        t.setDaemon(true);
        return t;
    }, null, false) : null;
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private Parallel() {}

    private static int configuredThreads() {
        String p = System.getProperty("balboa.cpu.threads");
        if (p == null || p.isBlank()) return Runtime.getRuntime().availableProcessors();
        try {
            int n = Integer.parseInt(p.trim());
            if (n < 1) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("balboa.cpu.threads must be a positive integer, got '" + p + "'");
        }
    }

    /** Number of threads that run CPU kernels (the caller included). */
    public static int threads() { return THREADS; }

    /**
     * Runs {@code body} over {@code [0, n)}, split across the pool when {@code n * costPerItem}
     * reaches {@link #GRAIN}. Chunks are contiguous and cover the range exactly once.
     */
    public static void forRange(long n, long costPerItem, RangeBody body) {
        if (n <= 0) return;
        long work = n * Math.max(1, costPerItem);
        int chunks = (int) Math.min(THREADS, Math.min(n, work / GRAIN));
        if (chunks <= 1 || POOL == null || INSIDE.get()) {
            body.run(0, n);
            return;
        }
        forChunks(n, chunks, body);
    }

    /** Runs {@code body} over {@code [0, n)} in exactly {@code min(chunks, n)} contiguous chunks in parallel. */
    public static void forChunks(long n, int chunks, RangeBody body) {
        chunks = (int) Math.min(chunks, n);
        if (chunks <= 1 || POOL == null || INSIDE.get()) {
            if (n > 0) body.run(0, n);
            return;
        }
        @SuppressWarnings("unchecked")
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            long from = n * c / chunks, to = n * (c + 1) / chunks;
            tasks[c - 1] = POOL.submit(() -> {
                INSIDE.set(Boolean.TRUE);
                try {
                    body.run(from, to);
                } finally {
                    INSIDE.set(Boolean.FALSE);
                }
            });
        }
        RuntimeException failure = null;
        INSIDE.set(Boolean.TRUE);
        try {
            body.run(0, n / chunks);
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            INSIDE.set(Boolean.FALSE);
        }
        for (ForkJoinTask<?> t : tasks) {
            try {
                t.join();
            } catch (RuntimeException e) {
                if (failure == null) failure = e;
            }
        }
        if (failure != null) throw failure;
    }
}
