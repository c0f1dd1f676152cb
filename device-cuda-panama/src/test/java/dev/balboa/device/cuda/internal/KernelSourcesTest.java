package dev.balboa.device.cuda.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.balboa.spi.Op;
import java.lang.foreign.StructLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The committed PTX against the CUDA sources: nvcc regenerates it identically (same nvcc
 * release), ptxas assembles it for sm_80 and sm_90, the argument structs of balboa_kernel.h have
 * the Java layouts, and the kernels' function codes follow the Java enums.
 */
class KernelSourcesTest {
    private static final List<String> MODULES = List.of("elementwise", "reduce", "matmul", "random", "axis", "conv");
    private static final Path COMMITTED = NativeTools.MODULE.resolve("src/main/resources/dev/balboa/device/cuda/internal/kernels");

    @Test
    void committedPtxIsUpToDate() throws Exception {
        Path nvcc = NativeTools.require("nvcc");
        String version = NativeTools.check(List.of(nvcc.toString(), "--version"));
        Matcher m = Pattern.compile("Cuda compilation tools, release [^\\n]*").matcher(version);
        assumeTrue(m.find(), "cannot read the nvcc version");
        String committedVersion = CudaBackend.ptx("elementwise");
        assumeTrue(committedVersion.contains(m.group().trim()),
                "the committed PTX was made by another nvcc release than " + m.group() + ": cannot compare byte for byte");
        Path out = Files.createDirectories(NativeTools.MODULE.resolve("target/ptx-check"));
        NativeTools.check(List.of("sh", "tools/compile-kernels.sh", out.toString()));
        for (String module : MODULES) {
            assertEquals(Files.readString(COMMITTED.resolve(module + ".ptx")), Files.readString(out.resolve(module + ".ptx")),
                    module + ".ptx is stale: run tools/compile-kernels.sh " + NativeTools.MODULE.relativize(COMMITTED));
        }
    }

    @Test
    void ptxAssemblesForSm80AndSm90() throws Exception {
        Path ptxas = NativeTools.require("ptxas");
        for (String arch : List.of("sm_80", "sm_90")) {
            for (String module : MODULES) {
                NativeTools.check(List.of(ptxas.toString(), "-arch=" + arch, COMMITTED.resolve(module + ".ptx").toString(),
                        "-o", NativeTools.MODULE.resolve("target/" + module + "." + arch + ".cubin").toString()));
            }
        }
    }

    @Test
    void everyModuleDeclaresItsKernels() {
        assertEquals(List.of("bk_fill", "bk_arange", "bk_copy", "bk_unary", "bk_binary", "bk_where"), CudaBackend.entries(CudaBackend.ptx("elementwise")));
        assertEquals(List.of("bk_reduce"), CudaBackend.entries(CudaBackend.ptx("reduce")));
        assertEquals(List.of("bk_matmul_f32", "bk_matmul_f64", "bk_matmul_any"), CudaBackend.entries(CudaBackend.ptx("matmul")));
        assertEquals(List.of("bk_random_uniform", "bk_random_normal"), CudaBackend.entries(CudaBackend.ptx("random")));
        assertEquals(List.of("bk_gather", "bk_scatter", "bk_argreduce", "bk_scan", "bk_sort"), CudaBackend.entries(CudaBackend.ptx("axis")));
        assertEquals(List.of("bk_conv2d", "bk_conv2d_backward_input", "bk_conv2d_backward_weight", "bk_max_pool2d"),
                CudaBackend.entries(CudaBackend.ptx("conv")));
    }

    private static List<String> cEnum(String file, String firstConstant) throws Exception {
        String src = Files.readString(NativeTools.MODULE.resolve("src/main/cuda/" + file));
        int start = src.indexOf("enum { " + firstConstant);
        String body = src.substring(src.indexOf('{', start) + 1, src.indexOf('}', start));
        List<String> names = new ArrayList<>();
        for (String s : body.split(",")) names.add(s.trim().substring(2));
        return names;
    }

    private static List<String> names(Enum<?>[] values) { return Arrays.stream(values).map(Enum::name).toList(); }

    @Test
    void functionCodesFollowTheJavaEnums() throws Exception {
        assertEquals(names(Op.UnaryFn.values()), cEnum("elementwise.cu", "U_NEG"));
        assertEquals(names(Op.BinaryFn.values()), cEnum("elementwise.cu", "B_ADD"));
        assertEquals(names(Op.ReduceFn.values()), cEnum("reduce.cu", "R_SUM"));
        assertEquals(names(Op.ArgFn.values()), cEnum("axis.cu", "A_MAX"));
        assertEquals(names(Op.ScanFn.values()), cEnum("axis.cu", "S_SUM"));
        assertEquals(names(Op.ScatterMode.values()), cEnum("axis.cu", "M_REPLACE"));
    }

    @Test
    void argumentStructsHaveTheJavaLayouts() throws Exception {
        Path gcc = NativeTools.require("gcc");
        StringBuilder c = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include \"balboa_kernel.h\"\n#define F(S, f) printf(#S \" \" #f \" %zu\\n\", offsetof(S, f))\nint main(void) {\n");
        List<String> expected = new ArrayList<>();
        Object[][] structs = {{"BkElem", KernelArgs.ELEM}, {"BkReduce", KernelArgs.REDUCE}, {"BkMatmul", KernelArgs.MATMUL},
            {"BkRandom", KernelArgs.RANDOM}, {"BkAxis", KernelArgs.AXIS}, {"BkConv", KernelArgs.CONV}};
        for (Object[] s : structs) {
            StructLayout layout = (StructLayout) s[1];
            c.append("  printf(\"").append(s[0]).append(" size %zu\\n\", sizeof(").append(s[0]).append("));\n");
            expected.add(s[0] + " size " + layout.byteSize());
            for (var member : layout.memberLayouts()) {
                String f = member.name().orElseThrow();
                c.append("  F(").append(s[0]).append(", ").append(f).append(");\n");
                expected.add(s[0] + " " + f + " " + KernelArgs.offset(layout, f));
            }
        }
        c.append("  return 0;\n}\n");
        Path dir = Files.createDirectories(NativeTools.MODULE.resolve("target/layout-probe"));
        Files.writeString(dir.resolve("layout.c"), c);
        NativeTools.check(List.of(gcc.toString(), "-std=gnu11", "-Isrc/main/cuda", "-Isrc/test/c", dir.resolve("layout.c").toString(),
                "-lm", "-o", dir.resolve("layout").toString()));
        assertEquals(String.join("\n", expected), NativeTools.check(List.of(dir.resolve("layout").toString())).trim());
    }
}
