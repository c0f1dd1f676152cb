package dev.balboa.api;

import dev.balboa.spi.Backend;
import dev.balboa.spi.DType;
import dev.balboa.spi.Fused;
import dev.balboa.spi.Operand;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The per-parameter updates of the standard optimizers as single in-place calls, for optimizer
 * authors ({@code dev.balboa.nn.optim} is built on them). Each call runs with gradient recording
 * off. When the device offers a fused kernel ({@link Backend#supportsFused}) and the tensors
 * allow it (same device and dtype, contiguous, no two updated tensors sharing storage, no
 * dispatch layer such as tracing active), the update is one pass over memory; otherwise it is
 * the composition of primitive ops documented on the {@link Fused} record, with the same
 * results.
 *
 * <pre>{@code
 * var h = new Fused.AdamStep(1e-3, 0.9, 0.999, 1e-8, 0.0, false, false, false, step);
 * OptimizerSteps.adam(param, param.grad(), expAvg, expAvgSq, null, h);
 * }</pre>
 */
public final class OptimizerSteps {
    private OptimizerSteps() {}

    /**
     * One Adam/AdamW step, updating {@code param}, {@code expAvg}, {@code expAvgSq} and (with
     * amsgrad) {@code maxExpAvgSq} in place, as {@link Fused.AdamStep} describes.
     *
     * @param param       the floating-point parameter
     * @param grad        its gradient, of the same shape
     * @param expAvg      the first moment, of the same shape
     * @param expAvgSq    the second moment, of the same shape
     * @param maxExpAvgSq the running maximum of the second moment; required with amsgrad, ignored otherwise
     * @param h           the hyper-parameters and step number
     * @throws IllegalArgumentException when a tensor is missing, shapes differ, tensors are on
     *         different devices or the parameter is not floating point
     */
    public static void adam(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, Fused.AdamStep h) {
        String op = "adam_step";
        require(op, "hyper-parameters", h);
        Tensor[] ts = h.amsgrad()
                ? new Tensor[] {param, grad, expAvg, expAvgSq, maxExpAvgSq}
                : new Tensor[] {param, grad, expAvg, expAvgSq};
        String[] names = {"param", "grad", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"};
        check(op, ts, names);
        Tensor[] outs = Arrays.copyOf(new Tensor[] {param, expAvg, expAvgSq, maxExpAvgSq}, h.outputCount());
        try (var g = Grad.disabled()) {
            if (tryFused(h, grad, outs)) return;
            adamComposite(param, grad, expAvg, expAvgSq, maxExpAvgSq, h);
        }
    }

    /**
     * One SGD step, updating {@code param} and (when momentum is not 0) {@code momentumBuffer}
     * in place, as {@link Fused.SgdStep} describes. On the first step (see
     * {@link Fused.SgdStep#firstStep}) the buffer's contents are ignored and overwritten, so it
     * may come from {@link Tensor#emptyLike}.
     *
     * @param param          the floating-point parameter
     * @param grad           its gradient, of the same shape
     * @param momentumBuffer the momentum buffer, of the same shape; required when momentum is not 0, ignored otherwise
     * @param h              the hyper-parameters
     * @throws IllegalArgumentException when a tensor is missing, shapes differ, tensors are on
     *         different devices or the parameter is not floating point
     */
    public static void sgd(Tensor param, Tensor grad, Tensor momentumBuffer, Fused.SgdStep h) {
        String op = "sgd_step";
        require(op, "hyper-parameters", h);
        boolean momentum = h.momentum() != 0;
        Tensor[] ts = momentum ? new Tensor[] {param, grad, momentumBuffer} : new Tensor[] {param, grad};
        check(op, ts, new String[] {"param", "grad", "momentum_buffer"});
        Tensor[] outs = momentum ? new Tensor[] {param, momentumBuffer} : new Tensor[] {param};
        try (var g = Grad.disabled()) {
            if (tryFused(h, grad, outs)) return;
            sgdComposite(param, grad, momentumBuffer, h);
        }
    }

    /**
     * One RMSprop step, updating {@code param}, {@code squareAvg} and, when used,
     * {@code momentumBuffer} and {@code gradAvg} in place, as {@link Fused.RmspropStep} describes.
     *
     * @param param          the floating-point parameter
     * @param grad           its gradient, of the same shape
     * @param squareAvg      the running average of the squared gradient, of the same shape
     * @param momentumBuffer the momentum buffer; required when momentum is above 0, ignored otherwise
     * @param gradAvg        the running average of the gradient; required when centered, ignored otherwise
     * @param h              the hyper-parameters
     * @throws IllegalArgumentException when a tensor is missing, shapes differ, tensors are on
     *         different devices or the parameter is not floating point
     */
    public static void rmsprop(Tensor param, Tensor grad, Tensor squareAvg, Tensor momentumBuffer, Tensor gradAvg,
                               Fused.RmspropStep h) {
        String op = "rmsprop_step";
        require(op, "hyper-parameters", h);
        List<Tensor> ts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        ts.add(param); names.add("param");
        ts.add(grad); names.add("grad");
        ts.add(squareAvg); names.add("square_avg");
        if (h.momentum() > 0) { ts.add(momentumBuffer); names.add("momentum_buffer"); }
        if (h.centered()) { ts.add(gradAvg); names.add("grad_avg"); }
        Tensor[] all = ts.toArray(new Tensor[0]);
        check(op, all, names.toArray(new String[0]));
        Tensor[] outs = new Tensor[all.length - 1];
        outs[0] = param;
        System.arraycopy(all, 2, outs, 1, all.length - 2);
        try (var g = Grad.disabled()) {
            if (tryFused(h, grad, outs)) return;
            rmspropComposite(param, grad, squareAvg, momentumBuffer, gradAvg, h);
        }
    }

    /**
     * One Adagrad step, updating {@code param} and {@code sum} in place, as
     * {@link Fused.AdagradStep} describes.
     *
     * @param param the floating-point parameter
     * @param grad  its gradient, of the same shape
     * @param sum   the running sum of squared gradients, of the same shape
     * @param h     the hyper-parameters and step number
     * @throws IllegalArgumentException when a tensor is missing, shapes differ, tensors are on
     *         different devices or the parameter is not floating point
     */
    public static void adagrad(Tensor param, Tensor grad, Tensor sum, Fused.AdagradStep h) {
        String op = "adagrad_step";
        require(op, "hyper-parameters", h);
        check(op, new Tensor[] {param, grad, sum}, new String[] {"param", "grad", "sum"});
        try (var g = Grad.disabled()) {
            if (tryFused(h, grad, new Tensor[] {param, sum})) return;
            adagradComposite(param, grad, sum, h);
        }
    }

    // ---------------------------------------------------------------- checks and the fused path

    private static void require(String op, String what, Object o) {
        if (o == null) throw new IllegalArgumentException(op + ": " + what + " must not be null");
    }

    private static void check(String op, Tensor[] ts, String[] names) {
        for (int i = 0; i < ts.length; i++) require(op, names[i], ts[i]);
        Tensor p = ts[0];
        Errors.requireFloat(op, p);
        Errors.sameDevice(op, ts);
        for (int i = 1; i < ts.length; i++) {
            if (!Arrays.equals(ts[i].shape, p.shape)) {
                throw new IllegalArgumentException(op + ": " + names[i] + " must have the parameter's shape "
                        + Shapes.str(p.shape) + ", got " + Shapes.str(ts[i].shape) + " (" + Errors.describe(ts) + ")");
            }
        }
    }

    /** Runs the device's fused kernel when it offers one and the operands qualify; false otherwise. */
    private static boolean tryFused(Fused op, Tensor grad, Tensor[] outs) {
        Tensor p = outs[0];
        DType dtype = p.dtype;
        Backend backend = p.storage.backend;
        if (grad.dtype != dtype || !grad.isContiguous()) return false;
        for (int i = 0; i < outs.length; i++) {
            Tensor t = outs[i];
            if (t.dtype != dtype || !t.isContiguous() || t.storage == grad.storage) return false;
            for (int j = 0; j < i; j++) if (outs[j].storage == t.storage) return false;
        }
        if (!backend.supportsFused(op, dtype) || !FusedComposites.layersAllowFused()) return false;
        Operand[] out = new Operand[outs.length];
        for (int i = 0; i < outs.length; i++) {
            out[i] = outs[i].operand();
            outs[i].storage.version++;
        }
        backend.executeFused(op, new Operand[] {grad.operand()}, out);
        return true;
    }

    // ---------------------------------------------------------------- composites

    private static void adamComposite(Tensor p, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor max, Fused.AdamStep h) {
        double lr = h.lr(), wd = h.weightDecay(), beta1 = h.beta1(), beta2 = h.beta2();
        if (h.maximize()) grad = grad.neg();
        if (h.decoupledWeightDecay()) {
            p.mul_(1 - lr * wd);
        } else if (wd != 0) {
            grad = grad.add(p.mul(wd));
        }
        expAvg.mul_(beta1).add_(grad, 1 - beta1);
        expAvgSq.mul_(beta2).add_(grad.mul(1 - beta2).mul(grad));
        Tensor v = expAvgSq;
        if (h.amsgrad()) {
            max.copy_(max.maximum(expAvgSq));
            v = max;
        }
        Tensor denom = v.sqrt().div(h.biasCorrection2Sqrt()).add_(h.eps());
        p.add_(expAvg.mul(-h.stepSize()).div(denom));
    }

    private static void rmspropComposite(Tensor p, Tensor grad, Tensor squareAvg, Tensor buf, Tensor gradAvg, Fused.RmspropStep h) {
        double alpha = h.alpha();
        if (h.maximize()) grad = grad.neg();
        if (h.weightDecay() != 0) grad = grad.add(p.mul(h.weightDecay()));
        squareAvg.mul_(alpha).add_(grad.mul(1 - alpha).mul(grad));
        Tensor avg;
        if (h.centered()) {
            gradAvg.mul_(alpha).add_(grad, 1 - alpha);
            avg = squareAvg.sub(gradAvg.mul(gradAvg)).sqrt_();
        } else {
            avg = squareAvg.sqrt();
        }
        avg.add_(h.eps());
        if (h.momentum() > 0) {
            buf.mul_(h.momentum()).add_(grad.div(avg));
            p.add_(buf, -h.lr());
        } else {
            p.add_(grad.mul(-h.lr()).div(avg));
        }
    }

    private static void adagradComposite(Tensor p, Tensor grad, Tensor sum, Fused.AdagradStep h) {
        if (h.maximize()) grad = grad.neg();
        if (h.weightDecay() != 0) grad = grad.add(p.mul(h.weightDecay()));
        sum.add_(grad.mul(grad));
        Tensor std = sum.sqrt().add_(h.eps());
        p.add_(grad.mul(-h.clr()).div(std));
    }

    private static void sgdComposite(Tensor p, Tensor grad, Tensor buf, Fused.SgdStep h) {
        Tensor d = grad;
        if (h.maximize()) d = d.neg();
        if (h.weightDecay() != 0) d = d.add(p.mul(h.weightDecay()));
        double mu = h.momentum();
        if (mu != 0) {
            if (h.firstStep()) {
                buf.copy_(d);
            } else {
                buf.mul_(mu).add_(d, 1 - h.dampening());
            }
            d = h.nesterov() ? d.add(buf.mul(mu)) : buf;
        }
        p.add_(d, -h.lr());
    }
}
