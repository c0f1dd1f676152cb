/*
 * Reductions: one block per output element (grid-stride over outputs); the block's threads
 * accumulate strided slices of the reduced elements, then combine their partial results in
 * shared memory with a tree. Floating outputs accumulate in double, integral ones in 64-bit
 * two's complement. Launch with a power-of-two block of at most BK_REDUCE_THREADS threads.
 */
#include "balboa_kernel.h"

#define BK_REDUCE_THREADS 256

/* Ordinals of Op.ReduceFn. */
enum { R_SUM, R_PROD, R_MAX, R_MIN, R_ANY, R_ALL };

BK_INLINE double bk_rcombine_d(i64 fn, double x, double y) {
    switch (fn) {
        case R_SUM: return x + y;
        case R_PROD: return x * y;
        case R_MAX: return (isnan(x) || isnan(y)) ? x + y : (x > y ? x : y);
        case R_MIN: return (isnan(x) || isnan(y)) ? x + y : (x < y ? x : y);
        case R_ANY: return (x != 0 || y != 0) ? 1.0 : 0.0;
        default: return (x != 0 && y != 0) ? 1.0 : 0.0;
    }
}

BK_INLINE i64 bk_rcombine_l(i64 fn, i64 x, i64 y) {
    switch (fn) {
        case R_SUM: return (i64) ((u64) x + (u64) y);
        case R_PROD: return (i64) ((u64) x * (u64) y);
        case R_MAX: return x > y ? x : y;
        case R_MIN: return x < y ? x : y;
        case R_ANY: return (x != 0 || y != 0);
        default: return (x != 0 && y != 0);
    }
}

BK_INLINE double bk_identity_d(i64 fn) {
    switch (fn) {
        case R_PROD: case R_ALL: return 1.0;
        case R_MAX: return -(double) INFINITY;
        case R_MIN: return (double) INFINITY;
        default: return 0.0;
    }
}

BK_INLINE i64 bk_identity_l(i64 fn) {
    switch (fn) {
        case R_PROD: case R_ALL: return 1;
        case R_MAX: return (i64) (-0x7FFFFFFFFFFFFFFFLL - 1);
        case R_MIN: return (i64) 0x7FFFFFFFFFFFFFFFLL;
        default: return 0;
    }
}

BALBOA_KERNEL(bk_reduce, BkReduce, 1) {
    __shared__ double sd[BK_REDUCE_THREADS];
    __shared__ i64 sl[BK_REDUCE_THREADS];
    int fl = bk_is_float(a.odtype);
    int xfl = bk_is_float(a.xdtype);
    unsigned int t = threadIdx.x;
    for (i64 o = blockIdx.x; o < a.nout; o += gridDim.x) {
        i64 xo = a.xoff, oo = a.ooff, r = o;
        for (int d = (int) a.outer_rank - 1; d >= 0; d--) {
            i64 idx = r % a.outer_shape[d];
            r /= a.outer_shape[d];
            xo += idx * a.outer_xstride[d];
            oo += idx * a.outer_ostride[d];
        }
        double accd = bk_identity_d(a.fn);
        i64 accl = bk_identity_l(a.fn);
        for (i64 j = t; j < a.ninner; j += blockDim.x) {
            i64 xi = xo, q = j;
            for (int d = (int) a.inner_rank - 1; d >= 0; d--) {
                xi += (q % a.inner_shape[d]) * a.inner_xstride[d];
                q /= a.inner_shape[d];
            }
            if (fl) accd = bk_rcombine_d(a.fn, accd, bk_load_d(a.xptr, a.xdtype, xi));
            else accl = bk_rcombine_l(a.fn, accl, xfl ? bk_d2l(bk_load_d(a.xptr, a.xdtype, xi))
                                                       : bk_load_l(a.xptr, a.xdtype, xi));
        }
        sd[t] = accd;
        sl[t] = accl;
        __syncthreads();
        for (unsigned int s = blockDim.x / 2; s > 0; s >>= 1) {
            if (t < s) {
                sd[t] = bk_rcombine_d(a.fn, sd[t], sd[t + s]);
                sl[t] = bk_rcombine_l(a.fn, sl[t], sl[t + s]);
            }
            __syncthreads();
        }
        if (t == 0) {
            if (fl) bk_store_d(a.optr, a.odtype, oo, sd[0]);
            else bk_store_l(a.optr, a.odtype, oo, sl[0]);
        }
        __syncthreads();
    }
}
