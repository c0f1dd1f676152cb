package dev.balboa.device.cpu.internal;

import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import dev.balboa.spi.Op.BinaryFn;
import dev.balboa.spi.Op.UnaryFn;
import dev.balboa.spi.Operand;
import java.util.Arrays;

/**
 * Elementwise kernels: unary, binary, where, copy/cast, fill and arange (random numbers are in
 * {@link RandomKernels}). Each op walks its views as inner runs ({@link Strided}); float32 and
 * float64 runs that are contiguous (or broadcast with stride 0) go to the Vector API loops, other
 * runs and dtypes to scalar loops computing in double (floats) or long (integers and bool).
 */
final class ElementwiseKernels {
    private ElementwiseKernels() {}

    private static final String[] UNARY_NAMES = java.util.Arrays.stream(UnaryFn.values())
            .map(f -> new Op.Unary(f).name()).toArray(String[]::new);
    private static final String[] BINARY_NAMES = java.util.Arrays.stream(BinaryFn.values())
            .map(f -> new Op.Binary(f).name()).toArray(String[]::new);

    /** Rough per-element cost of the transcendental functions relative to an add. */
    private static long cost(UnaryFn fn) { return fn.needsFloat() ? 8 : 1; }

    // ------------------------------------------------------------------ unary

    static void unary(UnaryFn fn, Operand x, Operand out) {
        String op = UNARY_NAMES[fn.ordinal()];
        DType t = x.dtype();
        Checks.shape(op, "out", out, x.shape());
        Checks.dtype(op, "out", out, fn.isPredicate() ? DType.BOOL : t);
        if (fn.needsFloat()) Checks.floating(op, "x", x);
        if (t == DType.BOOL && (fn == UnaryFn.NEG || fn == UnaryFn.SIGN)) {
            throw new UnsupportedOperationException(op + ": not defined for bool input " + Checks.describe(x)
                    + "; use logical_not");
        }
        Strided p = Strided.of(out.shape(), out, x);
        if (p.numel == 0) return;
        int so = p.innerStride(0), sx = p.innerStride(1);
        if (t == DType.FLOAT32 && !fn.isPredicate()) {
            float[] xa = (float[]) Checks.array(x), oa = (float[]) Checks.array(out);
            p.parallel(cost(fn), (off, len, flat) -> {
                if (so == 1 && sx == 1 && VecF32.unary(fn, xa, off[1], oa, off[0], len)) return;
                int o = off[0], i = off[1];
                for (int k = 0; k < len; k++, o += so, i += sx) oa[o] = (float) ScalarMath.unary(fn, xa[i]);
            });
        } else if (t == DType.FLOAT64 && !fn.isPredicate()) {
            double[] xa = (double[]) Checks.array(x), oa = (double[]) Checks.array(out);
            p.parallel(cost(fn), (off, len, flat) -> {
                if (so == 1 && sx == 1 && VecF64.unary(fn, xa, off[1], oa, off[0], len)) return;
                int o = off[0], i = off[1];
                for (int k = 0; k < len; k++, o += so, i += sx) oa[o] = ScalarMath.unary(fn, xa[i]);
            });
        } else if (t == DType.BOOL && fn == UnaryFn.LOGICAL_NOT) {
            byte[] xa = (byte[]) Checks.array(x), oa = (byte[]) Checks.array(out);
            p.parallel(1, (off, len, flat) -> {
                if (so == 1 && sx == 1) {
                    VecF32.logicalNot(xa, off[1], oa, off[0], len);
                    return;
                }
                int o = off[0], i = off[1];
                for (int k = 0; k < len; k++, o += so, i += sx) oa[o] = (byte) (xa[i] == 0 ? 1 : 0);
            });
        } else {
            Access xa = Access.of(x), oa = Access.of(out);
            boolean floating = t.isFloatingPoint();
            p.parallel(cost(fn) * 2, (off, len, flat) -> {
                int o = off[0], i = off[1];
                if (floating) {
                    for (int k = 0; k < len; k++, o += so, i += sx) oa.setD(o, ScalarMath.unary(fn, xa.getD(i)));
                } else {
                    for (int k = 0; k < len; k++, o += so, i += sx) oa.setL(o, ScalarMath.unary(fn, xa.getL(i)));
                }
            });
        }
    }

    // ------------------------------------------------------------------ binary

    static void binary(BinaryFn fn, Operand x, Operand y, Operand out) {
        String op = BINARY_NAMES[fn.ordinal()];
        DType t = x.dtype();
        if (y.dtype() != t) {
            throw new IllegalArgumentException(op + ": inputs must share a dtype, got " + Checks.describe(x)
                    + " and " + Checks.describe(y));
        }
        Checks.shape(op, "x", x, out.shape());
        Checks.shape(op, "y", y, out.shape());
        boolean cmp = fn.isComparison();
        Checks.dtype(op, "out", out, cmp ? DType.BOOL : t);
        Strided p = Strided.of(out.shape(), out, x, y);
        if (p.numel == 0) return;
        int so = p.innerStride(0), sx = p.innerStride(1), sy = p.innerStride(2);
        boolean vec = so == 1 && sx <= 1 && sy <= 1 && (sx | sy) != 0;
        long cost = fn == BinaryFn.POW ? 8 : 1;
        if (!cmp && planes(fn, t, p, x, y, out, cost)) return;
        if (t == DType.FLOAT32) {
            float[] xa = (float[]) Checks.array(x), ya = (float[]) Checks.array(y);
            if (cmp) {
                byte[] oa = (byte[]) Checks.array(out);
                p.parallel(cost, (off, len, flat) -> {
                    if (vec) {
                        VecF32.compare(fn, xa, off[1], sx, ya, off[2], sy, oa, off[0], len);
                        return;
                    }
                    int o = off[0], i = off[1], j = off[2];
                    for (int k = 0; k < len; k++, o += so, i += sx, j += sy) oa[o] = (byte) ScalarMath.binary(fn, xa[i], ya[j]);
                });
            } else {
                float[] oa = (float[]) Checks.array(out);
                boolean v = vec && VecF32.hasBinary(fn);
                p.parallel(cost, (off, len, flat) -> {
                    if (v) {
                        VecF32.binary(fn, xa, off[1], sx, ya, off[2], sy, oa, off[0], len);
                        return;
                    }
                    int o = off[0], i = off[1], j = off[2];
                    for (int k = 0; k < len; k++, o += so, i += sx, j += sy) oa[o] = (float) ScalarMath.binary(fn, xa[i], ya[j]);
                });
            }
        } else if (t == DType.FLOAT64) {
            double[] xa = (double[]) Checks.array(x), ya = (double[]) Checks.array(y);
            if (cmp) {
                byte[] oa = (byte[]) Checks.array(out);
                p.parallel(cost, (off, len, flat) -> {
                    if (vec) {
                        VecF64.compare(fn, xa, off[1], sx, ya, off[2], sy, oa, off[0], len);
                        return;
                    }
                    int o = off[0], i = off[1], j = off[2];
                    for (int k = 0; k < len; k++, o += so, i += sx, j += sy) oa[o] = (byte) ScalarMath.binary(fn, xa[i], ya[j]);
                });
            } else {
                double[] oa = (double[]) Checks.array(out);
                boolean v = vec && VecF64.hasBinary(fn);
                p.parallel(cost, (off, len, flat) -> {
                    if (v) {
                        VecF64.binary(fn, xa, off[1], sx, ya, off[2], sy, oa, off[0], len);
                        return;
                    }
                    int o = off[0], i = off[1], j = off[2];
                    for (int k = 0; k < len; k++, o += so, i += sx, j += sy) oa[o] = ScalarMath.binary(fn, xa[i], ya[j]);
                });
            }
        } else {
            Access xa = Access.of(x), ya = Access.of(y), oa = Access.of(out);
            boolean floating = t.isFloatingPoint();
            p.parallel(cost * 2, (off, len, flat) -> {
                int o = off[0], i = off[1], j = off[2];
                if (floating) {
                    for (int k = 0; k < len; k++, o += so, i += sx, j += sy) {
                        oa.setD(o, ScalarMath.binary(fn, xa.getD(i), ya.getD(j)));
                    }
                } else {
                    for (int k = 0; k < len; k++, o += so, i += sx, j += sy) {
                        oa.setL(o, ScalarMath.binary(fn, xa.getL(i), ya.getL(j), t));
                    }
                }
            });
        }
    }

    /** Longest inner run the plane path takes; longer runs amortise the per-run cost already. */
    static final int PLANE_MAX = 1024;
    /** Elements per scratch block of the plane path. */
    private static final int PLANE_BLOCK = 2048;
    private static final ThreadLocal<float[]> SCRATCH_F = ThreadLocal.withInitial(() -> new float[PLANE_BLOCK]);
    private static final ThreadLocal<double[]> SCRATCH_D = ThreadLocal.withInitial(() -> new double[PLANE_BLOCK]);

    /** True when the coalesced strides of view k are row-major contiguous over the plan's shape. */
    private static boolean contiguous(Strided p, int k) {
        long want = 1;
        for (int d = p.rank - 1; d >= 0; d--) {
            if (p.strides[k][d] != want) return false;
            want *= p.shape[d];
        }
        return true;
    }

    /**
     * Binary float32/float64 op where out and one operand are contiguous and the other operand is
     * constant along short inner runs ("planes"), e.g. x[N,C,H,W] with a per-channel [1,C,1,1]
     * operand. Walks many planes per call: the per-plane values are expanded into a small scratch
     * block, then the contiguous vector loop runs over the whole block. Returns false when the
     * layout does not fit (the general path then runs).
     */
    private static boolean planes(BinaryFn fn, DType t, Strided p, Operand x, Operand y, Operand out, long cost) {
        if (p.rank < 2 || (t != DType.FLOAT32 && t != DType.FLOAT64)) return false;
        if (!(t == DType.FLOAT32 ? VecF32.hasBinary(fn) : VecF64.hasBinary(fn))) return false;
        long inner = p.inner();
        if (inner > PLANE_MAX || p.numel > Integer.MAX_VALUE) return false;
        int sx = p.innerStride(1), sy = p.innerStride(2);
        int full, bc;  // view index of the contiguous operand and of the plane-constant one
        if (sx == 1 && sy == 0) { full = 1; bc = 2; }
        else if (sx == 0 && sy == 1) { full = 2; bc = 1; }
        else return false;
        if (!contiguous(p, 0) || !contiguous(p, full)) return false;
        int in = (int) inner;
        long nPlanes = p.numel / inner;
        int perBlock = Math.max(1, PLANE_BLOCK / in);
        int oBase = (int) p.offsets[0], fBase = (int) p.offsets[full];
        boolean yBroadcast = bc == 2;
        Object fa = Checks.array(yBroadcast ? x : y), ba = Checks.array(yBroadcast ? y : x), oa = Checks.array(out);
        Parallel.forRange(nPlanes, cost * in, (q0, q1) -> {
            int r = p.rank;
            long[] idx = new long[r - 1];
            long rest = q0;
            for (int d = r - 2; d >= 0; d--) {
                idx[d] = rest % p.shape[d];
                rest /= p.shape[d];
            }
            long[] bst = p.strides[bc], sh = p.shape;
            long bo = p.offsets[bc];
            for (int d = 0; d < r - 1; d++) bo += idx[d] * bst[d];
            float[] sf = t == DType.FLOAT32 ? SCRATCH_F.get() : null;
            double[] sd = t == DType.FLOAT64 ? SCRATCH_D.get() : null;
            for (long q = q0; q < q1; ) {
                int k = (int) Math.min(perBlock, q1 - q);
                int len = k * in;
                // expand k per-plane values into the scratch block, stepping the outer index
                for (int j = 0; j < k; j++) {
                    int s = j * in;
                    if (sf != null) VecF32.spread(((float[]) ba)[(int) bo], sf, s, in);
                    else VecF64.spread(((double[]) ba)[(int) bo], sd, s, in);
                    for (int d = r - 2; d >= 0; d--) {
                        bo += bst[d];
                        if (++idx[d] < sh[d]) break;
                        bo -= sh[d] * bst[d];
                        idx[d] = 0;
                    }
                }
                int at = (int) (q * in);
                int oi = oBase + at, fi = fBase + at;
                if (sf != null) {
                    float[] f = (float[]) fa, o = (float[]) oa;
                    if (yBroadcast) VecF32.binary(fn, f, fi, 1, sf, 0, 1, o, oi, len);
                    else VecF32.binary(fn, sf, 0, 1, f, fi, 1, o, oi, len);
                } else {
                    double[] f = (double[]) fa, o = (double[]) oa;
                    if (yBroadcast) VecF64.binary(fn, f, fi, 1, sd, 0, 1, o, oi, len);
                    else VecF64.binary(fn, sd, 0, 1, f, fi, 1, o, oi, len);
                }
                q += k;
            }
        });
        return true;
    }

    // ------------------------------------------------------------------ where

    static void where(Operand c, Operand a, Operand b, Operand out) {
        String op = "where";
        Checks.dtype(op, "cond", c, DType.BOOL);
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": a and b must share a dtype, got " + Checks.describe(a)
                    + " and " + Checks.describe(b));
        }
        Checks.dtype(op, "out", out, a.dtype());
        Checks.shape(op, "cond", c, out.shape());
        Checks.shape(op, "a", a, out.shape());
        Checks.shape(op, "b", b, out.shape());
        Strided p = Strided.of(out.shape(), out, c, a, b);
        if (p.numel == 0) return;
        int so = p.innerStride(0), sc = p.innerStride(1), sa = p.innerStride(2), sb = p.innerStride(3);
        byte[] ca = (byte[]) Checks.array(c);
        Object aa = Checks.array(a), ba = Checks.array(b), oa = Checks.array(out);
        boolean vec = so == 1 && sc == 1 && sa <= 1 && sb <= 1;
        DType t = a.dtype();
        p.parallel(1, (off, len, flat) -> {
            if (vec && t == DType.FLOAT32) {
                VecF32.where(ca, off[1], (float[]) aa, off[2], sa, (float[]) ba, off[3], sb, (float[]) oa, off[0], len);
            } else if (vec && t == DType.FLOAT64) {
                VecF64.where(ca, off[1], (double[]) aa, off[2], sa, (double[]) ba, off[3], sb, (double[]) oa, off[0], len);
            } else {
                RawLoops.where(ca, off[1], sc, aa, off[2], sa, ba, off[3], sb, oa, off[0], so, len);
            }
        });
    }

    // ------------------------------------------------------------------ copy and cast

    static void copy(Operand x, Operand out) {
        Checks.shape("copy", "x", x, out.shape());
        Strided p = Strided.of(out.shape(), out, x);
        if (p.numel == 0) return;
        int so = p.innerStride(0), sx = p.innerStride(1);
        DType from = x.dtype(), to = out.dtype();
        if (from == to) {
            Object xa = Checks.array(x), oa = Checks.array(out);
            int r = p.rank;
            if (r >= 2 && so == 1 && sx != 1 && p.strides[1][r - 2] == 1 && p.inner() >= TILE && p.shape[r - 2] >= TILE) {
                transposeTiles(p, xa, oa);
                return;
            }
            p.parallel(1, (off, len, flat) -> RawLoops.copy(xa, off[1], sx, oa, off[0], so, len));
            return;
        }
        if (from == DType.FLOAT32 && to == DType.FLOAT64) {
            float[] xa = (float[]) Checks.array(x);
            double[] oa = (double[]) Checks.array(out);
            p.parallel(1, (off, len, flat) -> {
                int o = off[0], i = off[1];
                for (int k = 0; k < len; k++, o += so, i += sx) oa[o] = xa[i];
            });
            return;
        }
        if (from == DType.FLOAT64 && to == DType.FLOAT32) {
            double[] xa = (double[]) Checks.array(x);
            float[] oa = (float[]) Checks.array(out);
            p.parallel(1, (off, len, flat) -> {
                int o = off[0], i = off[1];
                for (int k = 0; k < len; k++, o += so, i += sx) oa[o] = (float) xa[i];
            });
            return;
        }
        Access xa = Access.of(x), oa = Access.of(out);
        boolean fromFloat = from.isFloatingPoint(), toFloat = to.isFloatingPoint(), toBool = to == DType.BOOL;
        p.parallel(2, (off, len, flat) -> {
            int o = off[0], i = off[1];
            for (int k = 0; k < len; k++, o += so, i += sx) {
                if (!fromFloat) {
                    oa.setL(o, xa.getL(i));
                } else {
                    double d = xa.getD(i);
                    if (toFloat) oa.setD(o, d);
                    else if (toBool) oa.setL(o, d != 0 ? 1 : 0);
                    else oa.setL(o, (long) d);
                }
            }
        });
    }

    private static final int TILE = 32;

    /**
     * Same-dtype copy of a transpose: out is contiguous along the last axis while x is contiguous
     * along the one before. Copies TILE x TILE blocks so both sides stay within a few cache lines.
     */
    private static void transposeTiles(Strided p, Object xa, Object oa) {
        int r = p.rank;
        long rows = p.shape[r - 2], cols = p.shape[r - 1];
        long osr = p.strides[0][r - 2], xsc = p.strides[1][r - 1];
        long tr = (rows + TILE - 1) / TILE, tc = (cols + TILE - 1) / TILE;
        long batch = p.numel / (rows * cols);
        Parallel.forRange(batch * tr * tc, TILE * TILE, (from, to) -> {
            for (long t = from; t < to; t++) {
                long b = t / (tr * tc), rem = t % (tr * tc);
                long i0 = (rem / tc) * TILE, j0 = (rem % tc) * TILE;
                long ob = p.offsets[0], xb = p.offsets[1];
                for (int d = r - 3; d >= 0; d--) {
                    long id = b % p.shape[d];
                    b /= p.shape[d];
                    ob += id * p.strides[0][d];
                    xb += id * p.strides[1][d];
                }
                int w = (int) Math.min(TILE, cols - j0);
                for (long i = i0, iEnd = Math.min(rows, i0 + TILE); i < iEnd; i++) {
                    RawLoops.copy(xa, (int) (xb + i + j0 * xsc), (int) xsc, oa, (int) (ob + i * osr + j0), 1, w);
                }
            }
        });
    }

    // ------------------------------------------------------------------ fill and arange

    static void fill(Op.Fill f, Operand out) {
        Strided p = Strided.of(out.shape(), out);
        if (p.numel == 0) return;
        int so = p.innerStride(0);
        Object arr = Checks.array(out);
        DType t = out.dtype();
        p.parallel(1, (off, len, flat) -> {
            int o = off[0], end = o + len * so;
            switch (t) {
                case FLOAT32 -> {
                    float v = (float) f.value();
                    if (so == 1) Arrays.fill((float[]) arr, o, end, v);
                    else for (; o < end; o += so) ((float[]) arr)[o] = v;
                }
                case FLOAT64 -> {
                    if (so == 1) Arrays.fill((double[]) arr, o, end, f.value());
                    else for (; o < end; o += so) ((double[]) arr)[o] = f.value();
                }
                case FLOAT16, BFLOAT16 -> {
                    short v = t == DType.FLOAT16 ? Access.doubleToF16(f.value()) : Access.doubleToBf16(f.value());
                    if (so == 1) Arrays.fill((short[]) arr, o, end, v);
                    else for (; o < end; o += so) ((short[]) arr)[o] = v;
                }
                case BOOL, INT8, UINT8 -> {
                    byte v = t == DType.BOOL ? (byte) (f.longValue() != 0 ? 1 : 0) : (byte) f.longValue();
                    if (so == 1) Arrays.fill((byte[]) arr, o, end, v);
                    else for (; o < end; o += so) ((byte[]) arr)[o] = v;
                }
                case INT32 -> {
                    if (so == 1) Arrays.fill((int[]) arr, o, end, (int) f.longValue());
                    else for (; o < end; o += so) ((int[]) arr)[o] = (int) f.longValue();
                }
                case INT64 -> {
                    if (so == 1) Arrays.fill((long[]) arr, o, end, f.longValue());
                    else for (; o < end; o += so) ((long[]) arr)[o] = f.longValue();
                }
            }
        });
    }

    static void arange(Op.Arange a, Operand out) {
        Strided p = Strided.of(out.shape(), out);
        if (p.numel == 0) return;
        int so = p.innerStride(0);
        Access oa = Access.of(out);
        boolean floating = out.dtype().isFloatingPoint();
        double start = a.start(), step = a.step();
        p.parallel(2, (off, len, flat) -> {
            int o = off[0];
            for (int k = 0; k < len; k++, o += so) {
                double v = start + (flat + k) * step;
                if (floating) oa.setD(o, v);
                else oa.setL(o, (long) v);
            }
        });
    }

    // ------------------------------------------------------------------ random

    static void randomUniform(Op.RandomUniform r, Operand out) { RandomKernels.uniform(r, out); }

    static void randomNormal(Op.RandomNormal r, Operand out) { RandomKernels.normal(r, out); }
}
