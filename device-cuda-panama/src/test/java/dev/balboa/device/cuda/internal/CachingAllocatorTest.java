package dev.balboa.device.cuda.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.spi.Buffer;
import dev.balboa.spi.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The caching allocator over the driver emulator: buckets, reuse, close, cleaner, out-of-memory. */
class CachingAllocatorTest {

    @Test
    void bucketsRoundUp() {
        assertEquals(512, CachingAllocator.bucket(0));
        assertEquals(512, CachingAllocator.bucket(1));
        assertEquals(1024, CachingAllocator.bucket(513));
        assertEquals(2L << 20, CachingAllocator.bucket((1L << 20) + 1));
        assertEquals(4L << 20, CachingAllocator.bucket((2L << 20) + 1));
    }

    private static void setLimit(Path lib, long bytes) throws Throwable {
        MethodHandle h = Linker.nativeLinker().downcallHandle(
                SymbolLookup.libraryLookup(lib, Arena.global()).find("cudaemu_set_memory_limit").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG));
        h.invokeExact(bytes);
    }

    @Test
    void closedAndUnreachableBuffersAreReusedAndOutOfMemoryIsExplained() throws Throwable {
        Path lib = NativeTools.emulator();
        CudaBackend b = (CudaBackend) new CudaProvider(lib).open().get(0);
        CachingAllocator alloc = b.allocator();
        Buffer x = b.allocate(DType.FLOAT32, 1000);
        long held = alloc.inUseBytes();
        x.close();
        assertEquals(held - 4096, alloc.inUseBytes());
        Buffer y = b.allocate(DType.FLOAT32, 1000);   // served from the cache
        assertEquals(held, alloc.inUseBytes());
        assertThrows(IllegalStateException.class, () -> b.read(x, 0, Arena.ofAuto().allocate(4), 1));
        y.close();

        long before = alloc.inUseBytes();
        setLimit(lib, 64L << 20);
        try {
            for (int i = 0; i < 40; i++) b.allocate(DType.FLOAT32, 1L << 20);   // 4 MiB each, never closed: the cleaner returns them
            assertTrue(alloc.inUseBytes() - before <= 64L << 20);
            Buffer keep = b.allocate(DType.FLOAT32, 8L << 20);
            CudaOutOfMemoryError e = assertThrows(CudaOutOfMemoryError.class, () -> b.allocate(DType.FLOAT32, 16L << 20));
            assertTrue(e.getMessage().contains("asked for 67108864 bytes"), e.getMessage());
            keep.close();
        } finally {
            setLimit(lib, 1L << 30);
        }
    }
}
