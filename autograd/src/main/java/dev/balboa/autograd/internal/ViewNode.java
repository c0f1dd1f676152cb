package dev.balboa.autograd.internal;

import dev.balboa.api.Tensor;
import dev.balboa.api.dispatch.ViewOp;
import dev.balboa.spi.DType;
import java.util.ArrayList;
import java.util.List;

/** The node of a view: maps the view's gradient back to the shape of the tensor it viewed. */
final class ViewNode extends Node {
    final ViewOp op;
    final long[] inShape;
    final DType inDtype;
    /** For AsStrided: the view's offset relative to the (contiguous) input's first element. */
    final long relativeOffset;
    /**
     * The storage version when this history was given to the view; a different version later means
     * the base (or another view of it) was changed in place and the history must be rebuilt.
     */
    final int version;

    ViewNode(ViewOp op, Tensor input, Tensor output, Edge edge, long relativeOffset) {
        super(new Edge[] {edge}, new long[][] {output.shape()}, new DType[] {output.dtype()}, output.device());
        this.op = op;
        this.inShape = input.shape();
        this.inDtype = input.dtype();
        this.relativeOffset = relativeOffset;
        this.version = output.version();
    }

    @Override
    Tensor[] apply(Tensor[] grads) {
        Tensor g = grads[0];
        Tensor r = switch (op) {
            case ViewOp.Reshape v -> g.reshape(inShape);
            case ViewOp.Permute p -> {
                int[] inv = new int[p.dims().length];
                for (int i = 0; i < inv.length; i++) inv[p.dims()[i]] = i;
                yield g.permute(inv);
            }
            case ViewOp.Expand e -> sumTo(g, e.from());
            case ViewOp.Slice s -> {
                Tensor z = Tensor.zeros(inShape, inDtype, g.device());
                z.slice(s.dim(), s.start(), s.end(), s.step()).copy_(g);
                yield z;
            }
            case ViewOp.Unfold u -> {
                Tensor z = Tensor.zeros(inShape, inDtype, g.device());
                long windows = g.size(u.dim());
                for (long k = 0; k < u.size(); k++) {
                    if (windows == 0) break;
                    z.slice(u.dim(), k, k + (windows - 1) * u.step() + 1, u.step()).add_(g.select(-1, k));
                }
                yield z;
            }
            case ViewOp.AsStrided a -> {
                Tensor z = Tensor.zeros(inShape, inDtype, g.device());
                Meta.ACCESS.asStrided(z, a.shape(), a.strides(), relativeOffset).copy_(g);
                yield z;
            }
            case ViewOp.Alias a -> g;
        };
        return new Tensor[] {r};
    }

    /** Sums a broadcast gradient back to {@code shape} (leading dims and size-1 dims). */
    static Tensor sumTo(Tensor g, long[] shape) {
        long[] gs = g.shape();
        int lead = gs.length - shape.length;
        List<Integer> dims = new ArrayList<>();
        for (int i = 0; i < gs.length; i++) {
            if (i < lead || (shape[i - lead] == 1 && gs[i] != 1)) dims.add(i);
        }
        Tensor r = g;
        if (!dims.isEmpty()) r = g.sum(dims.stream().mapToInt(Integer::intValue).toArray(), true);
        return r.reshape(shape);
    }

    @Override
    public String name() {
        return switch (op) {
            case ViewOp.Reshape v -> "ViewBackward";
            case ViewOp.Permute p -> "PermuteBackward";
            case ViewOp.Expand e -> "ExpandBackward";
            case ViewOp.Slice s -> "SliceBackward";
            case ViewOp.Unfold u -> "UnfoldBackward";
            case ViewOp.AsStrided a -> "AsStridedBackward";
            case ViewOp.Alias a -> "AliasBackward";
        };
    }
}
