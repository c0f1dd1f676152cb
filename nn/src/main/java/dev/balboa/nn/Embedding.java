package dev.balboa.nn;

import dev.balboa.api.Functional;
import dev.balboa.api.Generator;
import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;

/**
 * A lookup table of {@code numEmbeddings} vectors of size {@code embeddingDim}
 * ({@code torch.nn.Embedding}), initialised N(0, 1). With a padding index, that row starts at
 * zero and receives no gradient.
 */
public class Embedding extends Module {
    private final long numEmbeddings;
    private final long embeddingDim;
    private final long paddingIdx;
    private final Tensor weight;

    /** An embedding without padding index, from the default generator. */
    public Embedding(long numEmbeddings, long embeddingDim) { this(numEmbeddings, embeddingDim, null, Generator.defaultGenerator()); }

    /** An embedding with a padding index (negative counts from the end; null for none), from the default generator. */
    public Embedding(long numEmbeddings, long embeddingDim, Long paddingIdx) {
        this(numEmbeddings, embeddingDim, paddingIdx, Generator.defaultGenerator());
    }

    /** An embedding initialised from {@code gen}. */
    public Embedding(long numEmbeddings, long embeddingDim, Long paddingIdx, Generator gen) {
        if (numEmbeddings < 0 || embeddingDim < 0) {
            throw new IllegalArgumentException("Embedding: sizes must be non-negative, got " + numEmbeddings + " x " + embeddingDim);
        }
        if (paddingIdx != null && (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings)) {
            throw new IllegalArgumentException("Embedding: padding_idx " + paddingIdx + " must be within num_embeddings " + numEmbeddings);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx == null ? -1 : (paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx);
        this.weight = registerParameter("weight", Tensor.empty(numEmbeddings, embeddingDim));
        resetParameters(gen);
    }

    /** Re-draws the table from N(0, 1) and zeroes the padding row. */
    public void resetParameters(Generator gen) {
        Init.normal_(weight, 0, 1, gen);
        if (paddingIdx >= 0) {
            try (var g = Grad.disabled()) {
                weight.select(0, paddingIdx).zero_();
            }
        }
    }

    /** The table {@code [num_embeddings, embedding_dim]}. */
    public Tensor weight() { return weight; }

    /** The padding index, or -1 for none. */
    public long paddingIdx() { return paddingIdx; }

    /** Rows of the table at {@code indices} (int64 or int32, any shape): {@code indices.shape + [embedding_dim]}. */
    @Override
    public Tensor forward(Tensor indices) { return Functional.embedding(indices, weight, paddingIdx); }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx >= 0 ? ", padding_idx=" + paddingIdx : "");
    }
}
