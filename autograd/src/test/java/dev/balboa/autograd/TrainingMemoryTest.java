package dev.balboa.autograd;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.api.Devices;
import dev.balboa.api.Functional;
import dev.balboa.api.Generator;
import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import dev.balboa.spi.DType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A 10,000-step training loop of a small MLP (manual SGD, cross-entropy from logSoftmax and
 * gather): the loss goes down and the heap retained after GC does not grow, so graphs, saved
 * tensors and gradients are freed step after step.
 */
class TrainingMemoryTest {
    private static final int IN = 64, HIDDEN = 128, CLASSES = 10, BATCH = 32, SAMPLES = 1024, STEPS = 10_000;

    /**
     * The heap retained after a full collection: the smallest over a few {@code System.gc()} calls of
     * what the heap pools held right after their last collection, read from the platform memory
     * pool beans (reflectively: this module does not read java.management). Unlike
     * {@code totalMemory() - freeMemory()}, allocations made after the collection do not count.
     */
    private static long usedHeapAfterGc() {
        long best = Long.MAX_VALUE;
        try {
            Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
            Class<?> poolType = Class.forName("java.lang.management.MemoryPoolMXBean");
            Class<?> usageType = Class.forName("java.lang.management.MemoryUsage");
            List<?> pools = (List<?>) factory.getMethod("getMemoryPoolMXBeans").invoke(null);
            for (int i = 0; i < 3; i++) {
                System.gc();
                long used = 0;
                for (Object pool : pools) {
                    if (!"HEAP".equals(((Enum<?>) poolType.getMethod("getType").invoke(pool)).name())) continue;
                    Object usage = poolType.getMethod("getCollectionUsage").invoke(pool);
                    if (usage != null) used += (long) usageType.getMethod("getUsed").invoke(usage);
                }
                best = Math.min(best, used);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the memory pools", e);
        }
        return best;
    }

    @Test
    void heapDoesNotGrowOverTenThousandSteps() {
        var dev = Devices.defaultDevice();
        Generator gen = new Generator(42);
        // a learnable synthetic task: labels from a random linear teacher
        Tensor data = Tensor.randn(new long[] {SAMPLES, IN}, gen, DType.FLOAT32, dev);
        Tensor teacher = Tensor.randn(new long[] {IN, CLASSES}, gen, DType.FLOAT32, dev);
        Tensor labels = data.matmul(teacher).argmax(1, true);
        Tensor w1 = Tensor.randn(new long[] {HIDDEN, IN}, gen, DType.FLOAT32, dev).mul(1.0 / Math.sqrt(IN)).requiresGrad_();
        Tensor b1 = Tensor.zeros(new long[] {HIDDEN}, DType.FLOAT32, dev).requiresGrad_();
        Tensor w2 = Tensor.randn(new long[] {CLASSES, HIDDEN}, gen, DType.FLOAT32, dev).mul(1.0 / Math.sqrt(HIDDEN)).requiresGrad_();
        Tensor b2 = Tensor.zeros(new long[] {CLASSES}, DType.FLOAT32, dev).requiresGrad_();
        List<Tensor> params = List.of(w1, b1, w2, b2);
        double lr = 0.05;
        double firstLoss = 0, lastLoss = 0;
        long heapAt1000 = 0, heapAtEnd = 0;
        long start = System.nanoTime();
        for (int step = 1; step <= STEPS; step++) {
            long from = (long) ((step - 1) % (SAMPLES / BATCH)) * BATCH;
            Tensor x = data.narrow(0, from, BATCH);
            Tensor y = labels.narrow(0, from, BATCH);
            Tensor h = Functional.linear(x, w1, b1).relu();
            Tensor logits = Functional.linear(h, w2, b2);
            Tensor loss = logits.logSoftmax(1).gather(1, y).neg().mean();
            loss.backward();
            try (var g = Grad.disabled()) {
                for (Tensor p : params) {
                    p.sub_(p.grad().mul(lr));
                    p.setGrad(null);
                }
            }
            if (step <= 32) firstLoss += loss.item() / 32;
            if (step > STEPS - 32) lastLoss += loss.item() / 32;
            if (step == 1000) heapAt1000 = usedHeapAfterGc();
        }
        heapAtEnd = usedHeapAfterGc();
        assertTrue(heapAt1000 > 0, "the heap pools report no usage");
        double seconds = (System.nanoTime() - start) / 1e9;
        long growth = heapAtEnd - heapAt1000;
        System.out.printf("MLP %d-%d-%d batch %d: %d steps in %.1f s, loss %.4f -> %.4f, heap after GC %.1f MB at step 1000, %.1f MB at %d (growth %.2f MB)%n",
                IN, HIDDEN, CLASSES, BATCH, STEPS, seconds, firstLoss, lastLoss, heapAt1000 / 1e6, heapAtEnd / 1e6, STEPS, growth / 1e6);
        for (Tensor p : params) assertNull(p.grad());
        assertTrue(lastLoss < firstLoss * 0.5, "loss should go down: " + firstLoss + " -> " + lastLoss);
        assertTrue(growth < 32L << 20, "heap grew by " + growth / 1e6 + " MB between step 1000 and step " + STEPS);
    }
}
