package dev.balboa.device.cuda.internal;

import dev.balboa.spi.Backend;
import dev.balboa.spi.Buffer;
import dev.balboa.spi.DType;
import java.lang.ref.Cleaner;

/**
 * Device memory of the CUDA backend: a device pointer held as a {@code long}, never as a
 * segment anything could dereference. Closing (or the cleaner, when the buffer becomes
 * unreachable) queues the block back to the caching allocator without calling the driver.
 */
final class CudaBuffer implements Buffer {
    private final CudaBackend backend;
    private final DType dtype;
    private final long length;
    private final long ptr;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean closed;

    CudaBuffer(CudaBackend backend, DType dtype, long length, CachingAllocator.Block block, Cleaner cleaner) {
        this.backend = backend;
        this.dtype = dtype;
        this.length = length;
        this.ptr = block.ptr;
        this.cleanable = cleaner.register(this, block);
    }

    @Override public Backend backend() { return backend; }
    @Override public DType dtype() { return dtype; }
    @Override public long length() { return length; }

    /** The device address of element 0. */
    long ptr() {
        if (closed) throw new IllegalStateException(backend.device() + ": buffer of " + length + " " + dtype + " used after close()");
        return ptr;
    }

    @Override
    public void close() {
        closed = true;
        cleanable.clean();
    }

    @Override
    public String toString() { return "CudaBuffer[" + backend.device() + ", " + dtype + " x " + length + ", 0x" + Long.toHexString(ptr) + "]"; }
}
