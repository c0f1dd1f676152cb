package dev.balboa.api;

import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Elementwise ops (unary, binary, scalar operands, promotion, in-place forms) against PyTorch's results. */
class ElementwiseFixtureTest {

    static Stream<Arguments> cases() { return Fixtures.arguments("elementwise"); }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("cases")
    void matchesPyTorch(String device, Fixtures.Case c) {
        Tensor[] in = c.build(Fixtures.device(device));
        Object r = Fixtures.call(c, device, () -> run(c, in));
        if (c.op().endsWith("_")) assertSame(in[0], r, c.name() + ": an in-place op returns its receiver");
        Fixtures.check(c, device, Fixtures.results(r));
    }

    static Object run(Fixtures.Case c, Tensor[] in) {
        Tensor x = in[0];
        return switch (c.op()) {
            case "neg" -> x.neg();
            case "abs" -> x.abs();
            case "sign" -> x.sign();
            case "exp" -> x.exp();
            case "log" -> x.log();
            case "log1p" -> x.log1p();
            case "expm1" -> x.expm1();
            case "sqrt" -> x.sqrt();
            case "rsqrt" -> x.rsqrt();
            case "sin" -> x.sin();
            case "cos" -> x.cos();
            case "tanh" -> x.tanh();
            case "sigmoid" -> x.sigmoid();
            case "relu" -> x.relu();
            case "gelu" -> x.gelu();
            case "gelu_tanh" -> x.gelu("tanh");
            case "silu" -> x.silu();
            case "softplus" -> c.has("beta") ? x.softplus(c.d("beta"), c.d("threshold")) : x.softplus();
            case "floor" -> x.floor();
            case "ceil" -> x.ceil();
            case "round" -> x.round();
            case "reciprocal" -> x.reciprocal();
            case "erf" -> x.erf();
            case "square" -> x.square();
            case "isnan" -> x.isnan();
            case "isinf" -> x.isinf();
            case "logicalNot" -> x.logicalNot();
            case "add" -> x.add(in[1]);
            case "add_alpha" -> x.add(in[1], c.d("alpha"));
            case "sub" -> x.sub(in[1]);
            case "mul" -> x.mul(in[1]);
            case "div" -> x.div(in[1]);
            case "pow" -> x.pow(in[1]);
            case "maximum" -> x.maximum(in[1]);
            case "minimum" -> x.minimum(in[1]);
            case "eq" -> x.eq(in[1]);
            case "ne" -> x.ne(in[1]);
            case "lt" -> x.lt(in[1]);
            case "le" -> x.le(in[1]);
            case "gt" -> x.gt(in[1]);
            case "ge" -> x.ge(in[1]);
            case "floorDivide" -> x.floorDivide(in[1]);
            case "remainder" -> x.remainder(in[1]);
            case "logicalAnd" -> x.logicalAnd(in[1]);
            case "logicalOr" -> x.logicalOr(in[1]);
            case "logicalXor" -> x.logicalXor(in[1]);
            case "add_scalar", "sub_scalar", "mul_scalar", "div_scalar", "eq_scalar", "lt_scalar", "gt_scalar", "ge_scalar" ->
                    scalarOp(c, x);
            case "rsub" -> x.rsub(c.d("value"));
            case "rdiv" -> x.rdiv(c.d("value"));
            case "pow_scalar" -> x.pow(c.d("value"));
            case "clamp" -> x.clamp(c.d("min"), c.d("max"));
            case "clampMin" -> x.clampMin(c.d("min"));
            case "clampMax" -> x.clampMax(c.d("max"));
            case "where" -> Tensor.where(x, in[1], in[2]);
            case "where_scalar" -> Tensor.where(x, in[1], c.d("value"));
            case "add_" -> in.length == 1 ? x.add_(c.d("value")) : x.add_(in[1]);
            case "sub_" -> in.length == 1 ? x.sub_(c.d("value")) : x.sub_(in[1]);
            case "mul_" -> in.length == 1 ? x.mul_(c.d("value")) : x.mul_(in[1]);
            case "div_" -> in.length == 1 ? x.div_(c.d("value")) : x.div_(in[1]);
            case "neg_" -> x.neg_();
            case "exp_" -> x.exp_();
            case "relu_" -> x.relu_();
            case "sigmoid_" -> x.sigmoid_();
            case "tanh_" -> x.tanh_();
            case "sqrt_" -> x.sqrt_();
            case "pow_" -> x.pow_(c.d("value"));
            case "clamp_" -> x.clamp_(c.d("min"), c.d("max"));
            case "fill_" -> x.fill_(c.d("value"));
            case "zero_" -> x.zero_();
            case "maskedFill_" -> x.maskedFill_(in[1], c.d("value"));
            default -> throw new IllegalArgumentException("no runner for op " + c.op());
        };
    }

    /** A binary op with a Java scalar: a double or a long, which promote differently. */
    private static Tensor scalarOp(Fixtures.Case c, Tensor x) {
        String op = c.op().substring(0, c.op().indexOf('_'));
        boolean isLong = "long".equals(c.s("kind"));
        long l = c.l("value");
        double d = c.d("value");
        return switch (op) {
            case "add" -> isLong ? x.add(l) : x.add(d);
            case "sub" -> isLong ? x.sub(l) : x.sub(d);
            case "mul" -> isLong ? x.mul(l) : x.mul(d);
            case "div" -> x.div(d);
            case "eq" -> isLong ? x.eq(l) : x.eq(d);
            case "lt" -> x.lt(d);
            case "gt" -> x.gt(d);
            case "ge" -> x.ge(d);
            default -> throw new IllegalArgumentException(op);
        };
    }
}
