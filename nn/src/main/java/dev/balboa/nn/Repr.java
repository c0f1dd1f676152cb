package dev.balboa.nn;

import java.math.BigDecimal;
import java.util.Arrays;

/** Formatting helpers so that {@code extraRepr} strings read like PyTorch's (Python's number and tuple syntax). */
final class Repr {
    private Repr() {}

    /** A double as Python's {@code repr(float)} writes it: {@code 0.1}, {@code 1.0}, {@code 1e-05}. */
    static String pyFloat(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return (1 / v < 0) ? "-0.0" : "0.0";
        // Double.toString gives the shortest digits that round-trip; re-lay them out as Python does
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        String digits = d.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - d.scale();
        String sign = v < 0 ? "-" : "";
        if (exp < -4 || exp >= 16) {
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        String plain = d.abs().toPlainString();
        if (!plain.contains(".")) plain += ".0";
        return sign + plain;
    }

    /** A number that PyTorch keeps as an int when it is integral (e.g. Softplus' beta), else as a float. */
    static String pyNumber(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return pyFloat(v);
    }

    /** A Python boolean. */
    static String pyBool(boolean b) { return b ? "True" : "False"; }

    /** An int pair as PyTorch prints a size argument: {@code (3, 3)}. */
    static String tuple(int[] v) {
        if (v.length == 1) return "(" + v[0] + ",)";
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ", ").append(v[i]);
        return sb.append(')').toString();
    }

    /** A long tuple as Python prints it. */
    static String tuple(long[] v) {
        return tuple(Arrays.stream(v).mapToInt(Math::toIntExact).toArray());
    }

    /** Expands one value to a pair, or checks that two were given. */
    static int[] pair(String layer, String what, int... v) {
        if (v == null || v.length == 0) throw new IllegalArgumentException(layer + ": " + what + " needs 1 or 2 values, got none");
        if (v.length == 1) return new int[] {v[0], v[0]};
        if (v.length != 2) throw new IllegalArgumentException(layer + ": " + what + " needs 1 or 2 values, got " + Arrays.toString(v));
        return v.clone();
    }
}
