package dev.balboa.nn.data;

/** Keeps this exported package non-empty so the module compiles before its public classes exist; safe to delete then. */
final class EmptyPackageGuard {
    private EmptyPackageGuard() {}
}
