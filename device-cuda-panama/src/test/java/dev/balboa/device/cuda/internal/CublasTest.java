package dev.balboa.device.cuda.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.balboa.device.cuda.internal.driver.Cublas;
import dev.balboa.spi.Backend;
import dev.balboa.spi.Buffer;
import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import dev.balboa.spi.Operand;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * cuBLAS is optional: it is bound when a library exports the seven functions, its absence (or a
 * library without them) leaves the device on its own matmul kernels, and the leading dimensions of
 * the column-major trick are computed from the operands' strides. The cuBLAS stand-in
 * (src/test/c/cublasemu.c) checks the binding and the calls; a real cuBLAS needs a GPU.
 */
class CublasTest {
    @AfterEach
    void clearProperty() { System.clearProperty(Cublas.LIBRARY_PROPERTY); }

    private static String reason(Optional<Cublas> c, List<String> why) {
        assertFalse(c.isPresent());
        assertEquals(1, why.size(), why.toString());
        return why.get(0);
    }

    @Test
    void theStandInIsBoundWithEveryFunction() throws Exception {
        Path lib = NativeTools.cublasEmulator();
        System.setProperty(Cublas.LIBRARY_PROPERTY, lib.toString());
        Optional<Cublas> c = Cublas.load(Arena.global(), null);
        assertTrue(c.isPresent());
        assertEquals(lib.toString(), c.get().library());
        assertEquals(7, Cublas.ALL.size());
    }

    @Test
    void absenceIsAReasonNotAnError() {
        System.setProperty(Cublas.LIBRARY_PROPERTY, "none");
        List<String> why = new ArrayList<>();
        assertTrue(reason(Cublas.load(Arena.global(), why), why).contains("disabled"));
        System.setProperty(Cublas.LIBRARY_PROPERTY, "/nonexistent/libcublas.so.13");
        why.clear();
        assertEquals("libcublas.so.* not found", reason(Cublas.load(Arena.global(), why), why));
        System.setProperty(Cublas.LIBRARY_PROPERTY, "libm.so.6");
        why.clear();
        assertTrue(reason(Cublas.load(Arena.global(), why), why).contains("symbol cublasCreate_v2 not found"), why.toString());
    }

    @Test
    void withoutLibcublasOnThisMachineNothingIsLoaded() {
        boolean present = Files.isDirectory(Path.of("/usr/local/cuda/lib64")) && new java.io.File("/usr/local/cuda/lib64").list((d, n) -> n.startsWith("libcublas.so")).length > 0;
        assumeTrue(!present && System.getenv("CUDA_HOME") == null, "libcublas is installed here");
        List<String> why = new ArrayList<>();
        Optional<Cublas> c = Cublas.load(Arena.global(), why);
        assumeTrue(c.isEmpty(), "a libcublas was found through the dynamic loader: " + c.map(Cublas::library).orElse(""));
        assertEquals(List.of("libcublas.so.* not found"), why);
    }

    @Test
    void theEmulatedDriverUsesOwnKernelsUnlessCublasIsNamed() throws Exception {
        CudaProvider p = new CudaProvider(NativeTools.emulator());
        CudaBackend b = (CudaBackend) p.open().get(0);
        assertFalse(b.usesCublas());
        assertTrue(p.cublasStatus().contains("not used"), p.cublasStatus());
        // and the fallback matmul still works
        assertEquals("[4.0, 5.0, 10.0, 11.0]", java.util.Arrays.toString(matmul2x3by3x2(b)));
    }

    /** [[1,2,3],[4,5,6]] @ [[1,0],[0,1],[1,1]] on {@code be}. */
    static float[] matmul2x3by3x2(Backend be) {
        try (Arena a = Arena.ofConfined()) {
            Buffer x = be.allocate(DType.FLOAT32, 6), y = be.allocate(DType.FLOAT32, 6), o = be.allocate(DType.FLOAT32, 4);
            be.write(a.allocateFrom(java.lang.foreign.ValueLayout.JAVA_FLOAT, 1, 2, 3, 4, 5, 6), x, 0, 6);
            be.write(a.allocateFrom(java.lang.foreign.ValueLayout.JAVA_FLOAT, 1, 0, 0, 1, 1, 1), y, 0, 6);
            be.execute(new Op.Matmul(),
                    new Operand[] {new Operand(x, new long[] {1, 2, 3}, new long[] {6, 3, 1}, 0),
                            new Operand(y, new long[] {1, 3, 2}, new long[] {6, 2, 1}, 0)},
                    new Operand[] {new Operand(o, new long[] {1, 2, 2}, new long[] {4, 2, 1}, 0)});
            var out = a.allocate(java.lang.foreign.ValueLayout.JAVA_FLOAT, 4);
            be.read(o, 0, out, 4);
            return out.toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT);
        }
    }

    @Test
    void leadingDimensions() {
        assertEquals(5, CudaBackend.leadingDimension(4, 1, 3, 5));     // column-major 4x3 with ld 5
        assertEquals(-1, CudaBackend.leadingDimension(4, 2, 3, 8));    // rows not contiguous
        assertEquals(-1, CudaBackend.leadingDimension(4, 1, 3, 3));    // ld below the row count
        assertEquals(4, CudaBackend.leadingDimension(4, 1, 1, 0));     // one column: any stride
        assertEquals(1, CudaBackend.leadingDimension(1, 7, 3, 1));     // one row: the row stride is unused
        assertEquals(-1, CudaBackend.leadingDimension(1, 7, 3, 0));    // broadcast columns
    }
}
