package dev.balboa.nn.data;

import dev.balboa.api.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** Operations on datasets: random splits, subsets, mapping, and random permutations. */
public final class Datasets {
    private Datasets() {}

    /** A uniformly random permutation of {@code 0..n-1} drawn from {@code gen} (Fisher-Yates). */
    public static int[] permutation(int n, Generator gen) {
        if (n < 0) throw new IllegalArgumentException("permutation: n must be >= 0, got " + n);
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = (int) gen.nextLong(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** The samples of {@code dataset} at {@code indices}, in that order. */
    public static <T> Dataset<T> subset(Dataset<T> dataset, int[] indices) {
        int[] idx = indices.clone();
        int n = dataset.size();
        for (int i : idx) {
            if (i < 0 || i >= n) throw new IndexOutOfBoundsException("subset: index " + i + " out of range for a dataset of size " + n);
        }
        return new Dataset<>() {
            @Override
            public int size() { return idx.length; }

            @Override
            public T get(int index) {
                if (index < 0 || index >= idx.length) throw new IndexOutOfBoundsException("subset: index " + index + " out of range for size " + idx.length);
                return dataset.get(idx[index]);
            }
        };
    }

    /** A dataset whose samples are {@code fn} applied to the samples of {@code dataset} (lazily, on each access). */
    public static <T, R> Dataset<R> map(Dataset<T> dataset, Function<? super T, ? extends R> fn) {
        return new Dataset<>() {
            @Override
            public int size() { return dataset.size(); }

            @Override
            public R get(int index) { return fn.apply(dataset.get(index)); }
        };
    }

    /**
     * Splits {@code dataset} into non-overlapping random subsets of the given lengths, which must
     * add up to its size ({@code torch.utils.data.random_split}).
     */
    public static <T> List<Dataset<T>> randomSplit(Dataset<T> dataset, int[] lengths, Generator gen) {
        long sum = 0;
        for (int l : lengths) {
            if (l < 0) throw new IllegalArgumentException("randomSplit: negative length in " + Arrays.toString(lengths));
            sum += l;
        }
        if (sum != dataset.size()) {
            throw new IllegalArgumentException("randomSplit: lengths " + Arrays.toString(lengths) + " add up to " + sum
                    + ", not the dataset size " + dataset.size());
        }
        int[] perm = permutation(dataset.size(), gen);
        List<Dataset<T>> out = new ArrayList<>(lengths.length);
        int at = 0;
        for (int l : lengths) {
            out.add(subset(dataset, Arrays.copyOfRange(perm, at, at + l)));
            at += l;
        }
        return out;
    }

    /**
     * Splits {@code dataset} by fractions that add up to 1: each subset gets
     * {@code floor(fraction * size)} samples and the remainder is handed out one by one to the
     * first subsets, as PyTorch does.
     */
    public static <T> List<Dataset<T>> randomSplit(Dataset<T> dataset, double[] fractions, Generator gen) {
        double sum = 0;
        for (double f : fractions) {
            if (!(f >= 0 && f <= 1)) throw new IllegalArgumentException("randomSplit: fractions must be in [0, 1], got " + Arrays.toString(fractions));
            sum += f;
        }
        if (Math.abs(sum - 1) > 1e-9) throw new IllegalArgumentException("randomSplit: fractions " + Arrays.toString(fractions) + " add up to " + sum + ", not 1");
        int n = dataset.size();
        int[] lengths = new int[fractions.length];
        int total = 0;
        for (int i = 0; i < fractions.length; i++) {
            lengths[i] = (int) Math.floor(n * fractions[i]);
            total += lengths[i];
        }
        for (int i = 0; total < n; i = (i + 1) % lengths.length, total++) lengths[i]++;
        return randomSplit(dataset, lengths, gen);
    }
}
