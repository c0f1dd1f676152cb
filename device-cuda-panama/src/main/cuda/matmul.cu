/*
 * Batched matrix product with shared-memory tiles: each block computes a BK_TILE x BK_TILE tile
 * of one output matrix, stepping over K one tile at a time; each thread owns one output element.
 * Launch with a BK_TILE x BK_TILE block and a grid of (ceil(N/BK_TILE), ceil(M/BK_TILE), batches);
 * blocks stride over batches beyond gridDim.z. float32 accumulates in float, float64 in double.
 * bk_matmul_any (below) covers the other dtypes.
 */
#include "balboa_kernel.h"

#define BK_TILE 16

#define BK_MATMUL(name, T)                                                                         \
BALBOA_KERNEL(name, BkMatmul, 1) {                                                                  \
    __shared__ T ta[BK_TILE][BK_TILE];                                                              \
    __shared__ T tb[BK_TILE][BK_TILE];                                                              \
    const T* A = (const T*) a.aptr;                                                                 \
    const T* B = (const T*) a.bptr;                                                                 \
    T* O = (T*) a.optr;                                                                             \
    unsigned int tx = threadIdx.x, ty = threadIdx.y;                                                \
    i64 row = (i64) blockIdx.y * BK_TILE + ty, col = (i64) blockIdx.x * BK_TILE + tx;               \
    for (i64 b = blockIdx.z; b < a.batch; b += gridDim.z) {                                         \
        T acc = 0;                                                                                  \
        for (i64 k0 = 0; k0 < a.k; k0 += BK_TILE) {                                                 \
            i64 ka = k0 + tx, kb = k0 + ty;                                                         \
            ta[ty][tx] = (row < a.m && ka < a.k)                                                    \
                ? A[a.aoff + b * a.as_b + row * a.as_m + ka * a.as_k] : (T) 0;                      \
            tb[ty][tx] = (kb < a.k && col < a.n)                                                    \
                ? B[a.boff + b * a.bs_b + kb * a.bs_k + col * a.bs_n] : (T) 0;                      \
            __syncthreads();                                                                        \
            for (int kk = 0; kk < BK_TILE; kk++) acc += ta[ty][kk] * tb[kk][tx];                   \
            __syncthreads();                                                                        \
        }                                                                                           \
        if (row < a.m && col < a.n) O[a.ooff + b * a.os_b + row * a.os_m + col * a.os_n] = acc;     \
    }                                                                                               \
}

BK_MATMUL(bk_matmul_f32, float)
BK_MATMUL(bk_matmul_f64, double)

/*
 * Matrix product for the other dtypes (float16, bfloat16, integral, bool): one thread per output
 * element in a grid-stride loop over batch x M x N, no tiling. Floating dtypes accumulate in
 * double, integral ones in 64-bit two's complement (bool: the sum's nonzero-ness).
 */
BALBOA_KERNEL(bk_matmul_any, BkMatmul, 0) {
    int fl = bk_is_float(a.dtype);
    i64 total = a.batch * a.m * a.n;
    for (i64 i = (i64) blockIdx.x * blockDim.x + threadIdx.x; i < total; i += (i64) gridDim.x * blockDim.x) {
        i64 col = i % a.n, row = (i / a.n) % a.m, b = i / (a.n * a.m);
        i64 ab = a.aoff + b * a.as_b + row * a.as_m, bb = a.boff + b * a.bs_b + col * a.bs_n;
        double dacc = 0;
        i64 lacc = 0;
        for (i64 k = 0; k < a.k; k++) {
            if (fl) dacc += bk_load_d(a.aptr, a.dtype, ab + k * a.as_k) * bk_load_d(a.bptr, a.dtype, bb + k * a.bs_k);
            else lacc = (i64) ((u64) lacc + (u64) bk_load_l(a.aptr, a.dtype, ab + k * a.as_k) * (u64) bk_load_l(a.bptr, a.dtype, bb + k * a.bs_k));
        }
        i64 o = a.ooff + b * a.os_b + row * a.os_m + col * a.os_n;
        if (fl) bk_store_d(a.optr, a.dtype, o, dacc);
        else bk_store_l(a.optr, a.dtype, o, lacc);
    }
}
