package dev.balboa.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/** An indexed list of registered submodules ({@code torch.nn.ModuleList}). */
public class ModuleList extends Module implements Iterable<Module> {
    private final List<Module> items = new ArrayList<>();

    /** A list of the given modules. */
    public ModuleList(Module... modules) {
        for (Module m : modules) add(m);
    }

    /** Appends a module, registered under its index. */
    public ModuleList add(Module m) {
        items.add(registerModule(Integer.toString(items.size()), m));
        return this;
    }

    /** The i-th module. */
    public Module get(int i) { return items.get(i); }

    /** Number of modules. */
    public int size() { return items.size(); }

    @Override
    public Iterator<Module> iterator() { return Collections.unmodifiableList(items).iterator(); }
}
