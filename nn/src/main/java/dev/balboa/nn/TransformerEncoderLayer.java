package dev.balboa.nn;

import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;

/**
 * One Transformer encoder block ({@code torch.nn.TransformerEncoderLayer}): self-attention and a
 * feed-forward network ({@code linear2(dropout(act(linear1(x))))}), each with dropout and a
 * residual connection, and layer norm after each (post-norm, the default) or before each
 * ({@code normFirst}). Submodules are named as in PyTorch ({@code self_attn}, {@code linear1},
 * {@code dropout}, {@code linear2}, {@code norm1}, {@code norm2}, {@code dropout1},
 * {@code dropout2}) so that state dicts load either way.
 */
public class TransformerEncoderLayer extends Module {
    private final MultiheadAttention selfAttn;
    private final Linear linear1;
    private final Dropout dropout;
    private final Linear linear2;
    private final LayerNorm norm1;
    private final LayerNorm norm2;
    private final Dropout dropout1;
    private final Dropout dropout2;
    private final boolean normFirst;
    private final boolean gelu;

    /** A post-norm relu layer with feed-forward size 2048, dropout 0.1 and sequence-first input. */
    public TransformerEncoderLayer(long dModel, long nhead) { this(builder(dModel, nhead)); }

    private TransformerEncoderLayer(Builder b) {
        gelu = switch (b.activation) {
            case "relu" -> false;
            case "gelu" -> true;
            default -> throw new IllegalArgumentException("TransformerEncoderLayer: activation should be relu or gelu, not "
                    + b.activation);
        };
        normFirst = b.normFirst;
        selfAttn = registerModule("self_attn", MultiheadAttention.builder(b.dModel, b.nhead).dropout(b.dropout)
                .batchFirst(b.batchFirst).generator(b.gen).build());
        linear1 = registerModule("linear1", new Linear(b.dModel, b.dimFeedforward, true, b.gen));
        dropout = registerModule("dropout", new Dropout(b.dropout, b.gen));
        linear2 = registerModule("linear2", new Linear(b.dimFeedforward, b.dModel, true, b.gen));
        norm1 = registerModule("norm1", new LayerNorm(new long[] {b.dModel}, b.layerNormEps, true));
        norm2 = registerModule("norm2", new LayerNorm(new long[] {b.dModel}, b.layerNormEps, true));
        dropout1 = registerModule("dropout1", new Dropout(b.dropout, b.gen));
        dropout2 = registerModule("dropout2", new Dropout(b.dropout, b.gen));
    }

    /** Starts a builder with PyTorch's defaults. */
    public static Builder builder(long dModel, long nhead) { return new Builder(dModel, nhead); }

    /** The block applied to {@code src} without masks. */
    @Override
    public Tensor forward(Tensor src) { return forward(src, null, null); }

    /**
     * The block applied to {@code src} ({@code [seq, batch, dModel]}, or {@code [batch, seq, dModel]}
     * when batch first); {@code srcMask} ({@code [seq, seq]} or {@code [batch*nhead, seq, seq]}) and
     * {@code srcKeyPaddingMask} ({@code [batch, seq]}) are bool (true = masked) or float (added) and
     * may be null.
     */
    public Tensor forward(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask) {
        Tensor x = src;
        if (normFirst) {
            x = x.add(selfAttentionBlock(norm1.forward(x), srcMask, srcKeyPaddingMask));
            x = x.add(feedForwardBlock(norm2.forward(x)));
        } else {
            x = norm1.forward(x.add(selfAttentionBlock(x, srcMask, srcKeyPaddingMask)));
            x = norm2.forward(x.add(feedForwardBlock(x)));
        }
        return x;
    }

    private Tensor selfAttentionBlock(Tensor x, Tensor mask, Tensor keyPaddingMask) {
        return dropout1.forward(selfAttn.forward(x, x, x, keyPaddingMask, false, mask, true).output());
    }

    private Tensor feedForwardBlock(Tensor x) {
        Tensor h = linear1.forward(x);
        h = gelu ? h.gelu() : h.relu();
        return dropout2.forward(linear2.forward(dropout.forward(h)));
    }

    /** The self-attention submodule. */
    public MultiheadAttention selfAttn() { return selfAttn; }

    /** Whether layer norm comes before each sub-block. */
    public boolean normFirst() { return normFirst; }

    /** Options of {@link TransformerEncoderLayer}. */
    public static final class Builder {
        private final long dModel;
        private final long nhead;
        private long dimFeedforward = 2048;
        private double dropout = 0.1;
        private String activation = "relu";
        private double layerNormEps = 1e-5;
        private boolean batchFirst;
        private boolean normFirst;
        private Generator gen = Generator.defaultGenerator();

        private Builder(long dModel, long nhead) {
            this.dModel = dModel;
            this.nhead = nhead;
        }

        /** Hidden size of the feed-forward network; default 2048. */
        public Builder dimFeedforward(long v) { dimFeedforward = v; return this; }

        /** Dropout probability everywhere in the block; default 0.1. */
        public Builder dropout(double v) { dropout = v; return this; }

        /** The feed-forward activation, "relu" (the default) or "gelu". */
        public Builder activation(String v) { activation = v; return this; }

        /** Layer norm epsilon; default 1e-5. */
        public Builder layerNormEps(double v) { layerNormEps = v; return this; }

        /** Whether input and output are {@code [batch, seq, feature]}; default false. */
        public Builder batchFirst(boolean v) { batchFirst = v; return this; }

        /** Whether layer norm comes before attention and feed-forward (pre-norm); default false. */
        public Builder normFirst(boolean v) { normFirst = v; return this; }

        /** The generator for initialisation and dropout; default {@link Generator#defaultGenerator()}. */
        public Builder generator(Generator v) { gen = v; return this; }

        /** The layer. */
        public TransformerEncoderLayer build() { return new TransformerEncoderLayer(this); }
    }
}
