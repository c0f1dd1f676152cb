package dev.balboa.nn.data;

import dev.balboa.api.Generator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Batches a {@link Dataset} for training ({@code torch.utils.data.DataLoader}). Each call to
 * {@link #iterator()} is one epoch: the sample order is drawn from the loader's
 * {@link Generator} when shuffling, samples are grouped into batches (the last one smaller, or
 * dropped with {@code dropLast}), and each batch is built by the collate function.
 *
 * <p><b>Prefetch.</b> With {@code workers(n)} for {@code n > 0}, batches are built on {@code n}
 * background daemon threads while the consumer trains; at most {@code prefetch} batches are in
 * flight (built or being built), which bounds memory. Batches are always delivered in order, so
 * the sequence is the same for any number of workers.
 *
 * <p><b>Reproducibility.</b> The same generator seed gives the same epochs. Each sample is loaded
 * with its own generator, derived from the epoch and the sample's position, bound for the
 * duration of {@link Dataset#get(int)} and returned by {@link Transforms#sampleGenerator()}; the
 * random {@link Transforms} without an explicit generator draw from it, so augmentation is
 * reproducible for any number of workers too.
 *
 * <p><b>Errors.</b> An exception thrown while loading or collating a batch reaches the consumer
 * as a {@link WorkerException} naming the batch, with the original exception as its cause; the
 * epoch ends there. {@link #close()} stops the worker threads; an epoch's iterator can be closed
 * early (for example when breaking out of a loop) to cancel its pending batches.
 *
 * <pre>{@code
 * try (var loader = DataLoader.builder(new TensorDataset(images, labels))
 *         .batchSize(64).shuffle(true).generator(new Generator(0)).workers(2).build()) {
 *     for (int epoch = 0; epoch < 10; epoch++) {
 *         for (Batch b : loader) train(b.get(0), b.get(1));
 *     }
 * }
 * }</pre>
 *
 * @param <T> the sample type
 * @param <B> the batch type produced by the collate function
 */
public final class DataLoader<T, B> implements Iterable<B>, AutoCloseable {
    private final Dataset<T> dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final Generator generator;
    private final Function<List<T>, B> collate;
    private final int workers;
    private final int prefetch;
    private final Object lock = new Object();
    private ExecutorService pool;
    private boolean closed;

    private DataLoader(Builder<T, B> b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.generator = b.generator != null ? b.generator : new Generator(Generator.defaultGenerator().nextLong(Long.MAX_VALUE));
        this.collate = b.collate;
        this.workers = b.workers;
        this.prefetch = b.prefetch > 0 ? b.prefetch : Math.max(2, 2 * b.workers);
    }

    /** A builder over {@code dataset} with the default collate ({@link Collate#stack}). */
    public static <T> Builder<T, Batch> builder(Dataset<T> dataset) {
        return new Builder<>(dataset, Collate::stack);
    }

    /** The number of batches in one epoch. */
    public int numBatches() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The dataset. */
    public Dataset<T> dataset() { return dataset; }

    /** The generator that orders the epochs (save its state to resume at an epoch boundary). */
    public Generator generator() { return generator; }

    /** Starts a new epoch. */
    @Override
    public Epoch iterator() {
        synchronized (lock) {
            if (closed) throw new IllegalStateException("DataLoader: closed");
            if (workers > 0 && pool == null) pool = Executors.newFixedThreadPool(workers, new Workers());
        }
        int n = dataset.size();
        int[] order = shuffle ? Datasets.permutation(n, generator) : identity(n);
        long sampleSeed = generator.nextLong(Long.MAX_VALUE);
        return new Epoch(order, sampleSeed);
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    /** Stops the worker threads (waiting briefly for them); later epochs cannot start. */
    @Override
    public void close() {
        ExecutorService p;
        synchronized (lock) {
            closed = true;
            p = pool;
            pool = null;
        }
        if (p != null) {
            p.shutdownNow();
            try {
                p.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private B build(int[] order, long sampleSeed, int batch) {
        int start = batch * batchSize, end = Math.min(order.length, start + batchSize);
        List<T> samples = new ArrayList<>(end - start);
        for (int pos = start; pos < end; pos++) {
            Generator g = new Generator(mix(sampleSeed, pos));
            int index = order[pos];
            samples.add(Transforms.withSampleGenerator(g, () -> dataset.get(index)));
        }
        return collate.apply(samples);
    }

    private static long mix(long seed, long pos) {
        long z = seed + 0x9E3779B97F4A7C15L * (pos + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * One epoch's batches, in order. Closing it cancels the batches being prefetched; it is closed
     * automatically when exhausted or when a batch fails.
     */
    public final class Epoch implements Iterator<B>, AutoCloseable {
        private final int[] order;
        private final long sampleSeed;
        private final int total;
        private final ArrayDeque<Future<B>> inFlight = new ArrayDeque<>();
        private int submitted;
        private int delivered;
        private boolean done;

        private Epoch(int[] order, long sampleSeed) {
            this.order = order;
            this.sampleSeed = sampleSeed;
            this.total = numBatches();
            if (workers > 0) fill();
        }

        private void fill() {
            while (submitted < total && inFlight.size() < prefetch) {
                int batch = submitted++;
                ExecutorService p;
                synchronized (lock) {
                    p = pool;
                }
                if (p == null) throw new IllegalStateException("DataLoader: closed while an epoch was running");
                inFlight.add(p.submit(() -> build(order, sampleSeed, batch)));
            }
        }

        @Override
        public boolean hasNext() { return !done && delivered < total; }

        @Override
        public B next() {
            if (!hasNext()) throw new NoSuchElementException("DataLoader: the epoch has no more batches");
            int batch = delivered;
            B out;
            if (workers == 0) {
                try {
                    out = build(order, sampleSeed, batch);
                } catch (RuntimeException | Error e) {
                    close();
                    throw new WorkerException(describe(batch) + " failed: " + e, e);
                }
            } else {
                Future<B> f = inFlight.poll();
                try {
                    out = f.get();
                } catch (ExecutionException e) {
                    close();
                    Throwable cause = e.getCause();
                    throw new WorkerException(describe(batch) + " failed in a worker thread: " + cause, cause);
                } catch (InterruptedException e) {
                    close();
                    Thread.currentThread().interrupt();
                    throw new WorkerException(describe(batch) + ": interrupted while waiting for the batch", e);
                } catch (CancellationException e) {
                    close();
                    throw new IllegalStateException("DataLoader: " + describe(batch) + " was cancelled (the loader was closed)", e);
                }
                fill();
            }
            delivered++;
            if (delivered == total) close();
            return out;
        }

        private String describe(int batch) {
            int start = batch * batchSize, end = Math.min(order.length, start + batchSize);
            String idx = end - start <= 8 ? Arrays.toString(Arrays.copyOfRange(order, start, end))
                    : Arrays.toString(Arrays.copyOfRange(order, start, start + 8)).replace("]", ", ...]");
            return "DataLoader: batch " + batch + " of " + total + " (samples " + idx + ")";
        }

        /** Cancels the batches still being prefetched and ends the epoch. */
        @Override
        public void close() {
            done = true;
            for (Future<B> f : inFlight) f.cancel(true);
            inFlight.clear();
        }
    }

    /** A failure while loading or collating a batch; its cause is the original exception. */
    public static final class WorkerException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** An exception with a message naming the batch and the original cause. */
        public WorkerException(String message, Throwable cause) { super(message, cause); }
    }

    private static final class Workers implements ThreadFactory {
        private static final AtomicInteger LOADERS = new AtomicInteger();
        private final int loader = LOADERS.incrementAndGet();
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "balboa-dataloader-" + loader + "-worker-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }

    /**
     * Options of a {@link DataLoader}.
     *
     * @param <T> the sample type
     * @param <B> the batch type
     */
    public static final class Builder<T, B> {
        private final Dataset<T> dataset;
        private final Function<List<T>, B> collate;
        private int batchSize = 1;
        private boolean shuffle;
        private boolean dropLast;
        private Generator generator;
        private int workers;
        private int prefetch;

        private Builder(Dataset<T> dataset, Function<List<T>, B> collate) {
            if (dataset == null) throw new IllegalArgumentException("DataLoader: dataset is null");
            this.dataset = dataset;
            this.collate = collate;
        }

        /** Samples per batch (default 1). */
        public Builder<T, B> batchSize(int batchSize) {
            if (batchSize <= 0) throw new IllegalArgumentException("DataLoader: batchSize must be positive, got " + batchSize);
            this.batchSize = batchSize;
            return this;
        }

        /** Whether each epoch visits the samples in a new random order (default false). */
        public Builder<T, B> shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Whether to drop the last batch when it is smaller than the batch size (default false). */
        public Builder<T, B> dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /**
         * The generator for the epochs' order and the per-sample generators (default: a new one
         * seeded from the default generator when the loader is built).
         */
        public Builder<T, B> generator(Generator generator) {
            this.generator = generator;
            return this;
        }

        /** Background threads that build batches (default 0: batches are built on the consumer's thread). */
        public Builder<T, B> workers(int workers) {
            if (workers < 0) throw new IllegalArgumentException("DataLoader: workers must be >= 0, got " + workers);
            this.workers = workers;
            return this;
        }

        /** The most batches in flight with workers (default twice the workers, at least 2). */
        public Builder<T, B> prefetch(int prefetch) {
            if (prefetch <= 0) throw new IllegalArgumentException("DataLoader: prefetch must be positive, got " + prefetch);
            this.prefetch = prefetch;
            return this;
        }

        /** Replaces the collate function, which turns a list of samples into a batch. */
        public <R> Builder<T, R> collate(Function<List<T>, R> collate) {
            if (collate == null) throw new IllegalArgumentException("DataLoader: collate is null");
            Builder<T, R> b = new Builder<>(dataset, collate);
            b.batchSize = batchSize;
            b.shuffle = shuffle;
            b.dropLast = dropLast;
            b.generator = generator;
            b.workers = workers;
            b.prefetch = prefetch;
            return b;
        }

        /** The loader. */
        public DataLoader<T, B> build() { return new DataLoader<>(this); }
    }
}
