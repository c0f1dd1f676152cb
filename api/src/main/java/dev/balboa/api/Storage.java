package dev.balboa.api;

import dev.balboa.spi.Backend;
import dev.balboa.spi.Buffer;
import dev.balboa.spi.DType;

/** The memory shared by a tensor and its views, with the version counter that in-place ops bump. */
final class Storage {
    final Buffer buffer;
    final Backend backend;
    /** Incremented by every in-place write; autograd compares it with the version it saved. */
    int version;

    Storage(Buffer buffer, Backend backend) {
        this.buffer = buffer;
        this.backend = backend;
    }

    static Storage allocate(Backend backend, DType dtype, long length) {
        return new Storage(backend.allocate(dtype, length), backend);
    }
}
