package dev.balboa.spi;

import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * A block of device memory holding {@link #length()} elements of one {@link DType}, owned by the
 * {@link Backend} that allocated it. Tensors are strided views ({@link Operand}) over buffers.
 */
public interface Buffer extends AutoCloseable {

    /** The backend that owns this buffer. */
    Backend backend();

    /** Element type of the buffer. */
    DType dtype();

    /** Number of elements the buffer holds. */
    long length();

    /**
     * The buffer's bytes when they live in host memory the caller may read and write directly
     * (CPU buffers: heap segments the garbage collector manages), empty for device memory.
     */
    default Optional<MemorySegment> hostSegment() { return Optional.empty(); }

    /**
     * Releases the memory now. Using the buffer afterwards is an error. Buffers that are never
     * closed are reclaimed by the garbage collector or the backend's cleaner.
     */
    @Override
    default void close() {}
}
