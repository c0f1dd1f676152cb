package dev.balboa.api;

import dev.balboa.spi.DType;
import java.util.Locale;

/** Formats tensors the way PyTorch prints them, summarising tensors of more than 1000 elements. */
final class Printer {
    private Printer() {}

    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;

    private static final int LINE_WIDTH = 80;

    static String print(Tensor t) {
        StringBuilder sb = new StringBuilder("tensor(");
        long n = t.numel();
        Tensor host = t;
        boolean summarize = n > THRESHOLD;
        double[] values = n == 0 ? new double[0] : host.to(DType.FLOAT64).toDoubleArray();
        long[] strides = Shapes.contiguousStrides(t.shape);
        // like torch, the number format is chosen from the printed (summarised) elements only
        double[] shown = summarize ? summarized(values, t.shape, strides) : values;
        Format f = Format.of(t.dtype, shown, summarize, t.shape);
        if (t.dim() == 0) {
            sb.append(f.format(values[0]));
        } else if (n == 0) {
            sb.append("[]");
        } else {
            appendDim(sb, values, t.shape, strides, 0, 0, f, summarize, "tensor(".length() + 1);
        }
        java.util.List<String> suffixes = new java.util.ArrayList<>();
        if (n == 0 && t.dim() > 1) suffixes.add("size=(" + joinShape(t.shape) + ")");
        if (t.dtype != DType.FLOAT32 && t.dtype != DType.INT64 && t.dtype != DType.BOOL) {
            suffixes.add("dtype=torch." + t.dtype.torchName());
        } else if (n == 0 && t.dtype != DType.FLOAT32) {
            suffixes.add("dtype=torch." + t.dtype.torchName());
        }
        if (!t.device().equals(dev.balboa.spi.Device.CPU)) suffixes.add("device='" + t.device() + "'");
        if (t.gradFn != null) suffixes.add("grad_fn=<" + t.gradFn.name() + ">");
        else if (t.requiresGrad) suffixes.add("requires_grad=True");
        // a suffix that would overflow the last line goes on a line of its own, as torch does
        int lastLine = sb.length() - sb.lastIndexOf("\n") + 1;
        for (String suffix : suffixes) {
            if (lastLine + suffix.length() + 2 > LINE_WIDTH) {
                sb.append(",\n").append(" ".repeat("tensor(".length())).append(suffix);
                lastLine = "tensor(".length() + suffix.length();
            } else {
                sb.append(", ").append(suffix);
                lastLine += suffix.length() + 2;
            }
        }
        return sb.append(')').toString();
    }

    /** The elements that a summarised print shows: the first and last {@code EDGE} of every dim longer than {@code 2 * EDGE}. */
    private static double[] summarized(double[] v, long[] shape, long[] strides) {
        java.util.List<Double> out = new java.util.ArrayList<>();
        collect(out, v, shape, strides, 0, 0);
        double[] r = new double[out.size()];
        for (int i = 0; i < r.length; i++) r[i] = out.get(i);
        return r;
    }

    private static void collect(java.util.List<Double> out, double[] v, long[] shape, long[] strides, int dim, long base) {
        if (dim == shape.length) {
            out.add(v[(int) base]);
            return;
        }
        long size = shape[dim];
        for (long i = 0; i < size; i++) {
            if (size > 2 * EDGE && i == EDGE) i = size - EDGE;
            collect(out, v, shape, strides, dim + 1, base + i * strides[dim]);
        }
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
        if (last) {
            // torch wraps the innermost dim at 80 columns, counting the ellipsis as an element
            int perLine = Math.max(1, (LINE_WIDTH - (indent - 1 + dim)) / (f.width() + 2));
            int onLine = 0;
            for (long i = 0; i < size; i++) {
                String item;
                if (summarize && size > 2 * EDGE && i == EDGE) {
                    item = " ...";
                    i = size - EDGE - 1;
                } else {
                    item = f.format(v[(int) (base + i * strides[dim])]);
                }
                if (onLine == perLine) {
                    sb.append(",\n").append(" ".repeat(indent + dim));
                    onLine = 0;
                } else if (onLine > 0) {
                    sb.append(", ");
                }
                sb.append(item);
                onLine++;
            }
            sb.append(']');
            return;
        }
        for (long i = 0; i < size; i++) {
            if (summarize && size > 2 * EDGE && i == EDGE) {
                sb.append("...,\n" + "\n".repeat(shape.length - dim - 2) + " ".repeat(indent + dim));
                i = size - EDGE - 1;
                continue;
            }
            appendDim(sb, v, shape, strides, dim + 1, base + i * strides[dim], f, summarize, indent);
            if (i < size - 1) sb.append(",\n").append("\n".repeat(shape.length - dim - 2)).append(" ".repeat(indent + dim));
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
            // torch: integral values switch to scientific only for a range over 1000 or values over 1e8
            boolean sci = maxAbs > 0 && (maxAbs / minAbs > 1000 || maxAbs > 1e8 || (!allInt && minAbs < 1e-4));
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
