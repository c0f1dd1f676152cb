package dev.balboa.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.api.Tensor;
import dev.balboa.nn.testing.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Access to the files under test resources {@code data/} and their manifest, and the Python inspector. */
public final class Fixtures {
    private Fixtures() {}

    /** The bytes of resource {@code data/<name>}. */
    public static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/data/" + name)) {
            if (in == null) throw new IllegalStateException("missing test resource data/" + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies resource {@code data/<name>} to {@code dir} and returns the path. */
    public static Path copy(String name, Path dir) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes(name));
        return p;
    }

    /** The manifest written by tools/fixtures/gen_nn_data_fixtures.py. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> manifest() {
        return (Map<String, Object>) Json.parse(new String(bytes("manifest.json"), StandardCharsets.UTF_8));
    }

    /** Checks {@code actual} against a manifest entry {dtype, shape, values}: exact values, NaN-aware. */
    public static void assertMatches(Object expectedEntry, Tensor actual, String what) {
        @SuppressWarnings("unchecked")
        Map<String, Object> e = (Map<String, Object>) expectedEntry;
        List<?> shape = (List<?>) e.get("shape");
        long[] s = new long[shape.size()];
        for (int i = 0; i < s.length; i++) s[i] = ((Number) shape.get(i)).longValue();
        assertArrayEquals(s, actual.shape(), what + ": shape");
        List<?> values = (List<?>) e.get("values");
        assertEquals(values.size(), actual.numel(), what + ": numel");
        if (actual.dtype().isFloatingPoint()) {
            double[] got = actual.toDoubleArray();
            for (int i = 0; i < got.length; i++) {
                Object v = values.get(i);
                double want = switch (v) {
                    case String str when str.equals("nan") -> Double.NaN;
                    case String str when str.equals("inf") -> Double.POSITIVE_INFINITY;
                    case String str when str.equals("-inf") -> Double.NEGATIVE_INFINITY;
                    default -> ((Number) v).doubleValue();
                };
                assertTrue(Double.compare(want, got[i]) == 0 || (want == 0 && got[i] == 0 && Double.isNaN(want) == Double.isNaN(got[i])),
                        what + "[" + i + "]: expected " + want + ", got " + got[i]);
            }
        } else {
            long[] got = actual.toLongArray();
            for (int i = 0; i < got.length; i++) assertEquals(((Number) values.get(i)).longValue(), got[i], what + "[" + i + "]");
        }
    }

    /** Whether /usr/bin/python3 with numpy is available to inspect files. */
    public static boolean pythonAvailable() {
        if (!Files.isExecutable(Path.of("/usr/bin/python3")) || script() == null) return false;
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import numpy").redirectErrorStream(true).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static Path script() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path s = dir.resolve("tools/fixtures/gen_nn_data_fixtures.py");
            if (Files.exists(s)) return s;
        }
        return null;
    }

    /** Runs the script's {@code inspect} on {@code files} and returns its JSON manifest. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> inspect(Path... files) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/python3", script().toString(), "inspect"));
        for (Path f : files) cmd.add(f.toString());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "inspect timed out");
        assertEquals(0, p.exitValue(), "inspect failed: " + out);
        return (Map<String, Object>) Json.parse(out);
    }
}
