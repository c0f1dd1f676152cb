package dev.balboa.nn.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.api.Tensor;
import dev.balboa.nn.BCELoss;
import dev.balboa.nn.BCEWithLogitsLoss;
import dev.balboa.nn.CrossEntropyLoss;
import dev.balboa.nn.HuberLoss;
import dev.balboa.nn.KLDivLoss;
import dev.balboa.nn.L1Loss;
import dev.balboa.nn.Loss;
import dev.balboa.nn.MSELoss;
import dev.balboa.nn.NLLLoss;
import dev.balboa.nn.Reduction;
import dev.balboa.nn.SmoothL1Loss;
import org.junit.jupiter.api.Test;

/** The loss modules agree with the functional forms; argument errors are explained. */
class LossModuleTest {
    private final Tensor logits = Tensor.of(new float[] {1, 2, 0.5f, -1, 0, 3}, 2, 3);
    private final Tensor classes = Tensor.of(new long[] {1, 2}, 2);
    private final Tensor a = Tensor.of(new float[] {0.2f, -1.5f, 3f, 0.7f}, 4);
    private final Tensor b = Tensor.of(new float[] {0.1f, 0.5f, 1f, 0.7f}, 4);
    private final Tensor probs = Tensor.of(new float[] {0.2f, 0.9f, 0.5f, 0.01f}, 4);
    private final Tensor labels = Tensor.of(new float[] {0, 1, 1, 0}, 4);

    private static void same(Tensor expected, Tensor actual) {
        assertTrue(expected.allclose(actual, 1e-6, 1e-7, true), expected + " vs " + actual);
    }

    @Test
    void modulesMatchFunctional() {
        Tensor w = Tensor.of(new float[] {1, 2, 0.5f}, 3);
        same(Loss.crossEntropy(logits, classes, w, -100, Reduction.SUM, 0.1),
                new CrossEntropyLoss(w, -100, Reduction.SUM, 0.1).forward(logits, classes));
        same(Loss.crossEntropy(logits, classes), new CrossEntropyLoss().forward(logits, classes));
        Tensor logp = logits.logSoftmax(1);
        same(Loss.nllLoss(logp, classes, w, 2, Reduction.MEAN), new NLLLoss(w, 2, Reduction.MEAN).forward(logp, classes));
        same(Loss.mseLoss(a, b), new MSELoss().forward(a, b));
        same(Loss.l1Loss(a, b, Reduction.NONE), new L1Loss(Reduction.NONE).forward(a, b));
        same(Loss.smoothL1Loss(a, b, Reduction.MEAN, 0.5), new SmoothL1Loss(Reduction.MEAN, 0.5).forward(a, b));
        same(Loss.huberLoss(a, b, Reduction.SUM, 2.0), new HuberLoss(Reduction.SUM, 2.0).forward(a, b));
        same(Loss.binaryCrossEntropy(probs, labels), new BCELoss().forward(probs, labels));
        Tensor pw = Tensor.of(new float[] {2, 2, 2, 2}, 4);
        same(Loss.binaryCrossEntropyWithLogits(a, labels, null, pw, Reduction.MEAN),
                new BCEWithLogitsLoss(null, pw, Reduction.MEAN).forward(a, labels));
        same(Loss.klDiv(logp, logits.softmax(1), Reduction.BATCHMEAN, false),
                new KLDivLoss(Reduction.BATCHMEAN, false).forward(logp, logits.softmax(1)));
    }

    @Test
    void weightsAreBuffers() {
        CrossEntropyLoss l = new CrossEntropyLoss(Tensor.ones(3), -100, Reduction.MEAN, 0);
        assertEquals(1, l.stateDict().size());
        assertTrue(l.stateDict().containsKey("weight"));
        assertEquals(0, l.parameters().size());
        assertEquals(2, new BCEWithLogitsLoss(Tensor.ones(4), Tensor.ones(4), Reduction.MEAN).namedBuffers().size());
    }

    @Test
    void errorsNameTheProblem() {
        var e = assertThrows(IllegalArgumentException.class, () -> Loss.crossEntropy(logits, Tensor.of(new long[] {1, 3}, 2)));
        assertTrue(e.getMessage().contains("outside [0, 3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Loss.nllLoss(logits, Tensor.of(new long[] {1, 2, 0}, 3)));
        assertTrue(e.getMessage().contains("target shape"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Loss.crossEntropy(logits, classes, Tensor.ones(4), -100, Reduction.MEAN, 0));
        assertTrue(e.getMessage().contains("weight must have shape [3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Loss.mseLoss(a, b, Reduction.BATCHMEAN));
        assertThrows(IllegalArgumentException.class, () -> Loss.crossEntropy(logits, classes, null, -100, Reduction.MEAN, 1.5));
        assertThrows(IllegalArgumentException.class, () -> Reduction.of("avg"));
        assertEquals(Reduction.BATCHMEAN, Reduction.of("batchmean"));
    }

    @Test
    void float64Inputs() {
        Tensor x = logits.to(dev.balboa.spi.DType.FLOAT64);
        Tensor l = Loss.crossEntropy(x, classes);
        assertEquals(dev.balboa.spi.DType.FLOAT64, l.dtype());
        assertEquals(Loss.crossEntropy(logits, classes).item(), l.item(), 1e-6);
    }
}
