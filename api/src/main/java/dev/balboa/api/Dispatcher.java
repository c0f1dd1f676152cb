package dev.balboa.api;

import dev.balboa.api.dispatch.Call;
import dev.balboa.api.dispatch.DispatchLayer;
import dev.balboa.api.dispatch.ViewOp;
import dev.balboa.spi.Backend;
import dev.balboa.spi.Op;
import dev.balboa.spi.Operand;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single entry through which every primitive op and view passes on its way to a device:
 * runs the active {@link DispatchLayer}s outermost first, then the device kernel. With no active
 * layer the cost is a field read and a loop over the (usually empty) layer array.
 */
final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    static final DispatchLayer[] LAYERS = loadLayers();

    private Dispatcher() {}

    private static DispatchLayer[] loadLayers() {
        List<DispatchLayer> layers = new ArrayList<>();
        for (ServiceLoader.Provider<DispatchLayer> p : (Iterable<ServiceLoader.Provider<DispatchLayer>>)
                ServiceLoader.load(DispatchLayer.class, Dispatcher.class.getClassLoader()).stream()::iterator) {
            try {
                layers.add(p.get());
            } catch (Throwable t) {
                LOG.warn("balboa: dispatch layer {} failed to load: {}", p.type().getName(), t.toString());
            }
        }
        layers.sort(Comparator.comparingInt(DispatchLayer::order).reversed());
        return layers.toArray(new DispatchLayer[0]);
    }

    /** True when some layer wants to see ops on this thread. */
    static boolean anyActive() {
        for (DispatchLayer l : LAYERS) if (l.isActive()) return true;
        return false;
    }

    /** Runs a primitive op whose outputs have been allocated, through the active layers. */
    static Tensor[] kernel(Op op, Tensor[] inputs, Tensor[] outputs, boolean inPlace) {
        if (LAYERS.length != 0 && anyActive()) {
            return chain(0, new Call.Kernel(op, inputs, outputs, inPlace));
        }
        execute(op, inputs, outputs);
        return outputs;
    }

    /** Announces a view that has been made, through the active layers; returns the (possibly replaced) view. */
    static Tensor view(ViewOp op, Tensor input, Tensor output) {
        if (LAYERS.length != 0 && anyActive()) {
            return chain(0, new Call.View(op, new Tensor[] {input}, new Tensor[] {output}))[0];
        }
        return output;
    }

    private static Tensor[] chain(int from, Call call) {
        for (int i = from; i < LAYERS.length; i++) {
            DispatchLayer layer = LAYERS[i];
            if (layer.isActive()) {
                int next = i + 1;
                return layer.intercept(call, c -> chain(next, c));
            }
        }
        return bottom(call);
    }

    private static Tensor[] bottom(Call call) {
        if (call instanceof Call.Kernel k) execute(k.op(), k.inputs(), k.outputs());
        return call.outputs();
    }

    /** Runs the device kernel directly, below every layer. */
    static void execute(Op op, Tensor[] inputs, Tensor[] outputs) {
        Backend backend = outputs[0].storage.backend;
        Operand[] in = new Operand[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            if (t.storage.backend != backend) throw Errors.devices(op.name(), inputs, outputs);
            in[i] = t.operand();
        }
        Operand[] out = new Operand[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            Tensor t = outputs[i];
            if (t.storage.backend != backend) throw Errors.devices(op.name(), inputs, outputs);
            out[i] = t.operand();
            t.storage.version++;
        }
        backend.execute(op, in, out);
    }
}
