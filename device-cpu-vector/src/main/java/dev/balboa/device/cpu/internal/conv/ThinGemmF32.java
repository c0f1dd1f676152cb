package dev.balboa.device.cpu.internal.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The unpacked float32 weight-gradient product of convolutions with few input channels (the
 * first layer of an image network: {@code C_in * KH * KW} of 9 or 27). There the blocked
 * {@code Sgemm} would pack the im2col matrix transposed, element by element, into 32-column
 * panels of which only 9 or 27 columns are used; here each output is a dot product of two
 * contiguous rows, computed for a 4 x 2 block of outputs so every loaded vector feeds two or
 * four FMAs.
 */
final class ThinGemmF32 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private ThinGemmF32() {}

    /**
     * {@code C += A @ B^T} for a row-major m x n matrix A (row stride {@code ars}), a row-major
     * k x n matrix B (row stride {@code brs}) and a row-major m x k matrix C (row stride
     * {@code crs}): every output element is a dot product of two contiguous rows of length n,
     * computed for a 4 x 2 block of outputs at once.
     */
    static void productTransB(int m, int k, int n, float[] a, int ao, int ars,
                              float[] b, int bo, int brs, float[] c, int co, int crs) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int a0 = ao + i * ars;
            int p = 0;
            for (; p + 2 <= k; p += 2) {
                int b0 = bo + p * brs, b1 = b0 + brs;
                FloatVector s00 = FloatVector.zero(S), s01 = s00, s10 = s00, s11 = s00;
                FloatVector s20 = s00, s21 = s00, s30 = s00, s31 = s00;
                int j = 0;
                for (; j + L <= n; j += L) {
                    FloatVector v0 = FloatVector.fromArray(S, b, b0 + j), v1 = FloatVector.fromArray(S, b, b1 + j);
                    FloatVector x = FloatVector.fromArray(S, a, a0 + j);
                    s00 = x.fma(v0, s00); s01 = x.fma(v1, s01);
                    x = FloatVector.fromArray(S, a, a0 + ars + j);
                    s10 = x.fma(v0, s10); s11 = x.fma(v1, s11);
                    x = FloatVector.fromArray(S, a, a0 + 2 * ars + j);
                    s20 = x.fma(v0, s20); s21 = x.fma(v1, s21);
                    x = FloatVector.fromArray(S, a, a0 + 3 * ars + j);
                    s30 = x.fma(v0, s30); s31 = x.fma(v1, s31);
                }
                if (j < n) {
                    VectorMask<Float> mk = S.indexInRange(j, n);
                    FloatVector v0 = FloatVector.fromArray(S, b, b0 + j, mk), v1 = FloatVector.fromArray(S, b, b1 + j, mk);
                    FloatVector x = FloatVector.fromArray(S, a, a0 + j, mk);
                    s00 = x.fma(v0, s00); s01 = x.fma(v1, s01);
                    x = FloatVector.fromArray(S, a, a0 + ars + j, mk);
                    s10 = x.fma(v0, s10); s11 = x.fma(v1, s11);
                    x = FloatVector.fromArray(S, a, a0 + 2 * ars + j, mk);
                    s20 = x.fma(v0, s20); s21 = x.fma(v1, s21);
                    x = FloatVector.fromArray(S, a, a0 + 3 * ars + j, mk);
                    s30 = x.fma(v0, s30); s31 = x.fma(v1, s31);
                }
                int ci = co + i * crs + p;
                c[ci] += dev.balboa.device.cpu.internal.VecMath.sum(s00);
                c[ci + 1] += dev.balboa.device.cpu.internal.VecMath.sum(s01);
                c[ci + crs] += dev.balboa.device.cpu.internal.VecMath.sum(s10);
                c[ci + crs + 1] += dev.balboa.device.cpu.internal.VecMath.sum(s11);
                c[ci + 2 * crs] += dev.balboa.device.cpu.internal.VecMath.sum(s20);
                c[ci + 2 * crs + 1] += dev.balboa.device.cpu.internal.VecMath.sum(s21);
                c[ci + 3 * crs] += dev.balboa.device.cpu.internal.VecMath.sum(s30);
                c[ci + 3 * crs + 1] += dev.balboa.device.cpu.internal.VecMath.sum(s31);
            }
            for (; p < k; p++) {
                for (int r = 0; r < 4; r++) c[co + (i + r) * crs + p] += ConvF32.dot(a, a0 + r * ars, b, bo + p * brs, n);
            }
        }
        for (; i < m; i++) {
            for (int p = 0; p < k; p++) c[co + i * crs + p] += ConvF32.dot(a, ao + i * ars, b, bo + p * brs, n);
        }
    }
}
