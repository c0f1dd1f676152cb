package dev.balboa.device.cuda.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.device.cuda.internal.driver.Cublas;
import dev.balboa.spi.Backend;
import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import dev.balboa.tck.DeviceConformanceKit;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit's matmul cases on the CUDA backend with cuBLAS bound (the driver emulator
 * plus the cuBLAS stand-in, {@code src/test/c/cublasemu.c}): float32/float64 operands whose strides
 * fit go through {@code ?gemm_v2} / {@code ?gemmStridedBatched} with the column-major trick, the
 * rest through Balboa's kernels, and every result must equal the kit's reference. Checks at the end
 * that cuBLAS was really called. Skipped without gcc.
 */
class CublasConformanceTest extends DeviceConformanceKit {
    private static CudaBackend backend;
    private static SymbolLookup standIn;

    @Override
    protected Backend backend() {
        synchronized (CublasConformanceTest.class) {
            if (backend == null) {
                try {
                    String lib = NativeTools.cublasEmulator().toString();
                    standIn = SymbolLookup.libraryLookup(java.nio.file.Path.of(lib), Arena.global());
                    System.setProperty(Cublas.LIBRARY_PROPERTY, lib);
                    backend = (CudaBackend) new CudaProvider(NativeTools.emulator()).open().get(0);
                } catch (org.opentest4j.TestAbortedException e) {
                    throw e;
                } catch (Exception e) {
                    throw new AssertionError("opening the CUDA backend with the cuBLAS stand-in failed: " + e, e);
                } finally {
                    System.clearProperty(Cublas.LIBRARY_PROPERTY);
                }
                assertTrue(backend.usesCublas());
            }
            return backend;
        }
    }

    @Override
    protected boolean supports(Op op, Set<DType> dtypes) { return op instanceof Op.Matmul && CudaBackend.supports(op, dtypes); }

    private static long gemmCalls() throws Throwable {
        var h = Linker.nativeLinker().downcallHandle(standIn.find("cublasemu_gemm_calls").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG));
        return (long) h.invokeExact();
    }

    @Test
    void aPlainFloatMatmulGoesThroughCublas() throws Throwable {
        Backend b = backend();
        long before = gemmCalls();
        assertEquals("[4.0, 5.0, 10.0, 11.0]", java.util.Arrays.toString(CublasTest.matmul2x3by3x2(b)));
        assertEquals(before + 1, gemmCalls());
    }

    @AfterAll
    static void cublasWasUsed() throws Throwable {
        if (standIn != null) assertTrue(gemmCalls() > 0, "the kit's matmuls never reached cuBLAS");
    }
}
