package dev.balboa.nn;

import dev.balboa.api.Functional;
import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;
import dev.balboa.spi.DType;
import java.util.Arrays;

/**
 * Multi-head scaled dot-product attention ({@code torch.nn.MultiheadAttention}): query, key and
 * value are projected, split into {@code numHeads} heads of {@code embedDim / numHeads}, attended
 * with {@code softmax(q k^T / √headDim + mask) v} and projected back by {@code out_proj}.
 *
 * <p>Parameters are named as in PyTorch: {@code in_proj_weight [3*embed, embed]} when keys and
 * values have the embedding size, else {@code q_proj_weight}, {@code k_proj_weight [embed, kdim]}
 * and {@code v_proj_weight [embed, vdim]}; {@code in_proj_bias [3*embed]}; {@code out_proj.weight}
 * and {@code out_proj.bias}. Projections start Xavier-uniform, biases at zero.
 *
 * <p>Masks follow PyTorch: a bool mask is true where attention is not allowed, a float mask is
 * added to the scores. {@code attnMask} is {@code [L, S]} or {@code [batch*heads, L, S]};
 * {@code keyPaddingMask} is {@code [batch, S]} (or {@code [S]} for unbatched input). A query whose
 * keys are all masked gets NaN, as in PyTorch.
 */
public class MultiheadAttention extends Module {
    private final long embedDim;
    private final long numHeads;
    private final long headDim;
    private final long kdim;
    private final long vdim;
    private final double dropout;
    private final boolean batchFirst;
    private final Generator gen;
    private final Tensor inProjWeight;
    private final Tensor qProjWeight;
    private final Tensor kProjWeight;
    private final Tensor vProjWeight;
    private final Tensor inProjBias;
    private final Linear outProj;

    /**
     * What {@link #forward(Tensor, Tensor, Tensor, Tensor, boolean, Tensor, boolean)} returns.
     *
     * @param output  the attention output, shaped like the query but with {@code embedDim} features
     * @param weights the attention weights {@code [batch, L, S]} averaged over heads or
     *                {@code [batch, heads, L, S]} (without the batch dim for unbatched input), or
     *                null when not requested
     */
    public record Output(Tensor output, Tensor weights) {}

    /** Attention with biases, no dropout, sequence-first, initialised from the default generator. */
    public MultiheadAttention(long embedDim, long numHeads) { this(builder(embedDim, numHeads)); }

    private MultiheadAttention(Builder b) {
        if (b.embedDim <= 0 || b.numHeads <= 0) {
            throw new IllegalArgumentException("MultiheadAttention: embed_dim and num_heads must be positive, got " + b.embedDim
                    + " and " + b.numHeads);
        }
        if (b.embedDim % b.numHeads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: embed_dim " + b.embedDim + " must be divisible by num_heads "
                    + b.numHeads);
        }
        if (!(b.dropout >= 0 && b.dropout <= 1)) throw new IllegalArgumentException("MultiheadAttention: dropout must be in [0, 1], got " + b.dropout);
        embedDim = b.embedDim;
        numHeads = b.numHeads;
        headDim = embedDim / numHeads;
        kdim = b.kdim > 0 ? b.kdim : embedDim;
        vdim = b.vdim > 0 ? b.vdim : embedDim;
        dropout = b.dropout;
        batchFirst = b.batchFirst;
        gen = b.gen;
        if (kdim == embedDim && vdim == embedDim) {
            inProjWeight = registerParameter("in_proj_weight", Init.xavierUniform_(Tensor.empty(3 * embedDim, embedDim), 1.0, gen));
            qProjWeight = kProjWeight = vProjWeight = null;
        } else {
            inProjWeight = null;
            qProjWeight = registerParameter("q_proj_weight", Init.xavierUniform_(Tensor.empty(embedDim, embedDim), 1.0, gen));
            kProjWeight = registerParameter("k_proj_weight", Init.xavierUniform_(Tensor.empty(embedDim, kdim), 1.0, gen));
            vProjWeight = registerParameter("v_proj_weight", Init.xavierUniform_(Tensor.empty(embedDim, vdim), 1.0, gen));
        }
        inProjBias = registerParameter("in_proj_bias", b.bias ? Tensor.zeros(3 * embedDim) : null);
        outProj = registerModule("out_proj", new Linear(embedDim, embedDim, b.bias, gen));
        if (b.bias) Init.zeros_(outProj.bias());
    }

    /** Starts a builder with PyTorch's defaults. */
    public static Builder builder(long embedDim, long numHeads) { return new Builder(embedDim, numHeads); }

    /** Attention without masks, returning head-averaged weights (PyTorch's defaults). */
    public Output forward(Tensor query, Tensor key, Tensor value) {
        return forward(query, key, value, null, true, null, true);
    }

    /** Self-attention of {@code x} without masks; returns the output only. */
    @Override
    public Tensor forward(Tensor x) { return forward(x, x, x, null, false, null, true).output(); }

    /**
     * Attention of {@code query [L, batch, embed]} over {@code key [S, batch, kdim]} and
     * {@code value [S, batch, vdim]} ({@code [batch, L, ...]} when batch first; {@code [L, embed]}
     * and {@code [S, ...]} unbatched). Either mask may be null; weights are returned only when
     * {@code needWeights}, averaged over heads when {@code averageAttnWeights}. In training mode,
     * dropout applies to the attention weights.
     */
    public Output forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean needWeights,
                          Tensor attnMask, boolean averageAttnWeights) {
        String op = "MultiheadAttention";
        boolean batched = query.dim() == 3;
        if ((query.dim() != 2 && query.dim() != 3) || key.dim() != query.dim() || value.dim() != query.dim()) {
            throw new IllegalArgumentException(op + ": query, key and value must all be 3-D (batched) or 2-D (unbatched), got "
                    + Arrays.toString(query.shape()) + ", " + Arrays.toString(key.shape()) + ", " + Arrays.toString(value.shape()));
        }
        Tensor q = query, k = key, v = value, kpm = keyPaddingMask;
        if (!batched) {
            q = q.unsqueeze(1);
            k = k.unsqueeze(1);
            v = v.unsqueeze(1);
            if (kpm != null) kpm = kpm.unsqueeze(0);
        } else if (batchFirst) {
            q = q.transpose(0, 1);
            k = k.transpose(0, 1);
            v = v.transpose(0, 1);
        }
        long tgt = q.size(0), batch = q.size(1), src = k.size(0);
        if (q.size(2) != embedDim || k.size(2) != kdim || v.size(2) != vdim || k.size(1) != batch || v.size(1) != batch
                || v.size(0) != src) {
            throw new IllegalArgumentException(op + ": expected query [L, N, " + embedDim + "], key [S, N, " + kdim + "], value [S, N, "
                    + vdim + "] (batch first: N first), got " + Arrays.toString(query.shape()) + ", "
                    + Arrays.toString(key.shape()) + ", " + Arrays.toString(value.shape()));
        }
        Tensor bq = null, bk = null, bv = null;
        if (inProjBias != null) {
            bq = inProjBias.narrow(0, 0, embedDim);
            bk = inProjBias.narrow(0, embedDim, embedDim);
            bv = inProjBias.narrow(0, 2 * embedDim, embedDim);
        }
        Tensor wq = inProjWeight != null ? inProjWeight.narrow(0, 0, embedDim) : qProjWeight;
        Tensor wk = inProjWeight != null ? inProjWeight.narrow(0, embedDim, embedDim) : kProjWeight;
        Tensor wv = inProjWeight != null ? inProjWeight.narrow(0, 2 * embedDim, embedDim) : vProjWeight;
        long bh = batch * numHeads;
        // [len, batch, embed] -> [batch*heads, len, headDim]
        Tensor qh = Functional.linear(q, wq, bq).reshape(tgt, bh, headDim).transpose(0, 1);
        Tensor kh = Functional.linear(k, wk, bk).reshape(src, bh, headDim).transpose(0, 1);
        Tensor vh = Functional.linear(v, wv, bv).reshape(src, bh, headDim).transpose(0, 1);

        Tensor mask = additiveMask(op, attnMask, kpm, tgt, src, batch, qh);
        Tensor scores = qh.div(Math.sqrt(headDim)).matmul(kh.transpose(1, 2));
        if (mask != null) scores = scores.add(mask);
        Tensor weights = scores.softmax(-1);
        if (isTraining() && dropout > 0) weights = Functional.dropout(weights, dropout, true, gen);
        Tensor out = weights.matmul(vh).transpose(0, 1).reshape(tgt, batch, embedDim);
        out = outProj.forward(out);
        Tensor w = null;
        if (needWeights) {
            w = weights.view(batch, numHeads, tgt, src);
            if (averageAttnWeights) w = w.sum(1).div((double) numHeads);
            if (!batched) w = w.squeeze(0);
        }
        if (!batched) out = out.squeeze(1);
        else if (batchFirst) out = out.transpose(0, 1);
        return new Output(out, w);
    }

    /** The attention mask and key padding mask as one float mask to add to the scores, broadcastable to [batch*heads, L, S]. */
    private Tensor additiveMask(String op, Tensor attnMask, Tensor kpm, long tgt, long src, long batch, Tensor like) {
        Tensor mask = null;
        if (attnMask != null) {
            long[] s = attnMask.shape();
            boolean ok = attnMask.dim() == 2 ? Arrays.equals(s, new long[] {tgt, src})
                    : attnMask.dim() == 3 && Arrays.equals(s, new long[] {batch * numHeads, tgt, src});
            if (!ok) {
                throw new IllegalArgumentException(op + ": attn_mask must be [" + tgt + ", " + src + "] or [" + batch * numHeads
                        + ", " + tgt + ", " + src + "], got " + Arrays.toString(s));
            }
            mask = toAdditive(op, "attn_mask", attnMask, like);
            if (mask.dim() == 2) mask = mask.unsqueeze(0);
        }
        if (kpm != null) {
            if (!Arrays.equals(kpm.shape(), new long[] {batch, src})) {
                throw new IllegalArgumentException(op + ": key_padding_mask must be [" + batch + ", " + src + "], got "
                        + Arrays.toString(kpm.shape()));
            }
            Tensor k = toAdditive(op, "key_padding_mask", kpm, like).view(batch, 1, 1, src)
                    .expand(batch, numHeads, 1, src).reshape(batch * numHeads, 1, src);
            mask = mask == null ? k : mask.add(k);
        }
        return mask;
    }

    private static Tensor toAdditive(String op, String what, Tensor mask, Tensor like) {
        if (mask.dtype() == DType.BOOL) {
            return Tensor.zeros(mask.shape(), like.dtype(), like.device()).maskedFill(mask.to(like.device()), Double.NEGATIVE_INFINITY);
        }
        if (!mask.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": only bool and floating-point " + what + " are supported, got " + mask.dtype());
        }
        return mask.to(like.device(), like.dtype());
    }

    /** The embedding size. */
    public long embedDim() { return embedDim; }

    /** The number of heads. */
    public long numHeads() { return numHeads; }

    /** Whether inputs and outputs are {@code [batch, seq, feature]}. */
    public boolean batchFirst() { return batchFirst; }

    /** The output projection. */
    public Linear outProj() { return outProj; }

    /** Options of {@link MultiheadAttention}. */
    public static final class Builder {
        private final long embedDim;
        private final long numHeads;
        private double dropout;
        private boolean bias = true;
        private boolean batchFirst;
        private long kdim;
        private long vdim;
        private Generator gen = Generator.defaultGenerator();

        private Builder(long embedDim, long numHeads) {
            this.embedDim = embedDim;
            this.numHeads = numHeads;
        }

        /** Dropout on the attention weights in training mode; default 0. */
        public Builder dropout(double v) { dropout = v; return this; }

        /** Whether the projections have biases; default true. */
        public Builder bias(boolean v) { bias = v; return this; }

        /** Whether inputs and outputs are {@code [batch, seq, feature]}; default false. */
        public Builder batchFirst(boolean v) { batchFirst = v; return this; }

        /** Feature size of keys; default the embedding size. */
        public Builder kdim(long v) { kdim = v; return this; }

        /** Feature size of values; default the embedding size. */
        public Builder vdim(long v) { vdim = v; return this; }

        /** The generator for initialisation and dropout; default {@link Generator#defaultGenerator()}. */
        public Builder generator(Generator v) { gen = v; return this; }

        /** The layer. */
        public MultiheadAttention build() { return new MultiheadAttention(this); }
    }
}
