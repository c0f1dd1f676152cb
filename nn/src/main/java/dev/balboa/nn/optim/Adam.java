package dev.balboa.nn.optim;

import dev.balboa.api.OptimizerSteps;
import dev.balboa.api.Tensor;
import dev.balboa.spi.Fused;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with PyTorch 1.13's update: {@code g += wd * p}; {@code m = b1 m + (1 - b1) g};
 * {@code v = b2 v + (1 - b2) g^2}; {@code p -= lr / (1 - b1^t) * m / (sqrt(v') / sqrt(1 - b2^t) + eps)}
 * where {@code v'} is {@code v}, or with amsgrad the running maximum of {@code v}. State:
 * "step", "exp_avg", "exp_avg_sq" and with amsgrad "max_exp_avg_sq". Each parameter's update is one
 * {@link OptimizerSteps#adam} call: a fused kernel where the device offers one.
 */
public final class Adam extends Optimizer {

    /** Adam's hyper-parameters. */
    public static final class Options {
        final Map<String, Object> map = new LinkedHashMap<>();

        /** Defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0, no amsgrad, minimize. */
        public Options() { this(0.0); }

        Options(double weightDecay) {
            map.put("lr", 1e-3);
            map.put("betas", List.of(0.9, 0.999));
            map.put("eps", 1e-8);
            map.put("weight_decay", weightDecay);
            map.put("amsgrad", false);
            map.put("maximize", false);
        }

        /** The learning rate. */
        public Options lr(double v) { map.put("lr", v); return this; }
        /** The decay rates of the first and second moment estimates. */
        public Options betas(double beta1, double beta2) { map.put("betas", List.of(beta1, beta2)); return this; }
        /** The term added to the denominator. */
        public Options eps(double v) { map.put("eps", v); return this; }
        /** The weight decay (an L2 penalty for Adam, decoupled for AdamW). */
        public Options weightDecay(double v) { map.put("weight_decay", v); return this; }
        /** Use the AMSGrad variant. */
        public Options amsgrad(boolean v) { map.put("amsgrad", v); return this; }
        /** Maximize the objective instead of minimizing it. */
        public Options maximize(boolean v) { map.put("maximize", v); return this; }
    }

    /** Adam over one group of parameters. */
    public Adam(List<Tensor> params, Options options) { super(single(params), options.map); }

    private Adam(Options options, List<ParamGroup> groups) { super(groups, options.map); }

    /** Adam over several parameter groups; options a group does not set come from {@code options}. */
    public static Adam of(List<ParamGroup> groups, Options options) { return new Adam(options, groups); }

    @Override
    protected boolean stepIsTensor() { return true; }

    @Override
    protected void validate(ParamGroup g) { check("Adam", g); }

    static void check(String name, ParamGroup g) {
        nonNegative(name, "lr", g.lr());
        nonNegative(name, "eps", g.getDouble("eps"));
        nonNegative(name, "weight_decay", g.getDouble("weight_decay"));
        double[] betas = g.getDoubles("betas");
        if (betas.length != 2) throw new IllegalArgumentException(name + ": betas must be a pair, got " + betas.length + " values");
        for (int i = 0; i < 2; i++) {
            if (!(betas[i] >= 0 && betas[i] < 1)) {
                throw new IllegalArgumentException(name + ": invalid beta parameter at index " + i + ": " + betas[i] + " (must be in [0, 1))");
            }
        }
    }

    @Override
    protected void update(ParamGroup g) { adamUpdate(this, g, false); }

    static void adamUpdate(Optimizer o, ParamGroup g, boolean decoupled) {
        double lr = g.lr(), eps = g.getDouble("eps"), wd = g.getDouble("weight_decay");
        double[] betas = g.getDoubles("betas");
        double beta1 = betas[0], beta2 = betas[1];
        boolean amsgrad = g.getBoolean("amsgrad"), maximize = g.getBoolean("maximize");
        for (Tensor p : g.params()) {
            Tensor grad = p.grad();
            if (grad == null) continue;
            Map<String, Object> s = o.state(p);
            if (s.isEmpty()) {
                s.put("step", 0.0);
                s.put("exp_avg", Tensor.zerosLike(p));
                s.put("exp_avg_sq", Tensor.zerosLike(p));
                if (amsgrad) s.put("max_exp_avg_sq", Tensor.zerosLike(p));
            }
            double step = stepOf(s) + 1;
            s.put("step", step);
            Tensor max = null;
            if (amsgrad) {
                max = (Tensor) s.get("max_exp_avg_sq");
                if (max == null) {
                    max = Tensor.zerosLike(p);
                    s.put("max_exp_avg_sq", max);
                }
            }
            OptimizerSteps.adam(p, grad, (Tensor) s.get("exp_avg"), (Tensor) s.get("exp_avg_sq"), max,
                    new Fused.AdamStep(lr, beta1, beta2, eps, wd, decoupled, amsgrad, maximize, (long) step));
        }
    }
}
