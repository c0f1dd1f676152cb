package dev.balboa.nn.optim;

import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Gradient clipping ({@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}). */
public final class GradClip {
    private GradClip() {}

    /** Clips by the total 2-norm; see {@link #clipGradNorm(List, double, double, boolean)}. */
    public static Tensor clipGradNorm(List<Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2.0, false);
    }

    /**
     * Scales the gradients of {@code params} in place so that their total norm (the norm of the
     * vector of all gradient elements; {@code normType} may be {@code Double.POSITIVE_INFINITY}
     * for the largest magnitude) is at most {@code maxNorm}: each gradient is multiplied by
     * {@code min(1, maxNorm / (total + 1e-6))}. Parameters without a gradient are skipped.
     *
     * @param errorIfNonfinite throw when the total norm is NaN or infinite instead of scaling
     * @return the total norm before clipping, a 0-d tensor (0 when no parameter has a gradient)
     */
    public static Tensor clipGradNorm(List<Tensor> params, double maxNorm, double normType, boolean errorIfNonfinite) {
        try (var g = Grad.disabled()) {
            List<Tensor> grads = new ArrayList<>();
            for (Tensor p : params) if (p.grad() != null) grads.add(p.grad());
            if (grads.isEmpty()) return Tensor.scalar(0.0);
            List<Tensor> norms = new ArrayList<>();
            Tensor total;
            if (normType == Double.POSITIVE_INFINITY) {
                for (Tensor gr : grads) norms.add(gr.detach().abs().max());
                total = norms.size() == 1 ? norms.get(0) : Tensor.stack(norms, 0).max();
            } else {
                for (Tensor gr : grads) norms.add(gr.detach().norm(normType, null, false));
                total = Tensor.stack(norms, 0).norm(normType, null, false);
            }
            double t = total.item();
            if (errorIfNonfinite && (Double.isNaN(t) || Double.isInfinite(t))) {
                throw new IllegalStateException("clipGradNorm: the total norm of order " + normType + " of the gradients is "
                        + t + ", so they cannot be clipped; pass errorIfNonfinite=false to scale them anyway");
            }
            Tensor coef = total.add(1e-6).rdiv(maxNorm).clampMax(1.0);
            for (Tensor gr : grads) gr.mul_(coef);
            return total;
        }
    }

    /** Clamps every gradient element of {@code params} to {@code [-clipValue, clipValue]} in place. */
    public static void clipGradValue(List<Tensor> params, double clipValue) {
        try (var g = Grad.disabled()) {
            for (Tensor p : params) if (p.grad() != null) p.grad().clamp_(-clipValue, clipValue);
        }
    }
}
