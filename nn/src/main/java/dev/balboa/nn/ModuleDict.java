package dev.balboa.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Submodules registered under string keys, in insertion order ({@code torch.nn.ModuleDict}). */
public class ModuleDict extends Module {
    private final Map<String, Module> items = new LinkedHashMap<>();

    /** Adds a module under {@code key}. */
    public ModuleDict put(String key, Module m) {
        items.put(key, registerModule(key, m));
        return this;
    }

    /** The module under {@code key}, or null. */
    public Module get(String key) { return items.get(key); }

    /** The modules by key. */
    public Map<String, Module> items() { return Collections.unmodifiableMap(items); }
}
