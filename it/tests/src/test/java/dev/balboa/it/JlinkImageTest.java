package dev.balboa.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Links the balboa app, nn, autograd, api, spi, the CPU device and slf4j into a runtime image with
 * the jlink of the JDK running the tests, then runs the demo and a short training run inside the
 * image and checks what they print.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class JlinkImageTest {

    /** The application modules the image holds; the JDK adds java.base and jdk.incubator.vector. */
    private static final List<String> APP_MODULES = List.of(
            "dev.balboa.app", "dev.balboa.nn", "dev.balboa.autograd", "dev.balboa.api", "dev.balboa.spi", "dev.balboa.device.cpu",
            "org.slf4j", "org.slf4j.simple");

    /** The CUDA device: linked (with native access granted through the image's launcher options) only when found. */
    private static final String CUDA_MODULE = "dev.balboa.device.cuda";

    private static boolean withCuda;

    private static Path image;

    @BeforeAll
    static void link() throws Exception {
        Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
        assertTrue(Files.isExecutable(jlink), "no jlink in the JDK running the tests: " + jlink);
        Map<String, Path> modules = locateModules();
        withCuda = modules.containsKey(CUDA_MODULE);
        List<String> cudaOptions = withCuda
                ? List.of("--add-options=--enable-native-access=" + CUDA_MODULE) : List.of();
        Path target = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("target");
        image = target.resolve("jlink-image");
        deleteRecursively(image);
        Files.createDirectories(target);

        long t0 = System.nanoTime();
        List<String> command = new ArrayList<>(List.of(jlink.toString(),
                "--module-path", modules.values().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
                "--add-modules", "dev.balboa.app,dev.balboa.nn,dev.balboa.autograd,dev.balboa.device.cpu,org.slf4j.simple,jdk.incubator.vector"
                        + (withCuda ? "," + CUDA_MODULE : ""),
                "--launcher", "balboa=dev.balboa.app/dev.balboa.app.Main",
                "--strip-debug", "--no-header-files", "--no-man-pages", "--compress=zip-6",
                "--output", image.toString()));
        command.addAll(cudaOptions);
        Result r = run(target.resolve("jlink.log"), 180, command.toArray(String[]::new));
        assertEquals(0, r.status(), "jlink failed:\n" + r.output());
        System.out.printf("jlink image %s: %.1f MB, linked in %.1f s%n", image, sizeInBytes(image) / (1024.0 * 1024.0),
                (System.nanoTime() - t0) / 1e9);
    }

    @Test
    void imageHoldsExactlyTheAppModulesAndTheirJdkModules() throws IOException {
        Properties release = new Properties();
        try (var in = Files.newInputStream(image.resolve("release"))) {
            release.load(in);
        }
        Set<String> linked = Set.of(release.getProperty("MODULES", "").replace("\"", "").trim().split("\\s+"));
        Set<String> expected = new LinkedHashSet<>(APP_MODULES);
        if (withCuda) expected.add(CUDA_MODULE);
        expected.add("java.base");
        expected.add("jdk.incubator.vector");
        assertEquals(expected, linked, "modules in the image");
    }

    @Test
    void demoRunsInsideTheImage() throws Exception {
        Path java = image.resolve("bin").resolve(isWindows() ? "java.exe" : "java");
        Result r = run(image.resolveSibling("jlink-demo.log"), 120, java.toString(),
                "-m", "dev.balboa.app/dev.balboa.app.Main", "demo", "--size", "64", "--repeat", "2", "--warmup", "20");
        String out = r.output();
        System.out.println(out);
        assertEquals(0, r.status(), "demo failed inside the image:\n" + out);
        assertTrue(out.matches("(?s).*\\n\\s*cpu\\s+active\\s.*"), "the CPU device is not active:\n" + out);
        assertTrue(out.contains("[19.0, 22.0, 43.0, 50.0]  ok"), "matmul check missing:\n" + out);
        assertTrue(out.contains("[2.0, 7.0]  ok"), "README example check missing:\n" + out);
        assertTrue(out.contains("all checks passed"), out);
        assertFalse(out.contains("No SLF4J providers"), "slf4j-simple was not bound in the image:\n" + out);
    }

    @Test
    void trainingRunsInsideTheImage() throws Exception {
        Path launcher = image.resolve("bin").resolve(isWindows() ? "balboa.bat" : "balboa");
        Path ckpt = image.resolveSibling("jlink-train.safetensors");
        Files.deleteIfExists(ckpt);
        Result r = run(image.resolveSibling("jlink-train.log"), 240, launcher.toString(), "train", "--epochs", "1",
                "--limit", "1024", "--no-install", "--checkpoint", ckpt.toString());
        String out = r.output();
        System.out.println(out);
        assertEquals(0, r.status(), "train failed inside the image:\n" + out);
        assertTrue(out.contains("\"test_accuracy\""), "no epoch summary:\n" + out);
        assertTrue(Files.size(ckpt) > 400_000 * 4, "checkpoint too small: " + Files.size(ckpt));
        Result e = run(image.resolveSibling("jlink-eval.log"), 120, launcher.toString(), "eval", "--no-install",
                "--checkpoint", ckpt.toString());
        assertEquals(0, e.status(), "eval failed inside the image:\n" + e.output());
        assertTrue(e.output().contains("test accuracy:"), e.output());
    }

    @Test
    void launcherListsDevices() throws Exception {
        Path launcher = image.resolve("bin").resolve(isWindows() ? "balboa.bat" : "balboa");
        assertTrue(Files.isExecutable(launcher), "jlink made no launcher: " + launcher);
        Result r = run(image.resolveSibling("jlink-devices.log"), 60, launcher.toString(), "devices");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("default device: cpu"), r.output());
        if (withCuda) {
            // Listed (unavailable without a driver here), probed with native access granted by the image's options.
            assertTrue(r.output().contains("cuda"), r.output());
            assertFalse(r.output().contains("native access is not enabled"), r.output());
            assertFalse(r.output().contains("restricted method"), r.output());
        }
    }

    /** Finds each of {@link #APP_MODULES} (a jar or an exploded classes folder) on the test's class or module path. */
    private static Map<String, Path> locateModules() {
        Set<String> entries = new LinkedHashSet<>();
        for (String property : List.of("jdk.module.path", "java.class.path", "surefire.test.class.path")) {
            String value = System.getProperty(property);
            if (value != null && !value.isBlank()) entries.addAll(Arrays.asList(value.split(File.pathSeparator)));
        }
        Map<String, Path> found = new LinkedHashMap<>();
        for (String entry : entries) {
            Path path = Path.of(entry);
            if (!Files.exists(path)) continue;
            try {
                for (ModuleReference ref : ModuleFinder.of(path).findAll()) {
                    String name = ref.descriptor().name();
                    if (APP_MODULES.contains(name) || name.equals(CUDA_MODULE)) found.putIfAbsent(name, path);
                }
            } catch (RuntimeException notAModule) {
                // Not every entry of a test class path is a valid module (e.g. the surefire booter); skip it.
            }
        }
        List<String> missing = new ArrayList<>(APP_MODULES);
        missing.removeAll(found.keySet());
        if (!missing.isEmpty()) fail("modules not found on the test class/module path: " + missing + "\nlooked in: " + entries);
        return found;
    }

    /** A finished process: its exit status and its merged stdout and stderr. */
    private record Result(int status, String output) {}

    private static Result run(Path log, long timeoutSeconds, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out after " + timeoutSeconds + " s: " + String.join(" ", command) + "\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static long sizeInBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
    }
}
