package dev.balboa.nn;

import dev.balboa.api.Tensor;
import java.util.Arrays;

/** Argument checks shared by {@link RNNCell}, {@link LSTMCell} and {@link GRUCell}. */
final class Cells {
    private Cells() {}

    /** Checks a cell input and says whether it is batched ({@code [batch, input]}) or not ({@code [input]}). */
    static boolean checkInput(String cell, Tensor input, long inputSize) {
        if ((input.dim() != 1 && input.dim() != 2) || input.size(-1) != inputSize) {
            throw new IllegalArgumentException(cell + ": expected input of shape [batch, " + inputSize + "] or [" + inputSize
                    + "], got " + Arrays.toString(input.shape()));
        }
        return input.dim() == 2;
    }

    /** The state as {@code [batch, hidden]} (zeros when null), checked against the batched input {@code x}. */
    static Tensor state(String cell, String name, Tensor s, Tensor x, long hiddenSize, boolean batched) {
        long[] expected = batched ? new long[] {x.size(0), hiddenSize} : new long[] {hiddenSize};
        if (s == null) return Tensor.zeros(new long[] {x.size(0), hiddenSize}, x.dtype(), x.device());
        if (!Arrays.equals(s.shape(), expected)) {
            throw new IllegalArgumentException(cell + ": expected " + name + " of shape " + Arrays.toString(expected) + ", got "
                    + Arrays.toString(s.shape()));
        }
        return batched ? s : s.unsqueeze(0);
    }
}
