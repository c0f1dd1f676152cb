package dev.balboa.api.dispatch;

import dev.balboa.api.Tensor;
import dev.balboa.spi.Op;

/**
 * One op as dispatch layers see it: either a primitive {@link Op} run by a device kernel, or a
 * {@link ViewOp} that made a new view of a tensor without touching memory.
 */
public sealed interface Call {

    /** The tensors the op reads. */
    Tensor[] inputs();

    /** The tensors the op produced (kernel calls: allocated by api before the kernel runs). */
    Tensor[] outputs();

    /** A short name for messages and traces. */
    String name();

    /**
     * A primitive op run by a device. {@code inPlace} is true when the first output is the very
     * tensor of an input that the op modified in place ({@code x.add_(y)}).
     */
    record Kernel(Op op, Tensor[] inputs, Tensor[] outputs, boolean inPlace) implements Call {
        public String name() { return op.name(); }
    }

    /** A view: {@code output} shares {@code input}'s storage. */
    record View(ViewOp op, Tensor[] inputs, Tensor[] outputs) implements Call {
        public String name() { return op.name(); }
    }
}
