package dev.balboa.spi;

import java.lang.foreign.MemorySegment;
import java.util.Set;

/**
 * One opened device: allocates {@link Buffer}s, moves bytes between them and host memory, and
 * runs the primitive {@link Op}s. Balboa's {@code api} module allocates every output before it
 * calls {@link #execute}, checks shapes and dtypes against each op's contract, and never passes
 * operands that belong to another backend. A backend may also offer {@link Fused} kernels for
 * composites ({@link #supportsFused}, {@link #executeFused}); the defaults offer none.
 */
public interface Backend {

    /** The device this backend runs, e.g. {@code cpu} or {@code cuda:1}. */
    Device device();

    /** A short description for {@code Devices.describe()}: implementation, vector width, memory. */
    String description();

    /** The dtypes this backend can store and compute with. float32 and the index dtypes int64 and bool are required. */
    Set<DType> dtypes();

    /**
     * Allocates a buffer of {@code length} elements. Its contents are unspecified: Balboa fills
     * it before reading. Throws {@link OutOfMemoryError} (or a subclass) when memory is exhausted.
     */
    Buffer allocate(DType dtype, long length);

    /**
     * Copies {@code count} elements from host memory into {@code dst} starting at element
     * {@code dstOffset}. Host elements are laid out contiguously in the platform's native byte
     * order; float16 and bfloat16 as their 16-bit patterns, bool as one byte holding 0 or 1.
     */
    void write(MemorySegment src, Buffer dst, long dstOffset, long count);

    /** Copies {@code count} elements of {@code src} starting at element {@code srcOffset} into host memory, laid out as for {@link #write}. */
    void read(Buffer src, long srcOffset, MemorySegment dst, long count);

    /**
     * Runs one primitive op. Inputs and outputs follow the op's documented contract (see the
     * records of {@link Op}); outputs were allocated by the caller and may alias inputs only
     * where the op says so. Throws {@link UnsupportedOperationException} naming the op and dtypes
     * when this backend cannot run the combination.
     */
    void execute(Op op, Operand[] inputs, Operand[] outputs);

    /**
     * Whether this backend offers a fused kernel for {@code op} on contiguous operands of
     * {@code dtype} (see {@link Fused} for what {@code api} guarantees before asking). The default
     * offers none, and {@code api} then runs the composite of primitive ops. Must be cheap: it is
     * asked once per call.
     */
    default boolean supportsFused(Fused op, DType dtype) { return false; }

    /**
     * Runs a fused kernel this backend offered through {@link #supportsFused}; the operands are
     * as the op's record documents. The default throws {@link UnsupportedOperationException}.
     */
    default void executeFused(Fused op, Operand[] inputs, Operand[] outputs) {
        throw new UnsupportedOperationException(device() + ": no fused kernel for " + op.name());
    }

    /** Waits until all work queued on this backend has finished. A no-op for synchronous backends. */
    default void synchronize() {}
}
