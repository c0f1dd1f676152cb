package dev.balboa.autograd.internal;

import dev.balboa.api.Tensor;
import dev.balboa.api.engine.TensorAccess;
import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import java.util.Arrays;

/**
 * The derivative rule of every primitive op, written with differentiable tensor ops so that
 * backward can itself be recorded (higher-order gradients). The switch over the sealed
 * {@link Op} hierarchy makes a new primitive fail to compile until it has a rule here.
 */
final class Derivatives {
    private Derivatives() {}

    static final int IN0 = 1, IN1 = 2, IN2 = 4, OUT0 = 8, OUT1 = 16;
    private static final TensorAccess ACCESS = TensorAccess.get();

    /** Which inputs and outputs the rule of {@code op} reads in backward. */
    static int saveMask(Op op) {
        return switch (op) {
            case Op.Unary u -> switch (u.fn()) {
                case NEG, SIGN, FLOOR, CEIL, ROUND, LOGICAL_NOT, ISNAN, ISINF -> 0;
                case ABS, LOG, LOG1P, SIN, COS, ERF -> IN0;
                case EXP, EXPM1, SQRT, RSQRT, TANH, SIGMOID, RECIPROCAL, RELU -> OUT0;
            };
            case Op.Binary b -> switch (b.fn()) {
                case ADD, SUB, EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR -> 0;
                case MUL, DIV, MAXIMUM, MINIMUM -> IN0 | IN1;
                case POW -> IN0 | IN1 | OUT0;
            };
            case Op.Where w -> IN0;
            case Op.Copy c -> 0;
            case Op.Fill f -> 0;
            case Op.Arange a -> 0;
            case Op.RandomUniform r -> 0;
            case Op.RandomNormal r -> 0;
            case Op.Reduce r -> r.fn() == Op.ReduceFn.SUM ? 0 : IN0 | OUT0;
            case Op.ArgReduce r -> OUT1;
            case Op.Scan s -> s.fn() == Op.ScanFn.SUM ? 0 : IN0 | OUT0;
            case Op.Sort s -> OUT1;
            case Op.Matmul m -> IN0 | IN1;
            case Op.Conv2d c -> IN0 | IN1;
            case Op.Conv2dBackwardInput c -> IN0 | IN1;
            case Op.Conv2dBackwardWeight c -> IN0 | IN1;
            case Op.MaxPool2d m -> OUT1;
            case Op.Gather g -> IN1;
            case Op.Scatter s -> IN0;
        };
    }

    /** Node names already built, by the op's function enum (or, for other ops, by its name): one per node is hot. */
    private static final java.util.concurrent.ConcurrentHashMap<Object, String> NAMES = new java.util.concurrent.ConcurrentHashMap<>();

    static String nodeName(Op op) {
        Object key = switch (op) {
            case Op.Unary u -> u.fn();
            case Op.Binary b -> b.fn();
            case Op.Reduce r -> r.fn();
            case Op.ArgReduce r -> r.fn();
            case Op.Scan s -> s.fn();
            default -> op.name();
        };
        String name = NAMES.get(key);
        if (name == null) {
            String base = switch (op) {
                case Op.Unary u -> camel(u.fn().name());
                case Op.Binary b -> camel(b.fn().name());
                case Op.Reduce r -> camel(r.fn().name());
                case Op.ArgReduce r -> camel(r.fn().name());
                case Op.Scan s -> "Cum" + camel(s.fn().name()).toLowerCase();
                default -> camel(op.name());
            };
            name = base + "Backward";
            NAMES.putIfAbsent(key, name);
        }
        return name;
    }

    private static String camel(String s) {
        StringBuilder sb = new StringBuilder();
        for (String part : s.toLowerCase().split("[_()]")) {
            if (!part.isEmpty()) sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return sb.toString();
    }

    private static Tensor zeros(long[] shape, DType dtype, Tensor like) {
        return Tensor.zeros(shape, dtype, like.device());
    }

    /** Gradients for the kernel inputs (plus, for in-place Scatter, the output's old value at index inputs.length). */
    static Tensor[] backward(OpNode n, Tensor[] grads) {
        Tensor g = grads[0];
        return switch (n.op) {
            case Op.Unary u -> new Tensor[] {unary(u.fn(), n, g)};
            case Op.Binary b -> binary(b.fn(), n, g);
            case Op.Where w -> {
                // a branch that needs no gradient (a constant 0 of ReLU6, a clamp bound) gets none computed
                Tensor c = n.input(0);
                yield new Tensor[] {null, needs(n, 1) ? Tensor.where(c, g, 0.0) : null,
                        needs(n, 2) ? Tensor.where(c.logicalNot(), g, 0.0) : null};
            }
            case Op.Copy c -> new Tensor[] {n.inDtypes[0].isFloatingPoint() ? g.to(n.inDtypes[0]) : null};
            case Op.Fill f -> new Tensor[0];
            case Op.Arange a -> new Tensor[0];
            case Op.RandomUniform r -> new Tensor[0];
            case Op.RandomNormal r -> new Tensor[0];
            case Op.Reduce r -> new Tensor[] {reduce(r, n, g)};
            case Op.ArgReduce r -> new Tensor[] {scatterInto(n.inShapes[0], n.inDtypes[0], r.axis(), n.output(1), g)};
            case Op.Scan s -> new Tensor[] {scan(s, n, g)};
            case Op.Sort s -> new Tensor[] {scatterInto(n.inShapes[0], n.inDtypes[0], s.axis(), n.output(1), g)};
            case Op.Matmul m -> {
                // an operand that needs no gradient (a first layer's input) gets none computed
                Tensor a = n.input(0), b = n.input(1);
                yield new Tensor[] {n.next[0] == null ? null : matmulGradA(a, b, g), n.next[1] == null ? null : matmulGradB(a, b, g)};
            }
            case Op.Conv2d c -> {
                Tensor x = n.input(0), w = n.input(1);
                Op.Conv2dBackwardInput bi = new Op.Conv2dBackwardInput(c.stride(), c.padding(), c.dilation(), c.groups());
                Op.Conv2dBackwardWeight bw = new Op.Conv2dBackwardWeight(c.stride(), c.padding(), c.dilation(), c.groups());
                // an input that needs no gradient (the images of a first layer) gets none computed
                yield new Tensor[] {n.next[0] == null ? null : prim(bi, x, g, w), n.next[1] == null ? null : prim(bw, w, x, g)};
            }
            case Op.Conv2dBackwardInput c -> {
                Tensor gOut = n.input(0), w = n.input(1);
                Op.Conv2d fwd = new Op.Conv2d(c.stride(), c.padding(), c.dilation(), c.groups());
                Op.Conv2dBackwardWeight bw = new Op.Conv2dBackwardWeight(c.stride(), c.padding(), c.dilation(), c.groups());
                yield new Tensor[] {prim(fwd, gOut, g, w), prim(bw, w, g, gOut)};
            }
            case Op.Conv2dBackwardWeight c -> {
                Tensor x = n.input(0), gOut = n.input(1);
                Op.Conv2dBackwardInput bi = new Op.Conv2dBackwardInput(c.stride(), c.padding(), c.dilation(), c.groups());
                Op.Conv2d fwd = new Op.Conv2d(c.stride(), c.padding(), c.dilation(), c.groups());
                yield new Tensor[] {prim(bi, x, gOut, g), prim(fwd, gOut, x, g)};
            }
            case Op.MaxPool2d m -> {
                long[] s = n.inShapes[0];
                Tensor idx = n.output(1);
                Tensor flat = zeros(new long[] {s[0], s[1], s[2] * s[3]}, n.inDtypes[0], g);
                ACCESS.callInto(new Op.Scatter(2, Op.ScatterMode.ADD),
                        new Tensor[] {idx.reshape(s[0], s[1], -1), g.reshape(s[0], s[1], -1)}, new Tensor[] {flat}, true);
                yield new Tensor[] {flat.view(s)};
            }
            case Op.Gather ga -> new Tensor[] {scatterInto(n.inShapes[0], n.inDtypes[0], ga.axis(), n.input(1), g), null};
            case Op.Scatter sc -> {
                Tensor idx = n.input(0);
                Tensor gSrc = prim(new Op.Gather(sc.axis()), idx, g, idx);
                Tensor gOld = g;
                if (sc.mode() == Op.ScatterMode.REPLACE) {
                    gOld = g.clone();
                    ACCESS.callInto(new Op.Scatter(sc.axis(), Op.ScatterMode.REPLACE),
                            new Tensor[] {idx, zeros(idx.shape(), g.dtype(), g)}, new Tensor[] {gOld}, true);
                }
                yield new Tensor[] {null, gSrc, gOld};
            }
        };
    }

    /**
     * True when {@code t [B, R, C]} is stored transposed: its last two dims swapped give a
     * contiguous tensor (a weight {@code W} used as {@code W.t()}, as in a linear layer).
     */
    private static boolean transposedLayout(Tensor t) {
        return !t.isContiguous() && t.transpose(1, 2).isContiguous();
    }

    /**
     * {@code g @ b^T}; when {@code a} is stored transposed it is computed as {@code (b @ g^T)^T},
     * so that the gradient has {@code a}'s layout and reaches its leaf without a transposing copy.
     */
    private static Tensor matmulGradA(Tensor a, Tensor b, Tensor g) {
        if (transposedLayout(a)) return b.bmm(g.transpose(1, 2)).transpose(1, 2);
        return g.bmm(b.transpose(1, 2));
    }

    /** {@code a^T @ g}, or {@code (g^T @ a)^T} when {@code b} is stored transposed (see {@link #matmulGradA}). */
    private static Tensor matmulGradB(Tensor a, Tensor b, Tensor g) {
        if (transposedLayout(b)) return g.transpose(1, 2).bmm(a).transpose(1, 2);
        return a.transpose(1, 2).bmm(g);
    }

    /** Runs a primitive whose single output has the shape of {@code shapeOf}. */
    private static Tensor prim(Op op, Tensor shapeOf, Tensor... inputs) {
        return ACCESS.call(op, inputs, new long[][] {shapeOf.shape()}, new DType[] {inputs[0].dtype()}, inputs[0])[0];
    }

    /** zeros(shape) with {@code g} added at {@code index} along {@code axis}. */
    private static Tensor scatterInto(long[] shape, DType dtype, int axis, Tensor index, Tensor g) {
        Tensor z = zeros(shape, dtype, g);
        ACCESS.callInto(new Op.Scatter(axis, Op.ScatterMode.ADD), new Tensor[] {index, g}, new Tensor[] {z}, true);
        return z;
    }

    private static Tensor unary(Op.UnaryFn fn, OpNode n, Tensor g) {
        return switch (fn) {
            case NEG -> g.neg();
            case ABS -> g.mul(n.input(0).sign());
            case SIGN, FLOOR, CEIL, ROUND -> Tensor.zerosLike(g);
            case EXP -> g.mul(n.output(0));
            case LOG -> g.div(n.input(0));
            case LOG1P -> g.div(n.input(0).add(1.0));
            case EXPM1 -> g.mul(n.output(0).add(1.0));
            case SQRT -> g.div(n.output(0).mul(2.0));
            case RSQRT -> {
                Tensor y = n.output(0);
                yield g.mul(y.mul(y).mul(y)).mul(-0.5);
            }
            case SIN -> g.mul(n.input(0).cos());
            case COS -> g.mul(n.input(0).sin()).neg();
            case TANH -> {
                Tensor y = n.output(0);
                yield g.mul(y.mul(y).rsub(1.0));
            }
            case SIGMOID -> {
                Tensor y = n.output(0);
                yield g.mul(y.mul(y.rsub(1.0)));
            }
            case ERF -> {
                Tensor x = n.input(0);
                yield g.mul(x.mul(x).neg().exp().mul(2.0 / Math.sqrt(Math.PI)));
            }
            case RECIPROCAL -> {
                Tensor y = n.output(0);
                yield g.mul(y.mul(y)).neg();
            }
            case RELU -> ACCESS.reluBackward(g, n.output(0));
            case LOGICAL_NOT, ISNAN, ISINF -> null;
        };
    }

    /**
     * Whether input {@code i} needs a gradient: it has history or requires grad, or it is the
     * tensor an in-place op wrote (its old value's gradient is derived from this input's).
     */
    private static boolean needs(OpNode n, int i) {
        return n.next[i] != null || (n.selfInputs & (1 << i)) != 0;
    }

    private static Tensor[] binary(Op.BinaryFn fn, OpNode n, Tensor g) {
        return switch (fn) {
            case ADD -> new Tensor[] {g, g};
            // operands that need no gradient (constants, statistics under no_grad) get none computed
            case SUB -> new Tensor[] {g, needs(n, 1) ? g.neg() : null};
            case MUL -> new Tensor[] {needs(n, 0) ? g.mul(n.input(1)) : null, needs(n, 1) ? g.mul(n.input(0)) : null};
            case DIV -> {
                Tensor x = n.input(0), y = n.input(1);
                Tensor gx = g.div(y);
                yield new Tensor[] {gx, needs(n, 1) ? gx.mul(x).div(y).neg() : null};
            }
            case POW -> {
                Tensor x = n.input(0), y = n.input(1);
                Tensor gx = g.mul(y.mul(x.pow(y.sub(1.0))));
                gx = Tensor.where(y.eq(0.0), Tensor.zerosLike(gx), gx);
                if (n.next[1] == null) yield new Tensor[] {gx, null};
                Tensor gy = g.mul(n.output(0).mul(x.log()));
                gy = Tensor.where(x.eq(0.0).logicalAnd(y.ge(0.0)), Tensor.zerosLike(gy), gy);
                yield new Tensor[] {gx, gy};
            }
            case MAXIMUM, MINIMUM -> {
                Tensor x = n.input(0), y = n.input(1);
                Tensor wins = fn == Op.BinaryFn.MAXIMUM ? x.gt(y) : x.lt(y);
                Tensor ties = x.eq(y);
                Tensor half = g.mul(0.5);
                Tensor gx = Tensor.where(wins, g, Tensor.where(ties, half, 0.0));
                Tensor gy = Tensor.where(wins.logicalOr(ties).logicalNot(), g, Tensor.where(ties, half, 0.0));
                yield new Tensor[] {gx, gy};
            }
            case EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR -> new Tensor[] {null, null};
        };
    }

    private static Tensor reduce(Op.Reduce r, OpNode n, Tensor g) {
        long[] shape = n.inShapes[0];
        return switch (r.fn()) {
            case SUM -> g.expand(shape);
            case MAX, MIN -> {
                Tensor x = n.input(0), y = n.output(0);
                Tensor mask = x.eq(y).to(g.dtype());
                Tensor count = mask.sum(r.axes(), true);
                yield mask.mul(g.div(count));
            }
            case PROD -> {
                Tensor x = n.input(0), y = n.output(0);
                Tensor isZero = x.eq(0.0);
                Tensor zeros = isZero.to(DType.INT64).sum(r.axes(), true);
                Tensor prodNonZero = Tensor.where(isZero, Tensor.onesLike(x), x).prod(r.axes(), true);
                Tensor safe = Tensor.where(isZero, Tensor.onesLike(x), x);
                Tensor regular = g.mul(y).div(safe);
                Tensor atZero = Tensor.where(zeros.eq(1L), g.mul(prodNonZero), Tensor.zerosLike(g));
                yield Tensor.where(isZero, atZero.expand(shape), regular);
            }
            case ANY, ALL -> null;
        };
    }

    private static Tensor scan(Op.Scan s, OpNode n, Tensor g) {
        int d = s.axis();
        if (s.fn() == Op.ScanFn.SUM) return g.flip(d).cumsum(d).flip(d);
        Tensor x = n.input(0), y = n.output(0);
        if (!x.eq(0.0).any().itemBoolean()) {
            return g.mul(y).flip(d).cumsum(d).flip(d).div(x);
        }
        // exact rule with zeros: grad_i = sum_{j >= i} g_j * prod_{k <= j, k != i} x_k
        long len = x.size(d);
        Tensor[] parts = new Tensor[(int) len];
        for (long i = 0; i < len; i++) {
            Tensor onesAtI = Tensor.onesLike(x.narrow(d, i, 1));
            Tensor xi = Tensor.cat(Arrays.asList(x.narrow(d, 0, i), onesAtI, x.narrow(d, i + 1, len - i - 1)), d);
            Tensor tail = xi.cumprod(d).mul(g).narrow(d, i, len - i);
            parts[(int) i] = tail.sum(new int[] {d}, true);
        }
        return Tensor.cat(Arrays.asList(parts), d);
    }

    static String describe(long[] shape) { return Arrays.toString(shape); }
}
