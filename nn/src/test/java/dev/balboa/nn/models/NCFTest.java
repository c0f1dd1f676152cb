package dev.balboa.nn.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;
import dev.balboa.nn.optim.Adam;
import dev.balboa.spi.DType;
import org.junit.jupiter.api.Test;

/**
 * NCF (NeuMF): parameter counts equal those of the same architecture built in PyTorch, the
 * output shape, argument checks, and that a few Adam steps on a small problem reduce the loss.
 */
class NCFTest {
    /** Printed by {@code /usr/bin/python3 tools/compare/torch_workloads.py --params} ("ncf"). */
    static final long TORCH_PARAMS_BENCHMARK = 1_321_793;
    /** The same script's "ncf_small": 20 users, 30 items, dims 8, MLP 32-16-8. */
    static final long TORCH_PARAMS_SMALL = 2_025;

    @Test
    void parameterCountsMatchPyTorch() {
        assertEquals(TORCH_PARAMS_BENCHMARK, NCF.benchmark().numParameters());
        assertEquals(TORCH_PARAMS_SMALL, new NCF(20, 30, 8, 8, new long[] {32, 16, 8}).numParameters());
    }

    @Test
    void forwardGivesOneLogitPerPair() {
        NCF model = new NCF(20, 30, 8, 8, new long[] {32, 16, 8}, new Generator(1));
        Tensor users = Tensor.of(new long[] {0, 5, 19}, 3);
        Tensor items = Tensor.of(new long[] {29, 0, 7}, 3);
        assertArrayEquals(new long[] {3}, model.forward(users, items).shape());
        assertThrows(IllegalArgumentException.class, () -> model.forward(users, Tensor.of(new long[] {1, 2}, 2)));
        assertThrows(IllegalArgumentException.class, () -> new NCF(20, 30, 8, 8, new long[0]));
    }

    @Test
    void trainingReducesTheLoss() {
        Generator.manualSeed(7);
        Generator gen = new Generator(3);
        NCF model = new NCF(50, 40, 8, 8, new long[] {32, 16, 8}, gen);
        Tensor users = Tensor.randint(0, 50, new long[] {256}, gen);
        Tensor items = Tensor.randint(0, 40, new long[] {256}, gen);
        // A learnable interaction: positive when the user and the item fall in the same half.
        Tensor labels = users.lt(25.0).eq(items.lt(20.0)).to(DType.FLOAT32);
        Adam opt = new Adam(model.parameters(), new Adam.Options().lr(0.01));
        double first = 0, last = 0;
        for (int step = 0; step < 30; step++) {
            Tensor loss = model.loss(users, items, labels);
            opt.zeroGrad(true);
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        assertTrue(Double.isFinite(last) && last < 0.9 * first, "loss " + first + " -> " + last);
    }
}
