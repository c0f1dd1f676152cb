package dev.balboa.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import dev.balboa.nn.io.Checkpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's parsing, help and errors, and the {@code devices} command. */
class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Main main = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    private String out() { return out.toString(StandardCharsets.UTF_8); }

    private String err() { return err.toString(StandardCharsets.UTF_8); }

    private static final List<Option> OPTIONS = List.of(
            Option.value("seed", "N", "42", "seed"),
            Option.flag("fast", "go fast"),
            new Option("help", 'h', null, null, "help"));

    @Test
    void parsesValuesFlagsDefaultsAndPositionals() throws UsageException {
        Args a = Args.parse("demo", OPTIONS, List.of("--seed", "7", "file.txt", "--fast", "--", "--not-an-option"));
        assertEquals(7, a.getInt("seed", 0, 100));
        assertTrue(a.flag("fast"));
        assertFalse(a.flag("help"));
        assertEquals(List.of("file.txt", "--not-an-option"), a.positional());

        Args b = Args.parse("demo", OPTIONS, List.of("--seed=9", "-h"));
        assertEquals("9", b.get("seed"));
        assertTrue(b.flag("help"));
        assertEquals("42", Args.parse("demo", OPTIONS, List.of()).get("seed"));
    }

    @Test
    void rejectsBadInput() {
        UsageException unknown = assertThrows(UsageException.class, () -> Args.parse("demo", OPTIONS, List.of("--sed", "1")));
        assertTrue(unknown.getMessage().contains("did you mean '--seed'"), unknown.getMessage());
        assertThrows(UsageException.class, () -> Args.parse("demo", OPTIONS, List.of("--seed")));
        assertThrows(UsageException.class, () -> Args.parse("demo", OPTIONS, List.of("--fast=yes")));
        UsageException range = assertThrows(UsageException.class,
                () -> Args.parse("demo", OPTIONS, List.of("--seed", "1000")).getInt("seed", 0, 100));
        assertTrue(range.getMessage().contains("between 0 and 100"), range.getMessage());
        assertThrows(UsageException.class, () -> Args.parse("demo", OPTIONS, List.of("--seed", "x")).getInt("seed", 0, 100));
    }

    @Test
    void helpListsTheCommands() {
        assertEquals(0, main.run("--help"));
        assertTrue(out().contains("demo") && out().contains("devices") && out().contains("--devices LIST"), out());
    }

    @Test
    void commandHelpListsItsOptions() {
        assertEquals(0, main.run("demo", "--help"));
        assertTrue(out().startsWith("Usage: balboa demo"), out());
        assertTrue(out().contains("--seed N"), out());
    }

    @Test
    void helpCommandNamesATopic() {
        assertEquals(0, main.run("help", "devices"));
        assertTrue(out().startsWith("Usage: balboa devices"), out());
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertEquals(2, main.run("dmeo"));
        assertTrue(err().contains("unknown command 'dmeo'") && err().contains("did you mean 'demo'"), err());
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertEquals(2, main.run("devices", "--verbose"));
        assertTrue(err().contains("unknown option '--verbose'") && err().contains("balboa devices --help"), err());
    }

    @Test
    void devicesListsTheCpu() {
        assertEquals(0, main.run("devices"));
        assertTrue(out().contains("Balboa devices") && out().contains("cpu"), out());
        assertTrue(out().contains("default device: cpu"), out());
    }
    @Test
    void trainRejectsAnUnknownSchedule() {
        assertEquals(2, main.run("train", "--schedule", "linear", "--no-install"));
        assertTrue(err().contains("--schedule must be cosine or constant, got 'linear'"), err());
    }

    @Test
    void trainAnnealsTheLearningRateToZeroAndCheckpointsTheSchedule(@TempDir Path dir) throws Exception {
        Path ck = dir.resolve("ck.safetensors");
        assertEquals(0, main.run("train", "--no-install", "--limit", "96", "--batch", "32", "--epochs", "2",
                "--lr", "0.002", "--checkpoint", ck.toString()), err());
        Checkpoint c = Checkpoint.load(ck);
        Map<String, Object> sched = c.schedulerState();
        // 96 images in batches of 32: 3 steps per epoch, 6 in all, and T_max = 6.
        assertEquals(6L, ((Number) sched.get("last_epoch")).longValue());
        assertEquals(6L, ((Number) sched.get("T_max")).longValue());
        // Cosine annealing ends at eta_min = 0: lr = 0.002 * (1 + cos(pi * 6 / 6)) / 2.
        double last = ((Number) ((List<?>) sched.get("_last_lr")).getFirst()).doubleValue();
        assertEquals(0.0, last, 1e-12);
        assertEquals(2L, c.epoch());
        assertEquals(6L, c.step());
    }
}
