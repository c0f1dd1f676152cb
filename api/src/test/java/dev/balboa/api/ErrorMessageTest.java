package dev.balboa.api;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.spi.DType;
import dev.balboa.spi.Device;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** User errors: every message names the op and each operand's shape, dtype and device. */
class ErrorMessageTest {

    private static final Device REF = Device.of("reference");

    /** Runs {@code call}, expects {@code type} and asserts the message contains every fragment. */
    private static <T extends Throwable> String expect(Class<T> type, Executable call, String... fragments) {
        String msg = assertThrows(type, call).getMessage();
        for (String f : fragments) assertTrue(msg != null && msg.contains(f), "message lacks '" + f + "': " + msg);
        return msg;
    }

    private static Tensor f32(long... shape) { return Tensor.zeros(shape, DType.FLOAT32); }

    @Test
    void matmulShapes() {
        Tensor a = f32(64, 128), b = f32(64, 10);
        expect(IllegalArgumentException.class, () -> a.matmul(b), "matmul", "[64, 128]", "[64, 10]", "128 != 64", "float32", "cpu");
        expect(IllegalArgumentException.class, () -> a.mm(b), "mm", "[64, 128]", "[64, 10]", "float32", "cpu");
        expect(IllegalArgumentException.class, () -> f32(2, 3, 4).bmm(f32(3, 4, 5)), "bmm", "[2, 3, 4]", "[3, 4, 5]", "float32", "cpu");
        expect(IllegalArgumentException.class, () -> f32(3).dot(f32(4)), "dot", "[3]", "[4]", "float32");
        expect(IllegalArgumentException.class, () -> f32(2, 3).matmul(Tensor.zeros(new long[] {2, 3}, DType.FLOAT64)),
                "matmul", "[2, 3]", "float32", "float64");
        expect(IllegalArgumentException.class, () -> f32().matmul(f32(3)), "matmul", "[]", "[3]");
    }

    @Test
    void broadcastShapesNameOperands() {
        Tensor a = f32(2, 3);
        Tensor b = Tensor.zeros(new long[] {4}, DType.INT64);
        expect(IllegalArgumentException.class, () -> a.add(b), "add", "[2, 3]", "[4]", "float32", "int64", "cpu");
        expect(IllegalArgumentException.class, () -> a.mul(f32(3, 2)), "mul", "[2, 3]", "[3, 2]", "float32");
        expect(IllegalArgumentException.class, () -> Tensor.where(Tensor.ones(new long[] {5}, DType.BOOL), a, a), "where", "[5]", "[2, 3]");
        expect(IllegalArgumentException.class, () -> a.add_(f32(3, 2, 3)), "add_", "[2, 3]", "[3, 2, 3]", "float32");
        expect(IllegalArgumentException.class, () -> a.maskedFill(Tensor.ones(new long[] {3, 3}, DType.BOOL), 1), "masked_fill", "[3, 3]", "[2, 3]");
        expect(IllegalArgumentException.class, () -> f32(2).expand(3, 4), "expand", "[2]", "[3, 4]");
        expect(IllegalArgumentException.class, () -> Tensor.cat(List.of(f32(2, 3), f32(2, 4)), 0), "cat", "[2, 3]", "[2, 4]");
        expect(IllegalArgumentException.class, () -> Tensor.stack(List.of(f32(2, 3), f32(3, 2)), 0), "stack", "[2, 3]", "[3, 2]");
        expect(IllegalArgumentException.class, () -> f32(2, 3).view(4, 2), "view", "[4, 2]", "[2, 3]");
        expect(IllegalArgumentException.class, () -> f32(2, 3).reshape(-1, -1), "reshape", "-1");
        expect(IllegalArgumentException.class, () -> f32(2, 3).t().view(6), "view", "[6]");
    }

    @Test
    void dtypeErrorsNameDtypes() {
        Tensor i = Tensor.zeros(new long[] {3}, DType.INT64);
        Tensor f = f32(3);
        expect(IllegalArgumentException.class, () -> i.add_(f), "add_", "float32", "int64", "[3]");
        Tensor bools = Tensor.ones(new long[] {3}, DType.BOOL);
        expect(IllegalArgumentException.class, () -> bools.sub(bools), "sub", "bool", "[3]");
        expect(IllegalArgumentException.class, () -> f.indexSelect(0, f), "index_select", "float32", "[3]");
        expect(IllegalArgumentException.class, () -> Functional.conv2d(Tensor.zeros(new long[] {1, 1, 3, 3}, DType.INT64),
                Tensor.zeros(new long[] {1, 1, 2, 2}, DType.INT64), null), "conv2d", "int64");
        expect(IllegalArgumentException.class, () -> Tensor.rand(new long[] {2}, new Generator(1), DType.INT32, Device.CPU), "int32");
        expect(IllegalArgumentException.class, () -> i.mean(), "mean", "int64");
        expect(IllegalArgumentException.class, () -> i.div_(Tensor.ones(new long[] {3}, DType.INT64)), "div_", "int64");
        expect(IllegalArgumentException.class, () -> i.mul_(2.5), "mul_", "int64");
        expect(IllegalArgumentException.class, () -> f.logicalAnd(f).sub(f.gt(0)), "sub", "bool");
    }

    @Test
    void dimOutOfRange() {
        Tensor x = f32(2, 3);
        expect(IndexOutOfBoundsException.class, () -> x.sum(2), "sum", "2", "rank 2");
        expect(IndexOutOfBoundsException.class, () -> x.softmax(-3), "softmax", "-3");
        expect(IndexOutOfBoundsException.class, () -> x.transpose(0, 5), "transpose", "5");
        expect(IndexOutOfBoundsException.class, () -> x.unsqueeze(4), "unsqueeze", "4");
        expect(IndexOutOfBoundsException.class, () -> x.size(2), "size", "2");
        expect(IndexOutOfBoundsException.class, () -> x.cumsum(3), "cumsum", "3");
        expect(IndexOutOfBoundsException.class, () -> x.max(-3), "max", "-3");
        expect(RuntimeException.class, () -> x.select(0, 2), "select", "2");
        expect(RuntimeException.class, () -> x.narrow(1, 2, 2), "narrow");
        expect(IllegalArgumentException.class, () -> x.sum(0, 0), "sum", "more than once");
        expect(IllegalArgumentException.class, () -> x.permute(0, 0), "permute");
    }

    @Test
    void negativeSizesAndOverflow() {
        expect(IllegalArgumentException.class, () -> Tensor.zeros(2, -3), "-3", "[2, -3]");
        expect(IllegalArgumentException.class, () -> Tensor.empty(new long[] {-1}, DType.INT32), "-1");
        expect(IllegalArgumentException.class, () -> Tensor.zeros(1L << 32, 1L << 32), "[4294967296, 4294967296]");
        expect(IllegalArgumentException.class, () -> Tensor.ones(Long.MAX_VALUE, 3), "more elements");
        expect(IllegalArgumentException.class, () -> Tensor.eye(-1), "eye", "-1");
        expect(IllegalArgumentException.class, () -> Tensor.linspace(0, 1, -2), "linspace", "-2");
        expect(IllegalArgumentException.class, () -> Tensor.arange(0, 5, 0), "arange", "step");
        expect(IllegalArgumentException.class, () -> f32(4).view(-2, 2), "view", "-2");
        expect(IllegalArgumentException.class, () -> f32(4).split(0, 0), "split", "0");
        expect(IllegalArgumentException.class, () -> f32(4).repeat(-1), "repeat");
    }

    @Test
    void arrayLengthMismatch() {
        expect(IllegalArgumentException.class, () -> Tensor.of(new float[] {1, 2, 3}, 2, 2), "of", "3", "[2, 2]");
        expect(IllegalArgumentException.class, () -> Tensor.of(new long[] {1, 2}, 3), "of", "2", "[3]");
        expect(IllegalArgumentException.class, () -> Tensor.of(new boolean[] {true}, 2), "of", "[2]");
        expect(IllegalArgumentException.class, () -> Tensor.of(new int[] {1, 2, 3, 4, 5}, 2, 2), "of", "5", "[2, 2]");
        expect(IllegalArgumentException.class, () -> Tensor.of(new double[] {1, 2}, 1), "of", "[1]");
        expect(IllegalArgumentException.class, () -> Tensor.of(new byte[] {1, 2, 3}, DType.FLOAT16, 2), "of");
    }

    @Test
    void indexOutOfRange() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        expect(IndexOutOfBoundsException.class, () -> x.gather(1, Tensor.of(new long[] {0, 3}, 2, 1)), "gather", "3", "[2, 3]", "float32");
        expect(IndexOutOfBoundsException.class, () -> x.gather(0, Tensor.of(new long[] {-1}, 1, 1)), "gather", "-1");
        expect(IndexOutOfBoundsException.class, () -> x.indexSelect(0, Tensor.of(new long[] {2}, 1)), "index_select", "2", "[2, 3]");
        expect(IndexOutOfBoundsException.class, () -> x.indexSelect(1, Tensor.of(new int[] {0, 7}, 2)), "index_select", "7", "int32");
        expect(IndexOutOfBoundsException.class, () -> x.scatter(1, Tensor.of(new long[] {5}, 1, 1), 1.0), "scatter", "5");
        expect(IndexOutOfBoundsException.class, () -> Functional.embedding(Tensor.of(new long[] {9}, 1), x), "9");
        expect(IllegalArgumentException.class, () -> Functional.oneHot(Tensor.of(new long[] {1, 4}, 2), 3), "one_hot", "3");
        expect(IllegalArgumentException.class, () -> x.topk(4, 1, true, true), "topk", "4");
        expect(IllegalArgumentException.class, () -> x.item(), "item", "[2, 3]");
    }

    @Test
    void mixedDevicesNameBothDevices() {
        Tensor cpu = f32(2, 3);
        Tensor ref = f32(2, 3).to(REF);
        for (Executable e : List.<Executable>of(() -> cpu.add(ref), () -> ref.mul(cpu), () -> cpu.matmul(ref.t()),
                () -> Tensor.where(ref.gt(0), cpu, ref), () -> Tensor.cat(List.of(cpu, ref), 0), () -> cpu.add_(ref),
                () -> cpu.gather(1, Tensor.zeros(new long[] {2, 1}, DType.INT64, REF)),
                () -> cpu.indexSelect(0, Tensor.zeros(new long[] {1}, DType.INT64, REF)),
                () -> cpu.maskedFill(Tensor.ones(new long[] {2, 3}, DType.BOOL, REF), 1.0),
                () -> Functional.conv2d(Tensor.zeros(new long[] {1, 1, 3, 3}, DType.FLOAT32, REF), Tensor.zeros(1, 1, 2, 2), null))) {
            expect(IllegalArgumentException.class, e, "cpu", "reference", "float32");
        }
    }
}
