/*
 * Elementwise kernels over strided views: fill, arange, copy with conversion, unary and binary
 * functions and where. Each thread walks a grid-stride loop over row-major element indices.
 * Floating dtypes compute in double and integral dtypes (and bool) in 64-bit two's complement,
 * then round or wrap to the output dtype, so one kernel serves every dtype.
 */
#include "balboa_kernel.h"

#define BK_GRID_LOOP(i, n) \
    for (i64 i = (i64) blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (i64) blockDim.x * gridDim.x)

/* Ordinals of Op.UnaryFn. */
enum { U_NEG, U_ABS, U_SIGN, U_EXP, U_LOG, U_LOG1P, U_EXPM1, U_SQRT, U_RSQRT, U_SIN, U_COS, U_TANH, U_SIGMOID,
       U_ERF, U_RECIPROCAL, U_RELU, U_FLOOR, U_CEIL, U_ROUND, U_LOGICAL_NOT, U_ISNAN, U_ISINF };

/* Ordinals of Op.BinaryFn. */
enum { B_ADD, B_SUB, B_MUL, B_DIV, B_POW, B_MAXIMUM, B_MINIMUM, B_EQ, B_NE, B_LT, B_LE, B_GT, B_GE,
       B_LOGICAL_AND, B_LOGICAL_OR };

BALBOA_KERNEL(bk_fill, BkElem, 0) {
    BK_GRID_LOOP(i, a.n) {
        i64 off[1];
        bk_elem_offsets(&a, i, 1, off);
        if (bk_is_float(a.dtype[0])) bk_store_d(a.ptr[0], a.dtype[0], off[0], a.dvalue);
        else bk_store_l(a.ptr[0], a.dtype[0], off[0], a.lvalue);
    }
}

BALBOA_KERNEL(bk_arange, BkElem, 0) {
    BK_GRID_LOOP(i, a.n) {
        i64 off[1];
        bk_elem_offsets(&a, i, 1, off);
        double v = a.dvalue + (double) i * a.dvalue2;
        if (bk_is_float(a.dtype[0])) bk_store_d(a.ptr[0], a.dtype[0], off[0], v);
        else bk_store_l(a.ptr[0], a.dtype[0], off[0], bk_d2l(v));
    }
}

BALBOA_KERNEL(bk_copy, BkElem, 0) {
    BK_GRID_LOOP(i, a.n) {
        i64 off[2];
        bk_elem_offsets(&a, i, 2, off);
        if (bk_is_float(a.dtype[1])) bk_store_d(a.ptr[0], a.dtype[0], off[0], bk_load_d(a.ptr[1], a.dtype[1], off[1]));
        else bk_store_l(a.ptr[0], a.dtype[0], off[0], bk_load_l(a.ptr[1], a.dtype[1], off[1]));
    }
}

BK_INLINE double bk_unary_d(i64 fn, double x) {
    switch (fn) {
        case U_NEG: return -x;
        case U_ABS: return fabs(x);
        case U_SIGN: return x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0;
        case U_EXP: return exp(x);
        case U_LOG: return log(x);
        case U_LOG1P: return log1p(x);
        case U_EXPM1: return expm1(x);
        case U_SQRT: return sqrt(x);
        case U_RSQRT: return 1.0 / sqrt(x);
        case U_SIN: return sin(x);
        case U_COS: return cos(x);
        case U_TANH: return tanh(x);
        case U_SIGMOID: return 1.0 / (1.0 + exp(-x));
        case U_ERF: return erf(x);
        case U_RECIPROCAL: return 1.0 / x;
        case U_RELU: return isnan(x) ? x : (x > 0 ? x : 0.0);
        case U_FLOOR: return floor(x);
        case U_CEIL: return ceil(x);
        case U_ROUND: return rint(x);
        default: return x;
    }
}

BK_INLINE i64 bk_unary_l(i64 fn, i64 x) {
    switch (fn) {
        case U_NEG: return (i64) (0ULL - (u64) x);
        case U_ABS: return x < 0 ? (i64) (0ULL - (u64) x) : x;
        case U_SIGN: return x > 0 ? 1 : x < 0 ? -1 : 0;
        case U_RELU: return x > 0 ? x : 0;
        default: return x;   /* floor, ceil, round */
    }
}

/* x: operand 1, out: operand 0. Predicates write bool. */
BALBOA_KERNEL(bk_unary, BkElem, 0) {
    i64 fn = a.fn;
    int pred = fn == U_LOGICAL_NOT || fn == U_ISNAN || fn == U_ISINF;
    int fl = bk_is_float(a.dtype[1]);
    BK_GRID_LOOP(i, a.n) {
        i64 off[2];
        bk_elem_offsets(&a, i, 2, off);
        if (pred) {
            int r;
            if (fl) {
                double v = bk_load_d(a.ptr[1], a.dtype[1], off[1]);
                r = fn == U_LOGICAL_NOT ? v == 0 : fn == U_ISNAN ? isnan(v) != 0 : isinf(v) != 0;
            } else {
                r = fn == U_LOGICAL_NOT && bk_load_l(a.ptr[1], a.dtype[1], off[1]) == 0;
            }
            bk_store_l(a.ptr[0], a.dtype[0], off[0], r);
        } else if (fl) {
            bk_store_d(a.ptr[0], a.dtype[0], off[0], bk_unary_d(fn, bk_load_d(a.ptr[1], a.dtype[1], off[1])));
        } else {
            bk_store_l(a.ptr[0], a.dtype[0], off[0], bk_unary_l(fn, bk_load_l(a.ptr[1], a.dtype[1], off[1])));
        }
    }
}

BK_INLINE int bk_compare(i64 fn, int eq, int lt, int gt) {
    switch (fn) {
        case B_EQ: return eq;
        case B_NE: return !eq;
        case B_LT: return lt;
        case B_LE: return lt || eq;
        case B_GT: return gt;
        default: return gt || eq;
    }
}

/* NaN-propagating max/min with -0.0 < +0.0, as java.lang.Math. */
BK_INLINE double bk_max_d(double x, double y) {
    if (isnan(x) || isnan(y)) return x + y;
    if (x == 0 && y == 0) return signbit(x) ? y : x;
    return x > y ? x : y;
}

BK_INLINE double bk_min_d(double x, double y) {
    if (isnan(x) || isnan(y)) return x + y;
    if (x == 0 && y == 0) return signbit(x) ? x : y;
    return x < y ? x : y;
}

BK_INLINE double bk_binary_d(i64 fn, double x, double y) {
    switch (fn) {
        case B_ADD: return x + y;
        case B_SUB: return x - y;
        case B_MUL: return x * y;
        case B_DIV: return x / y;
        case B_POW: return pow(x, y);
        case B_MAXIMUM: return bk_max_d(x, y);
        default: return bk_min_d(x, y);
    }
}

/* Exact integer power modulo 2^64; negative exponents give 0 unless the base is 1 or -1. */
BK_INLINE i64 bk_pow_l(i64 x, i64 y) {
    if (y < 0) return x == 1 ? 1 : x == -1 ? ((y & 1) ? -1 : 1) : 0;
    u64 r = 1, b = (u64) x;
    for (; y > 0; y >>= 1) {
        if (y & 1) r *= b;
        b *= b;
    }
    return (i64) r;
}

/* Floor division; division by zero gives 0 (api rejects it before launching). */
BK_INLINE i64 bk_floordiv_l(i64 x, i64 y) {
    if (y == 0) return 0;
    if (y == -1) return (i64) (0ULL - (u64) x);
    i64 q = x / y;
    if ((x % y != 0) && ((x < 0) != (y < 0))) q--;
    return q;
}

BK_INLINE i64 bk_binary_l(i64 fn, i64 x, i64 y) {
    switch (fn) {
        case B_ADD: return (i64) ((u64) x + (u64) y);
        case B_SUB: return (i64) ((u64) x - (u64) y);
        case B_MUL: return (i64) ((u64) x * (u64) y);
        case B_DIV: return bk_floordiv_l(x, y);
        case B_POW: return bk_pow_l(x, y);
        case B_MAXIMUM: return x > y ? x : y;
        default: return x < y ? x : y;
    }
}

/* x: operand 1, y: operand 2, out: operand 0. On bool, add/max are "or" and mul/min "and". */
BALBOA_KERNEL(bk_binary, BkElem, 0) {
    i64 fn = a.fn, t = a.dtype[1];
    int fl = bk_is_float(t);
    BK_GRID_LOOP(i, a.n) {
        i64 off[3];
        bk_elem_offsets(&a, i, 3, off);
        if (fn == B_LOGICAL_AND || fn == B_LOGICAL_OR) {
            int x = fl ? bk_load_d(a.ptr[1], t, off[1]) != 0 : bk_load_l(a.ptr[1], t, off[1]) != 0;
            int y = fl ? bk_load_d(a.ptr[2], t, off[2]) != 0 : bk_load_l(a.ptr[2], t, off[2]) != 0;
            bk_store_l(a.ptr[0], a.dtype[0], off[0], fn == B_LOGICAL_AND ? (x && y) : (x || y));
        } else if (fl) {
            double x = bk_load_d(a.ptr[1], t, off[1]), y = bk_load_d(a.ptr[2], t, off[2]);
            if (fn >= B_EQ) bk_store_l(a.ptr[0], a.dtype[0], off[0], bk_compare(fn, x == y, x < y, x > y));
            else bk_store_d(a.ptr[0], a.dtype[0], off[0], bk_binary_d(fn, x, y));
        } else {
            i64 x = bk_load_l(a.ptr[1], t, off[1]), y = bk_load_l(a.ptr[2], t, off[2]);
            if (fn >= B_EQ) bk_store_l(a.ptr[0], a.dtype[0], off[0], bk_compare(fn, x == y, x < y, x > y));
            else if (t == BK_BOOL) {
                int or_ = fn == B_ADD || fn == B_MAXIMUM;
                bk_store_l(a.ptr[0], a.dtype[0], off[0], or_ ? ((x | y) != 0) : ((x & y) != 0));
            } else bk_store_l(a.ptr[0], a.dtype[0], off[0], bk_binary_l(fn, x, y));
        }
    }
}

/* cond: operand 1 (bool), a: operand 2, b: operand 3, out: operand 0; a, b and out share a dtype. */
BALBOA_KERNEL(bk_where, BkElem, 0) {
    BK_GRID_LOOP(i, a.n) {
        i64 off[4];
        bk_elem_offsets(&a, i, 4, off);
        int c = bk_is_float(a.dtype[1]) ? bk_load_d(a.ptr[1], a.dtype[1], off[1]) != 0
                                        : bk_load_l(a.ptr[1], a.dtype[1], off[1]) != 0;
        int k = c ? 2 : 3;
        i64 t = a.dtype[0];
        if (bk_is_float(t)) bk_store_d(a.ptr[0], t, off[0], bk_load_d(a.ptr[k], t, off[k]));
        else bk_store_l(a.ptr[0], t, off[0], bk_load_l(a.ptr[k], t, off[k]));
    }
}
