package dev.balboa.api;

/**
 * Grad-mode scopes, confined to the current thread, for try-with-resources:
 * <pre>{@code
 * try (var g = Grad.disabled()) {
 *     Tensor y = model.forward(x);   // nothing recorded
 * }
 * }</pre>
 * {@link #inference()} also disables recording and marks tensors created inside as inference
 * tensors. Scopes nest; closing restores the previous mode.
 */
public final class Grad {
    private static final ThreadLocal<boolean[]> STATE = ThreadLocal.withInitial(() -> new boolean[] {true, false});

    private Grad() {}

    /** A scope that restores the grad mode it replaced when closed. */
    public static final class Scope implements AutoCloseable {
        private final boolean previousEnabled;
        private final boolean previousInference;
        private final Thread owner = Thread.currentThread();
        private boolean closed;

        private Scope(boolean enabled, boolean inference) {
            boolean[] s = STATE.get();
            previousEnabled = s[0];
            previousInference = s[1];
            s[0] = enabled;
            s[1] = inference;
        }

        @Override
        public void close() {
            if (closed) return;
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("Grad scope closed on thread " + Thread.currentThread().getName()
                        + " but opened on " + owner.getName());
            }
            closed = true;
            boolean[] s = STATE.get();
            s[0] = previousEnabled;
            s[1] = previousInference;
        }
    }

    /** Recording off until the scope closes ({@code torch.no_grad()}). */
    public static Scope disabled() { return new Scope(false, false); }

    /** Recording on until the scope closes ({@code torch.enable_grad()}). */
    public static Scope enabled() { return new Scope(true, false); }

    /** Inference mode: recording off, and no autograd bookkeeping at all ({@code torch.inference_mode()}). */
    public static Scope inference() { return new Scope(false, true); }

    /** Whether ops on this thread are recorded for autograd now. */
    public static boolean isEnabled() { return STATE.get()[0]; }

    /** Whether this thread is in inference mode. */
    public static boolean isInference() { return STATE.get()[1]; }
}
