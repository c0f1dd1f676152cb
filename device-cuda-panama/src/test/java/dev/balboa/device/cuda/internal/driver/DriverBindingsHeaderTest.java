package dev.balboa.device.cuda.internal.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.balboa.device.cuda.internal.NativeTools;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.MemoryLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Checks the Java bindings against the installed {@code cuda.h}: a C probe, compiled with gcc,
 * assigns every bound symbol to a function pointer of the prototype the bindings declare (so
 * gcc rejects any mismatch with the header) and prints the size and type class of the return
 * type and of every parameter, which must agree with the Java descriptors (pointers and opaque
 * handles as addresses, integers of the same width). Skipped without gcc or cuda.h. The same probe
 * checks the optional cuBLAS bindings against {@code cublas_v2.h} when that header is installed.
 */
class DriverBindingsHeaderTest {

    /** The parameter types of a prototype such as {@code CUresult f(const void *p, size_t n)}. */
    static List<String> parameterTypes(String prototype) {
        String params = prototype.substring(prototype.indexOf('(') + 1, prototype.lastIndexOf(')')).trim();
        List<String> types = new ArrayList<>();
        if (params.equals("void")) return types;
        for (String p : params.split(",")) {
            p = p.trim();
            int i = p.length();
            while (i > 0 && (Character.isLetterOrDigit(p.charAt(i - 1)) || p.charAt(i - 1) == '_')) i--;
            types.add(p.substring(0, i).trim());
        }
        return types;
    }

    @Test
    void everyPrototypeMatchesCudaHAndTheDescriptors() throws Exception {
        Path include = NativeTools.requireCudaInclude();
        int checked = probe(include, "cuda.h", CudaDriverBindings.ALL, "header-probe");
        assertTrue(checked > 90, "only " + checked + " facts checked");
    }

    /** The cuBLAS prototypes against {@code cublas_v2.h}; skipped when the header is not installed. */
    @Test
    void everyCublasPrototypeMatchesCublasV2H() throws Exception {
        Path include = NativeTools.requireCudaInclude();
        assumeTrue(Files.isRegularFile(include.resolve("cublas_v2.h")), "cublas_v2.h not found in " + include + ": test skipped");
        int checked = probe(include, "cublas_v2.h", Cublas.ALL, "cublas-header-probe");
        assertTrue(checked > 60, "only " + checked + " facts checked");
    }

    /** Compiles and runs the probe for {@code functions} against {@code header}; the number of facts checked. */
    private static int probe(Path include, String header, List<CudaDriverBindings.Function> functions, String dirName) throws Exception {
        Path gcc = NativeTools.require("gcc");
        StringBuilder c = new StringBuilder("#include <" + header + ">\n#include <stdio.h>\n#include <stddef.h>\n"
                + "#define FACT(fn, what, T) printf(\"%s %s %zu %d\\n\", fn, what, sizeof(T), __builtin_classify_type(*(T*)0))\n"
                + "int main(void) {\n");
        for (CudaDriverBindings.Function f : functions) {
            String proto = f.prototype();
            String ret = proto.substring(0, proto.indexOf(' '));
            String params = proto.substring(proto.indexOf('('));
            c.append("  { ").append(ret).append(" (*p)").append(params).append(" = &").append(f.name())
                    .append("; (void) p; }\n");
            c.append("  FACT(\"").append(f.name()).append("\", \"ret\", ").append(ret).append(");\n");
            List<String> types = parameterTypes(proto);
            for (int i = 0; i < types.size(); i++) {
                c.append("  FACT(\"").append(f.name()).append("\", \"arg").append(i).append("\", ").append(types.get(i)).append(");\n");
            }
        }
        c.append("  return 0;\n}\n");
        Path dir = Files.createDirectories(NativeTools.MODULE.resolve("target/" + dirName));
        Path src = dir.resolve("probe.c"), exe = dir.resolve("probe");
        Files.writeString(src, c);
        NativeTools.check(List.of(gcc.toString(), "-std=gnu11", "-Werror=incompatible-pointer-types", "-Wall", "-I" + include,
                // the probe never calls the library: its symbols may stay unresolved
                "-Wl,--unresolved-symbols=ignore-all",
                src.toString(), "-o", exe.toString()));
        Map<String, String[]> facts = new HashMap<>();
        for (String line : NativeTools.check(List.of(exe.toString())).split("\n")) {
            String[] w = line.trim().split(" ");
            if (w.length == 4) facts.put(w[0] + " " + w[1], w);
        }
        int checked = 0;
        for (CudaDriverBindings.Function f : functions) {
            checked += checkFact(facts, f.name() + " ret", f.descriptor().returnLayout().orElseThrow());
            List<MemoryLayout> args = f.descriptor().argumentLayouts();
            assertEquals(parameterTypes(f.prototype()).size(), args.size(), f.name() + ": parameter count");
            for (int i = 0; i < args.size(); i++) checked += checkFact(facts, f.name() + " arg" + i, args.get(i));
        }
        return checked;
    }

    private static int checkFact(Map<String, String[]> facts, String key, MemoryLayout layout) {
        String[] w = facts.get(key);
        assertTrue(w != null, "no fact printed for " + key);
        long size = Long.parseLong(w[2]);
        int kind = Integer.parseInt(w[3]);     // gcc type classes: 1 integer, 2 char, 3 enumeral, 5 pointer, 8 real
        assertEquals(size, layout.byteSize(), key + ": size in cuda.h vs the Java layout " + layout);
        if (layout instanceof AddressLayout) assertEquals(5, kind, key + ": cuda.h type is not a pointer but Java binds an address");
        else assertTrue(kind == 1 || kind == 2 || kind == 3, key + ": cuda.h type class " + kind + " bound as " + layout);
        return 1;
    }
}
