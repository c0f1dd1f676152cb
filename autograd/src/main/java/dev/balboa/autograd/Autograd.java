package dev.balboa.autograd;

import dev.balboa.api.Tensor;
import dev.balboa.autograd.internal.Anomaly;
import dev.balboa.autograd.internal.Engine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Functional autograd: gradients of outputs with respect to chosen inputs without touching
 * {@code grad()} fields ({@code torch.autograd.grad}), multi-output backward, and anomaly mode.
 */
public final class Autograd {
    private static final Engine ENGINE = new Engine();

    private Autograd() {}

    /**
     * d(sum_i outputs[i] * gradOutputs[i]) / d(input) for each input. {@code gradOutputs} may be
     * null (ones for one-element outputs). With {@code createGraph} the result can be
     * differentiated again; the graph is then retained.
     */
    public static List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs,
                                    boolean createGraph, boolean allowUnused) {
        return grad(outputs, inputs, gradOutputs, createGraph, createGraph, allowUnused);
    }

    /** As {@link #grad(List, List, List, boolean, boolean)}, choosing whether the graph is retained. */
    public static List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs,
                                    boolean retainGraph, boolean createGraph, boolean allowUnused) {
        return ENGINE.grad(outputs, inputs, ones(outputs, gradOutputs), retainGraph, createGraph, allowUnused);
    }

    /** Gradients of a one-element {@code output} with respect to {@code inputs}. */
    public static List<Tensor> grad(Tensor output, Tensor... inputs) {
        return grad(List.of(output), Arrays.asList(inputs), null, false, false);
    }

    /** Backward from several outputs at once, accumulating into the leaves' {@code grad()}. */
    public static void backward(List<Tensor> outputs, List<Tensor> gradOutputs, boolean retainGraph, boolean createGraph) {
        ENGINE.backward(outputs, ones(outputs, gradOutputs), retainGraph, createGraph);
    }

    private static List<Tensor> ones(List<Tensor> outputs, List<Tensor> gradOutputs) {
        List<Tensor> g = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            Tensor given = gradOutputs == null ? null : gradOutputs.get(i);
            Tensor out = outputs.get(i);
            if (given == null) {
                if (out.numel() != 1) {
                    throw new IllegalArgumentException("grad: output " + i + " has " + out.numel()
                            + " elements; give its gradient explicitly");
                }
                given = Tensor.onesLike(out);
            }
            g.add(given);
        }
        return g;
    }

    /** Turns anomaly detection on for this thread until the scope is closed. */
    public static AnomalyScope detectAnomaly() { return new AnomalyScope(Anomaly.set(true)); }

    /** Whether anomaly detection is on for this thread. */
    public static boolean isAnomalyEnabled() { return Anomaly.enabled(); }

    /** Restores the previous anomaly-detection setting when closed. */
    public static final class AnomalyScope implements AutoCloseable {
        private final boolean previous;

        private AnomalyScope(boolean previous) { this.previous = previous; }

        @Override
        public void close() { Anomaly.set(previous); }
    }
}
