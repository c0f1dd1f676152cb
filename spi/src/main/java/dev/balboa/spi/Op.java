package dev.balboa.spi;

import java.util.Arrays;

/**
 * The closed set of primitive ops a device runs. Everything else in Balboa (gelu, softmax,
 * layer norm, cross entropy, pooling averages, padding, ...) is composed from these in
 * {@code dev.balboa.api}, so a device that runs these records runs every model.
 *
 * <p>General contract, which {@code api} guarantees before calling {@link Backend#execute}:
 * <ul>
 *   <li>Elementwise ops ({@link Unary}, {@link Binary}, {@link Where}, {@link Copy}): every input
 *       has the output's shape, broadcasting already expressed as stride 0.</li>
 *   <li>Inputs of one op share a dtype unless the record says otherwise; index operands are int64.</li>
 *   <li>Outputs are freshly allocated and do not overlap inputs, except for in-place elementwise
 *       ops, where the output may be exactly the same view as an input (same buffer, offset,
 *       shape and strides); kernels must read each element before writing it.</li>
 *   <li>Reductions keep reduced dimensions with size 1 in the output (keepdim).</li>
 *   <li>Any dimension may be 0 (empty tensors); a kernel then writes nothing, except for
 *       reductions over empty axes, which write the identity of the reduction.</li>
 * </ul>
 */
public sealed interface Op {

    /** A short lower-case name for messages, e.g. {@code "binary(add)"}. */
    String name();

    // ---------------------------------------------------------------- elementwise

    /** Unary elementwise functions. Math functions take floating-point inputs; see each constant. */
    enum UnaryFn {
        /** -x; any numeric dtype. */ NEG,
        /** |x|; any numeric dtype. */ ABS,
        /** -1, 0 or 1 (0 for zeros of either sign and for NaN, as in PyTorch); any numeric dtype. */ SIGN,
        EXP, LOG, LOG1P, EXPM1, SQRT, RSQRT, SIN, COS, TANH, SIGMOID,
        /** The Gauss error function. */ ERF,
        /** 1/x. */ RECIPROCAL,
        /** max(x, 0); any numeric dtype. */ RELU,
        /** Rounding; integer inputs are returned unchanged. */ FLOOR, CEIL,
        /** Round half to even, like {@code torch.round}. */ ROUND,
        /** Output bool: x == 0. Any dtype. */ LOGICAL_NOT,
        /** Output bool; integer inputs give false. */ ISNAN, ISINF;

        /** True when the output dtype is bool rather than the input's. */
        public boolean isPredicate() { return this == LOGICAL_NOT || this == ISNAN || this == ISINF; }

        /** True for the functions only defined on floating-point inputs. */
        public boolean needsFloat() {
            return switch (this) {
                case EXP, LOG, LOG1P, EXPM1, SQRT, RSQRT, SIN, COS, TANH, SIGMOID, ERF, RECIPROCAL -> true;
                default -> false;
            };
        }
    }

    /** {@code out = fn(x)}. Inputs: x. Outputs: out (x's dtype, or bool for predicates). */
    record Unary(UnaryFn fn) implements Op {
        public String name() { return "unary(" + fn.name().toLowerCase() + ")"; }
    }

    /** Binary elementwise functions. */
    enum BinaryFn {
        /** On bool inputs ADD and MAXIMUM are logical or, MUL and MINIMUM logical and. */
        ADD, SUB, MUL,
        /** Floating point: IEEE division. Integers: floor division (division by zero is an error). */ DIV,
        /** x to the power y; integers: exact, negative exponents are an error unless x is 1 or -1. */ POW,
        /** Elementwise max/min, NaN-propagating. */ MAXIMUM, MINIMUM,
        /** Comparisons; output bool. */ EQ, NE, LT, LE, GT, GE,
        /** Logical ops on bool inputs; output bool. */ LOGICAL_AND, LOGICAL_OR;

        /** True when the output dtype is bool. */
        public boolean isComparison() { return ordinal() >= EQ.ordinal(); }
    }

    /** {@code out = fn(x, y)}. Inputs: x, y (same dtype). Outputs: out (that dtype, or bool for comparisons). */
    record Binary(BinaryFn fn) implements Op {
        public String name() { return "binary(" + fn.name().toLowerCase() + ")"; }
    }

    /** {@code out = cond ? a : b}. Inputs: cond (bool), a, b (same dtype). Outputs: out (a's dtype). */
    record Where() implements Op {
        public String name() { return "where"; }
    }

    /**
     * Strided copy with conversion. Inputs: x. Outputs: out, of any dtype. Float to integer
     * truncates toward zero (NaN gives 0), anything to bool is {@code x != 0}, bool to a number is
     * 0 or 1, narrowing integers wrap as two's complement, float to float16/bfloat16 rounds to
     * nearest even.
     */
    record Copy() implements Op {
        public String name() { return "copy"; }
    }

    /**
     * Fills the output with one value. Outputs: out. Floating outputs take {@code value}, integer
     * outputs {@code longValue}, bool outputs {@code longValue != 0}.
     */
    record Fill(double value, long longValue) implements Op {
        public static Fill of(double v) { return new Fill(v, (long) v); }
        public static Fill of(long v) { return new Fill((double) v, v); }
        public String name() { return "fill"; }
    }

    /**
     * {@code out[i] = start + i * step} over a 1-D output. Integer outputs compute
     * {@code (long) (start + i * step)} in double.
     */
    record Arange(double start, double step) implements Op {
        public String name() { return "arange"; }
    }

    // ---------------------------------------------------------------- random

    /**
     * Uniform numbers in [low, high). Outputs: out (floating point). Element {@code i} in
     * row-major order of the output takes {@link Philox#uniform} at counter {@code offset + i}
     * for key {@code seed}, so every device and every thread count produces the same numbers.
     */
    record RandomUniform(long seed, long offset, double low, double high) implements Op {
        public String name() { return "random_uniform"; }
    }

    /** Normal numbers with the given mean and standard deviation; element {@code i} takes {@link Philox#normal} at counter {@code offset + i}. */
    record RandomNormal(long seed, long offset, double mean, double std) implements Op {
        public String name() { return "random_normal"; }
    }

    // ---------------------------------------------------------------- reductions and scans

    /** Reductions. */
    enum ReduceFn {
        /** Sum; the identity for empty axes is 0. */ SUM,
        /** Product; identity 1. */ PROD,
        /** Max and min, NaN-propagating. Never called with empty axes. */ MAX, MIN,
        /** Bool in, bool out; identities false and true. */ ANY, ALL
    }

    /**
     * Reduces x over {@code axes} (sorted, distinct). Inputs: x. Outputs: out with x's rank and
     * size 1 on each reduced axis. The output dtype may be wider than the input's (int32 summed
     * into int64, float16 into float32); the kernel converts each element to the output dtype
     * and accumulates at least at that precision.
     */
    record Reduce(ReduceFn fn, int[] axes) implements Op {
        public String name() { return "reduce(" + fn.name().toLowerCase() + ")"; }
        @Override public boolean equals(Object o) { return o instanceof Reduce r && r.fn == fn && Arrays.equals(r.axes, axes); }
        @Override public int hashCode() { return fn.hashCode() * 31 + Arrays.hashCode(axes); }
        @Override public String toString() { return "Reduce[" + fn + ", axes=" + Arrays.toString(axes) + "]"; }
    }

    /** Max or min with position. */
    enum ArgFn { MAX, MIN }

    /**
     * Max or min along one axis with its index. Inputs: x (axis size at least 1). Outputs:
     * values (x's dtype), indices (int64), both with size 1 on {@code axis}. The first
     * occurrence wins on ties; a NaN wins over numbers (first NaN).
     */
    record ArgReduce(ArgFn fn, int axis) implements Op {
        public String name() { return "arg" + fn.name().toLowerCase(); }
    }

    /** Inclusive scans. */
    enum ScanFn { SUM, PROD }

    /** Inclusive scan along an axis. Inputs: x. Outputs: out, same shape, dtype possibly wider as for {@link Reduce}. */
    record Scan(ScanFn fn, int axis) implements Op {
        public String name() { return "cum" + fn.name().toLowerCase(); }
    }

    /**
     * Sorts along an axis. Inputs: x. Outputs: values (x's dtype), indices (int64), x's shape.
     * Stable; NaN sorts as the largest value.
     */
    record Sort(int axis, boolean descending) implements Op {
        public String name() { return "sort"; }
    }

    // ---------------------------------------------------------------- linear algebra and nn

    /**
     * Batched matrix product. Inputs: a {@code [B, M, K]}, b {@code [B, K, N]} (any strides, batch
     * stride 0 for broadcast). Outputs: out {@code [B, M, N]}. Floating dtypes accumulate in at
     * least float32; integer dtypes in int64.
     */
    record Matmul() implements Op {
        public String name() { return "matmul"; }
    }

    /**
     * 2-D convolution (cross-correlation), NCHW. Inputs: x {@code [N, C, H, W]}, weight
     * {@code [O, C/groups, KH, KW]}. Outputs: out {@code [N, O, OH, OW]} where
     * {@code OH = (H + 2*padding[0] - dilation[0]*(KH-1) - 1) / stride[0] + 1} (same for W).
     * Padding is zero padding. No bias: api adds it.
     */
    record Conv2d(int[] stride, int[] padding, int[] dilation, int groups) implements Op {
        public String name() { return "conv2d"; }
        @Override public boolean equals(Object o) { return o instanceof Conv2d c && ConvParams.same(this, c.stride, c.padding, c.dilation, c.groups); }
        @Override public int hashCode() { return ConvParams.hash(stride, padding, dilation, groups); }
        @Override public String toString() { return ConvParams.describe("Conv2d", stride, padding, dilation, groups); }
    }

    /**
     * Gradient of {@link Conv2d} with respect to its input (also the transposed convolution).
     * Inputs: gradOut {@code [N, O, OH, OW]}, weight {@code [O, C/groups, KH, KW]}. Outputs:
     * gradIn {@code [N, C, H, W]}; H and W are given by the output's shape (they may exceed what
     * the forward formula implies, as for transposed convolution's output padding).
     */
    record Conv2dBackwardInput(int[] stride, int[] padding, int[] dilation, int groups) implements Op {
        public String name() { return "conv2d_backward_input"; }
        @Override public boolean equals(Object o) { return o instanceof Conv2dBackwardInput c && ConvParams.same(this, c.stride, c.padding, c.dilation, c.groups); }
        @Override public int hashCode() { return ConvParams.hash(stride, padding, dilation, groups); }
        @Override public String toString() { return ConvParams.describe("Conv2dBackwardInput", stride, padding, dilation, groups); }
    }

    /**
     * Gradient of {@link Conv2d} with respect to its weight. Inputs: x {@code [N, C, H, W]},
     * gradOut {@code [N, O, OH, OW]}. Outputs: gradWeight {@code [O, C/groups, KH, KW]}.
     */
    record Conv2dBackwardWeight(int[] stride, int[] padding, int[] dilation, int groups) implements Op {
        public String name() { return "conv2d_backward_weight"; }
        @Override public boolean equals(Object o) { return o instanceof Conv2dBackwardWeight c && ConvParams.same(this, c.stride, c.padding, c.dilation, c.groups); }
        @Override public int hashCode() { return ConvParams.hash(stride, padding, dilation, groups); }
        @Override public String toString() { return ConvParams.describe("Conv2dBackwardWeight", stride, padding, dilation, groups); }
    }

    /**
     * 2-D max pooling, NCHW. Inputs: x {@code [N, C, H, W]}. Outputs: values
     * {@code [N, C, OH, OW]} and indices (int64, same shape) holding the flat position
     * {@code h*W + w} of each maximum within its plane. Output window {@code (oh, ow)} covers rows
     * {@code oh*stride[0] - padding[0] + k*dilation[0]} for {@code k < kernel[0]} (same for
     * columns); positions outside the input are skipped (implicit -inf padding). OH and OW are
     * given by the output's shape (ceil mode is api's choice). NaN wins; the first maximum wins on ties.
     */
    record MaxPool2d(int[] kernel, int[] stride, int[] padding, int[] dilation) implements Op {
        public String name() { return "max_pool2d"; }
        @Override public boolean equals(Object o) { return o instanceof MaxPool2d m && Arrays.equals(kernel, m.kernel) && ConvParams.same(this, m.stride, m.padding, m.dilation, 1); }
        @Override public int hashCode() { return Arrays.hashCode(kernel) * 31 + ConvParams.hash(stride, padding, dilation, 1); }
        @Override public String toString() { return "MaxPool2d[kernel=" + Arrays.toString(kernel) + ", " + ConvParams.describe("", stride, padding, dilation, 1) + "]"; }
    }

    // ---------------------------------------------------------------- indexing

    /**
     * {@code out[i][j][k] = x[index[i][j][k]][j][k]} for axis 0 (and likewise for other axes).
     * Inputs: x, index (int64, same rank as x; may be expanded with stride 0). Outputs: out with
     * index's shape. On every dim except {@code axis}, x has the same size as index (api narrows
     * x); index values were checked by api to lie in {@code [0, x.shape[axis])}. Kernels iterate
     * over the index.
     */
    record Gather(int axis) implements Op {
        public String name() { return "gather"; }
    }

    /** How {@link Scatter} combines a source value with the destination. */
    enum ScatterMode { REPLACE, ADD }

    /**
     * Read-modify-write scatter into the output, which already holds the base values:
     * {@code out[index[i][j][k]][j][k] (op)= src[i][j][k]} for axis 0. Inputs: index (int64; may
     * be expanded with stride 0) and src (out's dtype), both of one shape and of out's rank. On
     * every dim except {@code axis}, out has the same size as index (api narrows out's view);
     * index values were checked by api to lie in {@code [0, out.shape[axis])}. Kernels iterate
     * over the index. With {@code REPLACE} and duplicate indices the last write in row-major
     * order of the index wins; with {@code ADD} every contribution is added.
     */
    record Scatter(int axis, ScatterMode mode) implements Op {
        public String name() { return "scatter_" + mode.name().toLowerCase(); }
    }
}
