package dev.balboa.autograd.internal;

import dev.balboa.api.Tensor;

/**
 * A tensor saved for backward with the storage version it had, so that an in-place change made
 * afterwards is reported instead of producing a wrong gradient.
 */
final class Saved {
    private Tensor tensor;
    private final int version;

    Saved(Tensor tensor) {
        this.tensor = tensor;
        this.version = tensor.version();
    }

    Tensor get(Node owner) {
        if (tensor == null) {
            throw new IllegalStateException("autograd: trying to backward through " + owner.name()
                    + " a second time, but its saved tensors were freed after the first backward; pass retainGraph=true "
                    + "to the first backward (or backward(gradient, true, false)) to keep them");
        }
        if (tensor.version() != version) {
            throw new IllegalStateException("autograd: a tensor needed to compute gradients of " + owner.name()
                    + " was modified by an in-place operation: " + tensor.dtype() + java.util.Arrays.toString(tensor.shape())
                    + " on " + tensor.device() + " is at version " + tensor.version() + ", expected version " + version
                    + "; compute the in-place op on a clone(), or use the out-of-place op");
        }
        return tensor;
    }

    void release() { tensor = null; }

    /** The saved tensor without checks, or null once released (for storage-sharing tests). */
    Tensor peek() { return tensor; }
}
