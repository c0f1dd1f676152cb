package dev.balboa.device.cpu.internal;

import dev.balboa.spi.Op;
import dev.balboa.spi.Operand;

/** Scaffold (being replaced): elementwise kernels. */
final class ElementwiseKernels {
    private ElementwiseKernels() {}
    static void unary(Op.UnaryFn fn, Operand x, Operand out) { throw new UnsupportedOperationException("todo"); }
    static void binary(Op.BinaryFn fn, Operand x, Operand y, Operand out) { throw new UnsupportedOperationException("todo"); }
    static void where(Operand c, Operand a, Operand b, Operand out) { throw new UnsupportedOperationException("todo"); }
    static void copy(Operand x, Operand out) { throw new UnsupportedOperationException("todo"); }
    static void fill(Op.Fill f, Operand out) { throw new UnsupportedOperationException("todo"); }
    static void arange(Op.Arange a, Operand out) { throw new UnsupportedOperationException("todo"); }
    static void randomUniform(Op.RandomUniform r, Operand out) { throw new UnsupportedOperationException("todo"); }
    static void randomNormal(Op.RandomNormal r, Operand out) { throw new UnsupportedOperationException("todo"); }
}
