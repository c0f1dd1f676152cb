package dev.balboa.device.cpu.internal;

import dev.balboa.spi.Op;
import dev.balboa.spi.Operand;

/** Scaffold (being replaced): gather and scatter. */
final class IndexKernels {
    private IndexKernels() {}
    static void gather(int axis, Operand x, Operand index, Operand out) { throw new UnsupportedOperationException("todo"); }
    static void scatter(int axis, Op.ScatterMode mode, Operand index, Operand src, Operand out) { throw new UnsupportedOperationException("todo"); }
}
