package dev.balboa.device.cpu.internal.conv;

import dev.balboa.spi.Op;
import dev.balboa.spi.Operand;

/** Scaffold (being replaced): convolution and pooling. */
public final class Conv {
    private Conv() {}
    public static void conv2d(Op.Conv2d p, Operand x, Operand w, Operand out) { throw new UnsupportedOperationException("todo"); }
    public static void backwardInput(Op.Conv2dBackwardInput p, Operand gradOut, Operand w, Operand gradIn) { throw new UnsupportedOperationException("todo"); }
    public static void backwardWeight(Op.Conv2dBackwardWeight p, Operand x, Operand gradOut, Operand gradW) { throw new UnsupportedOperationException("todo"); }
    public static void maxPool2d(Op.MaxPool2d p, Operand x, Operand values, Operand indices) { throw new UnsupportedOperationException("todo"); }
}
