package dev.balboa.nn.optim;

import dev.balboa.api.OptimizerSteps;
import dev.balboa.api.Tensor;
import dev.balboa.spi.Fused;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum, weight
 * decay and maximization, with PyTorch 1.13's update: {@code g += wd * p}; the momentum buffer
 * starts as a copy of {@code g} and then becomes {@code b = mu * b + (1 - dampening) * g};
 * {@code g = nesterov ? g + mu * b : b}; {@code p -= lr * g}. State: "momentum_buffer". Each
 * parameter's update is one {@link OptimizerSteps#sgd} call: a fused kernel where the device offers one.
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), new SGD.Options().lr(0.1).momentum(0.9).weightDecay(5e-4));
 * }</pre>
 */
public final class SGD extends Optimizer {

    /** SGD's hyper-parameters; the learning rate has no default and must be set. */
    public static final class Options {
        final Map<String, Object> map = new LinkedHashMap<>();

        /** Defaults: momentum 0, dampening 0, weight decay 0, no Nesterov, minimize. */
        public Options() {
            map.put("lr", Double.NaN);
            map.put("momentum", 0.0);
            map.put("dampening", 0.0);
            map.put("weight_decay", 0.0);
            map.put("nesterov", false);
            map.put("maximize", false);
        }

        /** The learning rate. */
        public Options lr(double v) { map.put("lr", v); return this; }
        /** The momentum factor. */
        public Options momentum(double v) { map.put("momentum", v); return this; }
        /** The dampening of the momentum. */
        public Options dampening(double v) { map.put("dampening", v); return this; }
        /** The L2 penalty. */
        public Options weightDecay(double v) { map.put("weight_decay", v); return this; }
        /** Nesterov momentum (needs momentum > 0 and dampening 0). */
        public Options nesterov(boolean v) { map.put("nesterov", v); return this; }
        /** Maximize the objective instead of minimizing it. */
        public Options maximize(boolean v) { map.put("maximize", v); return this; }
    }

    /** SGD over one group of parameters. */
    public SGD(List<Tensor> params, Options options) { super(single(params), options.map); }

    private SGD(Options options, List<ParamGroup> groups) { super(groups, options.map); }

    /** SGD over several parameter groups; options a group does not set come from {@code options}. */
    public static SGD of(List<ParamGroup> groups, Options options) { return new SGD(options, groups); }

    @Override
    protected void validate(ParamGroup g) {
        double lr = g.lr();
        if (Double.isNaN(lr)) throw new IllegalArgumentException("SGD: the learning rate 'lr' is required");
        nonNegative("SGD", "lr", lr);
        nonNegative("SGD", "momentum", g.getDouble("momentum"));
        nonNegative("SGD", "weight_decay", g.getDouble("weight_decay"));
        if (g.getBoolean("nesterov") && (g.getDouble("momentum") <= 0 || g.getDouble("dampening") != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum requires a momentum > 0 and zero dampening");
        }
    }

    @Override
    protected void update(ParamGroup g) {
        double lr = g.lr(), momentum = g.getDouble("momentum"), dampening = g.getDouble("dampening");
        double wd = g.getDouble("weight_decay");
        boolean nesterov = g.getBoolean("nesterov"), maximize = g.getBoolean("maximize");
        for (Tensor p : g.params()) {
            Tensor grad = p.grad();
            if (grad == null) continue;
            Tensor buf = null;
            boolean first = false;
            if (momentum != 0) {
                Map<String, Object> s = state(p);
                buf = (Tensor) s.get("momentum_buffer");
                if (buf == null) {
                    buf = Tensor.emptyLike(grad);
                    first = true;
                    s.put("momentum_buffer", buf);
                }
            }
            OptimizerSteps.sgd(p, grad, buf, new Fused.SgdStep(lr, momentum, dampening, wd, nesterov, maximize, first));
        }
    }
}
