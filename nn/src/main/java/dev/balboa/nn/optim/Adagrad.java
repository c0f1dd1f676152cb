package dev.balboa.nn.optim;

import dev.balboa.api.OptimizerSteps;
import dev.balboa.api.Tensor;
import dev.balboa.spi.Fused;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adagrad with PyTorch 1.13's update: {@code g += wd * p};
 * {@code clr = lr / (1 + (t - 1) lr_decay)}; {@code s += g^2}; {@code p -= clr g / (sqrt(s) + eps)}.
 * State ("step" and "sum", which starts at {@code initial_accumulator_value}) is created when a
 * group is added, as in PyTorch. Each parameter's update is one {@link OptimizerSteps#adagrad} call: a
 * fused kernel where the device offers one.
 */
public final class Adagrad extends Optimizer {

    /** Adagrad's hyper-parameters. */
    public static final class Options {
        final Map<String, Object> map = new LinkedHashMap<>();

        /** Defaults: lr 1e-2, lr decay 0, weight decay 0, initial accumulator 0, eps 1e-10, minimize. */
        public Options() {
            map.put("lr", 1e-2);
            map.put("lr_decay", 0.0);
            map.put("weight_decay", 0.0);
            map.put("initial_accumulator_value", 0.0);
            map.put("eps", 1e-10);
            map.put("maximize", false);
        }

        /** The learning rate. */
        public Options lr(double v) { map.put("lr", v); return this; }
        /** The learning-rate decay per step. */
        public Options lrDecay(double v) { map.put("lr_decay", v); return this; }
        /** The L2 penalty. */
        public Options weightDecay(double v) { map.put("weight_decay", v); return this; }
        /** The starting value of the squared-gradient sums. */
        public Options initialAccumulatorValue(double v) { map.put("initial_accumulator_value", v); return this; }
        /** The term added to the denominator. */
        public Options eps(double v) { map.put("eps", v); return this; }
        /** Maximize the objective instead of minimizing it. */
        public Options maximize(boolean v) { map.put("maximize", v); return this; }
    }

    /** Adagrad over one group of parameters. */
    public Adagrad(List<Tensor> params, Options options) { super(single(params), options.map); }

    private Adagrad(Options options, List<ParamGroup> groups) { super(groups, options.map); }

    /** Adagrad over several parameter groups; options a group does not set come from {@code options}. */
    public static Adagrad of(List<ParamGroup> groups, Options options) { return new Adagrad(options, groups); }

    @Override
    protected boolean stepIsTensor() { return true; }

    @Override
    protected void validate(ParamGroup g) {
        nonNegative("Adagrad", "lr", g.lr());
        nonNegative("Adagrad", "lr_decay", g.getDouble("lr_decay"));
        nonNegative("Adagrad", "weight_decay", g.getDouble("weight_decay"));
        nonNegative("Adagrad", "initial_accumulator_value", g.getDouble("initial_accumulator_value"));
        nonNegative("Adagrad", "eps", g.getDouble("eps"));
    }

    @Override
    protected void initGroupState(ParamGroup g) {
        double init = g.getDouble("initial_accumulator_value");
        for (Tensor p : g.params()) {
            Map<String, Object> s = state(p);
            s.put("step", 0.0);
            s.put("sum", Tensor.fullLike(p, init));
        }
    }

    @Override
    protected void update(ParamGroup g) {
        double lr = g.lr(), lrDecay = g.getDouble("lr_decay"), wd = g.getDouble("weight_decay"), eps = g.getDouble("eps");
        boolean maximize = g.getBoolean("maximize");
        for (Tensor p : g.params()) {
            Tensor grad = p.grad();
            if (grad == null) continue;
            Map<String, Object> s = state(p);
            double step = stepOf(s) + 1;
            s.put("step", step);
            OptimizerSteps.adagrad(p, grad, (Tensor) s.get("sum"), new Fused.AdagradStep(lr, lrDecay, wd, eps, maximize, (long) step));
        }
    }
}
