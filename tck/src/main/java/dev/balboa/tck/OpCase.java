package dev.balboa.tck;

import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One conformance case: an op, its inputs (logical values and a memory layout each) and the
 * outputs to allocate, plus how strictly results are compared. Built fluently by the case
 * families and run on both the reference and the device under test.
 */
final class OpCase {
    /** An input: its logical contents, its layout and (for {@link Layout#BROADCAST}) its stride-0 dimensions. */
    record Arg(HostTensor data, Layout layout, boolean[] broadcast) {}

    /**
     * An output: dtype, shape and layout; {@code base} holds the view's initial contents (null:
     * a sentinel), {@code alias} the index of the input whose operand it reuses (-1: none).
     */
    record Out(DType dtype, long[] shape, Layout layout, HostTensor base, int alias) {}

    final String name;
    final Op op;
    final List<Arg> inputs = new ArrayList<>();
    final List<Out> outputs = new ArrayList<>();
    /** Number of terms accumulated per output element; tolerances widen with it. */
    long terms = 1;
    /** True when the result is exactly determined (IEEE-rounded or pure data movement). */
    boolean exact;

    OpCase(String name, Op op) {
        this.name = name;
        this.op = op;
    }

    OpCase in(HostTensor t, Layout layout) { return in(t, layout, null); }

    OpCase in(HostTensor t, Layout layout, boolean[] broadcast) {
        inputs.add(new Arg(t, layout, broadcast));
        return this;
    }

    OpCase out(DType dtype, long[] shape, Layout layout) {
        outputs.add(new Out(dtype, shape.clone(), layout, null, -1));
        return this;
    }

    OpCase outWithBase(HostTensor base, Layout layout) {
        outputs.add(new Out(base.dtype, base.shape.clone(), layout, base, -1));
        return this;
    }

    /** The output is written in place into input {@code input}'s operand. */
    OpCase outAliasing(int input) {
        Arg a = inputs.get(input);
        outputs.add(new Out(a.data().dtype, a.data().shape.clone(), a.layout(), null, input));
        return this;
    }

    OpCase terms(long k) {
        this.terms = Math.max(1, k);
        return this;
    }

    OpCase exact(boolean e) {
        this.exact = e;
        return this;
    }

    /** Every dtype the case touches. */
    Set<DType> dtypes() {
        Set<DType> s = EnumSet.noneOf(DType.class);
        for (Arg a : inputs) s.add(a.data().dtype);
        for (Out o : outputs) s.add(o.dtype());
        return s;
    }

    @Override
    public String toString() { return name; }
}
