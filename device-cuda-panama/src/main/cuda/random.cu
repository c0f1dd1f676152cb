/*
 * Counter-based random numbers: Philox4x32-10 exactly as dev.balboa.spi.Philox, so every
 * element equals the CPU's. Element i (row-major over the output) uses counter (counter + i)
 * and key seed; grid-stride loop over elements.
 */
#include "balboa_kernel.h"

typedef unsigned int u32;

/* The 10-round block function on counter words (c0..c3) and key words (k0, k1), in place. */
BK_INLINE void bk_philox(u32* c, u32 k0, u32 k1) {
    for (int round = 0; round < 10; round++) {
        if (round > 0) {
            k0 += 0x9E3779B9u;
            k1 += 0xBB67AE85u;
        }
        u64 p0 = (u64) 0xD2511F53u * c[0];
        u64 p1 = (u64) 0xCD9E8D57u * c[2];
        u32 hi0 = (u32) (p0 >> 32), lo0 = (u32) p0;
        u32 hi1 = (u32) (p1 >> 32), lo1 = (u32) p1;
        c[0] = hi1 ^ c[1] ^ k0;
        c[1] = lo1;
        c[2] = hi0 ^ c[3] ^ k1;
        c[3] = lo0;
    }
}

BK_INLINE void bk_philox_words(i64 seed, i64 counter, u32* w) {
    w[0] = (u32) (u64) counter;
    w[1] = (u32) ((u64) counter >> 32);
    w[2] = 0;
    w[3] = 0;
    bk_philox(w, (u32) (u64) seed, (u32) ((u64) seed >> 32));
}

BK_INLINE i64 bk_random_offset(const BkRandom* a, i64 i) {
    i64 off = a->off;
    for (int d = (int) a->rank - 1; d >= 0; d--) {
        off += (i % a->shape[d]) * a->strides[d];
        i /= a->shape[d];
    }
    return off;
}

BALBOA_KERNEL(bk_random_uniform, BkRandom, 0) {
    double low = a.p1, high = a.p2;
    int wide = a.dtype == BK_FLOAT64;
    for (i64 i = (i64) blockIdx.x * blockDim.x + threadIdx.x; i < a.n; i += (i64) gridDim.x * blockDim.x) {
        u32 w[4];
        bk_philox_words(a.seed, (i64) ((u64) a.counter + (u64) i), w);
        double v;
        if (wide) {
            double unit = (double) ((((u64) w[0] << 32) | w[1]) >> 11) * 0x1.0p-53;
            v = BK_DADD(low, BK_DMUL(high - low, unit));
            if (v >= high && high > low) v = nextafter(high, -(double) INFINITY);
        } else {
            double unit = (double) (w[0] >> 8) * 0x1.0p-24;
            float f = (float) BK_DADD(low, BK_DMUL(high - low, unit));
            float fh = (float) high;
            if (f >= fh && high > low) f = nextafterf(fh, -(float) INFINITY);
            v = f;
        }
        bk_store_d(a.ptr, a.dtype, bk_random_offset(&a, i), v);
    }
}

BALBOA_KERNEL(bk_random_normal, BkRandom, 0) {
    for (i64 i = (i64) blockIdx.x * blockDim.x + threadIdx.x; i < a.n; i += (i64) gridDim.x * blockDim.x) {
        u32 w[4];
        bk_philox_words(a.seed, (i64) ((u64) a.counter + (u64) i), w);
        double u1 = (double) (((((u64) w[0] << 32) | w[1]) >> 11) + 1) * 0x1.0p-53;
        double u2 = (double) ((((u64) w[2] << 32) | w[3]) >> 11) * 0x1.0p-53;
        double r = BK_DMUL(sqrt(BK_DMUL(-2.0, log(u1))), cos(BK_DMUL(2.0 * 3.141592653589793, u2)));
        bk_store_d(a.ptr, a.dtype, bk_random_offset(&a, i), BK_DADD(a.p1, BK_DMUL(a.p2, r)));
    }
}
