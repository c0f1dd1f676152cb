package dev.balboa.device.cpu.internal.gemm;

import dev.balboa.device.cpu.internal.Parallel;
import dev.balboa.device.cpu.internal.VecMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision GEMM in the BLIS structure: {@code C (+)= A @ B} for matrices given as
 * (array, offset, row stride, column stride), so transposed and strided operands need no copy.
 * B is packed into KC x NR column panels and A into MR x KC row panels (the packing absorbs any
 * strides), blocks are sized for a 48 KB L1 and a 1 MB L2 per core, and a register-blocked
 * micro-kernel of MR x NR accumulators (NR = two float vectors) does the arithmetic with FMA.
 * Skinny products skip the packing that would not pay off: with at most {@link #DIRECT_N} columns
 * A is read in place; with at most {@link #FEW_ROWS} rows B is read in place (row-major) or each
 * output is a dot product of contiguous runs (row-major A, column-major B), and up to
 * {@link #DIRECT_B_ROWS} rows a row-major B whose rows do not alias in L1 is read in place.
 * Conv reuses this class for its per-group GEMMs.
 */
public final class Sgemm {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Float lanes of one vector. */
    static final int L = S.length();
    /** Rows of the micro-tile. */
    static final int MR = 8;
    /** Columns of the micro-tile: two vectors. */
    static final int NR = 2 * L;
    /** Depth of one packed block: a KC x NR panel of B stays in L1 across the MR panels of A. */
    static final int KC = 256;
    /** Rows of A packed at once: the MC x KC block stays in L2. */
    static final int MC = 192;
    /** Columns of B packed at once (the KC x NC block lives in L2/L3). */
    static final int NC = 2048;
    /** Up to this many rows B is read in place (or dotted with A) instead of packed. */
    static final int FEW_ROWS = 16;
    /**
     * Up to this many rows a row-major B with more than {@link #DIRECT_N} columns is read in
     * place when its row stride is not a multiple of {@link #ALIAS_STRIDE}: each panel of B
     * serves at most this many rows / MR micro-tiles, too few to repay packing it.
     */
    static final int DIRECT_B_ROWS = 64;
    /**
     * Floats in two cache lines: rows whose stride is an odd number of lines (or not a whole
     * number) spread a panel of B over all the L1 sets; an even number of lines (1 KB, 4 KB, ...)
     * folds them onto a few sets, which evict the panel between micro-tiles.
     */
    static final int ALIAS_STRIDE = 32;
    /** Up to this many columns A is read in place instead of packed. */
    static final int DIRECT_N = 8 * NR;

    /** The most columns a product may have for A to be read in place rather than packed ({@link #DIRECT_N}). */
    public static int directColumns() { return DIRECT_N; }
    /** Below this many multiply-adds (or with fewer than MR/2 rows) a product runs through the unpacked loop. */
    static final long SMALL = 32_768;

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[][] {
        new float[(MC + MR - 1) / MR * MR * KC], new float[KC * ((NC + NR - 1) / NR) * NR], new float[MR * NR]});

    private Sgemm() {}

    /**
     * {@code C = A @ B} (or {@code C += A @ B} with {@code accumulate}) for an m x k matrix A, a
     * k x n matrix B and an m x n matrix C, each addressed as {@code base + row*rs + col*cs}.
     * Splits the work over the intra-op pool when it is large enough; C must not overlap A or B.
     */
    public static void gemm(int m, int n, int k,
                            float[] a, int ao, int ars, int acs,
                            float[] b, int bo, int brs, int bcs,
                            float[] c, int co, int crs, int ccs, boolean accumulate) {
        if (m <= 0 || n <= 0) return;
        long work = (long) m * n * k;
        int threads = Parallel.threads();
        if (threads <= 1 || work < 4L * Parallel.GRAIN * 16) {
            gemmSerial(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, crs, ccs, accumulate);
            return;
        }
        // Split the larger of the two output dimensions into whole micro-tiles.
        if (n >= m) {
            int panels = (n + NR - 1) / NR;
            Parallel.forChunks(panels, threads, (from, to) -> {
                int j0 = (int) from * NR, j1 = (int) Math.min(n, to * NR);
                gemmSerial(m, j1 - j0, k, a, ao, ars, acs, b, bo + j0 * bcs, brs, bcs,
                        c, co + j0 * ccs, crs, ccs, accumulate);
            });
        } else {
            int panels = (m + MR - 1) / MR;
            Parallel.forChunks(panels, threads, (from, to) -> {
                int i0 = (int) from * MR, i1 = (int) Math.min(m, to * MR);
                gemmSerial(i1 - i0, n, k, a, ao + i0 * ars, ars, acs, b, bo, brs, bcs,
                        c, co + i0 * crs, crs, ccs, accumulate);
            });
        }
    }

    /** As {@link #gemm} but always on the calling thread. */
    public static void gemmSerial(int m, int n, int k,
                                  float[] a, int ao, int ars, int acs,
                                  float[] b, int bo, int brs, int bcs,
                                  float[] c, int co, int crs, int ccs, boolean accumulate) {
        if (m <= 0 || n <= 0) return;
        if (k <= 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) c[co + i * crs + j * ccs] = 0f;
            }
            return;
        }
        if ((long) m * n * k < SMALL || (m < MR / 2 && bcs == 1 && ccs == 1)) {
            small(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, crs, ccs, accumulate);
            return;
        }
        float[][] scratch = SCRATCH.get();
        float[] pa = scratch[0], pb = scratch[1], tile = scratch[2];
        if (n > DIRECT_N && (m <= FEW_ROWS || m <= DIRECT_B_ROWS && bcs == 1 && brs % ALIAS_STRIDE != 0)) {
            if (m <= FEW_ROWS && acs == 1 && brs == 1) {
                // Row-major A, column-major B (x @ W^T of a linear layer): dot products of
                // contiguous runs, B streamed once with no packing.
                dotRows(m, n, k, a, ao, ars, b, bo, bcs, c, co, crs, ccs, accumulate);
                return;
            }
            if (bcs == 1) {
                // Few rows, row-major B: B's rows are read in place, only A is packed.
                for (int pc = 0; pc < k; pc += KC) {
                    int kc = Math.min(KC, k - pc);
                    boolean acc = accumulate || pc > 0;
                    packA(m, kc, a, ao + pc * acs, ars, acs, pa);
                    int fullN = n - n % NR;
                    for (int jr = 0; jr < fullN; jr += NR) {
                        for (int ir = 0; ir < m; ir += MR) {
                            int mr = Math.min(MR, m - ir), ci = co + ir * crs + jr * ccs;
                            int bi = bo + pc * brs + jr;
                            if (mr == MR && ccs == 1) {
                                kernelDirectB(kc, pa, ir * kc, b, bi, brs, c, ci, crs, acc);
                            } else {
                                kernelDirectB(kc, pa, ir * kc, b, bi, brs, tile, 0, NR, false);
                                addTile(tile, mr, NR, c, ci, crs, ccs, acc);
                            }
                        }
                    }
                    if (fullN < n) {
                        packB(kc, n - fullN, b, bo + pc * brs + fullN, brs, 1, pb);
                        macroKernel(m, n - fullN, kc, pa, pb, tile, c, co + fullN * ccs, crs, ccs, acc);
                    }
                }
                return;
            }
        }
        if (n <= DIRECT_N) {
            // Few columns: each row panel of A meets at most two column panels of B, so A is read
            // in place rather than packed (packing would cost as much as the arithmetic).
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean acc = accumulate || pc > 0;
                packB(kc, n, b, bo + pc * brs, brs, bcs, pb);
                int full = m - m % MR;
                for (int ir = 0; ir < full; ir += MR) {
                    directRows(n, kc, a, ao + ir * ars + pc * acs, ars, acs, pb, tile, c, co + ir * crs, crs, ccs, acc);
                }
                if (full < m) {
                    packA(m - full, kc, a, ao + full * ars + pc * acs, ars, acs, pa);
                    macroKernel(m - full, n, kc, pa, pb, tile, c, co + full * crs, crs, ccs, acc);
                }
            }
            return;
        }
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean acc = accumulate || pc > 0;
                packB(kc, nc, b, bo + pc * brs + jc * bcs, brs, bcs, pb);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(mc, kc, a, ao + ic * ars + pc * acs, ars, acs, pa);
                    macroKernel(mc, nc, kc, pa, pb, tile, c, co + ic * crs + jc * ccs, crs, ccs, acc);
                }
            }
        }
    }

    /** Runs the micro-kernel over every MR x NR tile of one packed mc x nc block. */
    private static void macroKernel(int mc, int nc, int kc, float[] pa, float[] pb, float[] tile,
                                    float[] c, int co, int crs, int ccs, boolean acc) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int bi = jr * kc;
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int ai = ir * kc;
                int ci = co + ir * crs + jr * ccs;
                if (mr == MR && nr == NR && ccs == 1) {
                    kernel(kc, pa, ai, pb, bi, c, ci, crs, acc);
                } else {
                    kernel(kc, pa, ai, pb, bi, tile, 0, NR, false);
                    for (int r = 0; r < mr; r++) {
                        for (int q = 0; q < nr; q++) {
                            int idx = ci + r * crs + q * ccs;
                            float v = tile[r * NR + q];
                            c[idx] = acc ? c[idx] + v : v;
                        }
                    }
                }
            }
        }
    }

    /** One MR-row strip of C from unpacked A (any strides) and the packed n-column block of B. */
    private static void directRows(int n, int kc, float[] a, int ai, int ars, int acs, float[] pb, float[] tile,
                                   float[] c, int ci, int crs, int ccs, boolean acc) {
        for (int jr = 0; jr < n; jr += NR) {
            int nr = Math.min(NR, n - jr);
            int bi = jr * kc;
            if (nr == NR && ccs == 1) {
                kernelDirect(kc, a, ai, ars, acs, pb, bi, c, ci + jr, crs, acc);
            } else {
                kernelDirect(kc, a, ai, ars, acs, pb, bi, tile, 0, NR, false);
                for (int r = 0; r < MR; r++) {
                    for (int q = 0; q < nr; q++) {
                        int idx = ci + r * crs + (jr + q) * ccs;
                        float v = tile[r * NR + q];
                        c[idx] = acc ? c[idx] + v : v;
                    }
                }
            }
        }
    }

    /**
     * Packs an mc x kc block of A into MR-row panels: panel p holds, for each k, the MR values of
     * rows {@code p*MR ..} side by side; rows past mc are zero.
     */
    static void packA(int mc, int kc, float[] a, int ao, int ars, int acs, float[] pa) {
        int dst = 0;
        for (int i0 = 0; i0 < mc; i0 += MR) {
            int mr = Math.min(MR, mc - i0);
            int base = ao + i0 * ars;
            if (mr == MR) {
                if (acs == 1) {
                    // Row-major A: walk MR rows in step, each read sequentially.
                    for (int r = 0; r < MR; r++) {
                        int src = base + r * ars, d = dst + r;
                        for (int p = 0; p < kc; p++, d += MR) pa[d] = a[src + p];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        int src = base + p * acs, d = dst + p * MR;
                        for (int r = 0; r < MR; r++) pa[d + r] = a[src + r * ars];
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = base + p * acs, d = dst + p * MR;
                    for (int r = 0; r < mr; r++) pa[d + r] = a[src + r * ars];
                    for (int r = mr; r < MR; r++) pa[d + r] = 0f;
                }
            }
            dst += MR * kc;
        }
    }

    /**
     * Packs a kc x nc block of B into NR-column panels: panel q holds, for each k, the NR values of
     * columns {@code q*NR ..} side by side; columns past nc are zero.
     */
    static void packB(int kc, int nc, float[] b, int bo, int brs, int bcs, float[] pb) {
        int dst = 0;
        for (int j0 = 0; j0 < nc; j0 += NR) {
            int nr = Math.min(NR, nc - j0);
            int base = bo + j0 * bcs;
            if (nr == NR && bcs == 1) {
                for (int p = 0; p < kc; p++) {
                    int src = base + p * brs;
                    FloatVector.fromArray(S, b, src).intoArray(pb, dst);
                    FloatVector.fromArray(S, b, src + L).intoArray(pb, dst + L);
                    dst += NR;
                }
            } else if (nr == NR) {
                // Column-major (transposed) B: read four columns sequentially side by side, so
                // each step writes four adjacent floats of a panel row rather than one.
                for (int q = 0; q < NR; q += 4) {
                    int s0 = base + q * bcs, s1 = s0 + bcs, s2 = s1 + bcs, s3 = s2 + bcs, d = dst + q;
                    for (int p = 0, o = 0; p < kc; p++, d += NR, o += brs) {
                        pb[d] = b[s0 + o];
                        pb[d + 1] = b[s1 + o];
                        pb[d + 2] = b[s2 + o];
                        pb[d + 3] = b[s3 + o];
                    }
                }
                dst += NR * kc;
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = base + p * brs;
                    for (int q = 0; q < nr; q++) pb[dst + q] = b[src + q * bcs];
                    for (int q = nr; q < NR; q++) pb[dst + q] = 0f;
                    dst += NR;
                }
            }
        }
    }

    /** Unpacked product for small matrices: row of C += a[i][p] * row p of B, vectorised when rows are contiguous. */
    static void small(int m, int n, int k,
                      float[] a, int ao, int ars, int acs,
                      float[] b, int bo, int brs, int bcs,
                      float[] c, int co, int crs, int ccs, boolean accumulate) {
        if (bcs == 1 && ccs == 1) {
            int vecEnd = n - n % L;
            for (int i = 0; i < m; i++) {
                int crow = co + i * crs;
                if (!accumulate) java.util.Arrays.fill(c, crow, crow + n, 0f);
                for (int p = 0; p < k; p++) {
                    float av = a[ao + i * ars + p * acs];
                    int brow = bo + p * brs;
                    FloatVector va = FloatVector.broadcast(S, av);
                    int j = 0;
                    for (; j < vecEnd; j += L) {
                        va.fma(FloatVector.fromArray(S, b, brow + j), FloatVector.fromArray(S, c, crow + j))
                                .intoArray(c, crow + j);
                    }
                    for (; j < n; j++) c[crow + j] += av * b[brow + j];
                }
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int p = 0; p < k; p++) s += a[ao + i * ars + p * acs] * b[bo + p * brs + j * bcs];
                int idx = co + i * crs + j * ccs;
                c[idx] = accumulate ? c[idx] + s : s;
            }
        }
    }

    /** Writes (or adds) the top-left mr x nr of a packed-width tile into C. */
    private static void addTile(float[] tile, int mr, int nr, float[] c, int ci, int crs, int ccs, boolean acc) {
        for (int r = 0; r < mr; r++) {
            for (int q = 0; q < nr; q++) {
                int idx = ci + r * crs + q * ccs;
                float v = tile[r * NR + q];
                c[idx] = acc ? c[idx] + v : v;
            }
        }
    }

    /**
     * {@code C (+)= A @ B} for few rows of row-major A and column-major B: each output is the dot
     * product of a row of A and a column of B, both contiguous; two columns of B at a time meet
     * every row of A (four rows at a time), so B is read from memory once.
     */
    static void dotRows(int m, int n, int k, float[] a, int ao, int ars, float[] b, int bo, int bcs,
                        float[] c, int co, int crs, int ccs, boolean accumulate) {
        int vk = k - k % L;
        int j = 0;
        for (; j < n; j += 2) {
            boolean pair = j + 1 < n;
            int b0 = bo + j * bcs, b1 = pair ? b0 + bcs : b0;
            for (int i = 0; i < m; i += 4) {
                int rows = Math.min(4, m - i);
                int a0 = ao + i * ars, a1 = rows > 1 ? a0 + ars : a0, a2 = rows > 2 ? a1 + ars : a0, a3 = rows > 3 ? a2 + ars : a0;
                FloatVector s00 = FloatVector.zero(S), s01 = s00, s10 = s00, s11 = s00;
                FloatVector s20 = s00, s21 = s00, s30 = s00, s31 = s00;
                for (int p = 0; p < vk; p += L) {
                    FloatVector v0 = FloatVector.fromArray(S, b, b0 + p), v1 = FloatVector.fromArray(S, b, b1 + p);
                    FloatVector x = FloatVector.fromArray(S, a, a0 + p);
                    s00 = x.fma(v0, s00); s01 = x.fma(v1, s01);
                    x = FloatVector.fromArray(S, a, a1 + p);
                    s10 = x.fma(v0, s10); s11 = x.fma(v1, s11);
                    x = FloatVector.fromArray(S, a, a2 + p);
                    s20 = x.fma(v0, s20); s21 = x.fma(v1, s21);
                    x = FloatVector.fromArray(S, a, a3 + p);
                    s30 = x.fma(v0, s30); s31 = x.fma(v1, s31);
                }
                float[] r = {
                    VecMath.sum(s00), VecMath.sum(s01),
                    VecMath.sum(s10), VecMath.sum(s11),
                    VecMath.sum(s20), VecMath.sum(s21),
                    VecMath.sum(s30), VecMath.sum(s31)};
                int[] ar = {a0, a1, a2, a3};
                for (int q = 0; q < rows; q++) {
                    for (int t = 0; t < (pair ? 2 : 1); t++) {
                        float sum = r[2 * q + t];
                        int bb = t == 0 ? b0 : b1;
                        for (int p = vk; p < k; p++) sum += a[ar[q] + p] * b[bb + p];
                        int idx = co + (i + q) * crs + (j + t) * ccs;
                        c[idx] = accumulate ? c[idx] + sum : sum;
                    }
                }
            }
        }
    }

    /**
     * {@link #kernel} with B read in place: the 2L columns at {@code bi}, rows {@code brs} apart.
     */
    static void kernelDirectB(int kc, float[] ap, int ai, float[] b, int bi, int brs, float[] c, int ci, int ldc,
                              boolean acc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector a;
            a = FloatVector.broadcast(S, ap[ai + 0]); c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ai + 4]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[ai + 5]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, ap[ai + 6]); c60 = a.fma(b0, c60); c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, ap[ai + 7]); c70 = a.fma(b0, c70); c71 = a.fma(b1, c71);
            ai += MR;
            bi += brs;
        }
        if (acc) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci + 0 * ldc)); c01 = c01.add(FloatVector.fromArray(S, c, ci + 0 * ldc + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + 1 * ldc)); c11 = c11.add(FloatVector.fromArray(S, c, ci + 1 * ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc)); c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc)); c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, ci + 4 * ldc)); c41 = c41.add(FloatVector.fromArray(S, c, ci + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(S, c, ci + 5 * ldc)); c51 = c51.add(FloatVector.fromArray(S, c, ci + 5 * ldc + L));
            c60 = c60.add(FloatVector.fromArray(S, c, ci + 6 * ldc)); c61 = c61.add(FloatVector.fromArray(S, c, ci + 6 * ldc + L));
            c70 = c70.add(FloatVector.fromArray(S, c, ci + 7 * ldc)); c71 = c71.add(FloatVector.fromArray(S, c, ci + 7 * ldc + L));
        }
        c00.intoArray(c, ci + 0 * ldc); c01.intoArray(c, ci + 0 * ldc + L);
        c10.intoArray(c, ci + 1 * ldc); c11.intoArray(c, ci + 1 * ldc + L);
        c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc); c51.intoArray(c, ci + 5 * ldc + L);
        c60.intoArray(c, ci + 6 * ldc); c61.intoArray(c, ci + 6 * ldc + L);
        c70.intoArray(c, ci + 7 * ldc); c71.intoArray(c, ci + 7 * ldc + L);
    }

    /**
     * {@link #kernel} with A read in place: row r of the 8-row strip at {@code ai + r*ars}, step
     * {@code acs} along k.
     */
    static void kernelDirect(int kc, float[] a, int ai, int ars, int acs, float[] bp, int bi, float[] c, int ci, int ldc,
                             boolean acc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        int a0 = ai, a1 = a0 + ars, a2 = a1 + ars, a3 = a2 + ars, a4 = a3 + ars, a5 = a4 + ars, a6 = a5 + ars, a7 = a6 + ars;
        for (int p = 0, o = 0; p < kc; p++, o += acs) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[a0 + o]); c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + o]); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + o]); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + o]); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[a4 + o]); c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[a5 + o]); c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[a6 + o]); c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[a7 + o]); c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
            bi += NR;
        }
        if (acc) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci + 0 * ldc)); c01 = c01.add(FloatVector.fromArray(S, c, ci + 0 * ldc + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + 1 * ldc)); c11 = c11.add(FloatVector.fromArray(S, c, ci + 1 * ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc)); c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc)); c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, ci + 4 * ldc)); c41 = c41.add(FloatVector.fromArray(S, c, ci + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(S, c, ci + 5 * ldc)); c51 = c51.add(FloatVector.fromArray(S, c, ci + 5 * ldc + L));
            c60 = c60.add(FloatVector.fromArray(S, c, ci + 6 * ldc)); c61 = c61.add(FloatVector.fromArray(S, c, ci + 6 * ldc + L));
            c70 = c70.add(FloatVector.fromArray(S, c, ci + 7 * ldc)); c71 = c71.add(FloatVector.fromArray(S, c, ci + 7 * ldc + L));
        }
        c00.intoArray(c, ci + 0 * ldc); c01.intoArray(c, ci + 0 * ldc + L);
        c10.intoArray(c, ci + 1 * ldc); c11.intoArray(c, ci + 1 * ldc + L);
        c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc); c51.intoArray(c, ci + 5 * ldc + L);
        c60.intoArray(c, ci + 6 * ldc); c61.intoArray(c, ci + 6 * ldc + L);
        c70.intoArray(c, ci + 7 * ldc); c71.intoArray(c, ci + 7 * ldc + L);
    }

    /**
     * The register-blocked micro-kernel: a 8 x 2L tile of C (L = float lanes) from an 8-row
     * panel of packed A and a 2L-column panel of packed B, over {@code kc} steps of k. With
     * {@code acc} the tile is added to C, otherwise it overwrites C. C's columns are contiguous.
     */
    static void kernel(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc, boolean acc) {
        // a packed B panel is B read in place with rows NR apart
        kernelDirectB(kc, ap, ai, bp, bi, NR, c, ci, ldc, acc);
    }
}
