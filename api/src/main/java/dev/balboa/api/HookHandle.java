package dev.balboa.api;

/** Removes a registered hook when closed (usable with try-with-resources). */
@FunctionalInterface
public interface HookHandle extends AutoCloseable {
    /** Removes the hook; removing twice is harmless. */
    @Override
    void close();
}
