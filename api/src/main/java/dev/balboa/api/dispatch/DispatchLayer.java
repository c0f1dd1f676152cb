package dev.balboa.api.dispatch;

import dev.balboa.api.Tensor;

/**
 * A cross-cutting layer around every op (autograd recording, tracing), discovered with
 * {@link java.util.ServiceLoader}. Layers run outermost first by descending {@link #order()};
 * each does its work and calls {@link Next#proceed} to re-dispatch below itself. A layer that is
 * not {@link #isActive() active} on the current thread costs one method call per op.
 */
public interface DispatchLayer {

    /** Position in the stack: higher runs first. Tracing uses 200, autograd 100. */
    int order();

    /** Whether this layer wants to see ops on the current thread right now; must be cheap. */
    boolean isActive();

    /**
     * Handles one op. Kernel calls arrive with their outputs allocated; the layer normally calls
     * {@code next.proceed(call)} to run the layers below and the kernel, and returns the outputs.
     */
    Tensor[] intercept(Call call, Next next);

    /**
     * Whether this layer lets {@code api} run a composite through a device's fused kernel
     * ({@link dev.balboa.spi.Fused}) while it is active, so that it never sees the composite's
     * primitive ops. The default is false: such a layer (a tracer) sees the primitives. The
     * autograd layer answers true and records fused composites through
     * {@link AutogradEngine#recordFused}.
     */
    default boolean acceptsFused() { return false; }

    /** The rest of the stack below a layer. */
    @FunctionalInterface
    interface Next {
        Tensor[] proceed(Call call);
    }
}
