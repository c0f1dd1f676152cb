package dev.balboa.nn.io;

import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;
import dev.balboa.nn.Module;
import dev.balboa.nn.io.internal.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A complete training checkpoint: the model's state dict, the optimizer's state (named tensors
 * plus a JSON-able map of hyper-parameters and counters), the LR scheduler's state (a JSON-able
 * map), the epoch and step, the states of named random {@link Generator}s, and free user
 * metadata.
 *
 * <p><b>File layout.</b> One safetensors file, so any safetensors tool can open it: model tensors
 * are stored as {@code "model/<name>"} and optimizer tensors as {@code "optimizer/<name>"}; the
 * non-tensor state is one JSON document in the safetensors metadata under the key
 * {@value #STATE_KEY}, next to {@value #FORMAT_KEY} = {@value #FORMAT}. A single file (rather
 * than a tensor file plus a JSON file in a directory) means one atomic rename replaces the whole
 * checkpoint: a crash leaves either the previous checkpoint or the new one, never a mix.
 *
 * <p><b>Atomicity.</b> {@link #save(Path)} writes a temporary file in the target's directory,
 * forces it to disk, and renames it over the target with {@code ATOMIC_MOVE}; on a file system
 * that cannot rename atomically it fails with a clear error instead of writing in place.
 *
 * <p>JSON values come back as parsed: objects as maps, arrays as lists, integers as {@link Long},
 * other numbers as {@link Double}; non-finite numbers cannot be stored.
 *
 * <pre>{@code
 * Checkpoint.builder().model(model).optimizer(optTensors, optState).epoch(3).step(1200)
 *         .generator("data", loaderGen).build().save(dir.resolve("last.ckpt"));
 * Checkpoint c = Checkpoint.load(dir.resolve("last.ckpt"));
 * model.loadStateDict(c.model(), true);
 * c.restoreGenerator("data", loaderGen);
 * }</pre>
 */
public final class Checkpoint {
    /** Metadata key naming the format. */
    public static final String FORMAT_KEY = "format";
    /** The format name and version written by this class. */
    public static final String FORMAT = "balboa.checkpoint/1";
    /** Metadata key of the JSON document holding the non-tensor state. */
    public static final String STATE_KEY = "state";
    private static final String MODEL = "model/";
    private static final String OPTIMIZER = "optimizer/";

    private final Map<String, Tensor> model;
    private final Map<String, Tensor> optimizerTensors;
    private final Map<String, Object> optimizerState;
    private final Map<String, Object> schedulerState;
    private final long epoch;
    private final long step;
    private final Map<String, Generator.State> generators;
    private final Map<String, Object> metadata;

    private Checkpoint(Map<String, Tensor> model, Map<String, Tensor> optimizerTensors, Map<String, Object> optimizerState,
                       Map<String, Object> schedulerState, long epoch, long step, Map<String, Generator.State> generators,
                       Map<String, Object> metadata) {
        this.model = Collections.unmodifiableMap(new LinkedHashMap<>(model));
        this.optimizerTensors = Collections.unmodifiableMap(new LinkedHashMap<>(optimizerTensors));
        this.optimizerState = Collections.unmodifiableMap(new LinkedHashMap<>(optimizerState));
        this.schedulerState = Collections.unmodifiableMap(new LinkedHashMap<>(schedulerState));
        this.epoch = epoch;
        this.step = step;
        this.generators = Collections.unmodifiableMap(new LinkedHashMap<>(generators));
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** A builder for a checkpoint to save. */
    public static Builder builder() { return new Builder(); }

    /** The model's state dict. */
    public Map<String, Tensor> model() { return model; }

    /** The optimizer's per-parameter tensors (momentum buffers and the like). */
    public Map<String, Tensor> optimizerTensors() { return optimizerTensors; }

    /** The optimizer's JSON-able state (hyper-parameters, step counts, the layout of its tensors). */
    public Map<String, Object> optimizerState() { return optimizerState; }

    /** The LR scheduler's JSON-able state. */
    public Map<String, Object> schedulerState() { return schedulerState; }

    /** The epoch recorded. */
    public long epoch() { return epoch; }

    /** The step recorded. */
    public long step() { return step; }

    /** The saved generator states by name. */
    public Map<String, Generator.State> generators() { return generators; }

    /** The user metadata (JSON-able values). */
    public Map<String, Object> metadata() { return metadata; }

    /** Restores the generator saved under {@code name} into {@code gen}. */
    public void restoreGenerator(String name, Generator gen) {
        Generator.State s = generators.get(name);
        if (s == null) throw new IllegalArgumentException("checkpoint: no generator named '" + name + "' (saved: " + generators.keySet() + ")");
        gen.setState(s);
    }

    /** Writes the checkpoint to {@code path} atomically (see the class comment). */
    public void save(Path path) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.forEach((k, v) -> tensors.put(MODEL + k, v));
        optimizerTensors.forEach((k, v) -> tensors.put(OPTIMIZER + k, v));
        Map<String, Object> gens = new LinkedHashMap<>();
        generators.forEach((k, v) -> {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("seed", v.seed());
            g.put("offset", v.offset());
            gens.put(k, g);
        });
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("epoch", epoch);
        state.put("step", step);
        state.put("optimizer", optimizerState);
        state.put("scheduler", schedulerState);
        state.put("generators", gens);
        state.put("user", metadata);
        String json;
        try {
            json = Json.write(state);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint: the non-tensor state cannot be stored as JSON: " + e.getMessage(), e);
        }
        SafeTensors.write(path, tensors, Map.of(FORMAT_KEY, FORMAT, STATE_KEY, json));
    }

    /** Reads a checkpoint written by {@link #save(Path)}, checking its format and structure. */
    public static Checkpoint load(Path path) throws IOException {
        try (SafeTensors.Reader r = SafeTensors.open(path)) {
            String format = r.metadata().get(FORMAT_KEY);
            if (!FORMAT.equals(format)) {
                throw new IllegalArgumentException(path + ": not a Balboa checkpoint (metadata \"" + FORMAT_KEY + "\" is "
                        + (format == null ? "absent" : "\"" + format + "\"") + ", expected \"" + FORMAT + "\")");
            }
            String json = r.metadata().get(STATE_KEY);
            if (json == null) throw new IllegalArgumentException(path + ": checkpoint has no \"" + STATE_KEY + "\" metadata");
            if (!(Json.parse(json, path + " (checkpoint state)") instanceof Map<?, ?> state)) {
                throw new IllegalArgumentException(path + ": checkpoint state is not a JSON object");
            }
            Map<String, Tensor> model = new LinkedHashMap<>(), opt = new LinkedHashMap<>();
            for (String name : r.names()) {
                if (name.startsWith(MODEL)) model.put(name.substring(MODEL.length()), r.tensor(name));
                else if (name.startsWith(OPTIMIZER)) opt.put(name.substring(OPTIMIZER.length()), r.tensor(name));
                else throw new IllegalArgumentException(path + ": checkpoint tensor '" + name + "' belongs to neither model/ nor optimizer/");
            }
            Map<String, Generator.State> gens = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : map(path, state, "generators").entrySet()) {
                if (!(e.getValue() instanceof Map<?, ?> g) || !(g.get("seed") instanceof Long seed) || !(g.get("offset") instanceof Long off)) {
                    throw new IllegalArgumentException(path + ": generator '" + e.getKey() + "' needs integer \"seed\" and \"offset\"");
                }
                gens.put(e.getKey(), new Generator.State(seed, off));
            }
            return new Checkpoint(model, opt, map(path, state, "optimizer"), map(path, state, "scheduler"),
                    integer(path, state, "epoch"), integer(path, state, "step"), gens, map(path, state, "user"));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Path path, Map<?, ?> state, String key) {
        Object v = state.get(key);
        if (!(v instanceof Map<?, ?> m)) throw new IllegalArgumentException(path + ": checkpoint state field \"" + key + "\" is missing or not an object");
        return (Map<String, Object>) m;
    }

    private static long integer(Path path, Map<?, ?> state, String key) {
        if (!(state.get(key) instanceof Long v)) throw new IllegalArgumentException(path + ": checkpoint state field \"" + key + "\" is missing or not an integer");
        return v;
    }

    /** Collects the parts of a {@link Checkpoint}; every part is optional. */
    public static final class Builder {
        private Map<String, Tensor> model = Map.of();
        private Map<String, Tensor> optimizerTensors = Map.of();
        private Map<String, Object> optimizerState = Map.of();
        private Map<String, Object> schedulerState = Map.of();
        private long epoch;
        private long step;
        private final Map<String, Generator.State> generators = new LinkedHashMap<>();
        private final Map<String, Object> metadata = new LinkedHashMap<>();

        private Builder() {}

        /** The model's state dict. */
        public Builder model(Map<String, Tensor> stateDict) {
            this.model = stateDict;
            return this;
        }

        /** The state dict of {@code module}. */
        public Builder model(Module module) { return model(module.stateDict()); }

        /** The optimizer's per-parameter tensors and its JSON-able remainder. */
        public Builder optimizer(Map<String, Tensor> tensors, Map<String, Object> state) {
            this.optimizerTensors = tensors;
            this.optimizerState = state;
            return this;
        }

        /** The LR scheduler's JSON-able state. */
        public Builder scheduler(Map<String, Object> state) {
            this.schedulerState = state;
            return this;
        }

        /** The epoch to record. */
        public Builder epoch(long epoch) {
            this.epoch = epoch;
            return this;
        }

        /** The step to record. */
        public Builder step(long step) {
            this.step = step;
            return this;
        }

        /** Records the current state of {@code gen} under {@code name}. */
        public Builder generator(String name, Generator gen) { return generator(name, gen.state()); }

        /** Records a generator state under {@code name}. */
        public Builder generator(String name, Generator.State state) {
            generators.put(name, state);
            return this;
        }

        /** Adds a JSON-able user value (string, number, boolean, null, or maps and lists of them). */
        public Builder metadata(String key, Object value) {
            Json.write(List.of(value == null ? "" : value)); // fails early on values JSON cannot hold
            metadata.put(key, value);
            return this;
        }

        /** The checkpoint (holding the given tensors; their values are read when it is saved). */
        public Checkpoint build() {
            return new Checkpoint(model, optimizerTensors, optimizerState, schedulerState, epoch, step, generators, metadata);
        }
    }
}
