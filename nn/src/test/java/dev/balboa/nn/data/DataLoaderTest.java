package dev.balboa.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;
import dev.balboa.spi.DType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class DataLoaderTest {
    private static TensorDataset dataset(int n) {
        float[] x = new float[n * 2];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
            y[i] = i;
        }
        return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y, n));
    }

    private static List<long[]> labels(DataLoader<?, Batch> loader) {
        List<long[]> out = new ArrayList<>();
        for (Batch b : loader) out.add(b.get(1).toLongArray());
        return out;
    }

    @Test
    void batchesInOrderWithDefaultCollate() {
        try (var loader = DataLoader.builder(dataset(10)).batchSize(4).build()) {
            List<Batch> batches = new ArrayList<>();
            loader.forEach(batches::add);
            assertEquals(3, batches.size());
            assertEquals(3, loader.numBatches());
            assertArrayEquals(new long[] {4, 2}, batches.get(0).get(0).shape());
            assertArrayEquals(new long[] {0, 1, 2, 3}, batches.get(0).get(1).toLongArray());
            assertArrayEquals(new long[] {8, 9}, batches.get(2).get(1).toLongArray());
            assertArrayEquals(new float[] {8, -8, 9, -9}, batches.get(2).get(0).toFloatArray());
            assertEquals(2, batches.get(2).size());
        }
    }

    @Test
    void dropLast() {
        try (var loader = DataLoader.builder(dataset(10)).batchSize(4).dropLast(true).build()) {
            assertEquals(2, labels(loader).size());
            assertEquals(2, loader.numBatches());
        }
    }

    @Test
    void seededShuffleIsReproducibleAndDiffersPerEpoch() {
        List<List<long[]>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (var loader = DataLoader.builder(dataset(50)).batchSize(8).shuffle(true).generator(new Generator(7)).build()) {
                List<long[]> epochs = new ArrayList<>();
                for (int e = 0; e < 3; e++) {
                    long[] all = labels(loader).stream().flatMapToLong(java.util.Arrays::stream).toArray();
                    Set<Long> seen = new HashSet<>();
                    for (long v : all) seen.add(v);
                    assertEquals(50, seen.size(), "each epoch visits every sample once");
                    epochs.add(all);
                }
                assertNotEquals(java.util.Arrays.toString(epochs.get(0)), java.util.Arrays.toString(epochs.get(1)));
                runs.add(epochs);
            }
        }
        for (int e = 0; e < 3; e++) assertArrayEquals(runs.get(0).get(e), runs.get(1).get(e));
    }

    @Test
    void sameBatchesForAnyWorkerCountIncludingRandomTransforms() {
        TensorDataset base = dataset(37);
        // a random transform drawing from the per-sample generator
        Dataset<List<Tensor>> augmented = Datasets.map(base, row -> List.of(
                row.get(0).add(Tensor.rand(new long[] {2}, Transforms.sampleGenerator())), row.get(1)));
        List<String> reference = null;
        for (int workers : new int[] {0, 1, 3}) {
            try (var loader = DataLoader.builder(augmented).batchSize(5).shuffle(true).generator(new Generator(11))
                    .workers(workers).prefetch(3).build()) {
                List<String> got = new ArrayList<>();
                for (int e = 0; e < 2; e++) for (Batch b : loader) got.add(b.get(0) + " " + b.get(1));
                if (reference == null) reference = got;
                else assertEquals(reference, got, "workers=" + workers);
            }
        }
    }

    @Test
    void prefetchIsBoundedAndRunsAhead() throws Exception {
        AtomicInteger loaded = new AtomicInteger();
        Dataset<Integer> ds = new Dataset<>() {
            public int size() { return 100; }

            public Integer get(int i) {
                loaded.incrementAndGet();
                return i;
            }
        };
        try (var loader = DataLoader.builder(ds).batchSize(1).workers(2).prefetch(4).build()) {
            var epoch = loader.iterator();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (loaded.get() < 4 && System.nanoTime() < deadline) Thread.sleep(5);
            Thread.sleep(100);
            assertEquals(4, loaded.get(), "exactly 'prefetch' batches are built ahead of the consumer");
            epoch.next();
            deadline = System.nanoTime() + 10_000_000_000L;
            while (loaded.get() < 5 && System.nanoTime() < deadline) Thread.sleep(5);
            Thread.sleep(100);
            assertEquals(5, loaded.get());
            epoch.close();
        }
    }

    @Test
    void workerExceptionReachesTheConsumerWithItsCause() {
        IllegalStateException boom = new IllegalStateException("corrupt sample 13");
        Dataset<Tensor> ds = new Dataset<>() {
            public int size() { return 20; }

            public Tensor get(int i) {
                if (i == 13) throw boom;
                return Tensor.scalar(i);
            }
        };
        for (int workers : new int[] {0, 2}) {
            try (var loader = DataLoader.builder(ds).batchSize(4).workers(workers).build()) {
                var it = loader.iterator();
                for (int b = 0; b < 3; b++) it.next();
                DataLoader.WorkerException e = assertThrows(DataLoader.WorkerException.class, it::next);
                assertSame(boom, e.getCause());
                assertTrue(e.getMessage().contains("batch 3 of 5"), e.getMessage());
                assertTrue(e.getMessage().contains("corrupt sample 13"), e.getMessage());
                assertTrue(!it.hasNext(), "the epoch ends after a failure");
            }
        }
    }

    @Test
    void closeStopsWorkersAndRejectsNewEpochs() throws Exception {
        var loader = DataLoader.builder(dataset(100)).batchSize(2).workers(2).build();
        var it = loader.iterator();
        it.next();
        loader.close();
        assertThrows(IllegalStateException.class, loader::iterator);
        Thread.sleep(50);
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("balboa-dataloader-") && t.isAlive()) {
                t.join(5000);
                assertTrue(!t.isAlive(), t.getName() + " still runs after close");
            }
        }
    }

    @Test
    void userCollate() {
        try (var loader = DataLoader.builder(dataset(6)).batchSize(4).collate(rows -> rows.size()).build()) {
            List<Integer> sizes = new ArrayList<>();
            loader.forEach(sizes::add);
            assertEquals(List.of(4, 2), sizes);
        }
    }

    @Test
    void collateNumbers() {
        Batch b = Collate.stack(List.of(List.of(Tensor.of(new float[] {1, 2}), 3L), List.of(Tensor.of(new float[] {4, 5}), 6L)));
        assertArrayEquals(new long[] {2, 2}, b.get(0).shape());
        assertEquals(DType.INT64, b.get(1).dtype());
        assertEquals(DType.FLOAT64, Collate.stack(List.of(1.0, 2.0)).get(0).dtype());
        assertThrows(IllegalArgumentException.class, () -> Collate.stack(List.of("a", "b")));
    }

    @Test
    void randomSplitByLengthsAndFractions() {
        TensorDataset ds = dataset(10);
        var parts = Datasets.randomSplit(ds, new int[] {7, 3}, new Generator(1));
        assertEquals(7, parts.get(0).size());
        Set<Long> all = new HashSet<>();
        for (var p : parts) for (int i = 0; i < p.size(); i++) all.add(p.get(i).get(1).itemLong());
        assertEquals(10, all.size());
        var again = Datasets.randomSplit(ds, new int[] {7, 3}, new Generator(1));
        assertEquals(parts.get(1).get(0).get(1).itemLong(), again.get(1).get(0).get(1).itemLong());
        var frac = Datasets.randomSplit(ds, new double[] {0.34, 0.33, 0.33}, new Generator(2));
        assertEquals(List.of(4, 3, 3), frac.stream().map(Dataset::size).toList());
        assertThrows(IllegalArgumentException.class, () -> Datasets.randomSplit(ds, new int[] {5, 4}, new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> Datasets.randomSplit(ds, new double[] {0.5, 0.6}, new Generator(1)));
    }

    @Test
    void transforms() {
        Tensor img = Tensor.of(new byte[] {0, (byte) 255, (byte) 128, 51, 0, 0}, DType.UINT8, 2, 3);
        Tensor t = Transforms.toTensor().apply(img);
        assertArrayEquals(new long[] {1, 2, 3}, t.shape());
        assertEquals(1.0f, t.toFloatArray()[1]);
        assertEquals(0.2f, t.toFloatArray()[3], 1e-7);
        Tensor hwc = Tensor.of(new byte[] {1, 2, 3, 4, 5, 6}, DType.UINT8, 1, 2, 3);
        assertArrayEquals(new long[] {3, 1, 2}, Transforms.toTensor().apply(hwc).shape());
        Tensor n = Transforms.normalize(new double[] {0.5}, new double[] {0.5}).apply(t);
        assertEquals(-1f, n.toFloatArray()[0], 1e-6);
        assertEquals(1f, n.toFloatArray()[1], 1e-6);
        Tensor x = Tensor.arange(0, 16, 1, DType.FLOAT32, t.device()).reshape(1, 4, 4);
        Tensor c1 = Transforms.randomCrop(4, 2, new Generator(3)).apply(x);
        Tensor c2 = Transforms.randomCrop(4, 2, new Generator(3)).apply(x);
        assertArrayEquals(new long[] {1, 4, 4}, c1.shape());
        assertTrue(c1.equal(c2));
        assertTrue(Transforms.randomCrop(4, 0, new Generator(3)).apply(x).equal(x));
        assertTrue(Transforms.randomHorizontalFlip(1.0, new Generator(0)).apply(x).equal(x.flip(-1)));
        assertTrue(Transforms.randomHorizontalFlip(0.0, new Generator(0)).apply(x).equal(x));
        UnaryOperator<Tensor> all = Transforms.compose(Transforms.toTensor(), Transforms.normalize(new double[] {0}, new double[] {1}));
        assertTrue(all.apply(img).equal(t));
        assertThrows(IllegalArgumentException.class, () -> Transforms.randomCrop(9, 0, new Generator(0)).apply(x));
        assertThrows(IllegalArgumentException.class, () -> Transforms.normalize(new double[] {0, 0}, new double[] {1, 1}).apply(x));
    }
}
