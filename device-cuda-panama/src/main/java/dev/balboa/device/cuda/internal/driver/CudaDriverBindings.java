package dev.balboa.device.cuda.internal.driver;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Raw downcall bindings to the CUDA driver API ({@code cuda.h}), in the shape jextract generates:
 * one descriptor and one method handle per function, the C prototype kept next to it, no logic.
 * Versioned entry points are bound by their real symbol names ({@code cuMemAlloc_v2}), which is
 * what the macros of {@code cuda.h} expand to. {@code tools/jextract.sh} regenerates the raw
 * bindings with jextract; {@code DriverBindingsHeaderTest} compiles every prototype against the
 * installed {@code cuda.h} and compares argument sizes and kinds with the descriptors below.
 *
 * <p>Unlike jextract's output the library is chosen at run time (libcuda.so.1, or the library
 * named by {@code balboa.cuda.driver}), so the handles live in an instance made from a
 * {@link SymbolLookup}. Use {@link CudaDriver} for checked, typed calls.
 */
public final class CudaDriverBindings {

    /** One bound function: its symbol, its C prototype as declared in cuda.h, and its descriptor. */
    public record Function(String name, String prototype, FunctionDescriptor descriptor) {}

    /** {@code CUresult}: an enum, 32 bits. */
    public static final ValueLayout.OfInt CUresult = JAVA_INT;
    /** {@code CUdevice}: an int ordinal handle. */
    public static final ValueLayout.OfInt CUdevice = JAVA_INT;
    /** {@code CUdeviceptr}: an unsigned 64-bit device address (held in Java as a {@code long}). */
    public static final ValueLayout.OfLong CUdeviceptr = JAVA_LONG;
    /** {@code size_t} on the 64-bit platforms CUDA supports. */
    public static final ValueLayout.OfLong SIZE_T = JAVA_LONG;
    /** {@code unsigned int}. */
    public static final ValueLayout.OfInt C_UINT = JAVA_INT;
    /** {@code int}. */
    public static final ValueLayout.OfInt C_INT = JAVA_INT;
    /** {@code unsigned char}. */
    public static final ValueLayout.OfByte C_UCHAR = JAVA_BYTE;
    /** A pointer, and the opaque handles {@code CUcontext}, {@code CUstream}, {@code CUevent}, {@code CUmodule}, {@code CUfunction}. */
    public static final AddressLayout C_POINTER = ADDRESS;

    private static Function fn(String name, String prototype, FunctionDescriptor d) { return new Function(name, prototype, d); }

    public static final Function cuInit = fn("cuInit", "CUresult cuInit(unsigned int Flags)",
            FunctionDescriptor.of(CUresult, C_UINT));
    public static final Function cuDeviceGet = fn("cuDeviceGet", "CUresult cuDeviceGet(CUdevice *device, int ordinal)",
            FunctionDescriptor.of(CUresult, C_POINTER, C_INT));
    public static final Function cuDeviceGetCount = fn("cuDeviceGetCount", "CUresult cuDeviceGetCount(int *count)",
            FunctionDescriptor.of(CUresult, C_POINTER));
    public static final Function cuDeviceGetName = fn("cuDeviceGetName", "CUresult cuDeviceGetName(char *name, int len, CUdevice dev)",
            FunctionDescriptor.of(CUresult, C_POINTER, C_INT, CUdevice));
    public static final Function cuDeviceTotalMem_v2 = fn("cuDeviceTotalMem_v2", "CUresult cuDeviceTotalMem_v2(size_t *bytes, CUdevice dev)",
            FunctionDescriptor.of(CUresult, C_POINTER, CUdevice));
    public static final Function cuDevicePrimaryCtxRetain = fn("cuDevicePrimaryCtxRetain", "CUresult cuDevicePrimaryCtxRetain(CUcontext *pctx, CUdevice dev)",
            FunctionDescriptor.of(CUresult, C_POINTER, CUdevice));
    public static final Function cuDevicePrimaryCtxRelease_v2 = fn("cuDevicePrimaryCtxRelease_v2", "CUresult cuDevicePrimaryCtxRelease_v2(CUdevice dev)",
            FunctionDescriptor.of(CUresult, CUdevice));
    public static final Function cuCtxSetCurrent = fn("cuCtxSetCurrent", "CUresult cuCtxSetCurrent(CUcontext ctx)",
            FunctionDescriptor.of(CUresult, C_POINTER));
    public static final Function cuCtxSynchronize = fn("cuCtxSynchronize", "CUresult cuCtxSynchronize(void)",
            FunctionDescriptor.of(CUresult));
    public static final Function cuMemAlloc_v2 = fn("cuMemAlloc_v2", "CUresult cuMemAlloc_v2(CUdeviceptr *dptr, size_t bytesize)",
            FunctionDescriptor.of(CUresult, C_POINTER, SIZE_T));
    public static final Function cuMemFree_v2 = fn("cuMemFree_v2", "CUresult cuMemFree_v2(CUdeviceptr dptr)",
            FunctionDescriptor.of(CUresult, CUdeviceptr));
    public static final Function cuMemcpyHtoD_v2 = fn("cuMemcpyHtoD_v2", "CUresult cuMemcpyHtoD_v2(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount)",
            FunctionDescriptor.of(CUresult, CUdeviceptr, C_POINTER, SIZE_T));
    public static final Function cuMemcpyDtoH_v2 = fn("cuMemcpyDtoH_v2", "CUresult cuMemcpyDtoH_v2(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount)",
            FunctionDescriptor.of(CUresult, C_POINTER, CUdeviceptr, SIZE_T));
    public static final Function cuMemcpyDtoD_v2 = fn("cuMemcpyDtoD_v2", "CUresult cuMemcpyDtoD_v2(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount)",
            FunctionDescriptor.of(CUresult, CUdeviceptr, CUdeviceptr, SIZE_T));
    public static final Function cuMemsetD8_v2 = fn("cuMemsetD8_v2", "CUresult cuMemsetD8_v2(CUdeviceptr dstDevice, unsigned char uc, size_t N)",
            FunctionDescriptor.of(CUresult, CUdeviceptr, C_UCHAR, SIZE_T));
    public static final Function cuMemAllocHost_v2 = fn("cuMemAllocHost_v2", "CUresult cuMemAllocHost_v2(void **pp, size_t bytesize)",
            FunctionDescriptor.of(CUresult, C_POINTER, SIZE_T));
    public static final Function cuMemFreeHost = fn("cuMemFreeHost", "CUresult cuMemFreeHost(void *p)",
            FunctionDescriptor.of(CUresult, C_POINTER));
    public static final Function cuStreamCreate = fn("cuStreamCreate", "CUresult cuStreamCreate(CUstream *phStream, unsigned int Flags)",
            FunctionDescriptor.of(CUresult, C_POINTER, C_UINT));
    public static final Function cuStreamSynchronize = fn("cuStreamSynchronize", "CUresult cuStreamSynchronize(CUstream hStream)",
            FunctionDescriptor.of(CUresult, C_POINTER));
    public static final Function cuStreamDestroy_v2 = fn("cuStreamDestroy_v2", "CUresult cuStreamDestroy_v2(CUstream hStream)",
            FunctionDescriptor.of(CUresult, C_POINTER));
    public static final Function cuEventCreate = fn("cuEventCreate", "CUresult cuEventCreate(CUevent *phEvent, unsigned int Flags)",
            FunctionDescriptor.of(CUresult, C_POINTER, C_UINT));
    public static final Function cuEventRecord = fn("cuEventRecord", "CUresult cuEventRecord(CUevent hEvent, CUstream hStream)",
            FunctionDescriptor.of(CUresult, C_POINTER, C_POINTER));
    public static final Function cuEventSynchronize = fn("cuEventSynchronize", "CUresult cuEventSynchronize(CUevent hEvent)",
            FunctionDescriptor.of(CUresult, C_POINTER));
    public static final Function cuEventDestroy_v2 = fn("cuEventDestroy_v2", "CUresult cuEventDestroy_v2(CUevent hEvent)",
            FunctionDescriptor.of(CUresult, C_POINTER));
    public static final Function cuModuleLoadData = fn("cuModuleLoadData", "CUresult cuModuleLoadData(CUmodule *module, const void *image)",
            FunctionDescriptor.of(CUresult, C_POINTER, C_POINTER));
    public static final Function cuModuleGetFunction = fn("cuModuleGetFunction", "CUresult cuModuleGetFunction(CUfunction *hfunc, CUmodule hmod, const char *name)",
            FunctionDescriptor.of(CUresult, C_POINTER, C_POINTER, C_POINTER));
    public static final Function cuModuleUnload = fn("cuModuleUnload", "CUresult cuModuleUnload(CUmodule hmod)",
            FunctionDescriptor.of(CUresult, C_POINTER));
    public static final Function cuLaunchKernel = fn("cuLaunchKernel",
            "CUresult cuLaunchKernel(CUfunction f, unsigned int gridDimX, unsigned int gridDimY, unsigned int gridDimZ, "
                    + "unsigned int blockDimX, unsigned int blockDimY, unsigned int blockDimZ, unsigned int sharedMemBytes, "
                    + "CUstream hStream, void **kernelParams, void **extra)",
            FunctionDescriptor.of(CUresult, C_POINTER, C_UINT, C_UINT, C_UINT, C_UINT, C_UINT, C_UINT, C_UINT, C_POINTER, C_POINTER, C_POINTER));
    public static final Function cuGetErrorName = fn("cuGetErrorName", "CUresult cuGetErrorName(CUresult error, const char **pStr)",
            FunctionDescriptor.of(CUresult, CUresult, C_POINTER));
    public static final Function cuGetErrorString = fn("cuGetErrorString", "CUresult cuGetErrorString(CUresult error, const char **pStr)",
            FunctionDescriptor.of(CUresult, CUresult, C_POINTER));

    /** Every bound function, in the order of {@code tools/jextract.sh}'s include list. */
    public static final List<Function> ALL = List.of(cuInit, cuDeviceGet, cuDeviceGetCount, cuDeviceGetName,
            cuDeviceTotalMem_v2, cuDevicePrimaryCtxRetain, cuDevicePrimaryCtxRelease_v2, cuCtxSetCurrent,
            cuCtxSynchronize, cuMemAlloc_v2, cuMemFree_v2, cuMemcpyHtoD_v2, cuMemcpyDtoH_v2, cuMemcpyDtoD_v2,
            cuMemsetD8_v2, cuMemAllocHost_v2, cuMemFreeHost, cuStreamCreate, cuStreamSynchronize,
            cuStreamDestroy_v2, cuEventCreate, cuEventRecord, cuEventSynchronize, cuEventDestroy_v2,
            cuModuleLoadData, cuModuleGetFunction, cuModuleUnload, cuLaunchKernel, cuGetErrorName, cuGetErrorString);

    final MethodHandle cuInit$MH, cuDeviceGet$MH, cuDeviceGetCount$MH, cuDeviceGetName$MH, cuDeviceTotalMem_v2$MH,
            cuDevicePrimaryCtxRetain$MH, cuDevicePrimaryCtxRelease_v2$MH, cuCtxSetCurrent$MH, cuCtxSynchronize$MH,
            cuMemAlloc_v2$MH, cuMemFree_v2$MH, cuMemcpyHtoD_v2$MH, cuMemcpyDtoH_v2$MH, cuMemcpyDtoD_v2$MH,
            cuMemsetD8_v2$MH, cuMemAllocHost_v2$MH, cuMemFreeHost$MH, cuStreamCreate$MH, cuStreamSynchronize$MH,
            cuStreamDestroy_v2$MH, cuEventCreate$MH, cuEventRecord$MH, cuEventSynchronize$MH, cuEventDestroy_v2$MH,
            cuModuleLoadData$MH, cuModuleGetFunction$MH, cuModuleUnload$MH, cuLaunchKernel$MH, cuGetErrorName$MH,
            cuGetErrorString$MH;

    /**
     * Binds every function of {@link #ALL} in {@code lookup}.
     *
     * @param lookup  the driver library's symbols
     * @param library the library's name, for messages
     * @throws UnsatisfiedLinkError naming the first missing symbol
     */
    public CudaDriverBindings(SymbolLookup lookup, String library) {
        Linker linker = Linker.nativeLinker();
        Map<String, MethodHandle> h = ALL.stream().collect(Collectors.toMap(Function::name, f -> {
            MemorySegment addr = lookup.find(f.name()).orElseThrow(
                    () -> new UnsatisfiedLinkError("symbol " + f.name() + " not found in " + library));
            return linker.downcallHandle(addr, f.descriptor());
        }));
        java.util.function.Function<Function, MethodHandle> get = f -> h.get(f.name());
        cuInit$MH = get.apply(cuInit);
        cuDeviceGet$MH = get.apply(cuDeviceGet);
        cuDeviceGetCount$MH = get.apply(cuDeviceGetCount);
        cuDeviceGetName$MH = get.apply(cuDeviceGetName);
        cuDeviceTotalMem_v2$MH = get.apply(cuDeviceTotalMem_v2);
        cuDevicePrimaryCtxRetain$MH = get.apply(cuDevicePrimaryCtxRetain);
        cuDevicePrimaryCtxRelease_v2$MH = get.apply(cuDevicePrimaryCtxRelease_v2);
        cuCtxSetCurrent$MH = get.apply(cuCtxSetCurrent);
        cuCtxSynchronize$MH = get.apply(cuCtxSynchronize);
        cuMemAlloc_v2$MH = get.apply(cuMemAlloc_v2);
        cuMemFree_v2$MH = get.apply(cuMemFree_v2);
        cuMemcpyHtoD_v2$MH = get.apply(cuMemcpyHtoD_v2);
        cuMemcpyDtoH_v2$MH = get.apply(cuMemcpyDtoH_v2);
        cuMemcpyDtoD_v2$MH = get.apply(cuMemcpyDtoD_v2);
        cuMemsetD8_v2$MH = get.apply(cuMemsetD8_v2);
        cuMemAllocHost_v2$MH = get.apply(cuMemAllocHost_v2);
        cuMemFreeHost$MH = get.apply(cuMemFreeHost);
        cuStreamCreate$MH = get.apply(cuStreamCreate);
        cuStreamSynchronize$MH = get.apply(cuStreamSynchronize);
        cuStreamDestroy_v2$MH = get.apply(cuStreamDestroy_v2);
        cuEventCreate$MH = get.apply(cuEventCreate);
        cuEventRecord$MH = get.apply(cuEventRecord);
        cuEventSynchronize$MH = get.apply(cuEventSynchronize);
        cuEventDestroy_v2$MH = get.apply(cuEventDestroy_v2);
        cuModuleLoadData$MH = get.apply(cuModuleLoadData);
        cuModuleGetFunction$MH = get.apply(cuModuleGetFunction);
        cuModuleUnload$MH = get.apply(cuModuleUnload);
        cuLaunchKernel$MH = get.apply(cuLaunchKernel);
        cuGetErrorName$MH = get.apply(cuGetErrorName);
        cuGetErrorString$MH = get.apply(cuGetErrorString);
    }
}
