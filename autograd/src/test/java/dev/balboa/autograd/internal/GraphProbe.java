package dev.balboa.autograd.internal;

import dev.balboa.api.Tensor;
import dev.balboa.api.dispatch.GradFn;
import dev.balboa.api.dispatch.ViewOp;
import dev.balboa.spi.Op;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Test access to the recorded graph: lists the primitive ops and views that a tensor's history holds. */
public final class GraphProbe {
    private GraphProbe() {}

    /**
     * Keys of every primitive and view recorded in the history of {@code roots}: the record's
     * simple name, plus {@code Name.FN} for ops parameterised by an enum constant.
     */
    public static Set<String> opKeys(List<Tensor> roots) {
        Set<String> keys = new LinkedHashSet<>();
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Node> stack = new ArrayDeque<>();
        for (Tensor t : roots) {
            if (t != null && t.gradFn() instanceof Node n) stack.push(n);
        }
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            if (!seen.add(n)) continue;
            switch (n) {
                case OpNode o -> keys.addAll(keysOf(o.op));
                case ViewNode v -> keys.add(keyOf(v.op));
                case CopySlices c -> {
                    keys.add("CopySlices");
                    keys.addAll(keysOf(c.inner.op));
                }
                default -> { }
            }
            for (Edge e : n.next) if (e != null) stack.push(e.node());
        }
        return keys;
    }

    /** The coverage keys of one primitive op. */
    public static Set<String> keysOf(Op op) {
        String base = op.getClass().getSimpleName();
        String fn = switch (op) {
            case Op.Unary u -> u.fn().name();
            case Op.Binary b -> b.fn().name();
            case Op.Reduce r -> r.fn().name();
            case Op.ArgReduce a -> a.fn().name();
            case Op.Scan s -> s.fn().name();
            case Op.Scatter s -> s.mode().name();
            default -> null;
        };
        Set<String> keys = new LinkedHashSet<>();
        keys.add(base);
        if (fn != null) keys.add(base + "." + fn);
        return keys;
    }

    /** The coverage key of a view op. */
    public static String keyOf(ViewOp op) { return "ViewOp." + op.getClass().getSimpleName(); }

    /** The node name of a tensor's history, or null for leaves. */
    public static String nodeName(Tensor t) {
        GradFn f = t.gradFn();
        return f == null ? null : f.name();
    }

    /** Applies the rule of an {@link ViewOp.Alias} view to {@code grad}, as backward would. */
    public static Tensor aliasRule(Tensor input, Tensor grad) {
        ViewNode node = new ViewNode(new ViewOp.Alias(), input, grad, null, 0);
        return node.apply(new Tensor[] {grad})[0];
    }
}
