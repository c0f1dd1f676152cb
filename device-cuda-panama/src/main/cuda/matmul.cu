/*
 * Batched matrix product with shared-memory tiles: each block computes a BK_TILE x BK_TILE tile
 * of one output matrix, stepping over K one tile at a time; each thread owns one output element.
 * Launch with a BK_TILE x BK_TILE block and a grid of (ceil(N/BK_TILE), ceil(M/BK_TILE), batches);
 * blocks stride over batches beyond gridDim.z. float32 accumulates in float, float64 in double.
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
