package dev.balboa.nn.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;
import dev.balboa.nn.optim.Adam;
import org.junit.jupiter.api.Test;

/**
 * GNMT: parameter counts equal those of the same architecture built in PyTorch, the logits'
 * shape, argument checks, and that a few Adam steps on a small copy task reduce the loss.
 */
class GNMTTest {
    /** Printed by {@code /usr/bin/python3 tools/compare/torch_workloads.py --params} ("gnmt"). */
    static final long TORCH_PARAMS_BENCHMARK = 8_520_000;
    /** The same script's "gnmt_small": vocabulary 50, hidden 16, 2 layers. */
    static final long TORCH_PARAMS_SMALL = 12_210;

    @Test
    void parameterCountsMatchPyTorch() {
        assertEquals(TORCH_PARAMS_BENCHMARK, GNMT.benchmark().numParameters());
        assertEquals(TORCH_PARAMS_SMALL, new GNMT(50, 16, 2).numParameters());
    }

    @Test
    void forwardGivesLogitsPerTargetToken() {
        Generator gen = new Generator(1);
        GNMT model = new GNMT(30, 8, 2, gen);
        Tensor src = Tensor.randint(0, 30, new long[] {3, 5}, gen);
        Tensor tgt = Tensor.randint(0, 30, new long[] {3, 4}, gen);
        assertArrayEquals(new long[] {3, 4, 30}, model.forward(src, tgt).shape());
        assertThrows(IllegalArgumentException.class, () -> model.forward(src, Tensor.randint(0, 30, new long[] {2, 4}, gen)));
        assertThrows(IllegalArgumentException.class, () -> new GNMT(0, 8, 2));
    }

    @Test
    void trainingReducesTheLoss() {
        Generator.manualSeed(5);
        Generator gen = new Generator(2);
        GNMT model = new GNMT(12, 16, 2, gen);
        // A copy task: the target is the source; the decoder input is the target behind token 0.
        Tensor src = Tensor.randint(1, 12, new long[] {8, 6}, gen);
        Tensor tgtIn = Tensor.cat(java.util.List.of(Tensor.zeros(new long[] {8, 1}, dev.balboa.spi.DType.INT64),
                src.narrow(1, 0, 5)), 1);
        Adam opt = new Adam(model.parameters(), new Adam.Options().lr(0.01));
        double first = 0, last = 0;
        for (int step = 0; step < 25; step++) {
            Tensor loss = model.loss(src, tgtIn, src);
            opt.zeroGrad(true);
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        assertTrue(Double.isFinite(last) && last < 0.8 * first, "loss " + first + " -> " + last);
    }
}
