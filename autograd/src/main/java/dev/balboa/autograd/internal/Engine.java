package dev.balboa.autograd.internal;

import dev.balboa.api.Grad;
import dev.balboa.api.HookHandle;
import dev.balboa.api.Tensor;
import dev.balboa.api.dispatch.AutogradEngine;
import dev.balboa.api.dispatch.ViewOp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Runs backward over the recorded graph: counts dependencies from the roots, then processes
 * nodes whose gradients are complete, latest-created first, summing gradients that meet.
 */
public final class Engine implements AutogradEngine {

    @Override
    public boolean recordFused(String name, Tensor[] inputs, Tensor[] outputs, Tensor[] saved,
                               java.util.function.BiFunction<Tensor[], Tensor[], Tensor[]> backward) {
        return FusedNode.attach(name, inputs, outputs, saved, backward);
    }

    @Override
    public void backward(List<Tensor> outputs, List<Tensor> gradOutputs, boolean retainGraph, boolean createGraph) {
        run(outputs, gradOutputs, retainGraph, createGraph, null, false);
    }

    @Override
    public List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs,
                             boolean retainGraph, boolean createGraph, boolean allowUnused) {
        Edge[] targets = new Edge[inputs.size()];
        for (int i = 0; i < targets.length; i++) {
            Tensor in = inputs.get(i);
            targets[i] = Meta.edgeOf(in);
            if (targets[i] == null) {
                throw new IllegalArgumentException("grad: input " + i + " (" + in.dtype() + Arrays.toString(in.shape())
                        + ") does not require gradients");
            }
        }
        Tensor[] captured = run(outputs, gradOutputs, retainGraph, createGraph, targets, true);
        List<Tensor> result = new ArrayList<>();
        for (int i = 0; i < targets.length; i++) {
            if (captured[i] == null && !allowUnused) {
                throw new IllegalArgumentException("grad: input " + i + " (" + inputs.get(i).dtype()
                        + Arrays.toString(inputs.get(i).shape()) + ") is not reachable from the outputs; "
                        + "pass allowUnused=true to get null for it");
            }
            result.add(captured[i]);
        }
        return result;
    }

    private static Tensor[] run(List<Tensor> outputs, List<Tensor> gradOutputs, boolean retainGraph, boolean createGraph,
                                Edge[] targets, boolean captureOnly) {
        if (outputs.size() != gradOutputs.size()) {
            throw new IllegalArgumentException("backward: " + outputs.size() + " outputs but " + gradOutputs.size() + " gradients");
        }
        Map<Node, Tensor[]> buffers = new HashMap<>();
        // gradient sums this engine allocated and that only one buffer slot refers to: safe to add into in place
        Set<Tensor> owned = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        List<Node> roots = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            Tensor out = outputs.get(i), g = gradOutputs.get(i);
            Edge e = Meta.edgeOf(out);
            if (e == null) {
                throw new IllegalStateException("backward: output " + i + " (" + out.dtype() + Arrays.toString(out.shape())
                        + ") does not require gradients and has no grad_fn");
            }
            boolean created = g == null;
            if (created) g = Tensor.onesLike(out);
            if (!Arrays.equals(g.shape(), out.shape())) {
                throw new IllegalArgumentException("backward: the gradient " + g.dtype() + Arrays.toString(g.shape())
                        + " does not match the shape of output " + i + " " + Arrays.toString(out.shape()));
            }
            // a gradient the caller passed stays theirs: never written in place or handed to a leaf
            accumulate(buffers, owned, e, g, createGraph, created);
            roots.add(e.node());
        }
        // dependency counts over the reachable graph
        Map<Node, Integer> deps = new IdentityHashMap<>();
        Set<Node> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Node> stack = new ArrayDeque<>(roots);
        List<Node> order = new ArrayList<>();
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            if (!seen.add(n)) continue;
            order.add(n);
            for (Edge e : n.next) {
                if (e == null) continue;
                deps.merge(e.node(), 1, Integer::sum);
                stack.push(e.node());
            }
        }
        // in capture mode, only nodes that lead to a target need to run
        Map<Node, Integer> targetIndex = new IdentityHashMap<>();
        Set<Node> needed = null;
        if (targets != null) {
            for (int i = 0; i < targets.length; i++) targetIndex.put(targets[i].node(), i);
            needed = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            // an edge always points to an older node, so in creation order every node comes after what it feeds
            List<Node> oldestFirst = new ArrayList<>(order);
            oldestFirst.sort(java.util.Comparator.comparingLong(n -> n.sequenceNr));
            for (Node n : oldestFirst) {
                boolean need = targetIndex.containsKey(n);
                for (Edge e : n.next) if (e != null && needed.contains(e.node())) need = true;
                if (need) needed.add(n);
            }
        }
        Tensor[] captured = targets == null ? null : new Tensor[targets.length];
        PriorityQueue<Node> ready = new PriorityQueue<>((a, b) -> Long.compare(b.sequenceNr, a.sequenceNr));
        for (Node r : roots) if (deps.getOrDefault(r, 0) == 0 && !ready.contains(r)) ready.add(r);
        try (Grad.Scope scope = createGraph ? Grad.enabled() : Grad.disabled()) {
            while (!ready.isEmpty()) {
                Node node = ready.poll();
                Tensor[] grads = buffers.remove(node);
                if (grads == null) grads = new Tensor[node.outShapes.length];
                // which incoming gradients only this pass refers to (they may be written in place or passed on)
                boolean[] exclusiveIn = new boolean[grads.length];
                for (int i = 0; i < grads.length; i++) if (grads[i] != null) exclusiveIn[i] = owned.remove(grads[i]);
                if (node.preHooks != null) {
                    for (int i = 0; i < grads.length; i++) {
                        if (node.preHooks[i] == null || grads[i] == null) continue;
                        exclusiveIn[i] = false; // a hook may keep the tensor or return one it keeps
                        for (UnaryOperator<Tensor> h : node.preHooks[i]) {
                            Tensor r = h.apply(grads[i]);
                            if (r != null) grads[i] = r;
                        }
                    }
                }
                if (targets != null && targetIndex.containsKey(node)) {
                    Arrays.fill(exclusiveIn, false); // the captured gradient is returned to the caller
                    for (int i = 0; i < targets.length; i++) {
                        if (targets[i].node() == node) {
                            Tensor g = grads[targets[i].inputNr()];
                            if (g != null && node instanceof AccumulateGrad acc) g = acc.runHooks(g);
                            captured[i] = g == null ? null : (createGraph ? g : g.detach());
                        }
                    }
                }
                boolean run = !(node instanceof AccumulateGrad && captureOnly) && (needed == null || needed.contains(node));
                // a released node fails only when it reads what it saved (Saved.get, CustomNode): nodes that keep
                // nothing (views, add, sum) can be run again, as in PyTorch
                Tensor[] inGrads = null;
                boolean[] exclusiveOut = null;
                if (run) {
                    boolean any = false;
                    for (int i = 0; i < grads.length; i++) {
                        if (grads[i] == null && node.differentiable(i) && !(node instanceof AccumulateGrad)) {
                            grads[i] = Tensor.zeros(node.outShapes[i], node.outDtypes[i], node.device);
                        }
                        any |= grads[i] != null;
                    }
                    if (any && !createGraph && node instanceof ViewNode v && v.op instanceof ViewOp.Slice sl && v.next[0] != null) {
                        // a slice's gradient lands in place in its base's gradient sum instead of a full-size zeros tensor
                        addIntoSlice(buffers, owned, v, sl, grads[0]);
                        any = false;
                    }
                    if (any) {
                        inGrads = node instanceof AccumulateGrad acc
                                ? acc.apply(grads, exclusiveIn[0] && !createGraph) : node.apply(grads);
                        if (Anomaly.enabled()) checkAnomaly(node, inGrads);
                        if (!createGraph) exclusiveOut = exclusiveOutputs(node, grads, exclusiveIn, inGrads);
                    }
                    if (!retainGraph) node.release();
                }
                for (int i = 0; i < node.next.length; i++) {
                    Edge e = node.next[i];
                    if (e == null) continue;
                    Tensor g = inGrads != null && i < inGrads.length ? inGrads[i] : null;
                    if (g != null) {
                        long[] expected = e.node().outShapes[e.inputNr()];
                        if (!Arrays.equals(g.shape(), expected)) {
                            throw new IllegalStateException("autograd: " + node.name() + " produced a gradient of shape "
                                    + Arrays.toString(g.shape()) + " for an input of shape " + Arrays.toString(expected));
                        }
                        // as PyTorch's engine: a gradient takes the dtype of the tensor it is for (a float16 sum
                        // reduces in float32, yet the float16 leaf's grad must stay float16)
                        var dtype = e.node().outDtypes[e.inputNr()];
                        boolean exclusive = exclusiveOut != null && exclusiveOut[i];
                        if (g.dtype() != dtype && dtype.isFloatingPoint()) {
                            g = g.to(dtype);
                            exclusive = !createGraph;
                        }
                        accumulate(buffers, owned, e, g, createGraph, exclusive);
                    }
                    int left = deps.merge(e.node(), -1, Integer::sum);
                    if (left == 0) ready.add(e.node());
                }
            }
        }
        return captured;
    }

    /**
     * Adds gradient {@code g} into the buffer slot of edge {@code e}. {@code owned} holds the
     * gradients in the buffers whose storage nothing outside this backward pass refers to (sums
     * this engine made, fresh results of derivative rules): those are summed into in place, and
     * a leaf may keep one as its {@code grad} without a copy. {@code exclusive} says whether
     * {@code g} is such a gradient.
     */
    private static void accumulate(Map<Node, Tensor[]> buffers, Set<Tensor> owned, Edge e, Tensor g, boolean createGraph,
                                   boolean exclusive) {
        Tensor[] buf = buffers.computeIfAbsent(e.node(), n -> new Tensor[n.outShapes.length]);
        int k = e.inputNr();
        Tensor cur = buf[k];
        if (cur == null) {
            buf[k] = g;
            if (exclusive && !createGraph) owned.add(g);
        } else if (createGraph) {
            buf[k] = cur.add(g);
        } else if (owned.contains(cur) && cur.isContiguous()) {
            cur.add_(g);
        } else if (exclusive && g.isContiguous()) {
            g.add_(cur);
            owned.remove(cur);
            owned.add(g);
            buf[k] = g;
        } else {
            owned.remove(cur);
            buf[k] = cur.add(g);
            owned.add(buf[k]);
        }
    }

    /**
     * Which gradients a node returned are exclusively this pass's: results of the engine's own
     * derivative rules ({@link OpNode}, {@link ViewNode}; a custom function may return tensors it
     * keeps) that share storage with no other returned gradient, with no saved tensor, and with no
     * incoming gradient unless that one was exclusive itself (a view of it passes ownership on).
     */
    private static boolean[] exclusiveOutputs(Node node, Tensor[] grads, boolean[] exclusiveIn, Tensor[] inGrads) {
        if (!(node instanceof OpNode || node instanceof ViewNode)) return null;
        boolean[] ex = new boolean[inGrads.length];
        outer:
        for (int j = 0; j < inGrads.length; j++) {
            Tensor g = inGrads[j];
            if (g == null) continue;
            for (int k = 0; k < inGrads.length; k++) {
                if (k != j && inGrads[k] != null && g.sharesStorage(inGrads[k])) continue outer;
            }
            for (int i = 0; i < grads.length; i++) {
                if (grads[i] != null && !exclusiveIn[i] && g.sharesStorage(grads[i])) continue outer;
            }
            if (node instanceof OpNode op && (sharesWithSaved(g, op.inputs) || sharesWithSaved(g, op.outputs))) continue;
            ex[j] = true;
        }
        return ex;
    }

    private static boolean sharesWithSaved(Tensor g, Saved[] saved) {
        for (Saved s : saved) {
            Tensor t = s == null ? null : s.peek();
            if (t != null && g.sharesStorage(t)) return true;
        }
        return false;
    }

    private static void addIntoSlice(Map<Node, Tensor[]> buffers, Set<Tensor> owned, ViewNode v, ViewOp.Slice sl, Tensor g) {
        Edge e = v.next[0];
        Tensor[] buf = buffers.computeIfAbsent(e.node(), n -> new Tensor[n.outShapes.length]);
        int k = e.inputNr();
        Tensor target = buf[k];
        if (target == null || !owned.contains(target) || !target.isContiguous()) {
            Tensor fresh = target == null ? Tensor.zeros(v.inShape, v.inDtype, g.device()) : target.contiguous().clone();
            owned.add(fresh);
            buf[k] = target = fresh;
        }
        target.slice(sl.dim(), sl.start(), sl.end(), sl.step()).add_(g);
    }

    private static void checkAnomaly(Node node, Tensor[] grads) {
        for (int i = 0; i < grads.length; i++) {
            Tensor g = grads[i];
            if (g == null || !g.dtype().isFloatingPoint() || g.numel() == 0) continue;
            boolean nan = g.isnan().any().itemBoolean();
            boolean inf = !nan && g.isinf().any().itemBoolean();
            if (nan || inf) {
                throw new dev.balboa.autograd.AnomalyException(node.name(), i, nan ? "nan" : "inf", node.creation);
            }
        }
    }

    @Override
    public void retainGrad(Tensor t) {
        if (t.isLeaf()) return;
        Meta m = Meta.of(t);
        if (m.retainsGrad && m.retainNode == t.gradFn()) return;
        m.retainsGrad = true;
        attachRetainHook(t, m);
    }

    /**
     * Puts the retain-grad hook on {@code t}'s current node. An in-place op gives the tensor a new
     * node; the layer calls this again, and the hook left on the old node turns inert.
     */
    static void attachRetainHook(Tensor t, Meta m) {
        Node n = (Node) t.gradFn();
        m.retainNode = n;
        int nr = Meta.ACCESS.outputNr(t);
        java.lang.ref.WeakReference<Tensor> ref = new java.lang.ref.WeakReference<>(t);
        n.addPreHook(nr, g -> {
            Tensor target = ref.get();
            if (target != null && target.gradFn() == n) {
                Tensor d = Grad.isEnabled() ? g : g.detach();
                Tensor old = target.grad();
                Meta.ACCESS.setGrad(target, old == null ? (Grad.isEnabled() ? d : d.clone()) : old.add(d));
            }
            return null;
        });
    }

    @Override
    public HookHandle registerHook(Tensor t, UnaryOperator<Tensor> hook) {
        if (!t.requiresGrad()) {
            throw new IllegalStateException("registerHook: " + t.dtype() + Arrays.toString(t.shape())
                    + " does not require gradients, so its hook would never run");
        }
        if (t.isLeaf()) {
            List<UnaryOperator<Tensor>> hooks = Meta.of(t).leafHooks;
            hooks.add(hook);
            return () -> hooks.remove(hook);
        }
        Node n = (Node) t.gradFn();
        int nr = Meta.ACCESS.outputNr(t);
        n.addPreHook(nr, hook);
        return () -> n.preHooks[nr].remove(hook);
    }

    @Override
    public HookHandle registerPostAccumulateGradHook(Tensor t, Consumer<Tensor> hook) {
        if (!t.isLeaf() || !t.requiresGrad()) {
            throw new IllegalStateException("registerPostAccumulateGradHook: only leaf tensors that require gradients "
                    + "accumulate them; got " + t.dtype() + Arrays.toString(t.shape()));
        }
        List<Consumer<Tensor>> hooks = Meta.of(t).postAccumulateHooks;
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }
}
