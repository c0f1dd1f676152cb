package dev.balboa.api;

/**
 * A pair of tensors returned by ops that find elements and their positions ({@code max(dim)},
 * {@code sort}, {@code topk}), like PyTorch's named tuples.
 *
 * @param values  the elements found
 * @param indices their int64 positions along the op's dimension
 */
public record ValuesIndices(Tensor values, Tensor indices) {}
