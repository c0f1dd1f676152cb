package dev.balboa.nn.data;

import dev.balboa.api.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows of several tensors that share their first dimension ({@code torch.utils.data.TensorDataset}):
 * sample {@code i} is the list of row {@code i} of each tensor, for example an image and its label.
 * Rows are views of the tensors; the default collate stacks them into a {@link Batch}.
 */
public final class TensorDataset implements Dataset<List<Tensor>> {
    private final List<Tensor> tensors;
    private final int size;

    /** A dataset over {@code tensors}, which must all have the same size in dim 0. */
    public TensorDataset(Tensor... tensors) {
        if (tensors.length == 0) throw new IllegalArgumentException("TensorDataset: needs at least one tensor");
        long n = -1;
        for (Tensor t : tensors) {
            if (t.dim() == 0) throw new IllegalArgumentException("TensorDataset: tensors need a first dimension, got a 0-d tensor");
            if (n >= 0 && t.size(0) != n) {
                StringBuilder sb = new StringBuilder("TensorDataset: tensors must share their first dimension, got shapes");
                for (Tensor u : tensors) sb.append(' ').append(Arrays.toString(u.shape()));
                throw new IllegalArgumentException(sb.toString());
            }
            n = t.size(0);
        }
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("TensorDataset: " + n + " rows exceed the int range");
        this.tensors = List.of(tensors);
        this.size = (int) n;
    }

    /** The tensors, as given. */
    public List<Tensor> tensors() { return tensors; }

    @Override
    public int size() { return size; }

    @Override
    public List<Tensor> get(int index) {
        if (index < 0 || index >= size) throw new IndexOutOfBoundsException("TensorDataset: index " + index + " out of range for size " + size);
        List<Tensor> row = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) row.add(t.select(0, index));
        return row;
    }
}
