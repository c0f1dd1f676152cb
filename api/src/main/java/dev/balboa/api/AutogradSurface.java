package dev.balboa.api;

import dev.balboa.api.dispatch.AutogradEngine;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** The autograd surface of {@link Tensor}: flags and entry points that delegate to the engine module when present. */
final class AutogradSurface {
    private AutogradSurface() {}

    private static final Optional<AutogradEngine> ENGINE =
            ServiceLoader.load(AutogradEngine.class, AutogradSurface.class.getClassLoader()).findFirst();

    static AutogradEngine engine(String op) {
        return ENGINE.orElseThrow(() -> new IllegalStateException(op + ": no autograd engine is present; add the module "
                + "dev.balboa.autograd (artifact balboa-autograd) to the module path or class path"));
    }

    static boolean available() { return ENGINE.isPresent(); }

    static Tensor requiresGrad(Tensor t, boolean flag) {
        if (t.gradFn != null) {
            if (!flag) {
                throw new IllegalArgumentException("requiresGrad_: cannot turn off gradients of a non-leaf tensor "
                        + Errors.describe(t) + " (created by " + t.gradFn.name() + "); use detach()");
            }
            return t;
        }
        if (flag && !t.dtype.isFloatingPoint()) {
            throw Errors.dtype("requiresGrad_", "only floating-point tensors can require gradients", t);
        }
        t.requiresGrad = flag;
        return t;
    }

    static void setGrad(Tensor t, Tensor grad) {
        if (grad != null) {
            if (!java.util.Arrays.equals(grad.shape, t.shape) || grad.dtype != t.dtype || grad.backend() != t.backend()) {
                throw new IllegalArgumentException("setGrad: the gradient " + Errors.describe(grad)
                        + " must have the tensor's shape, dtype and device " + Errors.describe(t));
            }
        }
        t.grad = grad;
    }

    static void backward(Tensor t, Tensor gradient, boolean retainGraph, boolean createGraph) {
        AutogradEngine e = engine("backward");
        if (!t.requiresGrad()) {
            throw new IllegalStateException("backward: " + Errors.describe(t) + " does not require gradients and has no "
                    + "grad_fn; call requiresGrad_() on the inputs before computing it");
        }
        if (gradient == null) {
            if (t.numel() != 1) {
                throw new IllegalArgumentException("backward: a gradient can be created implicitly only for a tensor with one "
                        + "element, got " + Errors.describe(t) + "; pass backward(gradient)");
            }
            gradient = Tensor.onesLike(t);
        }
        e.backward(List.of(t), List.of(gradient), retainGraph, createGraph);
    }
}
