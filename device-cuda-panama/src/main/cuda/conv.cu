/*
 * Direct 2-D convolution, its two gradients, and max pooling, NCHW (see BkConv; roles 0 = x,
 * 1 = weight, 2 = y, 3 = pooling indices). One thread per computed element in a grid-stride
 * loop; floating dtypes accumulate in double, integral ones in 64-bit.
 */
#include "balboa_kernel.h"

#define BK_GRID_LOOP(i, total) \
    for (i64 i = (i64) blockIdx.x * blockDim.x + threadIdx.x; i < (total); i += (i64) gridDim.x * blockDim.x)

/* Offset of element (i0, i1, i2, i3) of role r. */
BK_INLINE i64 bk_at(const BkConv* a, int r, i64 i0, i64 i1, i64 i2, i64 i3) {
    return a->offsets[r] + i0 * a->strides[r][0] + i1 * a->strides[r][1] + i2 * a->strides[r][2] + i3 * a->strides[r][3];
}

/* Splits flat index i over the dims (d1, d2, d3) into four indices. */
BK_INLINE void bk_split4(i64 i, i64 d1, i64 d2, i64 d3, i64* q) {
    q[3] = i % d3; i /= d3;
    q[2] = i % d2; i /= d2;
    q[1] = i % d1;
    q[0] = i / d1;
}

/* Accumulates the product of element xi of role rx and element wi of role rw. */
#define BK_MAC(rx, xi, rw, wi)                                                                    \
    do {                                                                                          \
        if (fl) dacc += bk_load_d(a.ptr[rx], a.dtype[rx], xi) * bk_load_d(a.ptr[rw], a.dtype[rw], wi); \
        else lacc = (i64) ((u64) lacc + (u64) bk_load_l(a.ptr[rx], a.dtype[rx], xi)                \
                                         * (u64) bk_load_l(a.ptr[rw], a.dtype[rw], wi));           \
    } while (0)

#define BK_STORE(r, oi)                                                                           \
    do {                                                                                          \
        if (fl) bk_store_d(a.ptr[r], a.dtype[r], oi, dacc);                                       \
        else bk_store_l(a.ptr[r], a.dtype[r], oi, lacc);                                          \
    } while (0)

/* y[n, o, oy, ox] = sum over (ci, ky, kx) of x[n, g*C/groups + ci, iy, ix] * w[o, ci, ky, kx]. */
BALBOA_KERNEL(bk_conv2d, BkConv, 0) {
    int fl = bk_is_float(a.dtype[2]);
    i64 cg = a.c / a.groups, og = a.o / a.groups;
    BK_GRID_LOOP(i, a.total) {
        i64 q[4];
        bk_split4(i, a.o, a.oh, a.ow, q);
        i64 n = q[0], o = q[1], oy = q[2], ox = q[3], c0 = (o / og) * cg;
        double dacc = 0;
        i64 lacc = 0;
        for (i64 ci = 0; ci < cg; ci++) {
            for (i64 ky = 0; ky < a.kh; ky++) {
                i64 iy = oy * a.sh - a.ph + ky * a.dh;
                if (iy < 0 || iy >= a.h) continue;
                for (i64 kx = 0; kx < a.kw; kx++) {
                    i64 ix = ox * a.sw - a.pw + kx * a.dw;
                    if (ix < 0 || ix >= a.w) continue;
                    BK_MAC(0, bk_at(&a, 0, n, c0 + ci, iy, ix), 1, bk_at(&a, 1, o, ci, ky, kx));
                }
            }
        }
        BK_STORE(2, bk_at(&a, 2, n, o, oy, ox));
    }
}

/* gradX[n, c, iy, ix] = sum over the outputs (o, oy, ox) and taps (ky, kx) that read it. */
BALBOA_KERNEL(bk_conv2d_backward_input, BkConv, 0) {
    int fl = bk_is_float(a.dtype[0]);
    i64 cg = a.c / a.groups, og = a.o / a.groups;
    BK_GRID_LOOP(i, a.total) {
        i64 q[4];
        bk_split4(i, a.c, a.h, a.w, q);
        i64 n = q[0], c = q[1], iy = q[2], ix = q[3], g = c / cg, ci = c % cg;
        double dacc = 0;
        i64 lacc = 0;
        for (i64 ky = 0; ky < a.kh; ky++) {
            i64 ty = iy + a.ph - ky * a.dh;
            if (ty < 0 || ty % a.sh != 0 || ty / a.sh >= a.oh) continue;
            for (i64 kx = 0; kx < a.kw; kx++) {
                i64 tx = ix + a.pw - kx * a.dw;
                if (tx < 0 || tx % a.sw != 0 || tx / a.sw >= a.ow) continue;
                for (i64 o = g * og; o < (g + 1) * og; o++) {
                    BK_MAC(2, bk_at(&a, 2, n, o, ty / a.sh, tx / a.sw), 1, bk_at(&a, 1, o, ci, ky, kx));
                }
            }
        }
        BK_STORE(0, bk_at(&a, 0, n, c, iy, ix));
    }
}

/* gradW[o, ci, ky, kx] = sum over (n, oy, ox) of x[n, g*C/groups + ci, iy, ix] * gradY[n, o, oy, ox]. */
BALBOA_KERNEL(bk_conv2d_backward_weight, BkConv, 0) {
    int fl = bk_is_float(a.dtype[1]);
    i64 cg = a.c / a.groups, og = a.o / a.groups;
    BK_GRID_LOOP(i, a.total) {
        i64 q[4];
        bk_split4(i, cg, a.kh, a.kw, q);
        i64 o = q[0], ci = q[1], ky = q[2], kx = q[3], c = (o / og) * cg + ci;
        double dacc = 0;
        i64 lacc = 0;
        for (i64 n = 0; n < a.n; n++) {
            for (i64 oy = 0; oy < a.oh; oy++) {
                i64 iy = oy * a.sh - a.ph + ky * a.dh;
                if (iy < 0 || iy >= a.h) continue;
                for (i64 ox = 0; ox < a.ow; ox++) {
                    i64 ix = ox * a.sw - a.pw + kx * a.dw;
                    if (ix < 0 || ix >= a.w) continue;
                    BK_MAC(0, bk_at(&a, 0, n, c, iy, ix), 2, bk_at(&a, 2, n, o, oy, ox));
                }
            }
        }
        BK_STORE(1, bk_at(&a, 1, o, ci, ky, kx));
    }
}

/* Max over each window (positions outside the input skipped): the first maximum wins, a NaN wins (the first NaN). */
BALBOA_KERNEL(bk_max_pool2d, BkConv, 0) {
    i64 dt = a.dtype[0];
    int fl = bk_is_float(dt);
    BK_GRID_LOOP(i, a.total) {
        i64 q[4];
        bk_split4(i, a.c, a.oh, a.ow, q);
        i64 n = q[0], c = q[1], oy = q[2], ox = q[3], best = -1, bpos = 0;
        double bd = 0;
        i64 bl = 0;
        for (i64 ky = 0; ky < a.kh; ky++) {
            i64 iy = oy * a.sh - a.ph + ky * a.dh;
            if (iy < 0 || iy >= a.h) continue;
            for (i64 kx = 0; kx < a.kw; kx++) {
                i64 ix = ox * a.sw - a.pw + kx * a.dw;
                if (ix < 0 || ix >= a.w) continue;
                i64 x = bk_at(&a, 0, n, c, iy, ix);
                int better;
                if (fl) {
                    double v = bk_load_d(a.ptr[0], dt, x);
                    better = best < 0 || (!isnan(bd) && (isnan(v) || v > bd));
                    if (better) bd = v;
                } else {
                    i64 v = bk_load_l(a.ptr[0], dt, x);
                    better = best < 0 || v > bl;
                    if (better) bl = v;
                }
                if (better) {
                    best = x;
                    bpos = iy * a.w + ix;
                }
            }
        }
        i64 o = bk_at(&a, 2, n, c, oy, ox);
        if (fl) bk_store_d(a.ptr[2], dt, o, best < 0 ? -(double) INFINITY : bd);
        else bk_store_l(a.ptr[2], dt, o, bl);
        bk_store_l(a.ptr[3], BK_INT64, bk_at(&a, 3, n, c, oy, ox), bpos);
    }
}
