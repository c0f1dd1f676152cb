package dev.balboa.api;

import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import java.util.Arrays;

/** Matrix products with {@code torch.matmul}'s rules, on top of the batched {@link Op.Matmul} primitive. */
final class Linalg {
    private Linalg() {}

    private static final Op.Matmul MATMUL = new Op.Matmul();

    private static DType common(String op, Tensor a, Tensor b) {
        Errors.sameDevice(op, a, b);
        DType dt = DType.promote(a.dtype, b.dtype);
        if (dt == DType.BOOL) throw Errors.dtype(op, "bool tensors cannot be multiplied", a, b);
        return dt;
    }

    private static IllegalArgumentException mismatch(String op, Tensor a, Tensor b, long k1, long k2) {
        return new IllegalArgumentException(op + ": shapes " + Shapes.str(a.shape) + " and " + Shapes.str(b.shape)
                + " cannot be multiplied (" + k1 + " != " + k2 + "); operands: " + Errors.describe(a, b));
    }

    /** The kernel call on 3-D operands {@code [B, M, K] x [B, K, N]}. */
    private static Tensor bmm3(Tensor a, Tensor b, DType dt) {
        Tensor x = a.to(dt), y = b.to(dt);
        Tensor out = Creation.empty("matmul", new long[] {x.shape[0], x.shape[1], y.shape[2]}, dt, x.backend());
        Dispatcher.kernel(MATMUL, new Tensor[] {x, y}, new Tensor[] {out}, false);
        return out;
    }

    static Tensor mm(Tensor a, Tensor b) {
        DType dt = common("mm", a, b);
        if (a.dim() != 2 || b.dim() != 2) {
            throw new IllegalArgumentException("mm: expected two 2-D tensors, got " + Errors.describe(a, b));
        }
        if (a.shape[1] != b.shape[0]) throw mismatch("mm", a, b, a.shape[1], b.shape[0]);
        return bmm3(a.unsqueeze(0), b.unsqueeze(0), dt).squeeze(0);
    }

    static Tensor bmm(Tensor a, Tensor b) {
        DType dt = common("bmm", a, b);
        if (a.dim() != 3 || b.dim() != 3) {
            throw new IllegalArgumentException("bmm: expected two 3-D tensors, got " + Errors.describe(a, b));
        }
        if (a.shape[0] != b.shape[0]) {
            throw new IllegalArgumentException("bmm: batch sizes differ: " + Errors.describe(a, b));
        }
        if (a.shape[2] != b.shape[1]) throw mismatch("bmm", a, b, a.shape[2], b.shape[1]);
        return bmm3(a, b, dt);
    }

    static Tensor dot(Tensor a, Tensor b) {
        DType dt = common("dot", a, b);
        if (a.dim() != 1 || b.dim() != 1 || a.shape[0] != b.shape[0]) {
            throw new IllegalArgumentException("dot: expected two 1-D tensors of the same length, got " + Errors.describe(a, b));
        }
        return bmm3(a.view(1, 1, a.shape[0]), b.view(1, b.shape[0], 1), dt).reshape();
    }

    static Tensor outer(Tensor a, Tensor b) {
        if (a.dim() != 1 || b.dim() != 1) {
            throw new IllegalArgumentException("outer: expected two 1-D tensors, got " + Errors.describe(a, b));
        }
        return a.unsqueeze(1).mul(b.unsqueeze(0));
    }

    static Tensor matmul(Tensor a, Tensor b) {
        DType dt = common("matmul", a, b);
        int ra = a.dim(), rb = b.dim();
        if (ra == 0 || rb == 0) {
            throw new IllegalArgumentException("matmul: both arguments need at least 1 dimension, got " + Errors.describe(a, b));
        }
        if (ra == 1 && rb == 1) {
            if (a.shape[0] != b.shape[0]) throw mismatch("matmul", a, b, a.shape[0], b.shape[0]);
            return dot(a, b);
        }
        Tensor x = ra == 1 ? a.unsqueeze(0) : a;
        Tensor y = rb == 1 ? b.unsqueeze(1) : b;
        long m = x.shape[x.dim() - 2], k = x.shape[x.dim() - 1];
        long k2 = y.shape[y.dim() - 2], n = y.shape[y.dim() - 1];
        if (k != k2) throw mismatch("matmul", a, b, k, k2);
        long[] batchA = Arrays.copyOf(x.shape, x.dim() - 2), batchB = Arrays.copyOf(y.shape, y.dim() - 2);
        long[] batch;
        try {
            batch = Shapes.broadcast("matmul", batchA, batchB);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul: the batch dims of " + Errors.describe(a, b) + " cannot be broadcast together", e);
        }
        long bsz = Shapes.numel(batch);
        Tensor x3, y3;
        if (batchB.length == 0 && y.dim() == 2) {
            // [..., M, K] @ [K, N]: fold the batch into M, one large GEMM (a non-contiguous x is
            // copied once, which costs less than a batch of copies of y and their gradient sum)
            Tensor flat = x.reshape(bsz * m, k);
            Tensor out = bmm3(flat.unsqueeze(0), y.unsqueeze(0), dt);
            return finish(out.view(Shapes.concat(batch, new long[] {m, n})), ra, rb);
        }
        x3 = x.expand(Shapes.concat(batch, new long[] {m, k})).reshape(bsz, m, k);
        y3 = y.expand(Shapes.concat(batch, new long[] {k, n})).reshape(bsz, k, n);
        Tensor out = bmm3(x3, y3, dt).view(Shapes.concat(batch, new long[] {m, n}));
        return finish(out, ra, rb);
    }

    private static Tensor finish(Tensor out, int ra, int rb) {
        if (ra == 1) out = out.squeeze(-2);
        if (rb == 1) out = out.squeeze(-1);
        return out;
    }
}
