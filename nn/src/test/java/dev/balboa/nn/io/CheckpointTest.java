package dev.balboa.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.api.Generator;
import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import dev.balboa.nn.Module;
import dev.balboa.nn.data.Batch;
import dev.balboa.nn.data.DataLoader;
import dev.balboa.nn.data.TensorDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir Path tmp;

    /** y = x W^T + b. */
    static final class Lin extends Module {
        final Tensor weight;
        final Tensor bias;

        Lin(Generator gen) {
            weight = registerParameter("weight", Tensor.randn(new long[] {3, 4}, gen));
            bias = registerParameter("bias", Tensor.zeros(3));
        }

        @Override
        public Tensor forward(Tensor x) { return x.matmul(weight.t()).add(bias); }
    }

    /** SGD with momentum, written out by hand: its state is one buffer per parameter plus a step count. */
    static final class Sgd {
        final Module model;
        final double lr = 0.05, momentum = 0.9;
        final Map<String, Tensor> buffers = new LinkedHashMap<>();
        long steps;

        Sgd(Module model) { this.model = model; }

        void step() {
            try (var g = Grad.disabled()) {
                for (var e : model.namedParameters().entrySet()) {
                    Tensor grad = e.getValue().grad();
                    Tensor buf = buffers.get(e.getKey());
                    buf = buf == null ? grad.clone() : buf.mul(momentum).add(grad);
                    buffers.put(e.getKey(), buf);
                    e.getValue().sub_(buf.mul(lr));
                }
            }
            steps++;
        }

        Map<String, Object> state() { return Map.of("lr", lr, "momentum", momentum, "steps", steps); }

        void load(Map<String, Tensor> tensors, Map<String, Object> state) {
            buffers.clear();
            buffers.putAll(tensors);
            steps = (Long) state.get("steps");
        }
    }

    private static DataLoader<List<Tensor>, Batch> loader() {
        Generator data = new Generator(99);
        Tensor x = Tensor.randn(new long[] {40, 4}, data);
        Tensor y = x.matmul(Tensor.randn(new long[] {4, 3}, data)).add(0.1);
        return DataLoader.builder(new TensorDataset(x, y)).batchSize(8).shuffle(true).generator(new Generator(5)).build();
    }

    private static List<Double> epoch(Lin model, Sgd opt, DataLoader<List<Tensor>, Batch> loader) {
        List<Double> losses = new ArrayList<>();
        for (Batch b : loader) {
            model.zeroGrad();
            Tensor loss = model.forward(b.get(0)).sub(b.get(1)).square().mean();
            loss.backward();
            opt.step();
            losses.add(loss.item());
        }
        return losses;
    }

    @Test
    void resumingGivesBitIdenticalTraining() throws Exception {
        // reference: three epochs in one go
        Lin ref = new Lin(new Generator(1));
        Sgd refOpt = new Sgd(ref);
        List<Double> refLosses = new ArrayList<>();
        try (var l = loader()) {
            for (int e = 0; e < 3; e++) refLosses.addAll(epoch(ref, refOpt, l));
        }

        // one epoch, checkpoint, then resume in a fresh model, optimizer and loader
        Lin first = new Lin(new Generator(1));
        Sgd firstOpt = new Sgd(first);
        Path ckpt = tmp.resolve("last.ckpt");
        try (var l = loader()) {
            epoch(first, firstOpt, l);
            Checkpoint.builder().model(first).optimizer(firstOpt.buffers, firstOpt.state()).scheduler(Map.of("lastEpoch", 0L))
                    .epoch(1).step(firstOpt.steps).generator("loader", l.generator()).metadata("run", Map.of("name", "test", "tags", List.of("a", 1)))
                    .build().save(ckpt);
        }
        Lin resumed = new Lin(new Generator(777));
        Sgd resumedOpt = new Sgd(resumed);
        Checkpoint c = Checkpoint.load(ckpt);
        resumed.loadStateDict(c.model(), true);
        resumedOpt.load(c.optimizerTensors(), c.optimizerState());
        assertEquals(1, c.epoch());
        assertEquals(5, c.step());
        assertEquals(0.05, c.optimizerState().get("lr"));
        assertEquals(Map.of("lastEpoch", 0L), c.schedulerState());
        assertEquals(Map.of("name", "test", "tags", List.of("a", 1L)), c.metadata().get("run"));
        List<Double> resumedLosses = new ArrayList<>();
        try (var l = loader()) {
            c.restoreGenerator("loader", l.generator());
            for (long e = c.epoch(); e < 3; e++) resumedLosses.addAll(epoch(resumed, resumedOpt, l));
        }
        assertEquals(refLosses.subList(5, 15), resumedLosses, "losses after resuming");
        for (var e : ref.stateDict().entrySet()) {
            assertArrayEquals(e.getValue().toFloatArray(), resumed.stateDict().get(e.getKey()).toFloatArray(), e.getKey());
        }
    }

    @Test
    void saveIsAtomicAndLeavesNoTemporaryFiles() throws Exception {
        Path p = tmp.resolve("c.ckpt");
        Checkpoint.builder().model(Map.of("w", Tensor.ones(2))).epoch(1).build().save(p);
        Checkpoint.builder().model(Map.of("w", Tensor.zeros(2))).epoch(2).build().save(p);
        assertEquals(2, Checkpoint.load(p).epoch());
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of(p), files.toList());
        }
        // a failing write leaves the previous checkpoint untouched and no temporary file
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("lr", Double.NaN);
        assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.builder().model(Map.of("w", Tensor.ones(2))).optimizer(Map.of(), bad).build().save(p));
        assertEquals(2, Checkpoint.load(p).epoch());
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void loadRejectsOtherFiles() throws Exception {
        Path p = tmp.resolve("plain.safetensors");
        SafeTensors.write(p, Map.of("w", Tensor.ones(2)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(p));
        assertTrue(e.getMessage().contains("not a Balboa checkpoint"), e.getMessage());
        Path q = tmp.resolve("bad.ckpt");
        SafeTensors.write(q, Map.of("model/w", Tensor.ones(2)), Map.of(Checkpoint.FORMAT_KEY, Checkpoint.FORMAT, Checkpoint.STATE_KEY, "{\"epoch\":1}"));
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(q));
        assertTrue(e.getMessage().contains("is missing"), e.getMessage());
        Files.write(tmp.resolve("x.ckpt"), new byte[] {1, 2, 3});
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(tmp.resolve("x.ckpt")));
        assertThrows(IOException.class, () -> Checkpoint.load(tmp.resolve("missing.ckpt")));
    }
}
