package dev.balboa.device.cuda.internal.driver;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * Checked wrappers over {@link CudaDriverBindings}: each method makes one driver call and turns a
 * non-zero {@code CUresult} into a {@link CudaException} carrying the error's name and
 * description. Device pointers are {@code long}s; opaque handles (context, stream, event, module,
 * function) are {@link MemorySegment} addresses of size zero, never dereferenced.
 *
 * <p>Driver calls act on the calling thread's current context: callers set it with
 * {@link #ctxSetCurrent} on each platform thread that does GPU work.
 */
public final class CudaDriver {
    private final CudaDriverBindings b;
    private final String library;

    private CudaDriver(CudaDriverBindings b, String library) {
        this.b = b;
        this.library = library;
    }

    /**
     * Loads a driver library and binds its functions. The library stays loaded for the life of
     * the JVM.
     *
     * @param path a library file, or null for the system's {@code libcuda.so.1}
     * @throws IllegalArgumentException when the library cannot be loaded
     * @throws UnsatisfiedLinkError     when a function is missing
     */
    public static CudaDriver load(Path path) {
        SymbolLookup lookup = path == null
                ? SymbolLookup.libraryLookup("libcuda.so.1", Arena.global())
                : SymbolLookup.libraryLookup(path, Arena.global());
        String name = path == null ? "libcuda.so.1" : path.toString();
        return new CudaDriver(new CudaDriverBindings(lookup, name), name);
    }

    /** The library the functions were bound in. */
    public String library() { return library; }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    /** Throws a {@link CudaException} when {@code result} is not {@code CUDA_SUCCESS}. */
    public void check(int result, String call) {
        if (result != 0) throw new CudaException(call, result, errorName(result), errorString(result));
    }

    /** {@code cuGetErrorName}; "CUDA_ERROR_UNKNOWN(code)" when the driver does not know the code. */
    public String errorName(int code) { return errorText(b.cuGetErrorName$MH, code, "unrecognized error code"); }

    /** {@code cuGetErrorString}. */
    public String errorString(int code) { return errorText(b.cuGetErrorString$MH, code, "unrecognized error code"); }

    private static String errorText(MethodHandle h, int code, String fallback) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            int r = (int) h.invokeExact(code, p);
            MemorySegment s = p.get(ADDRESS, 0);
            if (r != 0 || s.equals(MemorySegment.NULL)) return fallback;
            return s.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            return fallback + " (" + t + ")";
        }
    }

    /** {@code cuInit(flags)}. */
    public void init(int flags) {
        int r;
        try { r = (int) b.cuInit$MH.invokeExact(flags); } catch (Throwable t) { throw rethrow(t); }
        check(r, "cuInit(" + flags + ")");
    }

    /** {@code cuDeviceGetCount}. */
    public int deviceGetCount() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            int r;
            try { r = (int) b.cuDeviceGetCount$MH.invokeExact(out); } catch (Throwable t) { throw rethrow(t); }
            check(r, "cuDeviceGetCount");
            return out.get(JAVA_INT, 0);
        }
    }

    /** {@code cuDeviceGet(ordinal)}: the {@code CUdevice} handle. */
    public int deviceGet(int ordinal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            int r;
            try { r = (int) b.cuDeviceGet$MH.invokeExact(out, ordinal); } catch (Throwable t) { throw rethrow(t); }
            check(r, "cuDeviceGet(" + ordinal + ")");
            return out.get(JAVA_INT, 0);
        }
    }

    /** {@code cuDeviceGetName}. */
    public String deviceGetName(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(256);
            int r;
            try { r = (int) b.cuDeviceGetName$MH.invokeExact(out, 256, device); } catch (Throwable t) { throw rethrow(t); }
            check(r, "cuDeviceGetName(" + device + ")");
            out.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 255, (byte) 0);
            return out.getString(0);
        }
    }

    /** {@code cuDeviceTotalMem_v2}, in bytes. */
    public long deviceTotalMem(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_LONG);
            int r;
            try { r = (int) b.cuDeviceTotalMem_v2$MH.invokeExact(out, device); } catch (Throwable t) { throw rethrow(t); }
            check(r, "cuDeviceTotalMem_v2(" + device + ")");
            return out.get(JAVA_LONG, 0);
        }
    }

    /** {@code cuDevicePrimaryCtxRetain}: the device's primary context. */
    public MemorySegment devicePrimaryCtxRetain(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            int r;
            try { r = (int) b.cuDevicePrimaryCtxRetain$MH.invokeExact(out, device); } catch (Throwable t) { throw rethrow(t); }
            check(r, "cuDevicePrimaryCtxRetain(" + device + ")");
            return out.get(ADDRESS, 0);
        }
    }

    /** {@code cuDevicePrimaryCtxRelease_v2}. */
    public void devicePrimaryCtxRelease(int device) {
        int r;
        try { r = (int) b.cuDevicePrimaryCtxRelease_v2$MH.invokeExact(device); } catch (Throwable t) { throw rethrow(t); }
        check(r, "cuDevicePrimaryCtxRelease_v2(" + device + ")");
    }

    /** {@code cuCtxSetCurrent}: binds the context to the calling thread. */
    public void ctxSetCurrent(MemorySegment ctx) {
        int r;
        try { r = (int) b.cuCtxSetCurrent$MH.invokeExact(ctx); } catch (Throwable t) { throw rethrow(t); }
        check(r, "cuCtxSetCurrent");
    }

    /** {@code cuCtxSynchronize}. */
    public void ctxSynchronize() {
        int r;
        try { r = (int) b.cuCtxSynchronize$MH.invokeExact(); } catch (Throwable t) { throw rethrow(t); }
        check(r, "cuCtxSynchronize");
    }

    /**
     * {@code cuMemAlloc_v2} without the exception: the raw result, the pointer stored in
     * {@code out[0]}. The allocator uses it to react to out-of-memory.
     */
    public int memAllocRaw(long bytes, long[] out) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(JAVA_LONG);
            int r;
            try { r = (int) b.cuMemAlloc_v2$MH.invokeExact(p, bytes); } catch (Throwable t) { throw rethrow(t); }
            out[0] = p.get(JAVA_LONG, 0);
            return r;
        }
    }

    /** {@code cuMemAlloc_v2}: a device pointer. */
    public long memAlloc(long bytes) {
        long[] out = new long[1];
        check(memAllocRaw(bytes, out), "cuMemAlloc_v2(" + bytes + " bytes)");
        return out[0];
    }

    /** {@code cuMemFree_v2}. */
    public void memFree(long dptr) {
        int r;
        try { r = (int) b.cuMemFree_v2$MH.invokeExact(dptr); } catch (Throwable t) { throw rethrow(t); }
        check(r, "cuMemFree_v2(0x" + Long.toHexString(dptr) + ")");
    }

    /** {@code cuMemcpyHtoD_v2} from a native segment. */
    public void memcpyHtoD(long dst, MemorySegment src, long bytes) {
        int r;
        try { r = (int) b.cuMemcpyHtoD_v2$MH.invokeExact(dst, src, bytes); } catch (Throwable t) { throw rethrow(t); }
        check(r, "cuMemcpyHtoD_v2(" + bytes + " bytes)");
    }

    /** {@code cuMemcpyDtoH_v2} into a native segment. */
    public void memcpyDtoH(MemorySegment dst, long src, long bytes) {
        int r;
        try { r = (int) b.cuMemcpyDtoH_v2$MH.invokeExact(dst, src, bytes); } catch (Throwable t) { throw rethrow(t); }
        check(r, "cuMemcpyDtoH_v2(" + bytes + " bytes)");
    }

    /** {@code cuMemcpyDtoD_v2}. */
    public void memcpyDtoD(long dst, long src, long bytes) {
        int r;
        try { r = (int) b.cuMemcpyDtoD_v2$MH.invokeExact(dst, src, bytes); } catch (Throwable t) { throw rethrow(t); }
        check(r, "cuMemcpyDtoD_v2(" + bytes + " bytes)");
    }

    /** {@code cuMemsetD8_v2}. */
    public void memsetD8(long dst, byte value, long count) {
        int r;
        try { r = (int) b.cuMemsetD8_v2$MH.invokeExact(dst, value, count); } catch (Throwable t) { throw rethrow(t); }
        check(r, "cuMemsetD8_v2(" + count + " bytes)");
    }

    /** {@code cuMemAllocHost_v2}: page-locked host memory of {@code bytes}, as a segment of that size. */
    public MemorySegment memAllocHost(long bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            int r;
            try { r = (int) b.cuMemAllocHost_v2$MH.invokeExact(p, bytes); } catch (Throwable t) { throw rethrow(t); }
            check(r, "cuMemAllocHost_v2(" + bytes + " bytes)");
            return p.get(ADDRESS, 0).reinterpret(bytes);
        }
    }

    /** {@code cuMemFreeHost}. */
    public void memFreeHost(MemorySegment p) {
        int r;
        try { r = (int) b.cuMemFreeHost$MH.invokeExact(p); } catch (Throwable t) { throw rethrow(t); }
        check(r, "cuMemFreeHost");
    }

    /** {@code cuStreamCreate(flags)}. */
    public MemorySegment streamCreate(int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            int r;
            try { r = (int) b.cuStreamCreate$MH.invokeExact(p, flags); } catch (Throwable t) { throw rethrow(t); }
            check(r, "cuStreamCreate(" + flags + ")");
            return p.get(ADDRESS, 0);
        }
    }

    /** {@code cuStreamSynchronize}. */
    public void streamSynchronize(MemorySegment stream) {
        int r;
        try { r = (int) b.cuStreamSynchronize$MH.invokeExact(stream); } catch (Throwable t) { throw rethrow(t); }
        check(r, "cuStreamSynchronize");
    }

    /** {@code cuStreamDestroy_v2}. */
    public void streamDestroy(MemorySegment stream) {
        int r;
        try { r = (int) b.cuStreamDestroy_v2$MH.invokeExact(stream); } catch (Throwable t) { throw rethrow(t); }
        check(r, "cuStreamDestroy_v2");
    }

    /** {@code cuEventCreate(flags)}. */
    public MemorySegment eventCreate(int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            int r;
            try { r = (int) b.cuEventCreate$MH.invokeExact(p, flags); } catch (Throwable t) { throw rethrow(t); }
            check(r, "cuEventCreate(" + flags + ")");
            return p.get(ADDRESS, 0);
        }
    }

    /** {@code cuEventRecord}. */
    public void eventRecord(MemorySegment event, MemorySegment stream) {
        int r;
        try { r = (int) b.cuEventRecord$MH.invokeExact(event, stream); } catch (Throwable t) { throw rethrow(t); }
        check(r, "cuEventRecord");
    }

    /** {@code cuEventSynchronize}. */
    public void eventSynchronize(MemorySegment event) {
        int r;
        try { r = (int) b.cuEventSynchronize$MH.invokeExact(event); } catch (Throwable t) { throw rethrow(t); }
        check(r, "cuEventSynchronize");
    }

    /** {@code cuEventDestroy_v2}. */
    public void eventDestroy(MemorySegment event) {
        int r;
        try { r = (int) b.cuEventDestroy_v2$MH.invokeExact(event); } catch (Throwable t) { throw rethrow(t); }
        check(r, "cuEventDestroy_v2");
    }

    /** {@code cuModuleLoadData} from a NUL-terminated PTX image. */
    public MemorySegment moduleLoadData(MemorySegment image, String what) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            int r;
            try { r = (int) b.cuModuleLoadData$MH.invokeExact(p, image); } catch (Throwable t) { throw rethrow(t); }
            check(r, "cuModuleLoadData(" + what + ")");
            return p.get(ADDRESS, 0);
        }
    }

    /** {@code cuModuleGetFunction}. */
    public MemorySegment moduleGetFunction(MemorySegment module, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            int r;
            try { r = (int) b.cuModuleGetFunction$MH.invokeExact(p, module, a.allocateFrom(name)); } catch (Throwable t) { throw rethrow(t); }
            check(r, "cuModuleGetFunction(" + name + ")");
            return p.get(ADDRESS, 0);
        }
    }

    /** {@code cuModuleUnload}. */
    public void moduleUnload(MemorySegment module) {
        int r;
        try { r = (int) b.cuModuleUnload$MH.invokeExact(module); } catch (Throwable t) { throw rethrow(t); }
        check(r, "cuModuleUnload");
    }

    /**
     * {@code cuLaunchKernel} with {@code kernelParams} (an array of pointers, one per kernel
     * parameter) and no {@code extra}.
     */
    public void launchKernel(MemorySegment function, String name, int gridX, int gridY, int gridZ,
                             int blockX, int blockY, int blockZ, int sharedBytes, MemorySegment stream,
                             MemorySegment kernelParams) {
        int r;
        try {
            r = (int) b.cuLaunchKernel$MH.invokeExact(function, gridX, gridY, gridZ, blockX, blockY, blockZ, sharedBytes,
                    stream, kernelParams, MemorySegment.NULL);
        } catch (Throwable t) { throw rethrow(t); }
        check(r, "cuLaunchKernel(" + name + ", grid " + gridX + "x" + gridY + "x" + gridZ + ", block " + blockX + "x"
                + blockY + "x" + blockZ + ")");
    }
}
