package dev.balboa.api.dispatch;

/**
 * A node of the autograd graph: the recorded op that produced a tensor ({@code Tensor.gradFn()}),
 * implemented by the autograd engine.
 */
public interface GradFn {

    /** The op's name, e.g. {@code "MulBackward"}. */
    String name();
}
