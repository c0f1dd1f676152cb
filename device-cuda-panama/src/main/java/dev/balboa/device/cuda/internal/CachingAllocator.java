package dev.balboa.device.cuda.internal;

import dev.balboa.device.cuda.internal.driver.CudaDriver;
import dev.balboa.device.cuda.internal.driver.CudaException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A caching allocator for device memory. Requests are rounded up to size buckets (multiples of
 * 512 bytes below 1 MiB, of 2 MiB above); a released block goes back to its bucket's free list
 * instead of to the driver, so steady-state training allocates no device memory at all.
 *
 * <p>Blocks come back through {@link #giveBack}, which only enqueues them: it is what buffers'
 * {@code close()} and their {@link java.lang.ref.Cleaner} actions call, on threads that may have
 * no CUDA context. The queue is drained into the free lists on the next {@link #allocate}, which
 * runs on a thread whose context is current. On out-of-memory the allocator frees its cache,
 * asks for a garbage collection (so unreachable buffers queue their blocks back), retries once,
 * and then throws {@link CudaOutOfMemoryError} saying what was asked and what is held.
 */
final class CachingAllocator {
    private static final long SMALL = 1L << 20;
    private static final long SMALL_ROUND = 512;
    private static final long LARGE_ROUND = 2L << 20;

    /** One device block: its address and its bucket size. Running it queues it back to its allocator. */
    static final class Block implements Runnable {
        final long ptr;
        final long bytes;
        private final CachingAllocator owner;

        Block(long ptr, long bytes, CachingAllocator owner) {
            this.ptr = ptr;
            this.bytes = bytes;
            this.owner = owner;
        }

        @Override
        public void run() { owner.giveBack(this); }
    }

    private final CudaDriver driver;
    private final String device;
    private final Map<Long, ArrayDeque<Block>> free = new HashMap<>();
    private final ConcurrentLinkedQueue<Block> returned = new ConcurrentLinkedQueue<>();
    private long inUseBytes, inUseBlocks, cachedBytes;

    CachingAllocator(CudaDriver driver, String device) {
        this.driver = driver;
        this.device = device;
    }

    /** The bucket size a request of {@code bytes} is served from. */
    static long bucket(long bytes) {
        if (bytes <= 0) return SMALL_ROUND;
        long round = bytes < SMALL ? SMALL_ROUND : LARGE_ROUND;
        return Math.ceilDiv(bytes, round) * round;
    }

    /** Queues a block back; no driver call, safe on any thread. */
    void giveBack(Block b) { returned.add(b); }

    private void drain() {
        Block b;
        while ((b = returned.poll()) != null) {
            free.computeIfAbsent(b.bytes, k -> new ArrayDeque<>()).push(b);
            inUseBytes -= b.bytes;
            inUseBlocks--;
            cachedBytes += b.bytes;
        }
    }

    /** A block of at least {@code bytes}; the calling thread's context must be current. */
    synchronized Block allocate(long bytes) {
        long size = bucket(bytes);
        drain();
        ArrayDeque<Block> list = free.get(size);
        Block b = list == null ? null : list.poll();
        if (b != null) {
            cachedBytes -= size;
        } else {
            long[] out = new long[1];
            int r = driver.memAllocRaw(size, out);
            if (r == CudaException.OUT_OF_MEMORY) {
                emptyCache();
                System.gc();
                // The cleaner thread queues the blocks of collected buffers back shortly after the collection.
                for (int i = 0; i < 50 && returned.isEmpty(); i++) {
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                drain();
                emptyCache();
                r = driver.memAllocRaw(size, out);
                if (r == CudaException.OUT_OF_MEMORY) {
                    throw new CudaOutOfMemoryError(device + " out of memory: asked for " + bytes + " bytes (a block of "
                            + size + "); " + inUseBytes + " bytes are held by " + inUseBlocks
                            + " live buffers and the cache is empty. Close tensors you no longer need "
                            + "(Tensor.close() or a scope) or use smaller batches.");
                }
            }
            driver.check(r, "cuMemAlloc_v2(" + size + " bytes)");
            b = new Block(out[0], size, this);
        }
        inUseBytes += size;
        inUseBlocks++;
        return b;
    }

    /** Returns every cached block to the driver; the calling thread's context must be current. */
    synchronized void emptyCache() {
        drain();
        for (ArrayDeque<Block> list : free.values()) {
            for (Block b : list) {
                driver.memFree(b.ptr);
                cachedBytes -= b.bytes;
            }
        }
        free.clear();
    }

    /** Bytes held by live buffers (after draining blocks queued back). */
    synchronized long inUseBytes() {
        drain();
        return inUseBytes;
    }

    /** Bytes kept in the free lists. */
    synchronized long cachedBytes() {
        drain();
        return cachedBytes;
    }
}
