package dev.balboa.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.balboa.api.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Operands that need no gradient get none computed (mul, sub, div, where); these tests pin the
 * gradients that must still flow, in particular through in-place ops whose written tensor has
 * history, whose gradient is derived from that operand's. Expected values are closed forms.
 */
class ConstantOperandGradTest {
    private static final double TOL = 1e-12;

    private static Tensor leaf(double... v) { return Tensor.of(v, v.length).requiresGrad_(); }

    private static Tensor constant(double... v) { return Tensor.of(v, v.length); }

    @Test
    void outOfPlaceWithAConstantOperand() {
        Tensor x = leaf(1, -2, 3), c = constant(4, 5, -6);
        x.mul(c).sum().backward();
        assertArrayEquals(new double[] {4, 5, -6}, x.grad().toDoubleArray(), TOL);
        assertNull(c.grad());

        Tensor y = leaf(1, -2, 3);
        c.sub(y).sum().backward();
        assertArrayEquals(new double[] {-1, -1, -1}, y.grad().toDoubleArray(), TOL);

        Tensor z = leaf(2, -4, 8);
        z.div(c).sum().backward();
        assertArrayEquals(new double[] {0.25, 0.2, -1 / 6.0}, z.grad().toDoubleArray(), TOL);

        Tensor w = leaf(1, 2, 3);
        c.div(w).sum().backward(); // d(c/w)/dw = -c / w^2
        assertArrayEquals(new double[] {-4, -5 / 4.0, 6 / 9.0}, w.grad().toDoubleArray(), TOL);
    }

    @Test
    void inPlaceOnATensorWithHistory() {
        Tensor x = leaf(1, -2, 3), c = constant(4, 5, -6);
        Tensor t = x.mul(2.0);
        t.mul_(c);
        t.sum().backward();
        assertArrayEquals(new double[] {8, 10, -12}, x.grad().toDoubleArray(), TOL);

        Tensor y = leaf(1, -2, 3);
        Tensor u = y.mul(3.0);
        u.sub_(c);
        u.div_(c);
        u.sum().backward(); // d((3y - c) / c)/dy = 3 / c
        assertArrayEquals(new double[] {0.75, 0.6, -0.5}, y.grad().toDoubleArray(), TOL);
    }

    @Test
    void whereWithAConstantBranch() {
        Tensor x = leaf(-1, 2, -3, 4);
        Tensor cond = x.gt(0.0);
        Tensor.where(cond, x.mul(x), Tensor.zeros(4).to(x.dtype())).sum().backward();
        assertArrayEquals(new double[] {0, 4, 0, 8}, x.grad().toDoubleArray(), TOL);

        Tensor y = leaf(-1, 2, -3, 4);
        Tensor.where(y.gt(0.0), Tensor.ones(4).to(y.dtype()), y.mul(3.0)).sum().backward();
        assertArrayEquals(new double[] {3, 0, 3, 0}, y.grad().toDoubleArray(), TOL);
    }
}
