package dev.balboa.api;

import dev.balboa.spi.DType;
import java.util.Locale;

/** Formats tensors the way PyTorch prints them, summarising tensors of more than 1000 elements. */
final class Printer {
    private Printer() {}

    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;

    static String print(Tensor t) {
        StringBuilder sb = new StringBuilder("tensor(");
        long n = t.numel();
        Tensor host = t;
        boolean summarize = n > THRESHOLD;
        double[] values = n == 0 ? new double[0] : host.to(DType.FLOAT64).toDoubleArray();
        Format f = Format.of(t.dtype, values, summarize, t.shape);
        if (t.dim() == 0) {
            sb.append(f.format(values[0]));
        } else if (n == 0) {
            sb.append("[]");
        } else {
            long[] strides = Shapes.contiguousStrides(t.shape);
            appendDim(sb, values, t.shape, strides, 0, 0, f, summarize, "tensor(".length() + 1);
        }
        if (n == 0 && t.dim() > 1) sb.append(", size=(").append(joinShape(t.shape)).append(')');
        if (t.dtype != DType.FLOAT32 && t.dtype != DType.INT64 && t.dtype != DType.BOOL) {
            sb.append(", dtype=torch.").append(t.dtype.torchName());
        } else if (n == 0 && t.dtype != DType.FLOAT32) {
            sb.append(", dtype=torch.").append(t.dtype.torchName());
        }
        if (!t.device().equals(dev.balboa.spi.Device.CPU)) sb.append(", device='").append(t.device()).append('\'');
        if (t.gradFn != null) sb.append(", grad_fn=<").append(t.gradFn.name()).append('>');
        else if (t.requiresGrad) sb.append(", requires_grad=True");
        return sb.append(')').toString();
    }

    private static String joinShape(long[] shape) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? ", " : "").append(shape[i]);
        return sb.toString();
    }

    private static void appendDim(StringBuilder sb, double[] v, long[] shape, long[] strides, int dim, long base,
                                  Format f, boolean summarize, int indent) {
        sb.append('[');
        long size = shape[dim];
        boolean last = dim == shape.length - 1;
        for (long i = 0; i < size; i++) {
            if (summarize && size > 2 * EDGE && i == EDGE) {
                sb.append(last ? "..., " : "...,\n" + "\n".repeat(shape.length - dim - 2) + " ".repeat(indent + dim));
                i = size - EDGE - 1;
                continue;
            }
            if (last) {
                sb.append(f.format(v[(int) (base + i * strides[dim])]));
            } else {
                appendDim(sb, v, shape, strides, dim + 1, base + i * strides[dim], f, summarize, indent);
            }
            if (i < size - 1) {
                if (last) sb.append(", ");
                else sb.append(",\n").append("\n".repeat(shape.length - dim - 2)).append(" ".repeat(indent + dim));
            }
        }
        sb.append(']');
    }

    /** How elements are written: integer, fixed point or scientific, right-aligned to a common width. */
    private record Format(DType dtype, boolean intMode, boolean sci, int width) {
        static Format of(DType dtype, double[] values, boolean summarize, long[] shape) {
            if (!dtype.isFloatingPoint()) {
                int w = 1;
                for (double v : values) w = Math.max(w, raw(dtype, v, true, false).length());
                return new Format(dtype, true, false, w);
            }
            boolean allInt = true;
            double maxAbs = 0, minAbs = Double.POSITIVE_INFINITY;
            for (double v : values) {
                if (!Double.isFinite(v)) continue;
                if (v != Math.rint(v)) allInt = false;
                double a = Math.abs(v);
                if (a != 0) {
                    maxAbs = Math.max(maxAbs, a);
                    minAbs = Math.min(minAbs, a);
                }
            }
            boolean sci = maxAbs > 0 && (maxAbs / minAbs > 1000 || maxAbs > 1e8 || minAbs < 1e-4);
            if (allInt && maxAbs <= 1e8) sci = false;
            Format probe = new Format(dtype, allInt, sci, 0);
            int w = 1;
            for (double v : values) w = Math.max(w, probe.raw(v).length());
            return new Format(dtype, allInt, sci, w);
        }

        private static String raw(DType dtype, double v, boolean intMode, boolean sci) {
            if (dtype == DType.BOOL) return v != 0 ? "True" : "False";
            if (!dtype.isFloatingPoint()) return Long.toString((long) v);
            if (Double.isNaN(v)) return "nan";
            if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
            if (sci) {
                String s = String.format(Locale.ROOT, "%.4e", v);
                // Java prints e+05 already; ensure two exponent digits like PyTorch
                return s;
            }
            if (intMode) return String.format(Locale.ROOT, "%.0f.", v);
            return String.format(Locale.ROOT, "%.4f", v);
        }

        String raw(double v) { return raw(dtype, v, intMode, sci); }

        String format(double v) {
            String s = raw(v);
            return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
        }
    }
}
