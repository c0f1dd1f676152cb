package dev.balboa.autograd.internal;

import dev.balboa.api.Tensor;
import dev.balboa.api.engine.TensorAccess;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** Per-tensor autograd data: a leaf's gradient accumulator and hooks, a non-leaf's retain flag. */
final class Meta {
    static final TensorAccess ACCESS = TensorAccess.get();

    AccumulateGrad accumulator;
    final List<UnaryOperator<Tensor>> leafHooks = new ArrayList<>();
    final List<Consumer<Tensor>> postAccumulateHooks = new ArrayList<>();
    boolean retainsGrad;

    static Meta of(Tensor t) {
        Object m = ACCESS.meta(t);
        if (m instanceof Meta meta) return meta;
        Meta meta = new Meta();
        ACCESS.setMeta(t, meta);
        return meta;
    }

    static Meta peek(Tensor t) {
        return ACCESS.meta(t) instanceof Meta m ? m : null;
    }

    /** The edge a gradient for {@code t} flows into, or null when {@code t} does not require grad. */
    static Edge edgeOf(Tensor t) {
        if (t.gradFn() instanceof Node n) return new Edge(n, ACCESS.outputNr(t));
        if (ACCESS.leafRequiresGrad(t)) {
            Meta m = of(t);
            if (m.accumulator == null) m.accumulator = new AccumulateGrad(t);
            return new Edge(m.accumulator, 0);
        }
        return null;
    }
}
