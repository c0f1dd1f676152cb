package dev.balboa.device.cuda.internal.driver;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.balboa.device.cuda.internal.driver.CudaDriverBindings.Function;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Optional downcall bindings to cuBLAS ({@code cublas_v2.h}): handle creation, stream binding and
 * the single/double GEMM entry points, bound by their real symbol names. cuBLAS is looked for only
 * when asked ({@link #load}); when no {@code libcublas.so.*} is found, or it lacks a symbol, there is
 * simply no {@code Cublas} and the device uses its own matmul kernels.
 *
 * <p>{@code CublasBindingsHeaderTest} compiles every prototype against the installed
 * {@code cublas_v2.h} (when present) and compares sizes and kinds with the descriptors.
 */
public final class Cublas {
    /** System property: a cuBLAS library file to load, or {@code none} to never use cuBLAS. */
    public static final String LIBRARY_PROPERTY = "balboa.cuda.cublas";

    /** {@code cublasOperation_t}: {@code CUBLAS_OP_N}. */
    public static final int OP_N = 0;
    /** {@code cublasOperation_t}: {@code CUBLAS_OP_T}. */
    public static final int OP_T = 1;

    private static final FunctionDescriptor GEMM_F = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT,
            JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    private static final FunctionDescriptor GEMM_BATCHED = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT,
            JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS,
            ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT);

    public static final Function cublasCreate_v2 = new Function("cublasCreate_v2",
            "cublasStatus_t cublasCreate_v2(cublasHandle_t *handle)", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    public static final Function cublasDestroy_v2 = new Function("cublasDestroy_v2",
            "cublasStatus_t cublasDestroy_v2(cublasHandle_t handle)", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    public static final Function cublasSetStream_v2 = new Function("cublasSetStream_v2",
            "cublasStatus_t cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId)",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    public static final Function cublasSgemm_v2 = new Function("cublasSgemm_v2",
            "cublasStatus_t cublasSgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, "
                    + "int m, int n, int k, const float *alpha, const float *A, int lda, const float *B, int ldb, "
                    + "const float *beta, float *C, int ldc)", GEMM_F);
    public static final Function cublasDgemm_v2 = new Function("cublasDgemm_v2",
            "cublasStatus_t cublasDgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, "
                    + "int m, int n, int k, const double *alpha, const double *A, int lda, const double *B, int ldb, "
                    + "const double *beta, double *C, int ldc)", GEMM_F);
    public static final Function cublasSgemmStridedBatched = new Function("cublasSgemmStridedBatched",
            "cublasStatus_t cublasSgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa, "
                    + "cublasOperation_t transb, int m, int n, int k, const float *alpha, const float *A, int lda, "
                    + "long long int strideA, const float *B, int ldb, long long int strideB, const float *beta, "
                    + "float *C, int ldc, long long int strideC, int batchCount)", GEMM_BATCHED);
    public static final Function cublasDgemmStridedBatched = new Function("cublasDgemmStridedBatched",
            "cublasStatus_t cublasDgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa, "
                    + "cublasOperation_t transb, int m, int n, int k, const double *alpha, const double *A, int lda, "
                    + "long long int strideA, const double *B, int ldb, long long int strideB, const double *beta, "
                    + "double *C, int ldc, long long int strideC, int batchCount)", GEMM_BATCHED);

    /** Every bound function. */
    public static final List<Function> ALL = List.of(cublasCreate_v2, cublasDestroy_v2, cublasSetStream_v2,
            cublasSgemm_v2, cublasDgemm_v2, cublasSgemmStridedBatched, cublasDgemmStridedBatched);

    private final String library;
    private final Map<String, MethodHandle> handles;

    /** Binds every function of {@link #ALL}; throws {@link UnsatisfiedLinkError} naming a missing symbol. */
    public Cublas(SymbolLookup lookup, String library) {
        this.library = library;
        Linker linker = Linker.nativeLinker();
        Map<String, MethodHandle> h = new HashMap<>();
        for (Function f : ALL) {
            MemorySegment addr = lookup.find(f.name()).orElseThrow(
                    () -> new UnsatisfiedLinkError("symbol " + f.name() + " not found in " + library));
            h.put(f.name(), linker.downcallHandle(addr, f.descriptor()));
        }
        this.handles = Map.copyOf(h);
    }

    /** The loaded library's name or path. */
    public String library() { return library; }

    /**
     * The candidate library names, in order: the file named by {@value #LIBRARY_PROPERTY}; else
     * {@code libcublas.so} and versioned {@code libcublas.so.N} files in {@code CUDA_HOME/lib64} and
     * {@code /usr/local/cuda/lib64} (newest version first), then the bare names for the dynamic loader.
     */
    static List<String> candidates() {
        String p = System.getProperty(LIBRARY_PROPERTY, "").trim();
        if (!p.isEmpty()) return p.equalsIgnoreCase("none") ? List.of() : List.of(p);
        List<String> out = new ArrayList<>();
        for (String home : new String[] {System.getenv("CUDA_HOME"), "/usr/local/cuda"}) {
            if (home == null) continue;
            Path dir = Path.of(home, "lib64");
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> files = Files.list(dir)) {
                files.map(f -> f.getFileName().toString()).filter(n -> n.matches("libcublas\\.so(\\.\\d+)*"))
                        .sorted((a, b) -> b.length() != a.length() ? b.length() - a.length() : b.compareTo(a))
                        .forEach(n -> out.add(dir.resolve(n).toString()));
            } catch (java.io.IOException ignored) {
                // an unreadable directory holds no candidates
            }
        }
        for (int v = 13; v >= 11; v--) out.add("libcublas.so." + v);
        out.add("libcublas.so");
        return out;
    }

    /**
     * Loads cuBLAS if a library is found and exports every bound symbol; empty otherwise (the
     * reason is returned through {@code why} when it is not null).
     */
    public static Optional<Cublas> load(Arena arena, List<String> why) {
        for (String name : candidates()) {
            SymbolLookup lookup;
            try {
                lookup = name.contains("/") ? SymbolLookup.libraryLookup(Path.of(name), arena) : SymbolLookup.libraryLookup(name, arena);
            } catch (IllegalArgumentException e) {
                continue;
            }
            try {
                return Optional.of(new Cublas(lookup, name));
            } catch (UnsatisfiedLinkError e) {
                if (why != null) why.add(name + ": " + e.getMessage());
                return Optional.empty();
            }
        }
        if (why != null) why.add(candidates().isEmpty() ? "disabled by -D" + LIBRARY_PROPERTY + "=none" : "libcublas.so.* not found");
        return Optional.empty();
    }

    private int call(Function f, Object... args) {
        try {
            return (int) handles.get(f.name()).invokeWithArguments(args);
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(f.name() + " failed: " + t, t);
        }
    }

    private static void check(Function f, int status) {
        if (status != 0) throw new CudaException(f.name(), status, "CUBLAS_STATUS_" + status, "cuBLAS returned status " + status);
    }

    /** {@code cublasCreate_v2}: a handle on the calling thread's current context. */
    public MemorySegment create() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            check(cublasCreate_v2, call(cublasCreate_v2, p));
            return p.get(ADDRESS, 0);
        }
    }

    /** {@code cublasDestroy_v2}. */
    public void destroy(MemorySegment handle) { check(cublasDestroy_v2, call(cublasDestroy_v2, handle)); }

    /** {@code cublasSetStream_v2}: later calls on {@code handle} are queued on {@code stream}. */
    public void setStream(MemorySegment handle, MemorySegment stream) {
        check(cublasSetStream_v2, call(cublasSetStream_v2, handle, stream));
    }

    /**
     * Column-major {@code C = alpha op(A) op(B) + beta C} for {@code batch} matrices whose device
     * addresses step by the given element strides; {@code doublePrecision} picks D over S. One
     * matrix uses {@code ?gemm_v2}, more use {@code ?gemmStridedBatched}.
     */
    public void gemm(MemorySegment handle, boolean doublePrecision, int transa, int transb, int m, int n, int k,
                     double alpha, long a, int lda, long strideA, long b, int ldb, long strideB, double beta,
                     long c, int ldc, long strideC, int batch) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment al = doublePrecision ? arena.allocateFrom(JAVA_DOUBLE, alpha) : arena.allocateFrom(JAVA_FLOAT, (float) alpha);
            MemorySegment be = doublePrecision ? arena.allocateFrom(JAVA_DOUBLE, beta) : arena.allocateFrom(JAVA_FLOAT, (float) beta);
            MemorySegment pa = MemorySegment.ofAddress(a), pb = MemorySegment.ofAddress(b), pc = MemorySegment.ofAddress(c);
            if (batch == 1) {
                Function f = doublePrecision ? cublasDgemm_v2 : cublasSgemm_v2;
                check(f, call(f, handle, transa, transb, m, n, k, al, pa, lda, pb, ldb, be, pc, ldc));
            } else {
                Function f = doublePrecision ? cublasDgemmStridedBatched : cublasSgemmStridedBatched;
                check(f, call(f, handle, transa, transb, m, n, k, al, pa, lda, strideA, pb, ldb, strideB, be, pc, ldc,
                        strideC, batch));
            }
        }
    }
}
