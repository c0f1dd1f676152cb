package dev.balboa.device.cpu.internal.gemm;

import dev.balboa.device.cpu.internal.Parallel;
import dev.balboa.spi.DType;
import dev.balboa.spi.Operand;
import java.util.Arrays;

/**
 * The CPU kernel of {@link dev.balboa.spi.Op.Matmul}: batched {@code out[b] = a[b] @ b[b]} over
 * operands of shape {@code [B, M, K]}, {@code [B, K, N]} and {@code [B, M, N]} with any strides
 * (transposed operands and stride-0 batch broadcast are read in place). float32 and float64 run
 * the packed, cache-blocked {@link Sgemm} and {@link Dgemm}; float16 and bfloat16 are widened to
 * float32, multiplied there and rounded back; integer dtypes accumulate in int64.
 */
public final class Gemm {
    private Gemm() {}

    /** {@code out[b] = a[b] @ b[b]} for every batch index b. */
    public static void matmul(Operand a, Operand b, Operand out) {
        if (a.rank() != 3 || b.rank() != 3 || out.rank() != 3) {
            throw new IllegalArgumentException("matmul: expected rank-3 operands [B, M, K], [B, K, N], [B, M, N], got "
                    + Arrays.toString(a.shape()) + ", " + Arrays.toString(b.shape()) + ", " + Arrays.toString(out.shape()));
        }
        int batch = (int) out.shape()[0], m = (int) out.shape()[1], n = (int) out.shape()[2];
        int k = (int) a.shape()[2];
        if (a.shape()[0] != batch || b.shape()[0] != batch || a.shape()[1] != m || b.shape()[1] != k || b.shape()[2] != n) {
            throw new IllegalArgumentException("matmul: shapes " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(b.shape()) + " do not give " + Arrays.toString(out.shape()));
        }
        DType dt = out.dtype();
        if (a.dtype() != dt || b.dtype() != dt) {
            throw new IllegalArgumentException("matmul: dtypes " + a.dtype() + ", " + b.dtype() + " and output " + dt + " differ");
        }
        if (batch == 0 || m == 0 || n == 0) return;
        switch (dt) {
            case FLOAT32 -> matmulF32(a, b, out, batch, m, n, k);
            case FLOAT64 -> matmulF64(a, b, out, batch, m, n, k);
            case FLOAT16, BFLOAT16 -> matmulWidened(a, b, out, batch, m, n, k);
            case INT8, UINT8, INT32, INT64 -> matmulIntegral(a, b, out, batch, m, n, k);
            case BOOL -> throw new UnsupportedOperationException("matmul: cpu does not multiply bool matrices");
        }
    }

    private static void matmulF32(Operand a, Operand b, Operand out, int batch, int m, int n, int k) {
        float[] av = Elements.cpu(a, "matmul").f32(), bv = Elements.cpu(b, "matmul").f32();
        float[] cv = Elements.cpu(out, "matmul").f32();
        long[] as = a.strides(), bs = b.strides(), cs = out.strides();
        int ao = (int) a.offset(), bo = (int) b.offset(), co = (int) out.offset();
        long perBatch = (long) m * n * Math.max(k, 1);
        if (overBatches(batch, perBatch)) {
            Parallel.forRange(batch, perBatch, (from, to) -> {
                for (int i = (int) from; i < to; i++) {
                    Sgemm.gemmSerial(m, n, k, av, ao + (int) (i * as[0]), (int) as[1], (int) as[2],
                            bv, bo + (int) (i * bs[0]), (int) bs[1], (int) bs[2],
                            cv, co + (int) (i * cs[0]), (int) cs[1], (int) cs[2], false);
                }
            });
        } else {
            for (int i = 0; i < batch; i++) {
                Sgemm.gemm(m, n, k, av, ao + (int) (i * as[0]), (int) as[1], (int) as[2],
                        bv, bo + (int) (i * bs[0]), (int) bs[1], (int) bs[2],
                        cv, co + (int) (i * cs[0]), (int) cs[1], (int) cs[2], false);
            }
        }
    }

    private static void matmulF64(Operand a, Operand b, Operand out, int batch, int m, int n, int k) {
        double[] av = Elements.cpu(a, "matmul").f64(), bv = Elements.cpu(b, "matmul").f64();
        double[] cv = Elements.cpu(out, "matmul").f64();
        long[] as = a.strides(), bs = b.strides(), cs = out.strides();
        int ao = (int) a.offset(), bo = (int) b.offset(), co = (int) out.offset();
        long perBatch = (long) m * n * Math.max(k, 1);
        if (overBatches(batch, perBatch)) {
            Parallel.forRange(batch, perBatch, (from, to) -> {
                for (int i = (int) from; i < to; i++) {
                    Dgemm.gemmSerial(m, n, k, av, ao + (int) (i * as[0]), (int) as[1], (int) as[2],
                            bv, bo + (int) (i * bs[0]), (int) bs[1], (int) bs[2],
                            cv, co + (int) (i * cs[0]), (int) cs[1], (int) cs[2], false);
                }
            });
        } else {
            for (int i = 0; i < batch; i++) {
                Dgemm.gemm(m, n, k, av, ao + (int) (i * as[0]), (int) as[1], (int) as[2],
                        bv, bo + (int) (i * bs[0]), (int) bs[1], (int) bs[2],
                        cv, co + (int) (i * cs[0]), (int) cs[1], (int) cs[2], false);
            }
        }
    }

    /** float16 / bfloat16: widen to float32 (broadcast batches read once), multiply, round back. */
    private static void matmulWidened(Operand a, Operand b, Operand out, int batch, int m, int n, int k) {
        Operand a1 = firstBatchIfBroadcast(a), b1 = firstBatchIfBroadcast(b);
        float[] av = Elements.denseF32(a1), bv = Elements.denseF32(b1);
        float[] cv = new float[Math.multiplyExact(batch, Math.multiplyExact(m, n))];
        int aStride = a1.shape()[0] == 1 ? 0 : m * k, bStride = b1.shape()[0] == 1 ? 0 : k * n;
        Parallel.forRange(batch, (long) m * n * Math.max(k, 1), (from, to) -> {
            for (int i = (int) from; i < to; i++) {
                Sgemm.gemm(m, n, k, av, i * aStride, k, 1, bv, i * bStride, n, 1, cv, i * m * n, n, 1, false);
            }
        });
        Elements.store(out, cv);
    }

    /** Integers: dense int64 copies, i-k-j loops accumulating in int64, wrapped into the output dtype. */
    private static void matmulIntegral(Operand a, Operand b, Operand out, int batch, int m, int n, int k) {
        Operand a1 = firstBatchIfBroadcast(a), b1 = firstBatchIfBroadcast(b);
        long[] av = Elements.denseI64(a1), bv = Elements.denseI64(b1);
        long[] cv = new long[Math.multiplyExact(batch, Math.multiplyExact(m, n))];
        int aStride = a1.shape()[0] == 1 ? 0 : m * k, bStride = b1.shape()[0] == 1 ? 0 : k * n;
        Parallel.forRange((long) batch * m, (long) n * Math.max(k, 1), (from, to) -> {
            for (long row = from; row < to; row++) {
                int bi = (int) (row / m), i = (int) (row % m);
                int crow = (int) row * n, arow = bi * aStride + i * k, bbase = bi * bStride;
                for (int p = 0; p < k; p++) {
                    long x = av[arow + p];
                    if (x == 0) continue;
                    int brow = bbase + p * n;
                    for (int j = 0; j < n; j++) cv[crow + j] += x * bv[brow + j];
                }
            }
        });
        Elements.store(out, cv);
    }

    /**
     * True when whole batch entries should go to the threads (each running a serial GEMM): there
     * are enough of them to balance, or each is too small to split well.
     */
    private static boolean overBatches(int batch, long perBatch) {
        int t = Parallel.threads();
        if (t <= 1 || batch < t) return false;
        return batch % t == 0 || batch >= 4 * t || perBatch < 1L << 21;
    }

    /** A view of batch 0 alone when the batch dimension is broadcast (stride 0), else the operand itself. */
    private static Operand firstBatchIfBroadcast(Operand o) {
        if (o.strides()[0] != 0 || o.shape()[0] <= 1) return o;
        long[] shape = o.shape().clone();
        shape[0] = 1;
        return new Operand(o.buffer(), shape, o.strides(), o.offset());
    }
}
