package dev.balboa.device.cuda.internal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds the native tools the tests use (gcc, nvcc, ptxas, cuda.h), runs them, and builds the
 * driver emulator. Tests that need a missing tool are skipped through a JUnit assumption that
 * names what is missing.
 */
public final class NativeTools {
    private NativeTools() {}

    /** The module's directory (surefire runs tests there). */
    public static final Path MODULE = Path.of("").toAbsolutePath();

    private static Optional<Path> cudaHome() {
        for (String candidate : new String[] {System.getenv("CUDA_HOME"), "/usr/local/cuda"}) {
            if (candidate != null && Files.isDirectory(Path.of(candidate))) return Optional.of(Path.of(candidate));
        }
        return Optional.empty();
    }

    /** An executable from CUDA_HOME/bin, /usr/local/cuda/bin or the PATH. */
    public static Optional<Path> find(String tool) {
        Optional<Path> home = cudaHome().map(h -> h.resolve("bin").resolve(tool)).filter(Files::isExecutable);
        if (home.isPresent()) return home;
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** The tool, or skips the test saying it is missing. */
    public static Path require(String tool) {
        Optional<Path> p = find(tool);
        assumeTrue(p.isPresent(), tool + " not found (PATH, CUDA_HOME, /usr/local/cuda): test skipped");
        return p.get();
    }

    /** The directory holding cuda.h, or skips the test. */
    public static Path requireCudaInclude() {
        Optional<Path> inc = cudaHome().map(h -> h.resolve("include")).filter(p -> Files.isRegularFile(p.resolve("cuda.h")));
        assumeTrue(inc.isPresent(), "cuda.h not found (CUDA_HOME/include, /usr/local/cuda/include): test skipped");
        return inc.get();
    }

    /** Output and exit status of a finished process. */
    public record Result(int status, String output) {}

    /** Runs a command in the module directory, stdout and stderr together, with a time limit. */
    public static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(MODULE.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Runs a command and fails with its output unless it succeeds. */
    public static String check(List<String> command) throws IOException, InterruptedException {
        Result r = run(command);
        if (r.status() != 0) throw new AssertionError(String.join(" ", command) + " failed (" + r.status() + "):\n" + r.output());
        return r.output();
    }

    private static Path emulator;

    /**
     * The driver emulator (src/test/c/cudaemu.c plus the kernels of src/main/cuda compiled for the
     * host), built once per test run into target/cudaemu; skips the test without gcc.
     */
    public static synchronized Path emulator() throws IOException, InterruptedException {
        if (emulator != null) return emulator;
        Path gcc = require("gcc");
        Path out = MODULE.resolve("target/cudaemu");
        Files.createDirectories(out);
        Path lib = out.resolve("libcudaemu.so");
        List<String> cmd = new ArrayList<>(List.of(gcc.toString(), "-O1", "-g", "-std=gnu11", "-fPIC", "-shared",
                "-fvisibility=hidden", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Werror",
                "-Isrc/test/c", "-Isrc/main/cuda", "-x", "c", "src/test/c/cudaemu.c"));
        try (var files = Files.list(MODULE.resolve("src/main/cuda"))) {
            files.filter(f -> f.toString().endsWith(".cu")).sorted().forEach(f -> cmd.add(MODULE.relativize(f).toString()));
        }
        cmd.addAll(List.of("-lm", "-o", lib.toString()));
        check(cmd);
        emulator = lib;
        return lib;
    }

    private static Path cublasEmulator;

    /** The cuBLAS stand-in (src/test/c/cublasemu.c) built into target/cudaemu; skips the test without gcc. */
    public static synchronized Path cublasEmulator() throws IOException, InterruptedException {
        if (cublasEmulator != null) return cublasEmulator;
        Path gcc = require("gcc");
        Path out = Files.createDirectories(MODULE.resolve("target/cudaemu"));
        Path lib = out.resolve("libcublasemu.so");
        check(List.of(gcc.toString(), "-O1", "-g", "-std=gnu11", "-fPIC", "-shared", "-fvisibility=hidden", "-Wall",
                "-Wextra", "-Werror", "src/test/c/cublasemu.c", "-o", lib.toString()));
        cublasEmulator = lib;
        return lib;
    }
}
