/*
 * Ops along one axis (see BkAxis): gather, scatter, arg-reductions, inclusive scans and sort.
 * Operand roles: gather (out, index, x); scatter (out, index, src); arg-reduce (values, indices, x);
 * scan (out, x); sort (values, indices, x). Every kernel is a grid-stride loop over its work items.
 */
#include "balboa_kernel.h"

/* Ordinals of Op.ArgFn, Op.ScanFn and Op.ScatterMode. */
enum { A_MAX, A_MIN };
enum { S_SUM, S_PROD };
enum { M_REPLACE, M_ADD };

#define BK_GRID_LOOP(i, total) \
    for (i64 i = (i64) blockIdx.x * blockDim.x + threadIdx.x; i < (total); i += (i64) gridDim.x * blockDim.x)

/* Start offsets of row r in the first nops operands. */
BK_INLINE void bk_row_offsets(const BkAxis* a, i64 r, int nops, i64* off) {
    for (int k = 0; k < nops; k++) off[k] = a->offsets[k];
    for (int d = (int) a->rank - 1; d >= 0; d--) {
        i64 idx = r % a->shape[d];
        r /= a->shape[d];
        for (int k = 0; k < nops; k++) off[k] += idx * a->strides[k][d];
    }
}

/* Copies one element between operands of the same dtype, exactly. */
BK_INLINE void bk_copy_elem(u64 dst, i64 di, u64 src, i64 si, i64 dt) {
    if (bk_is_float(dt)) bk_store_d(dst, dt, di, bk_load_d(src, dt, si));
    else bk_store_l(dst, dt, di, bk_load_l(src, dt, si));
}

BALBOA_KERNEL(bk_gather, BkAxis, 0) {
    i64 len = a.alen[1];
    BK_GRID_LOOP(i, a.nrows * len) {
        i64 off[3], j = i % len;
        bk_row_offsets(&a, i / len, 3, off);
        i64 k = bk_load_l(a.ptr[1], BK_INT64, off[1] + j * a.astride[1]);
        bk_copy_elem(a.ptr[0], off[0] + j * a.astride[0], a.ptr[2], off[2] + k * a.astride[2], a.dtype[0]);
    }
}

/* Atomic additions for the dtypes that have them (plain additions in the host emulator, which runs threads one by one). */
BK_INLINE void bk_atomic_add(u64 base, i64 dt, i64 i, u64 src, i64 si) {
#ifdef __CUDACC__
    switch (dt) {
        case BK_FLOAT32: atomicAdd((float*) base + i, ((const float*) src)[si]); break;
        case BK_FLOAT64: atomicAdd((double*) base + i, ((const double*) src)[si]); break;
        case BK_INT32: atomicAdd((int*) base + i, ((const int*) src)[si]); break;
        default: atomicAdd((unsigned long long*) base + i, (unsigned long long) ((const i64*) src)[si]); break;
    }
#else
    switch (dt) {
        case BK_FLOAT32: ((float*) base)[i] += ((const float*) src)[si]; break;
        case BK_FLOAT64: ((double*) base)[i] += ((const double*) src)[si]; break;
        case BK_INT32: ((int*) base)[i] = (int) ((unsigned int) ((int*) base)[i] + (unsigned int) ((const int*) src)[si]); break;
        default: ((i64*) base)[i] = (i64) ((u64) ((i64*) base)[i] + (u64) ((const i64*) src)[si]); break;
    }
#endif
}

/*
 * Scatter. With flag set (ADD on float32, float64, int32, int64): one thread per index element,
 * atomically adding its source value. Otherwise one thread per destination element, scanning its
 * row of the index in order: REPLACE keeps the last matching source value (row-major order wins),
 * ADD adds every match in order, rounding to the dtype after each addition as a sequential loop does.
 */
BALBOA_KERNEL(bk_scatter, BkAxis, 0) {
    i64 dt = a.dtype[0], ilen = a.alen[1];
    if (a.flag) {
        BK_GRID_LOOP(i, a.nrows * ilen) {
            i64 off[3], j = i % ilen;
            bk_row_offsets(&a, i / ilen, 3, off);
            i64 k = bk_load_l(a.ptr[1], BK_INT64, off[1] + j * a.astride[1]);
            bk_atomic_add(a.ptr[0], dt, off[0] + k * a.astride[0], a.ptr[2], off[2] + j * a.astride[2]);
        }
        return;
    }
    i64 olen = a.alen[0];
    int fl = bk_is_float(dt);
    BK_GRID_LOOP(i, a.nrows * olen) {
        i64 off[3], k = i % olen;
        bk_row_offsets(&a, i / olen, 3, off);
        i64 o = off[0] + k * a.astride[0], last = -1;
        for (i64 j = 0; j < ilen; j++) {
            if (bk_load_l(a.ptr[1], BK_INT64, off[1] + j * a.astride[1]) != k) continue;
            i64 s = off[2] + j * a.astride[2];
            if (a.fn == M_REPLACE) last = s;
            else if (fl) bk_store_d(a.ptr[0], dt, o, bk_load_d(a.ptr[0], dt, o) + bk_load_d(a.ptr[2], dt, s));
            else bk_store_l(a.ptr[0], dt, o, (i64) ((u64) bk_load_l(a.ptr[0], dt, o) + (u64) bk_load_l(a.ptr[2], dt, s)));
        }
        if (last >= 0) bk_copy_elem(a.ptr[0], o, a.ptr[2], last, dt);
    }
}

/* Arg-max/min: one thread per row; the first extremum wins, a NaN wins over numbers (the first NaN). */
BALBOA_KERNEL(bk_argreduce, BkAxis, 0) {
    i64 dt = a.dtype[2], len = a.alen[2];
    int fl = bk_is_float(dt);
    BK_GRID_LOOP(r, a.nrows) {
        i64 off[3], best = 0;
        bk_row_offsets(&a, r, 3, off);
        double bd = fl ? bk_load_d(a.ptr[2], dt, off[2]) : 0;
        i64 bl = fl ? 0 : bk_load_l(a.ptr[2], dt, off[2]);
        for (i64 k = 1; k < len; k++) {
            i64 x = off[2] + k * a.astride[2];
            int better;
            if (fl) {
                double v = bk_load_d(a.ptr[2], dt, x);
                better = !isnan(bd) && (isnan(v) || (a.fn == A_MAX ? v > bd : v < bd));
                if (better) bd = v;
            } else {
                i64 v = bk_load_l(a.ptr[2], dt, x);
                better = a.fn == A_MAX ? v > bl : v < bl;
                if (better) bl = v;
            }
            if (better) best = k;
        }
        bk_copy_elem(a.ptr[0], off[0], a.ptr[2], off[2] + best * a.astride[2], dt);
        bk_store_l(a.ptr[1], BK_INT64, off[1], best);
    }
}

/* Inclusive sum/product: one thread per row, accumulating in double (floating outputs) or 64-bit. */
BALBOA_KERNEL(bk_scan, BkAxis, 0) {
    i64 ot = a.dtype[0], xt = a.dtype[1], len = a.alen[1];
    int fl = bk_is_float(ot);
    BK_GRID_LOOP(r, a.nrows) {
        i64 off[2];
        bk_row_offsets(&a, r, 2, off);
        double dacc = a.fn == S_PROD ? 1.0 : 0.0;
        i64 lacc = a.fn == S_PROD ? 1 : 0;
        for (i64 k = 0; k < len; k++) {
            i64 x = off[1] + k * a.astride[1], o = off[0] + k * a.astride[0];
            if (fl) {
                double v = bk_load_d(a.ptr[1], xt, x);
                dacc = a.fn == S_SUM ? dacc + v : dacc * v;
                bk_store_d(a.ptr[0], ot, o, dacc);
            } else {
                u64 v = (u64) bk_load_l(a.ptr[1], xt, x);
                lacc = (i64) (a.fn == S_SUM ? (u64) lacc + v : (u64) lacc * v);
                bk_store_l(a.ptr[0], ot, o, lacc);
            }
        }
    }
}

/* -1, 0 or 1 comparing two doubles with every NaN equal and larger than every number (-0.0 == 0.0). */
BK_INLINE int bk_cmp_nan_largest(double x, double y) {
    int nx = isnan(x), ny = isnan(y);
    if (nx || ny) return nx == ny ? 0 : nx ? 1 : -1;
    return x < y ? -1 : x > y ? 1 : 0;
}

/*
 * Stable sort by ranking: one thread per element, whose position in the sorted row is the number
 * of elements ordered before it plus the number of equal elements earlier in the row. Quadratic
 * in the axis length, with no scratch memory; ascending or (flag) descending, NaN largest.
 */
BALBOA_KERNEL(bk_sort, BkAxis, 0) {
    i64 dt = a.dtype[2], len = a.alen[2];
    int fl = bk_is_float(dt);
    BK_GRID_LOOP(i, a.nrows * len) {
        i64 off[3], p = i % len, rank = 0;
        bk_row_offsets(&a, i / len, 3, off);
        i64 xp = off[2] + p * a.astride[2];
        double dv = fl ? bk_load_d(a.ptr[2], dt, xp) : 0;
        i64 lv = fl ? 0 : bk_load_l(a.ptr[2], dt, xp);
        for (i64 q = 0; q < len; q++) {
            i64 xq = off[2] + q * a.astride[2];
            int c;
            if (fl) c = bk_cmp_nan_largest(bk_load_d(a.ptr[2], dt, xq), dv);
            else {
                i64 v = bk_load_l(a.ptr[2], dt, xq);
                c = v < lv ? -1 : v > lv ? 1 : 0;
            }
            if (a.flag) c = -c;
            if (c < 0 || (c == 0 && q < p)) rank++;
        }
        bk_copy_elem(a.ptr[0], off[0] + rank * a.astride[0], a.ptr[2], xp, dt);
        bk_store_l(a.ptr[1], BK_INT64, off[1] + rank * a.astride[1], p);
    }
}
