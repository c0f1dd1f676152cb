package dev.balboa.api;

import dev.balboa.spi.DType;
import dev.balboa.spi.Op;

/** Reductions, scans, sorting and the reduction composites (mean, var, logsumexp, norm, softmax). */
final class Reductions {
    private Reductions() {}

    private static long[] keptShape(long[] shape, int[] axes) {
        long[] out = shape.clone();
        for (int a : axes) out[a] = 1;
        return out;
    }

    private static long[] droppedShape(long[] shape, int[] axes) {
        long[] out = new long[shape.length - axes.length];
        for (int i = 0, j = 0, k = 0; i < shape.length; i++) {
            if (k < axes.length && axes[k] == i) k++;
            else out[j++] = shape[i];
        }
        return out;
    }

    /** Runs a Reduce kernel into {@code outDtype} and drops the reduced dims unless {@code keepdim}. */
    static Tensor reduce(Op.ReduceFn fn, String op, Tensor x, int[] dims, boolean keepdim, DType outDtype) {
        int[] axes = Shapes.dims(op, dims, x.shape.length);
        if (x.shape.length == 0) return x.to(outDtype).clone();
        Tensor out = Creation.empty(op, keptShape(x.shape, axes), outDtype, x.backend());
        Dispatcher.kernel(new Op.Reduce(fn, axes), new Tensor[] {x}, new Tensor[] {out}, false);
        return keepdim ? out : out.view(droppedShape(x.shape, axes));
    }

    private static DType accumulator(DType dt) {
        return switch (dt) {
            case BOOL, UINT8, INT8, INT32, INT64 -> DType.INT64;
            case FLOAT16, BFLOAT16 -> DType.FLOAT32;
            default -> dt;
        };
    }

    static Tensor sum(Tensor x, int[] dims, boolean keepdim, DType dtype) {
        if (dtype != null) x = x.to(dtype);
        DType acc = accumulator(x.dtype);
        Tensor s = reduce(Op.ReduceFn.SUM, "sum", x, dims, keepdim, acc);
        DType result = x.dtype.isFloatingPoint() ? x.dtype : acc;
        return s.to(result);
    }

    private static long count(Tensor x, int[] dims) {
        int[] axes = Shapes.dims("mean", dims, x.shape.length);
        long n = 1;
        for (int a : axes) n *= x.shape[a];
        return n;
    }

    static Tensor mean(Tensor x, int[] dims, boolean keepdim) {
        if (!x.dtype.isFloatingPoint()) {
            throw Errors.dtype("mean", "expected a floating-point tensor (convert integers with to(DType.FLOAT32))", x);
        }
        long n = count(x, dims);
        return sum(x, dims, keepdim, null).div((double) n);
    }

    static Tensor simple(Op.ReduceFn fn, String op, Tensor x, int[] dims, boolean keepdim) {
        int[] axes = Shapes.dims(op, dims, x.shape.length);
        if (fn == Op.ReduceFn.MAX || fn == Op.ReduceFn.MIN) {
            for (int a : axes) {
                if (x.shape[a] == 0) {
                    throw new IllegalArgumentException(op + ": cannot reduce over dimension " + a + " of size 0 ("
                            + Errors.describe(x) + "): the operation has no identity");
                }
            }
            if (x.dtype == DType.BOOL) return reduce(fn, op, x.to(DType.UINT8), dims, keepdim, DType.UINT8).to(DType.BOOL);
            return reduce(fn, op, x, dims, keepdim, x.dtype);
        }
        DType acc = accumulator(x.dtype);
        Tensor r = reduce(fn, op, x, dims, keepdim, acc);
        return r.to(x.dtype.isFloatingPoint() ? x.dtype : acc);
    }

    static ValuesIndices arg(Op.ArgFn fn, String op, Tensor x, int dim, boolean keepdim) {
        if (x.shape.length == 0) {
            return new ValuesIndices(x.clone(), Tensor.zeros(new long[0], DType.INT64, x.device()));
        }
        int d = Shapes.dim(op, dim, x.shape.length);
        if (x.shape[d] == 0) {
            throw new IllegalArgumentException(op + ": cannot reduce over dimension " + d + " of size 0 (" + Errors.describe(x) + ")");
        }
        Tensor src = x.dtype == DType.BOOL ? x.to(DType.UINT8) : x;
        long[] kept = keptShape(x.shape, new int[] {d});
        Tensor values = Creation.empty(op, kept, src.dtype, x.backend());
        Tensor indices = Creation.empty(op, kept, DType.INT64, x.backend());
        Dispatcher.kernel(new Op.ArgReduce(fn, d), new Tensor[] {src}, new Tensor[] {values, indices}, false);
        if (src != x) values = values.to(DType.BOOL);
        if (!keepdim) {
            values = values.squeeze(d);
            indices = indices.squeeze(d);
        }
        return new ValuesIndices(values, indices);
    }

    static Tensor var(Tensor x, int[] dims, boolean unbiased, boolean keepdim) {
        if (!x.dtype.isFloatingPoint()) throw Errors.dtype("var", "expected a floating-point tensor", x);
        long n = count(x, dims);
        Tensor mu = mean(x, dims, true);
        Tensor d = x.sub(mu);
        Tensor ss = sum(d.mul(d), dims, keepdim, null);
        return ss.div((double) Math.max(0, n - (unbiased ? 1 : 0)));
    }

    static Tensor logsumexp(Tensor x, int[] dims, boolean keepdim) {
        if (!x.dtype.isFloatingPoint()) x = x.to(DType.FLOAT32);
        if (x.numel() == 0) return sum(x.exp(), dims, keepdim, null).log();
        Tensor m = x.amax(dims, true).detach();
        m = Tensor.where(m.isinf(), Tensor.zerosLike(m), m);
        Tensor r = sum(x.sub(m).exp(), dims, true, null).log().add(m);
        if (!keepdim) {
            int[] axes = Shapes.dims("logsumexp", dims, x.shape.length);
            r = r.view(droppedShape(x.shape, axes));
        }
        return r;
    }

    static Tensor norm(Tensor x, double p, int[] dims, boolean keepdim) {
        if (!x.dtype.isFloatingPoint()) throw Errors.dtype("norm", "expected a floating-point tensor", x);
        if (p == 2) return rootAvoidingZero(sum(x.mul(x), dims, keepdim, null), 0.5);
        if (p == 1) return sum(x.abs(), dims, keepdim, null);
        if (p == Double.POSITIVE_INFINITY) return x.abs().amax(dims == null ? new int[0] : dims, keepdim);
        if (p == Double.NEGATIVE_INFINITY) return x.abs().amin(dims == null ? new int[0] : dims, keepdim);
        if (p == 0) return sum(x.ne(0.0).to(x.dtype), dims, keepdim, null);
        return rootAvoidingZero(sum(x.abs().pow(p), dims, keepdim, null), 1.0 / p);
    }

    /** s^e, with a zero gradient where s is 0 (the root's derivative there is infinite; PyTorch's norm gives 0). */
    private static Tensor rootAvoidingZero(Tensor s, double e) {
        Tensor zero = s.eq(0.0);
        Tensor safe = Tensor.where(zero, Tensor.onesLike(s), s);
        Tensor r = e == 0.5 ? safe.sqrt() : safe.pow(e);
        return Tensor.where(zero, Tensor.zerosLike(s), r);
    }

    static Tensor logical(Op.ReduceFn fn, Tensor x, int[] dims, boolean keepdim) {
        Tensor b = x.dtype == DType.BOOL ? x : x.ne(0.0);
        Tensor r = reduce(fn, fn == Op.ReduceFn.ALL ? "all" : "any", b, dims, keepdim, DType.BOOL);
        // as in PyTorch, all/any of a uint8 tensor are uint8
        return x.dtype == DType.UINT8 ? r.to(DType.UINT8) : r;
    }

    static Tensor softmax(Tensor x, int dim) {
        if (!x.dtype.isFloatingPoint()) x = x.to(DType.FLOAT32);
        if (x.shape.length == 0) return softmax(x.reshape(1), 0).reshape(); // keeps the autograd graph
        int d = Shapes.dim("softmax", dim, x.shape.length);
        if (x.shape[d] == 0) return x.clone();
        if (d == x.shape.length - 1) {
            Tensor fused = FusedComposites.softmaxLastDim(x, false);
            if (fused != null) return fused;
        }
        Tensor m = x.amax(new int[] {d}, true).detach();
        Tensor e = x.sub(m).exp();
        return e.div(e.sum(new int[] {d}, true));
    }

    static Tensor logSoftmax(Tensor x, int dim) {
        if (!x.dtype.isFloatingPoint()) x = x.to(DType.FLOAT32);
        if (x.shape.length == 0) return logSoftmax(x.reshape(1), 0).reshape(); // keeps the autograd graph
        int d = Shapes.dim("log_softmax", dim, x.shape.length);
        if (x.shape[d] == 0) return x.clone();
        if (d == x.shape.length - 1) {
            Tensor fused = FusedComposites.softmaxLastDim(x, true);
            if (fused != null) return fused;
        }
        Tensor m = x.amax(new int[] {d}, true).detach();
        Tensor shifted = x.sub(m);
        return shifted.sub(shifted.exp().sum(new int[] {d}, true).log());
    }

    static Tensor scan(Op.ScanFn fn, Tensor x, int dim) {
        String op = fn == Op.ScanFn.SUM ? "cumsum" : "cumprod";
        if (x.shape.length == 0) return x.to(accumulatorKeepFloat(x.dtype)).clone();
        int d = Shapes.dim(op, dim, x.shape.length);
        DType acc = accumulator(x.dtype);
        Tensor out = Creation.empty(op, x.shape, acc, x.backend());
        Dispatcher.kernel(new Op.Scan(fn, d), new Tensor[] {x}, new Tensor[] {out}, false);
        return out.to(accumulatorKeepFloat(x.dtype));
    }

    private static DType accumulatorKeepFloat(DType dt) {
        return dt.isFloatingPoint() ? dt : DType.INT64;
    }

    static ValuesIndices sort(Tensor x, int dim, boolean descending) {
        if (x.shape.length == 0) return new ValuesIndices(x.clone(), Tensor.zeros(new long[0], DType.INT64, x.device()));
        int d = Shapes.dim("sort", dim, x.shape.length);
        Tensor values = Creation.empty("sort", x.shape, x.dtype, x.backend());
        Tensor indices = Creation.empty("sort", x.shape, DType.INT64, x.backend());
        Dispatcher.kernel(new Op.Sort(d, descending), new Tensor[] {x}, new Tensor[] {values, indices}, false);
        return new ValuesIndices(values, indices);
    }

    static boolean allclose(Tensor a, Tensor b, double rtol, double atol, boolean equalNan) {
        Errors.sameDevice("allclose", a, b);
        Shapes.broadcast("allclose", a.shape, b.shape);
        Tensor x = a.to(DType.FLOAT64), y = b.to(DType.FLOAT64);
        Tensor close = x.sub(y).abs().le(y.abs().mul(rtol).add(atol)).logicalOr(x.eq(y));
        if (equalNan) close = close.logicalOr(x.isnan().logicalAnd(y.isnan()));
        return close.all().itemBoolean();
    }
}
