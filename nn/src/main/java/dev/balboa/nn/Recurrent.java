package dev.balboa.nn;

import dev.balboa.api.Functional;
import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The computation shared by {@link RNN}, {@link LSTM} and {@link GRU} and their cells: parameter
 * layout and initialisation, the per-step cell equations, and the layer/direction/time loops.
 * Each layer and direction projects the whole input sequence with one matrix product and then
 * steps through time for the recurrent part only.
 */
final class Recurrent {
    private Recurrent() {}

    /** The cell type, with its number of gate blocks in the stacked weights. */
    enum Kind {
        RNN_TANH(1), RNN_RELU(1), LSTM(4), GRU(3);

        final int gates;

        Kind(int gates) { this.gates = gates; }
    }

    /** The settings of a multi-layer recurrent layer. */
    record Config(Kind kind, long inputSize, long hiddenSize, int numLayers, boolean bias, boolean batchFirst,
                  double dropout, boolean bidirectional) {
        int directions() { return bidirectional ? 2 : 1; }

        void validate(String layer) {
            if (inputSize <= 0 || hiddenSize <= 0) {
                throw new IllegalArgumentException(layer + ": input_size and hidden_size must be positive, got " + inputSize
                        + " and " + hiddenSize);
            }
            if (numLayers < 1) throw new IllegalArgumentException(layer + ": num_layers must be at least 1, got " + numLayers);
            if (!(dropout >= 0 && dropout <= 1)) {
                throw new IllegalArgumentException(layer + ": dropout must be a number in [0, 1], got " + dropout);
            }
        }
    }

    /** The parameters of one layer and direction (biases may be null). */
    record Weights(Tensor wih, Tensor whh, Tensor bih, Tensor bhh) {}

    /** Output sequence and final states ({@code c} null except for LSTM). */
    record Result(Tensor output, Tensor h, Tensor c) {}

    /**
     * Creates and registers the parameters with torch's names and order, each drawn from
     * U(-1/√hidden, 1/√hidden).
     */
    static List<Weights> createWeights(Config cfg, BiFunction<String, Tensor, Tensor> register, Generator gen) {
        List<Weights> out = new ArrayList<>();
        long gh = cfg.kind().gates * cfg.hiddenSize();
        for (int layer = 0; layer < cfg.numLayers(); layer++) {
            long in = layer == 0 ? cfg.inputSize() : cfg.hiddenSize() * cfg.directions();
            for (int dir = 0; dir < cfg.directions(); dir++) {
                String suffix = "_l" + layer + (dir == 1 ? "_reverse" : "");
                Tensor wih = register.apply("weight_ih" + suffix, init(Tensor.empty(gh, in), cfg.hiddenSize(), gen));
                Tensor whh = register.apply("weight_hh" + suffix, init(Tensor.empty(gh, cfg.hiddenSize()), cfg.hiddenSize(), gen));
                Tensor bih = cfg.bias() ? register.apply("bias_ih" + suffix, init(Tensor.empty(gh), cfg.hiddenSize(), gen)) : null;
                Tensor bhh = cfg.bias() ? register.apply("bias_hh" + suffix, init(Tensor.empty(gh), cfg.hiddenSize(), gen)) : null;
                out.add(new Weights(wih, whh, bih, bhh));
            }
        }
        return out;
    }

    /** Creates and registers the parameters of a single cell ({@code weight_ih}, {@code weight_hh}, {@code bias_ih}, {@code bias_hh}). */
    static Weights createCellWeights(Kind kind, long inputSize, long hiddenSize, boolean bias,
                                     BiFunction<String, Tensor, Tensor> register, Generator gen) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException(kind + " cell: input_size and hidden_size must be positive, got " + inputSize
                    + " and " + hiddenSize);
        }
        long gh = kind.gates * hiddenSize;
        Tensor wih = register.apply("weight_ih", init(Tensor.empty(gh, inputSize), hiddenSize, gen));
        Tensor whh = register.apply("weight_hh", init(Tensor.empty(gh, hiddenSize), hiddenSize, gen));
        Tensor bih = bias ? register.apply("bias_ih", init(Tensor.empty(gh), hiddenSize, gen)) : null;
        Tensor bhh = bias ? register.apply("bias_hh", init(Tensor.empty(gh), hiddenSize, gen)) : null;
        return new Weights(wih, whh, bih, bhh);
    }

    private static Tensor init(Tensor t, long hidden, Generator gen) {
        double bound = 1 / Math.sqrt(hidden);
        return Init.uniform_(t, -bound, bound, gen);
    }

    /** {@code x W^T + b} over the last dim. */
    static Tensor project(Tensor x, Tensor w, Tensor b) { return Functional.linear(x, w, b); }

    /**
     * One time step: {@code xp} is the input projection {@code x W_ih^T + b_ih} of this step
     * ({@code [batch, gates*hidden]}); returns the new {@code h} (and {@code c} for LSTM) in a
     * two-element array.
     */
    static Tensor[] step(Kind kind, Tensor xp, Tensor h, Tensor c, Weights w) {
        Tensor hp = project(h, w.whh(), w.bhh());
        if (kind == Kind.GRU) return new Tensor[] {gru(xp, hp, h), null};
        return pointwise(kind, xp.add(hp), c);
    }

    /**
     * The cell equations of RNN and LSTM from the summed pre-activations {@code gates}
     * ({@code x W_ih^T + b_ih + h W_hh^T + b_hh}, {@code [batch, gates*hidden]}).
     */
    private static Tensor[] pointwise(Kind kind, Tensor gates, Tensor c) {
        switch (kind) {
            case RNN_TANH: return new Tensor[] {gates.tanh(), null};
            case RNN_RELU: return new Tensor[] {gates.relu(), null};
            // one fused kernel (and autograd node) where the device has it, else the composite
            case LSTM: return Functional.lstmCell(gates, c);
            default: throw new AssertionError(kind);
        }
    }

    /** The GRU equations from the input projection {@code xp} and the hidden projection {@code hp} (both with biases). */
    private static Tensor gru(Tensor xp, Tensor hp, Tensor h) {
        long hs = xp.size(-1) / 3;
        // r and z from one sigmoid over their two adjacent blocks
        Tensor rz = xp.narrow(-1, 0, 2 * hs).add(hp.narrow(-1, 0, 2 * hs)).sigmoid();
        Tensor r = rz.narrow(-1, 0, hs), z = rz.narrow(-1, hs, hs);
        Tensor n = xp.narrow(-1, 2 * hs, hs).add(r.mul(hp.narrow(-1, 2 * hs, hs))).tanh();
        // (1 - z) * n + z * h
        return n.add(z.mul(h.sub(n)));
    }

    /**
     * Runs the layers over {@code input} ({@code [seq, batch, in]}, {@code [batch, seq, in]} when
     * batch first, or unbatched {@code [seq, in]}). {@code h0}/{@code c0} may be null (zeros);
     * {@code lengths} may be null (every sequence is full length).
     */
    static Result run(String layer, Config cfg, List<Weights> weights, Tensor input, long[] lengths, Tensor h0, Tensor c0,
                      boolean training, Generator gen) {
        boolean lstm = cfg.kind() == Kind.LSTM;
        int dirs = cfg.directions();
        long states = (long) cfg.numLayers() * dirs;
        boolean batched;
        if (input.dim() == 3) batched = true;
        else if (input.dim() == 2) batched = false;
        else throw new IllegalArgumentException(layer + ": expected a 2-D (unbatched) or 3-D input, got shape "
                + Arrays.toString(input.shape()));
        if (input.size(-1) != cfg.inputSize()) {
            throw new IllegalArgumentException(layer + ": input.size(-1) must be equal to input_size " + cfg.inputSize()
                    + ", got input of shape " + Arrays.toString(input.shape()));
        }
        Tensor x = !batched ? input.unsqueeze(1) : (cfg.batchFirst() ? input.transpose(0, 1) : input);
        long seq = x.size(0), batch = x.size(1);
        long[] stateShape = {states, batch, cfg.hiddenSize()};
        h0 = checkState(layer, "h", h0, batched, stateShape, x);
        c0 = lstm ? checkState(layer, "c", c0, batched, stateShape, x) : null;

        Tensor[] masks = null;
        if (lengths != null) {
            if (lengths.length != batch) {
                throw new IllegalArgumentException(layer + ": got " + lengths.length + " lengths for a batch of " + batch);
            }
            long max = 0;
            for (long len : lengths) {
                if (len < 1 || len > seq) {
                    throw new IllegalArgumentException(layer + ": every length must be in [1, " + seq + "], got "
                            + Arrays.toString(lengths));
                }
                max = Math.max(max, len);
            }
            // like pad_packed_sequence, the output covers the longest sequence only
            x = x.narrow(0, 0, max);
            seq = max;
            Tensor valid = Tensor.arange(seq).unsqueeze(1).lt(Tensor.of(lengths).unsqueeze(0)).to(x.device()); // [seq, batch]
            masks = new Tensor[(int) seq];
            for (int t = 0; t < seq; t++) masks[t] = valid.select(0, t).unsqueeze(1);
        }

        // one layout for the time loop: [seq, batch, feature] and contiguous, so that the input
        // projection is one matrix product and every step reads a contiguous slice
        x = x.contiguous();
        boolean gru = cfg.kind() == Kind.GRU;
        List<Tensor> hs = new ArrayList<>(), cs = new ArrayList<>();
        for (int l = 0; l < cfg.numLayers(); l++) {
            List<Tensor> dirOutputs = new ArrayList<>();
            for (int d = 0; d < dirs; d++) {
                int idx = l * dirs + d;
                Weights w = weights.get(idx);
                // RNN and LSTM add both biases before any nonlinearity: fold b_hh into the
                // projection of the whole sequence instead of adding it at every step (GRU
                // multiplies the hidden projection, bias included, by r, so it keeps b_hh per step)
                Tensor inBias = w.bih() == null || gru ? w.bih() : w.bih().add(w.bhh());
                Tensor xp = project(x, w.wih(), inBias); // [seq, batch, gates*hidden]
                // one autograd node for all the steps' slices: their gradients are stacked once
                List<Tensor> xps = xp.unbind(0);
                // the per-step products read a row-major copy of W_hh^T made once here
                Functional.LinearWeight whh = Functional.LinearWeight.of(w.whh());
                Tensor h = h0.select(0, idx), c = lstm ? c0.select(0, idx) : null;
                Tensor[] outs = new Tensor[(int) seq];
                for (int s = 0; s < seq; s++) {
                    int t = d == 0 ? s : (int) seq - 1 - s;
                    Tensor xt = xps.get(t);
                    Tensor[] next;
                    if (gru) {
                        Tensor hp = Functional.linear(h, whh);
                        next = new Tensor[] {gru(xt, w.bhh() == null ? hp : hp.add(w.bhh()), h), null};
                    } else {
                        next = pointwise(cfg.kind(), xt.add(Functional.linear(h, whh)), c);
                    }
                    if (masks == null) {
                        h = next[0];
                        c = next[1];
                        outs[t] = h;
                    } else {
                        // padded steps keep the state and emit zeros
                        Tensor m = masks[t];
                        h = Tensor.where(m, next[0], h);
                        if (lstm) c = Tensor.where(m, next[1], c);
                        outs[t] = Tensor.where(m, next[0], 0.0);
                    }
                }
                dirOutputs.add(Tensor.stack(Arrays.asList(outs), 0));
                hs.add(h);
                if (lstm) cs.add(c);
            }
            x = dirs == 1 ? dirOutputs.get(0) : Tensor.cat(dirOutputs, 2);
            if (l < cfg.numLayers() - 1 && training && cfg.dropout() > 0) x = Functional.dropout(x, cfg.dropout(), true, gen);
        }
        Tensor hN = Tensor.stack(hs, 0), cN = lstm ? Tensor.stack(cs, 0) : null;
        Tensor output = x;
        if (!batched) {
            output = output.squeeze(1);
            hN = hN.squeeze(1);
            if (lstm) cN = cN.squeeze(1);
        } else if (cfg.batchFirst()) {
            // contiguous like PyTorch's, so that what follows (a linear layer, attention) reads it in order
            output = output.transpose(0, 1).contiguous();
        }
        return new Result(output, hN, cN);
    }

    private static Tensor checkState(String layer, String name, Tensor s, boolean batched, long[] shape, Tensor x) {
        if (s == null) return Tensor.zeros(shape, x.dtype(), x.device());
        long[] expected = batched ? shape : new long[] {shape[0], shape[2]};
        if (!Arrays.equals(s.shape(), expected)) {
            throw new IllegalArgumentException(layer + ": expected " + name + "0 of shape " + Arrays.toString(expected) + ", got "
                    + Arrays.toString(s.shape()));
        }
        return batched ? s : s.unsqueeze(1);
    }

    /** torch's {@code extra_repr} of a recurrent layer. */
    static String repr(Config cfg) {
        StringBuilder sb = new StringBuilder().append(cfg.inputSize()).append(", ").append(cfg.hiddenSize());
        if (cfg.numLayers() != 1) sb.append(", num_layers=").append(cfg.numLayers());
        if (!cfg.bias()) sb.append(", bias=False");
        if (cfg.batchFirst()) sb.append(", batch_first=True");
        if (cfg.dropout() != 0) sb.append(", dropout=").append(Repr.pyFloat(cfg.dropout()));
        if (cfg.bidirectional()) sb.append(", bidirectional=True");
        return sb.toString();
    }

    /** torch's {@code extra_repr} of a cell. */
    static String cellRepr(long inputSize, long hiddenSize, boolean bias, String nonlinearity) {
        StringBuilder sb = new StringBuilder().append(inputSize).append(", ").append(hiddenSize);
        if (!bias) sb.append(", bias=False");
        if (nonlinearity != null && !nonlinearity.equals("tanh")) sb.append(", nonlinearity=").append(nonlinearity);
        return sb.toString();
    }
}
