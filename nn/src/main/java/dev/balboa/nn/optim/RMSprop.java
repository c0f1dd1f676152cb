package dev.balboa.nn.optim;

import dev.balboa.api.OptimizerSteps;
import dev.balboa.api.Tensor;
import dev.balboa.spi.Fused;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RMSprop with PyTorch 1.13's update: {@code g += wd * p}; {@code v = alpha v + (1 - alpha) g^2};
 * centered: {@code a = alpha a + (1 - alpha) g}, {@code avg = sqrt(v - a^2) + eps}, otherwise
 * {@code avg = sqrt(v) + eps}; with momentum {@code b = mu b + g / avg}, {@code p -= lr b},
 * otherwise {@code p -= lr g / avg}. State: "step", "square_avg", "momentum_buffer" (momentum
 * > 0), "grad_avg" (centered). Each parameter's update is one {@link OptimizerSteps#rmsprop} call: a
 * fused kernel where the device offers one.
 */
public final class RMSprop extends Optimizer {

    /** RMSprop's hyper-parameters. */
    public static final class Options {
        final Map<String, Object> map = new LinkedHashMap<>();

        /** Defaults: lr 1e-2, alpha 0.99, eps 1e-8, weight decay 0, momentum 0, not centered, minimize. */
        public Options() {
            map.put("lr", 1e-2);
            map.put("alpha", 0.99);
            map.put("eps", 1e-8);
            map.put("weight_decay", 0.0);
            map.put("momentum", 0.0);
            map.put("centered", false);
            map.put("maximize", false);
        }

        /** The learning rate. */
        public Options lr(double v) { map.put("lr", v); return this; }
        /** The smoothing constant of the squared-gradient average. */
        public Options alpha(double v) { map.put("alpha", v); return this; }
        /** The term added to the denominator. */
        public Options eps(double v) { map.put("eps", v); return this; }
        /** The L2 penalty. */
        public Options weightDecay(double v) { map.put("weight_decay", v); return this; }
        /** The momentum factor. */
        public Options momentum(double v) { map.put("momentum", v); return this; }
        /** Normalize by an estimate of the gradient's variance instead of its second moment. */
        public Options centered(boolean v) { map.put("centered", v); return this; }
        /** Maximize the objective instead of minimizing it. */
        public Options maximize(boolean v) { map.put("maximize", v); return this; }
    }

    /** RMSprop over one group of parameters. */
    public RMSprop(List<Tensor> params, Options options) { super(single(params), options.map); }

    private RMSprop(Options options, List<ParamGroup> groups) { super(groups, options.map); }

    /** RMSprop over several parameter groups; options a group does not set come from {@code options}. */
    public static RMSprop of(List<ParamGroup> groups, Options options) { return new RMSprop(options, groups); }

    @Override
    protected void validate(ParamGroup g) {
        nonNegative("RMSprop", "lr", g.lr());
        nonNegative("RMSprop", "eps", g.getDouble("eps"));
        nonNegative("RMSprop", "momentum", g.getDouble("momentum"));
        nonNegative("RMSprop", "weight_decay", g.getDouble("weight_decay"));
        nonNegative("RMSprop", "alpha", g.getDouble("alpha"));
    }

    @Override
    protected void update(ParamGroup g) {
        double lr = g.lr(), alpha = g.getDouble("alpha"), eps = g.getDouble("eps");
        double wd = g.getDouble("weight_decay"), momentum = g.getDouble("momentum");
        boolean centered = g.getBoolean("centered"), maximize = g.getBoolean("maximize");
        for (Tensor p : g.params()) {
            Tensor grad = p.grad();
            if (grad == null) continue;
            Map<String, Object> s = state(p);
            if (s.isEmpty()) {
                s.put("step", 0.0);
                s.put("square_avg", Tensor.zerosLike(p));
                if (momentum > 0) s.put("momentum_buffer", Tensor.zerosLike(p));
                if (centered) s.put("grad_avg", Tensor.zerosLike(p));
            }
            s.put("step", stepOf(s) + 1);
            Tensor buf = momentum > 0 ? (Tensor) s.computeIfAbsent("momentum_buffer", k -> Tensor.zerosLike(p)) : null;
            Tensor gradAvg = centered ? (Tensor) s.computeIfAbsent("grad_avg", k -> Tensor.zerosLike(p)) : null;
            OptimizerSteps.rmsprop(p, grad, (Tensor) s.get("square_avg"), buf, gradAvg,
                    new Fused.RmspropStep(lr, alpha, eps, wd, momentum, centered, maximize));
        }
    }
}
