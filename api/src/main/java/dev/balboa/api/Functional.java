package dev.balboa.api;

import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import java.util.Arrays;

/**
 * The functional neural-network primitives ({@code torch.nn.functional}): convolution, pooling,
 * embedding, dropout, padding, one-hot, linear, batch norm. Tensors are NCHW. The stateful layers in
 * {@code dev.balboa.nn} are built on these.
 */
public final class Functional {
    private Functional() {}

    /** Padding modes of {@link #pad}. */
    public enum PadMode { CONSTANT, REFLECT, REPLICATE, CIRCULAR }

    private static int[] pair(String op, String what, int[] v) {
        if (v.length == 1) return new int[] {v[0], v[0]};
        if (v.length != 2) throw new IllegalArgumentException(op + ": " + what + " needs 1 or 2 values, got " + Arrays.toString(v));
        return v.clone();
    }

    private static void checkPositive(String op, String what, int[] v, int min) {
        for (int x : v) {
            if (x < min) throw new IllegalArgumentException(op + ": " + what + " must be >= " + min + ", got " + Arrays.toString(v));
        }
    }

    /** {@code x @ weight^T + bias} over the last dim; {@code bias} may be null. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        if (weight.dim() != 2) throw new IllegalArgumentException("linear: weight must be 2-D, got " + Errors.describe(weight));
        if (x.dim() == 0 || x.size(-1) != weight.shape[1]) {
            throw new IllegalArgumentException("linear: input " + Errors.describe(x) + " does not match weight "
                    + Errors.describe(weight) + " (in_features " + weight.shape[1] + ")");
        }
        Tensor y = x.matmul(weight.t());
        return bias == null ? y : y.add(bias);
    }

    /**
     * A weight {@code [out, in]} prepared for many products {@link #linear(Tensor, LinearWeight)}
     * in one forward pass (the per-step products of a recurrent layer): it keeps a row-major copy
     * of {@code weight^T}, made once, that the products read in place instead of re-arranging
     * the transposed weight at every step. Gradients still flow to {@code weight}; changing
     * {@code weight} in place after {@link #of} makes the products refuse to run.
     */
    public static final class LinearWeight {
        final Tensor weight;
        final Tensor transposed;
        final int version;

        private LinearWeight(Tensor weight) {
            this.weight = weight;
            this.version = weight.version();
            try (Grad.Scope s = Grad.disabled()) {
                // rows an even number of cache lines apart share a subset of the L1 sets; one
                // extra line per row spreads them, so the products read B's column panels in place
                long in = weight.shape[1], out = weight.shape[0];
                long pad = (out * weight.dtype.byteSize()) % 128 == 0 ? 64 / weight.dtype.byteSize() : 0;
                Tensor t = pad == 0 ? weight.detach().t().contiguous()
                        : Tensor.empty(new long[] {in, out + pad}, weight.dtype, weight.device()).narrow(1, 0, out).copy_(weight.detach().t());
                this.transposed = t;
            }
        }

        /** Prepares a 2-D weight {@code [out, in]}. */
        public static LinearWeight of(Tensor weight) {
            if (weight.dim() != 2) throw new IllegalArgumentException("linear: weight must be 2-D, got " + Errors.describe(weight));
            return new LinearWeight(weight);
        }

        /** The weight this was prepared from. */
        public Tensor weight() { return weight; }
    }

    /**
     * {@code x @ weight^T} for a 2-D {@code x [batch, in]} (no bias), reading the prepared
     * transposed copy of the weight. With gradients it is recorded as one node whose backward is
     * {@code grad @ weight} and {@code grad^T @ x}, so the weight's gradient arrives in the
     * weight's own layout. Runs as {@code x.matmul(weight.t())} where that does not apply (a
     * dispatch layer that wants primitives, differing dtypes or devices).
     */
    public static Tensor linear(Tensor x, LinearWeight weight) {
        Tensor w = weight.weight;
        if (x.dim() != 2 || x.shape[1] != w.shape[1]) {
            throw new IllegalArgumentException("linear: input " + Errors.describe(x) + " does not match weight "
                    + Errors.describe(w) + " (in_features " + w.shape[1] + ")");
        }
        if (w.version() != weight.version) {
            throw new IllegalStateException("linear: the weight " + Errors.describe(w) + " was modified in place after it was "
                    + "prepared (version " + weight.version + ", now " + w.version() + "); prepare it again");
        }
        Tensor y = FusedComposites.linearPrepared(x, w, weight.transposed);
        return y != null ? y : x.matmul(w.t());
    }

    /**
     * The pointwise step of an LSTM cell, with PyTorch's gate order i, f, g, o: from the summed
     * pre-activations {@code gates [B, 4H]} ({@code x W_ih^T + b_ih + h W_hh^T + b_hh}) and the
     * cell state {@code c [B, H]}, returns {@code {h', c'}} with
     * {@code c' = sigmoid(f) * c + sigmoid(i) * tanh(g)} and {@code h' = sigmoid(o) * tanh(c')}.
     * Runs as one fused kernel (and one autograd node) where the device offers it, otherwise as
     * the composite of primitive ops.
     */
    public static Tensor[] lstmCell(Tensor gates, Tensor c) {
        if (gates.dim() != 2 || c.dim() != 2 || gates.shape[0] != c.shape[0] || gates.shape[1] != 4 * c.shape[1]
                || c.shape[1] == 0) {
            throw new IllegalArgumentException("lstm_cell: expected gates [B, 4H] and c [B, H] with H >= 1, got "
                    + Errors.describe(gates, c));
        }
        if (gates.dtype != c.dtype || !gates.dtype.isFloatingPoint() || !gates.device().equals(c.device())) {
            throw new IllegalArgumentException("lstm_cell: gates and c must have the same floating-point dtype and device, got "
                    + Errors.describe(gates, c));
        }
        Tensor[] fused = FusedComposites.lstmCell(gates, c);
        if (fused != null) return fused;
        long hs = c.shape[1];
        // one sigmoid over all four blocks (the candidate block's is unused): fewer, larger ops
        Tensor s = gates.sigmoid();
        Tensor i = s.narrow(-1, 0, hs), f = s.narrow(-1, hs, hs), o = s.narrow(-1, 3 * hs, hs);
        Tensor cand = gates.narrow(-1, 2 * hs, hs).tanh();
        Tensor c2 = f.mul(c).add(i.mul(cand));
        return new Tensor[] {o.mul(c2.tanh()), c2};
    }

    /** 2-D convolution with stride 1, no padding, dilation 1, one group. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias) {
        return conv2d(x, weight, bias, new int[] {1}, new int[] {0}, new int[] {1}, 1);
    }

    /**
     * 2-D convolution (cross-correlation) of {@code x [N, C, H, W]} (or {@code [C, H, W]}) with
     * {@code weight [O, C/groups, KH, KW]}; {@code bias [O]} may be null. Stride, padding and
     * dilation take one value for both dims or two (height, width).
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        String op = "conv2d";
        if (x.dim() == 3) return conv2d(x.unsqueeze(0), weight, bias, stride, padding, dilation, groups).squeeze(0);
        int[] s = pair(op, "stride", stride), p = pair(op, "padding", padding), d = pair(op, "dilation", dilation);
        checkPositive(op, "stride", s, 1);
        checkPositive(op, "padding", p, 0);
        checkPositive(op, "dilation", d, 1);
        if (x.dim() != 4 || weight.dim() != 4) {
            throw new IllegalArgumentException(op + ": expected a 4-D input [N, C, H, W] and a 4-D weight [O, C/groups, KH, KW], got "
                    + Errors.describe(x, weight));
        }
        Errors.sameDevice(op, x, weight);
        long c = x.shape[1], o = weight.shape[0];
        if (groups < 1 || c % groups != 0 || o % groups != 0 || weight.shape[1] * groups != c) {
            throw new IllegalArgumentException(op + ": input channels " + c + ", weight " + Shapes.str(weight.shape)
                    + " and groups " + groups + " do not fit (need C = weight.size(1) * groups and O divisible by groups); "
                    + Errors.describe(x, weight));
        }
        long kh = weight.shape[2], kw = weight.shape[3];
        long oh = (x.shape[2] + 2L * p[0] - d[0] * (kh - 1) - 1) / s[0] + 1;
        long ow = (x.shape[3] + 2L * p[1] - d[1] * (kw - 1) - 1) / s[1] + 1;
        if (x.shape[2] + 2L * p[0] < d[0] * (kh - 1) + 1 || x.shape[3] + 2L * p[1] < d[1] * (kw - 1) + 1) {
            throw new IllegalArgumentException(op + ": the (padded) input " + Shapes.str(x.shape) + " is smaller than the dilated kernel "
                    + Shapes.str(weight.shape) + " (padding " + Arrays.toString(p) + ", dilation " + Arrays.toString(d) + ")");
        }
        DType dt = DType.promote(x.dtype, weight.dtype);
        if (!dt.isFloatingPoint()) throw Errors.dtype(op, "expected floating-point input and weight", x, weight);
        Tensor xi = x.to(dt), wi = weight.to(dt);
        Tensor out = Creation.empty(op, new long[] {x.shape[0], o, oh, ow}, dt, x.backend());
        Dispatcher.kernel(new Op.Conv2d(s, p, d, groups), new Tensor[] {xi, wi}, new Tensor[] {out}, false);
        return bias == null ? out : out.add(checkBias(op, bias, o).view(1, o, 1, 1));
    }

    private static Tensor checkBias(String op, Tensor bias, long channels) {
        if (bias.dim() != 1 || bias.shape[0] != channels) {
            throw new IllegalArgumentException(op + ": bias must have shape [" + channels + "], got " + Errors.describe(bias));
        }
        return bias;
    }

    /** 1-D convolution of {@code x [N, C, L]} with {@code weight [O, C/groups, K]}. */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        if (x.dim() == 2) return conv1d(x.unsqueeze(0), weight, bias, stride, padding, dilation, groups).squeeze(0);
        if (x.dim() != 3 || weight.dim() != 3) {
            throw new IllegalArgumentException("conv1d: expected a 3-D input [N, C, L] and a 3-D weight [O, C/groups, K], got "
                    + Errors.describe(x, weight));
        }
        Tensor y = conv2d(x.unsqueeze(2), weight.unsqueeze(2), bias, new int[] {1, stride}, new int[] {0, padding},
                new int[] {1, dilation}, groups);
        return y.squeeze(2);
    }

    /**
     * Transposed 2-D convolution of {@code x [N, Cin, H, W]} with {@code weight [Cin, Cout/groups, KH, KW]}:
     * the gradient of {@link #conv2d} with respect to its input. Output size
     * {@code (H-1)*stride - 2*padding + dilation*(KH-1) + outputPadding + 1}.
     */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                         int[] outputPadding, int groups, int[] dilation) {
        String op = "conv_transpose2d";
        if (x.dim() == 3) return convTranspose2d(x.unsqueeze(0), weight, bias, stride, padding, outputPadding, groups, dilation).squeeze(0);
        int[] s = pair(op, "stride", stride), p = pair(op, "padding", padding), d = pair(op, "dilation", dilation);
        int[] op2 = pair(op, "output_padding", outputPadding);
        checkPositive(op, "stride", s, 1);
        checkPositive(op, "padding", p, 0);
        checkPositive(op, "dilation", d, 1);
        if (x.dim() != 4 || weight.dim() != 4) {
            throw new IllegalArgumentException(op + ": expected a 4-D input and a 4-D weight [Cin, Cout/groups, KH, KW], got "
                    + Errors.describe(x, weight));
        }
        Errors.sameDevice(op, x, weight);
        long cin = x.shape[1];
        if (weight.shape[0] != cin || groups < 1 || cin % groups != 0) {
            throw new IllegalArgumentException(op + ": input channels " + cin + " must equal weight.size(0) and be divisible by groups "
                    + groups + "; " + Errors.describe(x, weight));
        }
        for (int i = 0; i < 2; i++) {
            if (op2[i] >= Math.max(s[i], d[i])) {
                throw new IllegalArgumentException(op + ": output_padding " + Arrays.toString(op2)
                        + " must be smaller than stride or dilation");
            }
        }
        long cout = weight.shape[1] * groups;
        long kh = weight.shape[2], kw = weight.shape[3];
        long oh = (x.shape[2] - 1) * s[0] - 2L * p[0] + d[0] * (kh - 1) + op2[0] + 1;
        long ow = (x.shape[3] - 1) * s[1] - 2L * p[1] + d[1] * (kw - 1) + op2[1] + 1;
        if (oh <= 0 || ow <= 0) throw new IllegalArgumentException(op + ": computed output size " + oh + "x" + ow + " is not positive");
        DType dt = DType.promote(x.dtype, weight.dtype);
        if (!dt.isFloatingPoint()) throw Errors.dtype(op, "expected floating-point input and weight", x, weight);
        Tensor out = Creation.empty(op, new long[] {x.shape[0], cout, oh, ow}, dt, x.backend());
        Dispatcher.kernel(new Op.Conv2dBackwardInput(s, p, d, groups), new Tensor[] {x.to(dt), weight.to(dt)},
                new Tensor[] {out}, false);
        return bias == null ? out : out.add(checkBias(op, bias, cout).view(1, cout, 1, 1));
    }

    private static long pooledSize(String op, long in, int k, int s, int p, int d, boolean ceil) {
        if (p > k / 2) throw new IllegalArgumentException(op + ": padding " + p + " must be at most half the kernel size " + k);
        long span = in + 2L * p - (long) d * (k - 1) - 1;
        if (span < 0) throw new IllegalArgumentException(op + ": input size " + in + " is smaller than the kernel " + k + " (padding " + p + ")");
        long out = (ceil ? (span + s - 1) / s : span / s) + 1;
        if (ceil && (out - 1) * s >= in + p) out--;
        return out;
    }

    /** 2-D max pooling; {@code stride} null means the kernel size. */
    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return maxPool2dWithIndices(x, kernel, stride, padding, dilation, ceilMode).values();
    }

    /** 2-D max pooling with kernel size = stride and no padding. */
    public static Tensor maxPool2d(Tensor x, int kernel) {
        return maxPool2d(x, new int[] {kernel}, null, new int[] {0}, new int[] {1}, false);
    }

    /** 2-D max pooling returning the values and the flat position {@code h*W + w} of each maximum in its plane. */
    public static ValuesIndices maxPool2dWithIndices(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        String op = "max_pool2d";
        if (x.dim() == 3) {
            ValuesIndices r = maxPool2dWithIndices(x.unsqueeze(0), kernel, stride, padding, dilation, ceilMode);
            return new ValuesIndices(r.values().squeeze(0), r.indices().squeeze(0));
        }
        if (x.dim() != 4) throw new IllegalArgumentException(op + ": expected a 3-D or 4-D input, got " + Errors.describe(x));
        int[] k = pair(op, "kernel_size", kernel);
        int[] s = stride == null || stride.length == 0 ? k : pair(op, "stride", stride);
        int[] p = pair(op, "padding", padding), d = pair(op, "dilation", dilation);
        checkPositive(op, "kernel_size", k, 1);
        checkPositive(op, "stride", s, 1);
        checkPositive(op, "padding", p, 0);
        checkPositive(op, "dilation", d, 1);
        long oh = pooledSize(op, x.shape[2], k[0], s[0], p[0], d[0], ceilMode);
        long ow = pooledSize(op, x.shape[3], k[1], s[1], p[1], d[1], ceilMode);
        long[] shape = {x.shape[0], x.shape[1], oh, ow};
        Tensor values = Creation.empty(op, shape, x.dtype, x.backend());
        Tensor indices = Creation.empty(op, shape, DType.INT64, x.backend());
        Dispatcher.kernel(new Op.MaxPool2d(k, s, p, d), new Tensor[] {x}, new Tensor[] {values, indices}, false);
        return new ValuesIndices(values, indices);
    }

    /** 1-D max pooling of {@code [N, C, L]}. */
    public static Tensor maxPool1d(Tensor x, int kernel, int stride, int padding, int dilation, boolean ceilMode) {
        if (x.dim() != 3 && x.dim() != 2) throw new IllegalArgumentException("max_pool1d: expected a 2-D or 3-D input, got " + Errors.describe(x));
        return maxPool2d(x.unsqueeze(-2), new int[] {1, kernel}, new int[] {1, stride <= 0 ? kernel : stride},
                new int[] {0, padding}, new int[] {1, dilation}, ceilMode).squeeze(-2);
    }

    /**
     * 2-D average pooling; {@code stride} null means the kernel size. With {@code countIncludePad}
     * the zero padding counts in the divisor; {@code divisorOverride} &gt; 0 replaces the divisor.
     */
    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad, int divisorOverride) {
        String op = "avg_pool2d";
        if (x.dim() == 3) return avgPool2d(x.unsqueeze(0), kernel, stride, padding, ceilMode, countIncludePad, divisorOverride).squeeze(0);
        if (x.dim() != 4) throw new IllegalArgumentException(op + ": expected a 3-D or 4-D input, got " + Errors.describe(x));
        Errors.requireFloat(op, x);
        int[] k = pair(op, "kernel_size", kernel);
        int[] s = stride == null || stride.length == 0 ? k : pair(op, "stride", stride);
        int[] p = pair(op, "padding", padding);
        checkPositive(op, "kernel_size", k, 1);
        checkPositive(op, "stride", s, 1);
        checkPositive(op, "padding", p, 0);
        long h = x.shape[2], w = x.shape[3], c = x.shape[1];
        long oh = pooledSize(op, h, k[0], s[0], p[0], 1, ceilMode);
        long ow = pooledSize(op, w, k[1], s[1], p[1], 1, ceilMode);
        // zero-pad explicitly (extra at the bottom/right for ceil mode) and sum with a depthwise all-ones kernel
        long needH = (oh - 1) * s[0] + k[0], needW = (ow - 1) * s[1] + k[1];
        long extraH = Math.max(0, needH - (h + 2L * p[0])), extraW = Math.max(0, needW - (w + 2L * p[1]));
        Tensor padded = pad(x, new long[] {p[1], p[1] + extraW, p[0], p[0] + extraH}, PadMode.CONSTANT, 0);
        Tensor ones = Tensor.ones(new long[] {c, 1, k[0], k[1]}, x.dtype, x.device());
        Tensor sums = conv2d(padded, ones, null, s, new int[] {0}, new int[] {1}, (int) c);
        if (sums.shape[2] != oh || sums.shape[3] != ow) sums = sums.narrow(2, 0, oh).narrow(3, 0, ow);
        if (divisorOverride > 0) return sums.div((double) divisorOverride);
        double[] div = new double[(int) (oh * ow)];
        for (int i = 0; i < oh; i++) {
            long hs = (long) i * s[0] - p[0], he = Math.min(hs + k[0], h + p[0]);
            long hsC = Math.max(hs, 0), heC = Math.min(he, h);
            for (int j = 0; j < ow; j++) {
                long ws = (long) j * s[1] - p[1], we = Math.min(ws + k[1], w + p[1]);
                long wsC = Math.max(ws, 0), weC = Math.min(we, w);
                div[(int) (i * ow + j)] = countIncludePad ? (he - hs) * (we - ws) : (heC - hsC) * (weC - wsC);
            }
        }
        Tensor divisor = Creation.fromArray(div, div.length, DType.FLOAT64, new long[] {oh, ow}, x.backend()).to(x.dtype);
        return sums.div(divisor);
    }

    /** 2-D average pooling with kernel size = stride and no padding. */
    public static Tensor avgPool2d(Tensor x, int kernel) {
        return avgPool2d(x, new int[] {kernel}, null, new int[] {0}, false, true, 0);
    }

    /** 1-D average pooling of {@code [N, C, L]}. */
    public static Tensor avgPool1d(Tensor x, int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        if (x.dim() != 3 && x.dim() != 2) throw new IllegalArgumentException("avg_pool1d: expected a 2-D or 3-D input, got " + Errors.describe(x));
        return avgPool2d(x.unsqueeze(-2), new int[] {1, kernel}, new int[] {1, stride <= 0 ? kernel : stride},
                new int[] {0, padding}, ceilMode, countIncludePad, 0).squeeze(-2);
    }

    /**
     * Adaptive average pooling to {@code [outH, outW]}: output cell (i, j) averages rows
     * {@code floor(i*H/outH) .. ceil((i+1)*H/outH)} and the same for columns, as PyTorch does.
     */
    public static Tensor adaptiveAvgPool2d(Tensor x, long outH, long outW) {
        String op = "adaptive_avg_pool2d";
        if (x.dim() != 3 && x.dim() != 4) throw new IllegalArgumentException(op + ": expected a 3-D or 4-D input, got " + Errors.describe(x));
        Errors.requireFloat(op, x);
        if (outH <= 0 || outW <= 0) throw new IllegalArgumentException(op + ": output size must be positive, got " + outH + "x" + outW);
        long h = x.size(-2), w = x.size(-1);
        if (h % outH == 0 && w % outW == 0 && x.dim() == 4) {
            int kh = (int) (h / outH), kw = (int) (w / outW);
            if (kh == 1 && kw == 1) return x;
            if (kh == h && kw == w) return x.mean(new int[] {2, 3}, true);
            return avgPool2d(x, new int[] {kh, kw}, null, new int[] {0}, false, true, 0);
        }
        Tensor ph = poolingMatrix(outH, h, x), pw = poolingMatrix(outW, w, x);
        return ph.matmul(x).matmul(pw.t());
    }

    private static Tensor poolingMatrix(long out, long in, Tensor like) {
        double[] m = new double[(int) (out * in)];
        for (long i = 0; i < out; i++) {
            long start = Math.floorDiv(i * in, out), end = -Math.floorDiv(-(i + 1) * in, out);
            for (long j = start; j < end; j++) m[(int) (i * in + j)] = 1.0 / (end - start);
        }
        return Creation.fromArray(m, m.length, DType.FLOAT64, new long[] {out, in}, like.backend()).to(like.dtype);
    }

    /**
     * Rows of {@code weight [num, dim]} at {@code indices} (any shape, int64/int32): result
     * {@code indices.shape + [dim]}. Positions equal to {@code paddingIdx} (if &gt;= 0) pass no
     * gradient to the weight.
     */
    public static Tensor embedding(Tensor indices, Tensor weight, long paddingIdx) {
        if (weight.dim() != 2) throw new IllegalArgumentException("embedding: weight must be 2-D, got " + Errors.describe(weight));
        Errors.requireIndex("embedding", "indices", indices);
        Tensor flat = indices.reshape(-1);
        Tensor rows = weight.indexSelect(0, flat);
        if (paddingIdx >= 0) {
            Tensor isPad = flat.eq(paddingIdx).unsqueeze(1);
            rows = Tensor.where(isPad, rows.detach(), rows);
        }
        return rows.view(Shapes.concat(indices.shape, new long[] {weight.shape[1]}));
    }

    /** Embedding lookup without a padding index. */
    public static Tensor embedding(Tensor indices, Tensor weight) { return embedding(indices, weight, -1); }

    /** Zeroes elements with probability {@code p} and scales the rest by {@code 1/(1-p)} when {@code training}. */
    public static Tensor dropout(Tensor x, double p, boolean training, Generator gen) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("dropout: probability must be in [0, 1], got " + p);
        if (!training || p == 0) return x;
        if (p == 1) return x.mul(0.0);
        Errors.requireFloat("dropout", x);
        Tensor keep = Creation.uniform("dropout", x.shape, 0, 1, gen, x.dtype, x.backend()).ge(p);
        return x.mul(keep.to(x.dtype)).mul(1.0 / (1.0 - p));
    }

    /** Dropout with the default generator. */
    public static Tensor dropout(Tensor x, double p, boolean training) { return dropout(x, p, training, Generator.defaultGenerator()); }

    /** int64 one-hot encoding of class indices; {@code numClasses} -1 means max index + 1. */
    public static Tensor oneHot(Tensor indices, long numClasses) {
        Errors.requireIndex("one_hot", "indices", indices);
        if (indices.numel() > 0 && indices.min().itemLong() < 0) {
            throw new IllegalArgumentException("one_hot: class values must be non-negative, got " + Errors.describe(indices));
        }
        if (numClasses < 0) numClasses = indices.numel() == 0 ? 0 : indices.max().itemLong() + 1;
        else if (indices.numel() > 0 && indices.max().itemLong() >= numClasses) {
            throw new IllegalArgumentException("one_hot: class values must be smaller than num_classes " + numClasses);
        }
        Tensor classes = Tensor.arange(0, numClasses, 1, DType.INT64, indices.device());
        return indices.to(DType.INT64).unsqueeze(-1).eq(classes).to(DType.INT64);
    }

    /**
     * Pads the last dims: {@code pads} holds (before, after) pairs starting with the last dim, as
     * in {@code torch.nn.functional.pad}. Negative constant pads crop. Reflect, replicate and
     * circular pad from the tensor's own values (reflect needs pads smaller than the size).
     */
    public static Tensor pad(Tensor x, long[] pads, PadMode mode, double value) {
        String op = "pad";
        if (pads.length % 2 != 0 || pads.length / 2 > x.dim()) {
            throw new IllegalArgumentException(op + ": pads must hold (before, after) pairs for at most " + x.dim()
                    + " dims, got " + Arrays.toString(pads));
        }
        Tensor out = x;
        for (int i = 0; i < pads.length / 2; i++) {
            int d = x.dim() - 1 - i;
            long before = pads[2 * i], after = pads[2 * i + 1];
            if (before == 0 && after == 0) continue;
            out = mode == PadMode.CONSTANT ? padConstant(out, d, before, after, value) : padIndexed(out, d, before, after, mode);
        }
        return out == x ? x.clone() : out;
    }

    private static Tensor padConstant(Tensor x, int d, long before, long after, double value) {
        long size = x.shape[d];
        if (before < 0 || after < 0) {
            long start = Math.max(0, -before), end = size - Math.max(0, -after);
            if (end < start) throw new IllegalArgumentException("pad: negative padding removes more than dimension " + d + " of size " + size);
            x = x.narrow(d, start, end - start);
            before = Math.max(0, before);
            after = Math.max(0, after);
            if (before == 0 && after == 0) return x;
        }
        long[] shape = x.shape.clone();
        shape[d] = x.shape[d] + before + after;
        Tensor filler = Tensor.full(shape, value, x.dtype, x.device());
        java.util.List<Tensor> parts = new java.util.ArrayList<>();
        if (before > 0) parts.add(filler.narrow(d, 0, before));
        parts.add(x);
        if (after > 0) parts.add(filler.narrow(d, 0, after));
        return Tensor.cat(parts, d);
    }

    private static Tensor padIndexed(Tensor x, int d, long before, long after, PadMode mode) {
        long size = x.shape[d];
        if (before < 0 || after < 0) throw new IllegalArgumentException("pad: " + mode + " padding must be non-negative");
        if (mode == PadMode.REFLECT && (before >= size || after >= size)) {
            throw new IllegalArgumentException("pad: reflect padding (" + before + ", " + after + ") must be smaller than dimension "
                    + d + " of size " + size);
        }
        if (mode == PadMode.CIRCULAR && (before > size || after > size)) {
            throw new IllegalArgumentException("pad: circular padding (" + before + ", " + after + ") must not exceed dimension "
                    + d + " of size " + size);
        }
        if (size == 0) throw new IllegalArgumentException("pad: cannot " + mode + "-pad an empty dimension " + d);
        long n = size + before + after;
        long[] idx = new long[(int) n];
        for (int i = 0; i < n; i++) {
            long j = i - before;
            idx[i] = switch (mode) {
                case REFLECT -> j < 0 ? -j : (j >= size ? 2 * (size - 1) - j : j);
                case REPLICATE -> Math.clamp(j, 0, size - 1);
                case CIRCULAR -> Math.floorMod(j, size);
                case CONSTANT -> throw new AssertionError();
            };
        }
        Tensor index = Creation.fromArray(idx, idx.length, DType.INT64, new long[] {n}, x.backend());
        return x.indexSelect(d, index);
    }

    /** Softmax along {@code dim}. */
    public static Tensor softmax(Tensor x, int dim) { return x.softmax(dim); }

    /** Log-softmax along {@code dim}. */
    public static Tensor logSoftmax(Tensor x, int dim) { return x.logSoftmax(dim); }

    /**
     * Batch normalisation of {@code x [N, C, *]} over every dim but the channel dim 1
     * ({@code torch.nn.functional.batch_norm}). With {@code training}, it normalises with the
     * batch's mean and biased variance and, when {@code runningMean}/{@code runningVar} are
     * given, updates them in place (without gradient) to
     * {@code (1 - momentum) * running + momentum * stat}, the variance unbiased (which needs more
     * than one value per channel). Without {@code training}, it normalises with the running
     * statistics, which are then required. {@code weight} and {@code bias} ({@code [C]}) may be
     * null. On a device with a fused batch-norm kernel, training mode runs as one pass for the
     * statistics and one for the output (and its gradient as two passes), recorded for autograd
     * as one node; elsewhere it is the composite of primitive ops.
     *
     * @param momentum the weight of the batch in the running statistics, in [0, 1]
     * @param eps      added to the variance, {@code >= 0}
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        String op = "batch_norm";
        if (x.dim() < 2) throw new IllegalArgumentException(op + ": expected an input [N, C, *] of rank 2 or more, got " + Errors.describe(x));
        if (!(eps >= 0)) throw new IllegalArgumentException(op + ": eps must be non-negative, got " + eps);
        if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException(op + ": momentum must be in [0, 1], got " + momentum);
        long c = x.shape[1];
        String[] names = {"running_mean", "running_var", "weight", "bias"};
        Tensor[] perChannel = {runningMean, runningVar, weight, bias};
        for (int i = 0; i < names.length; i++) {
            Tensor t = perChannel[i];
            if (t != null && (t.dim() != 1 || t.shape[0] != c)) {
                throw new IllegalArgumentException(op + ": " + names[i] + " must have shape [" + c + "] for input "
                        + Errors.describe(x) + ", got " + Errors.describe(t));
            }
        }
        if ((runningMean == null) != (runningVar == null)) {
            throw new IllegalArgumentException(op + ": give both running_mean and running_var, or neither");
        }
        int rank = x.dim();
        long[] bshape = FusedComposites.batchNormChannelShape(rank, c);
        if (!training) {
            if (runningMean == null) throw new IllegalArgumentException(op + ": evaluation mode needs running_mean and running_var");
            // running statistics: one per-channel scale and shift, two passes over x
            Tensor scale = runningVar.add(eps).rsqrt();
            if (weight != null) scale = scale.mul(weight);
            Tensor shift = runningMean.mul(scale).neg();
            if (bias != null) shift = shift.add(bias);
            return x.mul(scale.view(bshape)).add(shift.view(bshape));
        }
        long n = x.numel() / Math.max(1, c);
        if (runningMean != null && n <= 1) {
            throw new IllegalArgumentException(op + ": expected more than 1 value per channel when training, got input of shape "
                    + Arrays.toString(x.shape));
        }
        Tensor[] stats = new Tensor[2];
        Tensor y = FusedComposites.batchNormTraining(x, weight, bias, eps, stats);
        if (y == null) {
            // The centred input is computed once and serves both the (biased) variance and the
            // output; the inverse standard deviation and the weight fold into one per-channel
            // scale. Adding the negated mean (the same value as subtracting it) reduces the mean's
            // gradient without first negating a full-size tensor.
            int[] dims = FusedComposites.batchNormDims(rank);
            Tensor mean = x.mean(dims, true);
            Tensor centred = x.add(mean.neg());
            Tensor var = centred.mul(centred).mean(dims, true);
            stats[0] = mean;
            stats[1] = var;
            Tensor scale = var.add(eps).rsqrt();
            if (weight != null) scale = scale.mul(weight.view(bshape));
            y = centred.mul(scale);
            if (bias != null) y = y.add(bias.view(bshape));
        }
        if (runningMean != null) {
            try (var g = Grad.disabled()) {
                Tensor m = stats[0].detach().reshape(c);
                Tensor v = stats[1].detach().reshape(c).mul((double) n / (n - 1));
                runningMean.mul_(1 - momentum).add_(m.mul(momentum).to(runningMean.dtype()));
                runningVar.mul_(1 - momentum).add_(v.mul(momentum).to(runningVar.dtype()));
            }
        }
        return y;
    }
}
