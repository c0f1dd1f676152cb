package dev.balboa.device.cpu.internal;

import dev.balboa.spi.Op;
import dev.balboa.spi.Operand;

/** Scaffold (being replaced): reductions, scans, sort. */
final class ReduceKernels {
    private ReduceKernels() {}
    static void reduce(Op.ReduceFn fn, int[] axes, Operand x, Operand out) { throw new UnsupportedOperationException("todo"); }
    static void argReduce(Op.ArgFn fn, int axis, Operand x, Operand values, Operand indices) { throw new UnsupportedOperationException("todo"); }
    static void scan(Op.ScanFn fn, int axis, Operand x, Operand out) { throw new UnsupportedOperationException("todo"); }
    static void sort(int axis, boolean descending, Operand x, Operand values, Operand indices) { throw new UnsupportedOperationException("todo"); }
}
