package dev.balboa.device.cpu.internal;

import dev.balboa.spi.DType;
import dev.balboa.spi.Operand;
import java.util.Arrays;

/** Argument checks shared by the kernels, with messages that name the op, dtypes and shapes. */
final class Checks {
    private Checks() {}

    static String describe(Operand o) {
        return o.dtype() + Arrays.toString(o.shape());
    }

    /** Throws unless {@code o} has exactly {@code shape}. */
    static void shape(String op, String what, Operand o, long[] shape) {
        if (!Arrays.equals(o.shape(), shape)) {
            throw new IllegalArgumentException(op + ": " + what + " has shape " + Arrays.toString(o.shape())
                    + " but " + Arrays.toString(shape) + " was expected");
        }
    }

    /** Throws unless {@code o} has dtype {@code t}. */
    static void dtype(String op, String what, Operand o, DType t) {
        if (o.dtype() != t) {
            throw new IllegalArgumentException(op + ": " + what + " has dtype " + o.dtype() + " but " + t
                    + " was expected (" + describe(o) + ")");
        }
    }

    /** Throws unless {@code o} is a floating-point view. */
    static void floating(String op, String what, Operand o) {
        if (!o.dtype().isFloatingPoint()) {
            throw new UnsupportedOperationException(op + ": " + what + " must be floating point, got "
                    + describe(o) + "; cast to float32 first");
        }
    }

    /** Throws unless 0 <= axis < rank. */
    static void axis(String op, int axis, Operand o) {
        if (axis < 0 || axis >= o.rank()) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for " + describe(o));
        }
    }

    /** The CPU buffer's backing array of a view. */
    static Object array(Operand o) {
        return ((CpuBuffer) o.buffer()).array();
    }
}
