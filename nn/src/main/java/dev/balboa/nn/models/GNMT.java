package dev.balboa.nn.models;

import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;
import dev.balboa.spi.DType;
import dev.balboa.nn.Embedding;
import dev.balboa.nn.LSTM;
import dev.balboa.nn.Linear;
import dev.balboa.nn.Loss;
import dev.balboa.nn.Module;
import java.util.Arrays;
import java.util.List;

/**
 * A GNMT-shaped sequence-to-sequence translation model for benchmarks: an LSTM encoder, an LSTM
 * decoder with additive (Bahdanau) attention over the encoder outputs, and a projection to the
 * target vocabulary, trained with teacher forcing.
 *
 * <ul>
 *   <li>Encoder: source embedding {@code [vocab, hidden]}, then a unidirectional LSTM of
 *       {@code layers} layers (GNMT's bidirectional first layer is left out to keep the shapes
 *       uniform).</li>
 *   <li>Decoder: target embedding {@code [vocab, hidden]}, then an LSTM of {@code layers}
 *       layers started from the encoder's final state, run over the whole (teacher-forced)
 *       target input at once.</li>
 *   <li>Attention, for every decoder output {@code s_t} and encoder output {@code h_j}:
 *       {@code e_tj = v^T tanh(W_q s_t + W_k h_j)}, {@code a_t = softmax_j(e_t)},
 *       {@code c_t = sum_j a_tj h_j}; {@code W_q}, {@code W_k} are {@code [hidden, hidden]} and
 *       {@code v} is {@code [hidden]}, without biases. The attention is applied after the
 *       decoder LSTM (it does not feed back into the recurrence), so the decoder runs as one
 *       call rather than a step loop.</li>
 *   <li>Output: {@code tanh(Linear(2 hidden -> hidden)([s_t; c_t]))}, then
 *       {@code Linear(hidden -> vocab)} to logits.</li>
 * </ul>
 *
 * <p>Source and target share one vocabulary size. The benchmark configuration
 * ({@link #benchmark()}) has a vocabulary of 8,000, hidden size 256 and 2 layers. The loss is
 * the cross entropy of the logits against the target tokens, averaged over every target token
 * ({@link #loss}).
 */
public class GNMT extends Module {
    private final long vocab;
    private final long hidden;
    private final int layers;
    private final Embedding srcEmbed;
    private final Embedding tgtEmbed;
    private final LSTM encoder;
    private final LSTM decoder;
    private final Linear attnQuery;
    private final Linear attnKey;
    private final Linear attnV;
    private final Linear combine;
    private final Linear project;

    /** The benchmark model: vocabulary 8,000, hidden size 256, 2 encoder and 2 decoder layers. */
    public static GNMT benchmark() { return new GNMT(8000, 256, 2); }

    /** A model initialised from the default generator. */
    public GNMT(long vocab, long hidden, int layers) { this(vocab, hidden, layers, Generator.defaultGenerator()); }

    /** A model initialised from {@code gen}, each layer with its PyTorch default initialisation. */
    public GNMT(long vocab, long hidden, int layers, Generator gen) {
        if (vocab <= 0 || hidden <= 0 || layers <= 0) {
            throw new IllegalArgumentException("GNMT: vocab, hidden and layers must be positive, got vocab=" + vocab
                    + ", hidden=" + hidden + ", layers=" + layers);
        }
        this.vocab = vocab;
        this.hidden = hidden;
        this.layers = layers;
        srcEmbed = registerModule("src_embed", new Embedding(vocab, hidden, null, gen));
        tgtEmbed = registerModule("tgt_embed", new Embedding(vocab, hidden, null, gen));
        encoder = registerModule("encoder", LSTM.builder(hidden, hidden).numLayers(layers).batchFirst(true).generator(gen).build());
        decoder = registerModule("decoder", LSTM.builder(hidden, hidden).numLayers(layers).batchFirst(true).generator(gen).build());
        attnQuery = registerModule("attn_query", new Linear(hidden, hidden, false, gen));
        attnKey = registerModule("attn_key", new Linear(hidden, hidden, false, gen));
        attnV = registerModule("attn_v", new Linear(hidden, 1, false, gen));
        combine = registerModule("combine", new Linear(2 * hidden, hidden, true, gen));
        project = registerModule("project", new Linear(hidden, vocab, true, gen));
    }

    /**
     * The logits {@code [B, T, vocab]} for source tokens {@code [B, S]} and teacher-forced
     * target input tokens {@code [B, T]} (int64; the target input is the target shifted right
     * behind a start token).
     */
    public Tensor forward(Tensor source, Tensor targetInput) {
        if (source.dim() != 2 || targetInput.dim() != 2 || source.size(0) != targetInput.size(0)) {
            throw new IllegalArgumentException("GNMT.forward: expected source [B, S] and target input [B, T] with one batch size, got "
                    + Arrays.toString(source.shape()) + " and " + Arrays.toString(targetInput.shape()));
        }
        LSTM.Output enc = encoder.forward(srcEmbed.forward(source), null);
        Tensor memory = enc.output();                                        // [B, S, H]
        Tensor dec = decoder.forward(tgtEmbed.forward(targetInput), enc.state()).output(); // [B, T, H]
        Tensor q = attnQuery.forward(dec).unsqueeze(2);                      // [B, T, 1, H]
        Tensor k = attnKey.forward(memory).unsqueeze(1);                     // [B, 1, S, H]
        // v^T tanh(...) as a product with v broadcast over the last dim and a sum over it: the
        // same as attn_v's matrix-vector product, cheaper than a GEMM with one output column
        Tensor scores = q.add(k).tanh().mul(attnV.weight().view(hidden)).sum(3); // [B, T, S]
        Tensor context = scores.softmax(2).matmul(memory);                   // [B, T, H]
        Tensor out = combine.forward(Tensor.cat(List.of(dec, context), 2)).tanh();
        return project.forward(out);
    }

    /**
     * Mean cross entropy over every target token of the logits for {@code source} and
     * {@code targetInput} against {@code targetOutput [B, T]} (int64).
     */
    public Tensor loss(Tensor source, Tensor targetInput, Tensor targetOutput) {
        Tensor logits = forward(source, targetInput).reshape(-1, vocab);
        Tensor target = targetOutput.reshape(-1);
        if (target.dtype().isFloatingPoint() || target.dtype() == DType.BOOL) {
            return Loss.crossEntropy(logits, target); // reports the bad target
        }
        // cross entropy as logsumexp(logits) - logits[target]: the same value as log_softmax
        // followed by NLL, in fewer passes over the [B*T, vocab] logits forward and backward
        Tensor max = logits.amax(new int[] {1}, true).detach();
        Tensor logSumExp = logits.sub(max).exp().sum(new int[] {1}, false).log().add(max.squeeze(1));
        Tensor picked = logits.gather(1, target.unsqueeze(1)).squeeze(1);
        return logSumExp.sub(picked).mean();
    }

    /** The vocabulary size. */
    public long vocab() { return vocab; }

    /** The hidden size. */
    public long hidden() { return hidden; }

    /** The number of LSTM layers of the encoder and of the decoder. */
    public int layers() { return layers; }

    @Override
    protected String extraRepr() { return "vocab=" + vocab + ", hidden=" + hidden + ", layers=" + layers; }
}
