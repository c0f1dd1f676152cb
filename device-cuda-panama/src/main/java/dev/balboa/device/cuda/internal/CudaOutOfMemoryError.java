package dev.balboa.device.cuda.internal;

/** Device memory is exhausted even after emptying the allocator's cache and collecting garbage. */
public final class CudaOutOfMemoryError extends OutOfMemoryError {
    private static final long serialVersionUID = 1L;

    /** @param message what was asked for and what is held */
    public CudaOutOfMemoryError(String message) { super(message); }
}
