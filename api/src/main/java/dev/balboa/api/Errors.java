package dev.balboa.api;

import dev.balboa.spi.DType;
import java.util.Arrays;
import java.util.StringJoiner;

/** Builds the exception messages that name the op and every operand's shape, dtype and device. */
final class Errors {
    private Errors() {}

    static String describe(Tensor t) {
        return t.dtype() + Arrays.toString(t.shape) + " on " + t.device();
    }

    static String describe(Tensor... ts) {
        StringJoiner j = new StringJoiner(", ");
        for (Tensor t : ts) j.add(describe(t));
        return j.toString();
    }

    static IllegalArgumentException devices(String op, Tensor[] inputs, Tensor[] outputs) {
        StringJoiner j = new StringJoiner(", ");
        for (Tensor t : inputs) j.add(describe(t));
        for (Tensor t : outputs) j.add("output " + describe(t));
        return new IllegalArgumentException(op + ": expected all tensors on the same device, got " + j
                + "; move them with tensor.to(device)");
    }

    static void sameDevice(String op, Tensor... ts) {
        for (int i = 1; i < ts.length; i++) {
            if (ts[i].storage.backend != ts[0].storage.backend) {
                throw new IllegalArgumentException(op + ": expected all tensors on the same device, got "
                        + describe(ts) + "; move them with tensor.to(device)");
            }
        }
    }

    /** The broadcast shape of the operands; the error names the op and every operand's shape, dtype and device. */
    static long[] broadcast(String op, Tensor... ts) {
        long[] shape = ts[0].shape;
        try {
            for (int i = 1; i < ts.length; i++) shape = Shapes.broadcast(op, shape, ts[i].shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "; operands: " + describe(ts), e);
        }
        return shape;
    }

    static IllegalArgumentException dtype(String op, String expectation, Tensor... ts) {
        return new IllegalArgumentException(op + ": " + expectation + ", got " + describe(ts));
    }

    static void requireFloat(String op, Tensor t) {
        if (!t.dtype().isFloatingPoint()) throw dtype(op, "expected a floating-point tensor", t);
    }

    static void requireIndex(String op, String what, Tensor t) {
        if (t.dtype() != DType.INT64 && t.dtype() != DType.INT32) {
            throw dtype(op, what + " must be an int64 (or int32) tensor", t);
        }
    }
}
