package dev.balboa.nn.data;

import dev.balboa.api.Tensor;
import java.util.List;

/**
 * A collated batch: one tensor per field of the samples (for a {@link TensorDataset} of images
 * and labels, {@code get(0)} holds the stacked images and {@code get(1)} the labels), each with
 * the batch as its first dimension.
 *
 * @param tensors the fields, in sample order
 */
public record Batch(List<Tensor> tensors) {
    /** Copies the list. */
    public Batch {
        tensors = List.copyOf(tensors);
    }

    /** Field {@code i}. */
    public Tensor get(int i) { return tensors.get(i); }

    /** The number of fields. */
    public int fields() { return tensors.size(); }

    /** The number of samples (the first dimension of the first field). */
    public long size() { return tensors.isEmpty() || tensors.get(0).dim() == 0 ? 0 : tensors.get(0).size(0); }
}
