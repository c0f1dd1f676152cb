/*
 * A stand-in for cuBLAS in tests: the seven functions Balboa binds, over the driver emulator's
 * device memory (which is host memory, so device addresses are host pointers). GEMM is the
 * column-major textbook loop, with BLAS semantics: beta == 0 never reads C. Checks handles and
 * arguments the way cuBLAS documents (CUBLAS_STATUS_NOT_INITIALIZED = 1, INVALID_VALUE = 7) and
 * counts the GEMM calls so tests can tell that the backend used it.
 */
#include <stdint.h>
#include <stdlib.h>

#define EXPORT __attribute__((visibility("default")))
#define HANDLE_MAGIC 0x42cb1a5u

typedef struct { unsigned magic; void* stream; } handle_t;

static long gemm_calls;
EXPORT long cublasemu_gemm_calls(void) { return gemm_calls; }

EXPORT int cublasCreate_v2(handle_t** h) {
    if (!h) return 7;
    handle_t* p = calloc(1, sizeof(handle_t));
    if (!p) return 3;
    p->magic = HANDLE_MAGIC;
    *h = p;
    return 0;
}
EXPORT int cublasDestroy_v2(handle_t* h) {
    if (!h || h->magic != HANDLE_MAGIC) return 1;
    h->magic = 0;
    free(h);
    return 0;
}
EXPORT int cublasSetStream_v2(handle_t* h, void* stream) {
    if (!h || h->magic != HANDLE_MAGIC) return 1;
    h->stream = stream;
    return 0;
}

static int check(handle_t* h, int ta, int tb, int m, int n, int k, int lda, int ldb, int ldc, int batch) {
    if (!h || h->magic != HANDLE_MAGIC) return 1;
    if ((ta != 0 && ta != 1) || (tb != 0 && tb != 1) || m < 0 || n < 0 || k < 0 || batch < 0) return 7;
    if (lda < (ta == 0 ? (m > 1 ? m : 1) : (k > 1 ? k : 1))) return 7;
    if (ldb < (tb == 0 ? (k > 1 ? k : 1) : (n > 1 ? n : 1))) return 7;
    if (ldc < (m > 1 ? m : 1)) return 7;
    return 0;
}

#define GEMM(NAME, BATCHED_NAME, T)                                                                      \
    static void NAME##_one(int ta, int tb, int m, int n, int k, T alpha, const T* a, int lda, const T* b, \
                           int ldb, T beta, T* c, int ldc) {                                              \
        for (int j = 0; j < n; j++)                                                                       \
            for (int i = 0; i < m; i++) {                                                                 \
                T s = 0;                                                                                  \
                for (int l = 0; l < k; l++) {                                                             \
                    T av = ta == 0 ? a[i + (long) l * lda] : a[l + (long) i * lda];                       \
                    T bv = tb == 0 ? b[l + (long) j * ldb] : b[j + (long) l * ldb];                       \
                    s += av * bv;                                                                         \
                }                                                                                         \
                T* out = &c[i + (long) j * ldc];                                                          \
                *out = beta == 0 ? alpha * s : alpha * s + beta * *out;                                   \
            }                                                                                             \
    }                                                                                                     \
    EXPORT int NAME(handle_t* h, int ta, int tb, int m, int n, int k, const T* alpha, const T* a, int lda, \
                    const T* b, int ldb, const T* beta, T* c, int ldc) {                                  \
        int r = check(h, ta, tb, m, n, k, lda, ldb, ldc, 1);                                              \
        if (r) return r;                                                                                  \
        gemm_calls++;                                                                                     \
        NAME##_one(ta, tb, m, n, k, *alpha, a, lda, b, ldb, *beta, c, ldc);                               \
        return 0;                                                                                         \
    }                                                                                                     \
    EXPORT int BATCHED_NAME(handle_t* h, int ta, int tb, int m, int n, int k, const T* alpha, const T* a, \
                            int lda, long long sa, const T* b, int ldb, long long sb, const T* beta, T* c, \
                            int ldc, long long sc, int batch) {                                           \
        int r = check(h, ta, tb, m, n, k, lda, ldb, ldc, batch);                                          \
        if (r) return r;                                                                                  \
        gemm_calls++;                                                                                     \
        for (int i = 0; i < batch; i++)                                                                   \
            NAME##_one(ta, tb, m, n, k, *alpha, a + i * sa, lda, b + i * sb, ldb, *beta, c + i * sc, ldc); \
        return 0;                                                                                         \
    }

GEMM(cublasSgemm_v2, cublasSgemmStridedBatched, float)
GEMM(cublasDgemm_v2, cublasDgemmStridedBatched, double)
