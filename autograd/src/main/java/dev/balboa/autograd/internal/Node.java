package dev.balboa.autograd.internal;

import dev.balboa.api.Tensor;
import dev.balboa.api.dispatch.GradFn;
import dev.balboa.spi.DType;
import dev.balboa.spi.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * A node of the autograd graph: maps the gradients of its outputs to gradients of its inputs,
 * which flow along {@link #next} edges. Nodes are ordered by creation ({@link #sequenceNr}) so
 * that backward runs later nodes first.
 */
abstract class Node implements GradFn {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    /** Where each input's gradient goes; null for inputs that need none. */
    final Edge[] next;
    final long sequenceNr = SEQUENCE.getAndIncrement();
    /** Shape, dtype and device of each output, to make zero gradients for outputs that got none. */
    final long[][] outShapes;
    final DType[] outDtypes;
    final Device device;
    /** Where the forward op was called, recorded in anomaly mode. */
    final Throwable creation;
    /** Hooks on the gradients of each output (tensor hooks of non-leaf tensors). */
    List<UnaryOperator<Tensor>>[] preHooks;
    boolean released;

    Node(Edge[] next, long[][] outShapes, DType[] outDtypes, Device device) {
        this.next = next;
        this.outShapes = outShapes;
        this.outDtypes = outDtypes;
        this.device = device;
        this.creation = Anomaly.enabled() ? new Throwable("forward call of " + getClass().getSimpleName()) : null;
    }

    /** Input gradients (one per edge; null where there is none) from output gradients (null where zero). */
    abstract Tensor[] apply(Tensor[] gradOutputs);

    /** Frees saved tensors after a backward pass that does not retain the graph. */
    void release() { released = true; }

    /** Whether output {@code i} carries gradients (floating point). */
    boolean differentiable(int i) { return outDtypes[i].isFloatingPoint(); }

    @SuppressWarnings("unchecked")
    void addPreHook(int output, UnaryOperator<Tensor> hook) {
        if (preHooks == null) preHooks = new List[outShapes.length];
        if (preHooks[output] == null) preHooks[output] = new ArrayList<>();
        preHooks[output].add(hook);
    }

    @Override
    public String toString() { return name(); }
}
