package dev.balboa.nn.optim;

import dev.balboa.api.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One parameter group of an {@link Optimizer}: its parameters and its hyper-parameters by
 * PyTorch's names ("lr", "momentum", "betas", "weight_decay", ...). Options not set on the group
 * are filled from the optimizer's defaults when the group is added. Values are {@code Double},
 * {@code Boolean}, {@code Long} or {@code List<Double>} (for pairs such as "betas"), so a group
 * maps directly to JSON. Schedulers change options such as "lr" between steps.
 *
 * <pre>{@code
 * var opt = SGD.of(List.of(ParamGroup.of(backbone.parameters()),
 *                          ParamGroup.of(head.parameters()).with("lr", 0.1)),
 *                  new SGD.Options().lr(0.01).momentum(0.9));
 * }</pre>
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Object> options = new LinkedHashMap<>();

    private ParamGroup(List<Tensor> params) {
        if (params == null || params.isEmpty()) throw new IllegalArgumentException("ParamGroup: the parameter list is empty");
        for (Tensor p : params) {
            if (p == null) throw new IllegalArgumentException("ParamGroup: null parameter");
            if (!p.isLeaf()) throw new IllegalArgumentException("ParamGroup: can only optimize leaf tensors, got a tensor with grad_fn");
        }
        this.params = List.copyOf(params);
    }

    /** A group of the given parameters with no options of its own yet. */
    public static ParamGroup of(List<Tensor> params) { return new ParamGroup(params); }

    /** Sets an option and returns this group (for building groups fluently). */
    public ParamGroup with(String key, Object value) {
        set(key, value);
        return this;
    }

    /** The parameters of the group, in order. */
    public List<Tensor> params() { return params; }

    /** A read-only view of the options. */
    public Map<String, Object> options() { return Collections.unmodifiableMap(options); }

    /** Whether the option is set. */
    public boolean has(String key) { return options.containsKey(key); }

    /** The option's value, or null. */
    public Object get(String key) { return options.get(key); }

    /** A numeric option. */
    public double getDouble(String key) {
        Object v = require(key);
        if (v instanceof Number n) return n.doubleValue();
        throw new IllegalStateException("param group option '" + key + "' is not a number: " + v);
    }

    /** A boolean option. */
    public boolean getBoolean(String key) {
        Object v = require(key);
        if (v instanceof Boolean b) return b;
        throw new IllegalStateException("param group option '" + key + "' is not a boolean: " + v);
    }

    /** A list-of-numbers option such as "betas". */
    public double[] getDoubles(String key) {
        Object v = require(key);
        if (v instanceof List<?> l) {
            double[] out = new double[l.size()];
            for (int i = 0; i < out.length; i++) out[i] = ((Number) l.get(i)).doubleValue();
            return out;
        }
        throw new IllegalStateException("param group option '" + key + "' is not a list of numbers: " + v);
    }

    /**
     * Sets an option. Integers become {@code Long}, other numbers {@code Double}, and
     * {@code double[]} or lists of numbers become a {@code List<Double>}.
     */
    public void set(String key, Object value) {
        if ("params".equals(key)) throw new IllegalArgumentException("ParamGroup: 'params' is not an option");
        options.put(key, normalize(key, value));
    }

    /** The learning rate ("lr"). */
    public double lr() { return getDouble("lr"); }

    /** Sets the learning rate ("lr"). */
    public void setLr(double lr) { options.put("lr", lr); }

    void setDefault(String key, Object value) {
        if (!options.containsKey(key)) options.put(key, normalize(key, value));
    }

    private Object require(String key) {
        Object v = options.get(key);
        if (v == null) throw new IllegalStateException("param group has no option '" + key + "' (options: " + options.keySet() + ")");
        return v;
    }

    static Object normalize(String key, Object value) {
        return switch (value) {
            case null -> throw new IllegalArgumentException("ParamGroup: option '" + key + "' is null");
            case Integer i -> (long) i;
            case Long l -> l;
            case Short s -> (long) s;
            case Number n -> n.doubleValue();
            case Boolean b -> b;
            case String s -> s;
            case double[] a -> {
                List<Double> l = new ArrayList<>();
                for (double d : a) l.add(d);
                yield Collections.unmodifiableList(l);
            }
            case List<?> list -> {
                List<Double> l = new ArrayList<>();
                for (Object o : list) {
                    if (!(o instanceof Number n)) throw new IllegalArgumentException("ParamGroup: option '" + key + "' holds a non-number " + o);
                    l.add(n.doubleValue());
                }
                yield Collections.unmodifiableList(l);
            }
            default -> throw new IllegalArgumentException("ParamGroup: option '" + key + "' has unsupported type "
                    + value.getClass().getName() + " (numbers, booleans, strings, lists of numbers)");
        };
    }
}
