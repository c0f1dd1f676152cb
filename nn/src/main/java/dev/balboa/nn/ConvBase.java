package dev.balboa.nn;

import dev.balboa.api.Functional;
import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;
import java.util.Arrays;
import java.util.Locale;

/**
 * What the convolution layers share ({@code torch.nn.modules.conv._ConvNd}): hyper-parameters,
 * weight and bias with PyTorch's default initialisation, padding modes and {@code "same"}
 * padding, and PyTorch's {@code extra_repr}.
 */
abstract class ConvBase extends Module {
    /** How the input is padded: {@code zeros}, {@code reflect}, {@code replicate} or {@code circular}. */
    static Functional.PadMode padMode(String layer, String mode) {
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "zeros" -> Functional.PadMode.CONSTANT;
            case "reflect" -> Functional.PadMode.REFLECT;
            case "replicate" -> Functional.PadMode.REPLICATE;
            case "circular" -> Functional.PadMode.CIRCULAR;
            default -> throw new IllegalArgumentException(layer + ": padding_mode must be zeros, reflect, replicate or circular, got '" + mode + "'");
        };
    }

    final String name;
    final long inChannels;
    final long outChannels;
    final int[] kernelSize;
    final int[] stride;
    final int[] padding;
    final int[] dilation;
    final int[] outputPadding;
    final int groups;
    final String paddingMode;
    /** "same" or "valid" when padding was given as a string, else null. */
    final String paddingString;
    final boolean transposed;
    final Tensor weight;
    final Tensor bias;

    @SuppressWarnings("this-escape")
    ConvBase(String name, long inChannels, long outChannels, int[] kernelSize, int[] stride, int[] padding, String paddingString,
             int[] dilation, int[] outputPadding, int groups, boolean bias, String paddingMode, boolean transposed, Generator gen) {
        this.name = name;
        int nd = kernelSize.length;
        if (inChannels <= 0 || outChannels <= 0) {
            throw new IllegalArgumentException(name + ": channels must be positive, got in_channels=" + inChannels + ", out_channels=" + outChannels);
        }
        if (groups <= 0) throw new IllegalArgumentException(name + ": groups must be a positive integer, got " + groups);
        if (inChannels % groups != 0) throw new IllegalArgumentException(name + ": in_channels " + inChannels + " must be divisible by groups " + groups);
        if (outChannels % groups != 0) throw new IllegalArgumentException(name + ": out_channels " + outChannels + " must be divisible by groups " + groups);
        for (int[] v : new int[][] {kernelSize, stride, dilation}) {
            for (int x : v) if (x <= 0) throw new IllegalArgumentException(name + ": kernel_size, stride and dilation must be positive, got kernel_size="
                    + Repr.tuple(kernelSize) + ", stride=" + Repr.tuple(stride) + ", dilation=" + Repr.tuple(dilation));
        }
        for (int x : padding) if (x < 0) throw new IllegalArgumentException(name + ": padding must be non-negative, got " + Repr.tuple(padding));
        padMode(name, paddingMode);
        if (paddingString != null) {
            if (!paddingString.equals("same") && !paddingString.equals("valid")) {
                throw new IllegalArgumentException(name + ": padding string must be 'same' or 'valid', got '" + paddingString + "'");
            }
            if (transposed) throw new IllegalArgumentException(name + ": string padding is not supported for transposed convolutions");
            if (paddingString.equals("same")) {
                for (int s : stride) if (s != 1) throw new IllegalArgumentException(name + ": padding='same' is not supported for strided convolutions");
            }
        }
        if (transposed && !paddingMode.equals("zeros")) {
            throw new IllegalArgumentException(name + ": only 'zeros' padding mode is supported, got '" + paddingMode + "'");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize.clone();
        this.stride = stride.clone();
        this.padding = paddingString != null ? new int[nd] : padding.clone();
        this.paddingString = paddingString;
        this.dilation = dilation.clone();
        this.outputPadding = outputPadding.clone();
        this.groups = groups;
        this.paddingMode = paddingMode;
        this.transposed = transposed;
        long[] shape = new long[nd + 2];
        shape[0] = transposed ? inChannels : outChannels;
        shape[1] = (transposed ? outChannels : inChannels) / groups;
        for (int i = 0; i < nd; i++) shape[i + 2] = kernelSize[i];
        this.weight = registerParameter("weight", Tensor.empty(shape));
        this.bias = registerParameter("bias", bias ? Tensor.empty(outChannels) : null);
        resetParameters(gen);
    }

    /** Re-draws weight and bias: kaiming uniform with a = √5 and U(-1/√fan_in, 1/√fan_in), as PyTorch does. */
    public void resetParameters(Generator gen) {
        Init.kaimingUniform_(weight, Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu", gen);
        if (bias != null) {
            long fanIn = Init.fans(weight).fanIn();
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            Init.uniform_(bias, -bound, bound, gen);
        }
    }

    /** The weight: {@code [out, in/groups, *kernel]}, or {@code [in, out/groups, *kernel]} when transposed. */
    public Tensor weight() { return weight; }

    /** The bias {@code [out_channels]}, or null. */
    public Tensor bias() { return bias; }

    /**
     * Pads {@code x} explicitly where the functional op cannot (a non-zero padding mode, or
     * asymmetric "same" padding) and returns it with the padding left for the op in {@code opPadding}.
     */
    Tensor prepad(Tensor x, int[] opPadding) {
        int nd = kernelSize.length;
        int[] before = new int[nd], after = new int[nd];
        for (int i = 0; i < nd; i++) {
            if ("same".equals(paddingString)) {
                int total = dilation[i] * (kernelSize[i] - 1);
                before[i] = total / 2;
                after[i] = total - before[i];
            } else {
                before[i] = after[i] = padding[i];
            }
        }
        boolean symmetric = Arrays.equals(before, after);
        if (paddingMode.equals("zeros") && symmetric) {
            System.arraycopy(before, 0, opPadding, 0, nd);
            return x;
        }
        long[] pads = new long[2 * nd];
        for (int i = 0; i < nd; i++) {
            pads[2 * i] = before[nd - 1 - i];
            pads[2 * i + 1] = after[nd - 1 - i];
        }
        Arrays.fill(opPadding, 0);
        return Functional.pad(x, pads, padMode(name, paddingMode), 0);
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(Repr.tuple(kernelSize)).append(", stride=").append(Repr.tuple(stride));
        if (paddingString != null) s.append(", padding=").append(paddingString);
        else if (Arrays.stream(padding).anyMatch(p -> p != 0)) s.append(", padding=").append(Repr.tuple(padding));
        if (Arrays.stream(dilation).anyMatch(d -> d != 1)) s.append(", dilation=").append(Repr.tuple(dilation));
        if (Arrays.stream(outputPadding).anyMatch(p -> p != 0)) s.append(", output_padding=").append(Repr.tuple(outputPadding));
        if (groups != 1) s.append(", groups=").append(groups);
        if (bias == null) s.append(", bias=False");
        if (!paddingMode.equals("zeros")) s.append(", padding_mode=").append(paddingMode);
        return s.toString();
    }

    /** Settings common to the convolution builders. */
    static int[] fill(int nd, int v) {
        int[] a = new int[nd];
        Arrays.fill(a, v);
        return a;
    }

    static int[] sized(String layer, String what, int nd, int... v) {
        if (v.length == 1) return fill(nd, v[0]);
        if (v.length != nd) throw new IllegalArgumentException(layer + ": " + what + " needs 1 or " + nd + " values, got " + Arrays.toString(v));
        return v.clone();
    }
}
