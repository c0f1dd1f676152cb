package dev.balboa.nn;

import dev.balboa.api.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Modules applied one after another, registered as "0", "1", ... ({@code torch.nn.Sequential}). */
public class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    /** A sequence of the given modules. */
    public Sequential(Module... modules) {
        for (Module m : modules) add(m);
    }

    /** Appends a module. */
    public Sequential add(Module m) {
        layers.add(registerModule(Integer.toString(layers.size()), m));
        return this;
    }

    /** The i-th module. */
    public Module get(int i) { return layers.get(i); }

    /** Number of modules. */
    public int size() { return layers.size(); }

    /** The modules in order. */
    public List<Module> layers() { return Collections.unmodifiableList(layers); }

    @Override
    public Tensor forward(Tensor x) {
        for (Module m : layers) x = m.forward(x);
        return x;
    }
}
