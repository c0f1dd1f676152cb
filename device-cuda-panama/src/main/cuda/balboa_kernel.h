/*
 * Shared definitions of Balboa's CUDA kernels: the kernel declaration macro, the argument
 * structs the Java side lays out (every field 8 bytes wide, so C, CUDA and Java agree on offsets
 * without padding rules), dtype codes, and loads/stores that convert between each dtype and the
 * two computation types, double (floating dtypes) and long long (integral dtypes and bool).
 *
 * The sources are written in the common subset of C99 and CUDA C++ so the driver emulator used
 * by the tests can compile them for the host with gcc (see src/test/c/emu_device.h).
 */
#ifndef BALBOA_KERNEL_H
#define BALBOA_KERNEL_H

#ifdef __CUDACC__
/* One kernel taking one struct argument by value. 'sync' says whether it uses __syncthreads. */
#define BALBOA_KERNEL(name, ArgT, sync) extern "C" __global__ void name(const ArgT a)
#define BK_INLINE static __device__ __forceinline__
/* Unfused double arithmetic (no contraction into fma), where results must equal the CPU's bit for bit. */
#define BK_DMUL(x, y) __dmul_rn(x, y)
#define BK_DADD(x, y) __dadd_rn(x, y)
#else
#include "emu_device.h"
#define BK_INLINE static inline
#include <math.h>
#define BK_DMUL(x, y) ((x) * (y))
#define BK_DADD(x, y) ((x) + (y))
#endif

#define BK_MAX_RANK 8

/* dtype codes: the ordinals of dev.balboa.spi.DType. */
#define BK_BOOL 0
#define BK_UINT8 1
#define BK_INT8 2
#define BK_INT32 3
#define BK_INT64 4
#define BK_FLOAT16 5
#define BK_BFLOAT16 6
#define BK_FLOAT32 7
#define BK_FLOAT64 8

typedef long long i64;
typedef unsigned long long u64;

/*
 * Elementwise ops over up to four strided views of one shape: operand 0 is the output,
 * operands 1..3 the inputs. Element i (row-major over shape) of operand k lives at
 * offsets[k] + sum_d idx_d * strides[k][d].
 */
typedef struct {
    i64 n;                              /* number of elements */
    i64 rank;                           /* dimensions used in shape and strides */
    i64 shape[BK_MAX_RANK];
    i64 strides[4][BK_MAX_RANK];
    i64 offsets[4];
    u64 ptr[4];                         /* device pointers of the buffers */
    i64 dtype[4];
    i64 fn;                             /* function code (ordinal of the Java enum) */
    double dvalue;                      /* scalars: fill value, arange start */
    double dvalue2;                     /* arange step */
    i64 lvalue;                         /* fill value for integral outputs */
} BkElem;

/*
 * Reduction of x over its "inner" dims into out, one output element per "outer" index.
 */
typedef struct {
    i64 nout;                           /* number of outputs (product of outer shape) */
    i64 ninner;                         /* elements reduced into each output */
    i64 outer_rank;
    i64 outer_shape[BK_MAX_RANK];
    i64 outer_xstride[BK_MAX_RANK];
    i64 outer_ostride[BK_MAX_RANK];
    i64 inner_rank;
    i64 inner_shape[BK_MAX_RANK];
    i64 inner_xstride[BK_MAX_RANK];
    i64 xoff, ooff;
    u64 xptr, optr;
    i64 xdtype, odtype;
    i64 fn;                             /* ordinal of Op.ReduceFn */
} BkReduce;

/* Batched matrix product out[b] = a[b] x b[b], all strided. */
typedef struct {
    i64 batch, m, n, k;
    i64 as_b, as_m, as_k;               /* strides of a */
    i64 bs_b, bs_k, bs_n;               /* strides of b */
    i64 os_b, os_m, os_n;               /* strides of out */
    i64 aoff, boff, ooff;
    u64 aptr, bptr, optr;
    i64 dtype;
} BkMatmul;

/* Random numbers into one strided output; element i (row-major) takes Philox counter counter + i. */
typedef struct {
    i64 n, rank;
    i64 shape[BK_MAX_RANK];
    i64 strides[BK_MAX_RANK];
    i64 off;
    u64 ptr;
    i64 dtype;
    i64 seed, counter;
    double p1, p2;                      /* low and high, or mean and std */
} BkRandom;

/*
 * Ops along one axis (gather, scatter, arg-reductions, scans, sort) over up to four operands
 * that agree on every other dimension. A "row" is one index over those other dimensions; row r
 * of operand k starts at offsets[k] + sum_d idx_d * strides[k][d] and steps astride[k] along
 * the axis, which has alen[k] elements.
 */
typedef struct {
    i64 nrows, rank;
    i64 shape[BK_MAX_RANK];
    i64 strides[4][BK_MAX_RANK];
    i64 alen[4], astride[4], offsets[4];
    u64 ptr[4];
    i64 dtype[4];
    i64 fn;                             /* op-specific: ArgFn, ScanFn or ScatterMode ordinal */
    i64 flag;                           /* op-specific: sort descending, scatter with atomics */
} BkAxis;

/*
 * Direct 2-D convolutions and max pooling, NCHW. Tensors by role: x [N, C, H, W], weight
 * [O, C/groups, KH, KW], y (output or its gradient) [N, O, OH, OW], pooling indices [N, C, OH, OW];
 * each with its four strides, element offset, pointer and dtype. 'total' is the number of
 * elements the launch computes (one per thread).
 */
typedef struct {
    i64 total, n, c, h, w, o, oh, ow, kh, kw, groups;
    i64 sh, sw, ph, pw, dh, dw;
    i64 strides[4][4];
    i64 offsets[4];
    u64 ptr[4];
    i64 dtype[4];
} BkConv;

/* ---------------------------------------------------------------- conversions */

BK_INLINE float bk_bits_float(unsigned int bits) {
#ifdef __CUDACC__
    return __int_as_float((int) bits);
#else
    union { unsigned int u; float f; } c; c.u = bits; return c.f;
#endif
}

BK_INLINE unsigned int bk_float_bits(float f) {
#ifdef __CUDACC__
    return (unsigned int) __float_as_int(f);
#else
    union { unsigned int u; float f; } c; c.f = f; return c.u;
#endif
}

BK_INLINE double bk_half_to_double(unsigned int h) {
    int sign = (h >> 15) & 1, e = (h >> 10) & 0x1F, m = h & 0x3FF;
    double v;
    if (e == 0x1F) v = m ? (double) NAN : (double) INFINITY;
    else if (e == 0) v = ldexp((double) m, -24);
    else v = ldexp((double) (m | 0x400), e - 25);
    return sign ? -v : v;
}

/* Rounds to a binary format with p significant bits, smallest normal exponent emin, largest finite max; ties to even. */
BK_INLINE double bk_round_binary(double v, int p, int emin, double max) {
    if (isnan(v) || isinf(v) || v == 0) return v;
    int e = ilogb(v);
    if (e < emin) e = emin;
    double ulp = ldexp(1.0, e - (p - 1));
    double r = rint(v / ulp) * ulp;
    return fabs(r) > max ? copysign((double) INFINITY, v) : r;
}

BK_INLINE unsigned int bk_double_to_half(double v) {
    double r = bk_round_binary(v, 11, -14, 65504.0);
    unsigned int sign = signbit(r) ? 0x8000u : 0u;
    double a = fabs(r);
    if (isnan(r)) return 0x7E00u;
    if (isinf(r)) return sign | 0x7C00u;
    if (a == 0) return sign;
    int e = ilogb(a);
    if (e < -14) return sign | (unsigned int) (i64) ldexp(a, 24);
    return sign | ((unsigned int) (e + 15) << 10) | ((unsigned int) (i64) ((ldexp(a, -e) - 1.0) * 1024.0));
}

BK_INLINE unsigned int bk_double_to_bfloat(double v) {
    if (isnan(v)) return 0x7FC0u;
    double r = bk_round_binary(v, 8, -126, 3.3895313892515355e38);
    return bk_float_bits((float) r) >> 16;
}

/* Java's (long) cast of a double: truncation, NaN to 0, saturation. */
BK_INLINE i64 bk_d2l(double v) {
    if (isnan(v)) return 0;
    if (v >= 9.2233720368547758e18) return (i64) 0x7FFFFFFFFFFFFFFFLL;
    if (v <= -9.2233720368547758e18) return (i64) (-0x7FFFFFFFFFFFFFFFLL - 1);
    return (i64) v;
}

BK_INLINE int bk_is_float(i64 dt) { return dt >= BK_FLOAT16; }

/* ---------------------------------------------------------------- loads and stores */

BK_INLINE double bk_load_d(u64 base, i64 dt, i64 i) {
    switch (dt) {
        case BK_FLOAT64: return ((const double*) base)[i];
        case BK_FLOAT32: return (double) ((const float*) base)[i];
        case BK_FLOAT16: return bk_half_to_double(((const unsigned short*) base)[i]);
        case BK_BFLOAT16: return (double) bk_bits_float((unsigned int) ((const unsigned short*) base)[i] << 16);
        case BK_INT64: return (double) ((const i64*) base)[i];
        case BK_INT32: return (double) ((const int*) base)[i];
        case BK_INT8: return (double) ((const signed char*) base)[i];
        default: return (double) ((const unsigned char*) base)[i];  /* uint8, bool */
    }
}

BK_INLINE i64 bk_load_l(u64 base, i64 dt, i64 i) {
    switch (dt) {
        case BK_INT64: return ((const i64*) base)[i];
        case BK_INT32: return (i64) ((const int*) base)[i];
        case BK_INT8: return (i64) ((const signed char*) base)[i];
        case BK_UINT8: case BK_BOOL: return (i64) ((const unsigned char*) base)[i];
        default: return bk_d2l(bk_load_d(base, dt, i));
    }
}

/* Stores an integral value: wrapped to integral dtypes, nonzero-ness for bool, rounded for floating ones. */
BK_INLINE void bk_store_l(u64 base, i64 dt, i64 i, i64 v) {
    switch (dt) {
        case BK_INT64: ((i64*) base)[i] = v; break;
        case BK_INT32: ((int*) base)[i] = (int) (unsigned int) (u64) v; break;
        case BK_INT8: ((signed char*) base)[i] = (signed char) (unsigned char) (u64) v; break;
        case BK_UINT8: ((unsigned char*) base)[i] = (unsigned char) (u64) v; break;
        case BK_BOOL: ((unsigned char*) base)[i] = v != 0; break;
        case BK_FLOAT64: ((double*) base)[i] = (double) v; break;
        case BK_FLOAT32: ((float*) base)[i] = (float) (double) v; break;
        case BK_FLOAT16: ((unsigned short*) base)[i] = (unsigned short) bk_double_to_half((double) v); break;
        default: ((unsigned short*) base)[i] = (unsigned short) bk_double_to_bfloat((double) v); break;
    }
}

/* Stores a floating value: rounded to floating dtypes; integral ones truncate (NaN to 0) and wrap; bool is v != 0. */
BK_INLINE void bk_store_d(u64 base, i64 dt, i64 i, double v) {
    switch (dt) {
        case BK_FLOAT64: ((double*) base)[i] = v; break;
        case BK_FLOAT32: ((float*) base)[i] = (float) v; break;
        case BK_FLOAT16: ((unsigned short*) base)[i] = (unsigned short) bk_double_to_half(v); break;
        case BK_BFLOAT16: ((unsigned short*) base)[i] = (unsigned short) bk_double_to_bfloat(v); break;
        case BK_BOOL: ((unsigned char*) base)[i] = v != 0; break;
        default: bk_store_l(base, dt, i, bk_d2l(v)); break;
    }
}

/* Element offsets of row-major index i in the first nops operands of an elementwise launch. */
BK_INLINE void bk_elem_offsets(const BkElem* a, i64 i, int nops, i64* off) {
    int k, d;
    for (k = 0; k < nops; k++) off[k] = a->offsets[k];
    for (d = (int) a->rank - 1; d >= 0; d--) {
        i64 s = a->shape[d];
        i64 idx = i % s;
        i /= s;
        for (k = 0; k < nops; k++) off[k] += idx * a->strides[k][d];
    }
}

#endif
