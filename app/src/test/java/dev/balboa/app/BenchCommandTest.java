package dev.balboa.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code balboa bench}: its JSON lines at tiny shapes, its help and its usage errors. */
class BenchCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Main main = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    private String out() { return out.toString(StandardCharsets.UTF_8); }

    private static final Pattern LINE = Pattern.compile(
            "\\{\"workload\": \"(\\w+)\", \"framework\": \"balboa [^\"]+\", \"threads\": \\d+, \"unit\": \"[\\w/]+\", "
                    + "\"value\": [0-9.E]+, .*\"seconds_per_step\": [0-9.E-]+, (\"cpu_seconds_per_step\": [0-9.E-]+, )?"
                    + "(\"(forward|backward|optimizer)_s\": [0-9.E-]+, )*\"steps\": 1, \"warmup_steps\": \\d+}");

    @Test
    void printsOneJsonLinePerWorkload() {
        assertEquals(0, main.run("bench", "--workload", "sgemm,mlp,ncf,gnmt", "--size", "64", "--batch", "8", "--seq", "3",
                "--steps", "1", "--warmup", "1"), out() + err);
        String[] lines = out().strip().split("\n");
        assertEquals(4, lines.length, out());
        String[] names = {"sgemm", "mlp", "ncf", "gnmt"};
        for (int i = 0; i < 4; i++) {
            var m = LINE.matcher(lines[i].strip());
            assertTrue(m.matches(), lines[i]);
            assertEquals(names[i], m.group(1));
        }
        assertTrue(!lines[0].contains("forward_s") && lines[1].contains("\"forward_s\": ")
                && lines[1].contains("\"optimizer_s\": "), lines[1]);
        assertTrue(lines[1].contains("\"batch\": 8") && lines[1].contains("\"params\": 669706"), lines[1]);
        assertTrue(lines[2].contains("\"unit\": \"samples/s\"") && lines[2].contains("\"params\": 1321793"), lines[2]);
        assertTrue(lines[0].endsWith("\"warmup_steps\": 1}"), lines[0]);
        assertTrue(lines[3].contains("\"unit\": \"tokens/s\"") && lines[3].contains("\"seq\": 3")
                && lines[3].contains("\"params\": 8520000"), lines[3]);
    }

    @Test
    void warmsUpForAtLeastTheGivenTime() {
        long t0 = System.nanoTime();
        assertEquals(0, main.run("bench", "--workload", "sgemm", "--size", "32", "--steps", "1", "--warmup", "0",
                "--warmup-seconds", "0.3"), out() + err);
        assertTrue((System.nanoTime() - t0) / 1e9 >= 0.3, "the command returned before the warm-up time");
        var m = Pattern.compile("\"warmup_steps\": (\\d+)").matcher(out());
        assertTrue(m.find(), out());
        assertTrue(Long.parseLong(m.group(1)) > 1, "a 32x32 product takes microseconds, so 0.3 s holds many steps: " + out());
        assertEquals(2, main.run("bench", "--workload", "sgemm", "--warmup-seconds", "-1"));
    }

    @Test
    void runsAVisionWorkloadFromTheZoo() {
        assertEquals(0, main.run("bench", "--workload", "mobilenet_v2", "--batch", "2", "--image", "32",
                "--steps", "1", "--warmup", "0"), out() + err);
        String line = out().strip();
        assertTrue(LINE.matcher(line).matches(), line);
        assertTrue(line.contains("\"unit\": \"images/s\"") && line.contains("\"image\": 32")
                && line.contains("\"params\": 2236682"), line);
    }

    @Test
    void rejectsUnknownWorkloadsAndShowsHelp() {
        assertEquals(2, main.run("bench", "--workload", "resnet9000"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown workload 'resnet9000'"));
        assertEquals(0, main.run("bench", "--help"));
        assertTrue(out().contains("--workload NAME") && out().contains("gnmt"), out());
    }

    @Test
    void jsonEscapesStrings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", "a \"quoted\"\nline\\");
        m.put("value", 1.5);
        assertEquals("{\"error\": \"a \\\"quoted\\\"\\nline\\\\\", \"value\": 1.5}", BenchCommand.json(m));
    }
}
