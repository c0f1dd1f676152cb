package dev.balboa.device.cpu.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Same inputs, same bits: every transcendental and summing kernel of the CPU device must give
 * bit-identical results on its first (interpreted) call and after the JIT has compiled it.
 * The check runs in a fresh JVM ({@link JitDeterminismProbe}) so that the first call really is
 * cold whatever ran before in this one; that JVM compiles with C2 alone, early and in the
 * foreground, so a few hundred calls reach the intrinsified code.
 */
class JitDeterminismTest {

    @Test
    void kernelsGiveTheSameBitsColdAndCompiled() throws IOException, InterruptedException {
        Set<String> path = new LinkedHashSet<>();
        for (String prop : new String[] {"jdk.module.path", "java.class.path"}) {
            String p = System.getProperty(prop);
            if (p == null) continue;
            for (String e : p.split(File.pathSeparator)) if (!e.isBlank()) path.add(e);
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                // compile early (after 100 calls) and in the foreground, so the probe's warm-up is short
                "-XX:+UseSerialGC", "-XX:-TieredCompilation", "-XX:CompileThreshold=100", "-Xbatch", "-cp", String.join(File.pathSeparator, path),
                JitDeterminismProbe.class.getName()));
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = proc.getInputStream().readAllBytes();
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "probe did not finish");
        String text = new String(out, StandardCharsets.UTF_8);
        List<String> lines = text.lines()
                .filter(l -> !l.startsWith("WARNING") && !l.isBlank()).toList();
        assertEquals(0, proc.exitValue(), text);
        assertEquals(List.of("done"), lines, "kernels whose compiled results differ from their first call:\n" + text);
    }
}
