package dev.balboa.nn.data;

import dev.balboa.api.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The default way to turn a list of samples into a {@link Batch} ({@code default_collate}):
 * tensor samples are stacked along a new first dimension; a sample that is a list (a
 * {@link TensorDataset} row) is collated field by field; numbers become a 1-D tensor (int64 for
 * integers, float32 for {@code Float}, float64 for {@code Double}).
 */
public final class Collate {
    private Collate() {}

    /** Collates {@code samples} as described in the class comment. */
    public static Batch stack(List<?> samples) {
        if (samples.isEmpty()) throw new IllegalArgumentException("collate: no samples to collate");
        Object first = samples.get(0);
        if (first instanceof List<?> row) {
            int fields = row.size();
            List<Tensor> out = new ArrayList<>(fields);
            for (int f = 0; f < fields; f++) {
                List<Object> column = new ArrayList<>(samples.size());
                for (int s = 0; s < samples.size(); s++) {
                    if (!(samples.get(s) instanceof List<?> r) || r.size() != fields) {
                        throw new IllegalArgumentException("collate: sample " + s + " is not a list of " + fields
                                + " fields like sample 0");
                    }
                    column.add(r.get(f));
                }
                out.add(field(column, "field " + f));
            }
            return new Batch(out);
        }
        return new Batch(List.of(field(samples, "samples")));
    }

    private static Tensor field(List<?> values, String what) {
        Object first = values.get(0);
        if (first instanceof Tensor) {
            List<Tensor> ts = new ArrayList<>(values.size());
            for (Object v : values) {
                if (!(v instanceof Tensor t)) throw new IllegalArgumentException("collate: " + what + " mixes tensors and " + describe(v));
                ts.add(t);
            }
            return Tensor.stack(ts, 0);
        }
        int n = values.size();
        if (first instanceof Float) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) a[i] = ((Number) number(values.get(i), what)).floatValue();
            return Tensor.of(a);
        }
        if (first instanceof Double) {
            double[] a = new double[n];
            for (int i = 0; i < n; i++) a[i] = number(values.get(i), what).doubleValue();
            return Tensor.of(a);
        }
        if (first instanceof Integer || first instanceof Long || first instanceof Short || first instanceof Byte) {
            long[] a = new long[n];
            for (int i = 0; i < n; i++) a[i] = number(values.get(i), what).longValue();
            return Tensor.of(a);
        }
        throw new IllegalArgumentException("collate: cannot collate " + what + " of type " + describe(first)
                + " (tensors, lists of tensors, or numbers); pass a collate function to the DataLoader");
    }

    private static Number number(Object v, String what) {
        if (!(v instanceof Number n)) throw new IllegalArgumentException("collate: " + what + " mixes numbers and " + describe(v));
        return n;
    }

    private static String describe(Object v) { return v == null ? "null" : v.getClass().getName(); }
}
