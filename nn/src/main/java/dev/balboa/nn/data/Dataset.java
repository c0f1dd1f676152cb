package dev.balboa.nn.data;

/**
 * A map-style dataset ({@code torch.utils.data.Dataset}): a fixed number of samples addressed by
 * index. {@link #get(int)} may be called from several {@link DataLoader} worker threads at once,
 * so implementations must be safe for concurrent reads.
 *
 * @param <T> the type of one sample
 */
public interface Dataset<T> {
    /** The number of samples. */
    int size();

    /** The sample at {@code index}, for {@code 0 <= index < size()}. */
    T get(int index);
}
