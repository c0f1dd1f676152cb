package dev.balboa.device.cpu.internal.gemm;

import dev.balboa.device.cpu.internal.CpuBackend;
import dev.balboa.device.cpu.internal.CpuBuffer;
import dev.balboa.spi.DType;
import dev.balboa.spi.Operand;
import java.util.Random;

/**
 * Test helpers shared by the GEMM and convolution tests: random strided operands on the CPU
 * backend and a plain reader that turns any element into a double, independent of the kernels'
 * own conversion code.
 */
public final class TestOperands {
    private TestOperands() {}

    /** A view of the given shape, strides and offset over a fresh buffer filled with random values. */
    public static Operand random(DType dt, long[] shape, long[] strides, long offset, Random rnd) {
        long last = offset;
        boolean empty = false;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 0) empty = true;
            else last += (shape[d] - 1) * strides[d];
        }
        long length = empty ? offset : last + 1;
        CpuBuffer b = (CpuBuffer) CpuBackend.INSTANCE.allocate(dt, length);
        for (int i = 0; i < length; i++) {
            double v = dt.isFloatingPoint() ? rnd.nextDouble() * 2 - 1 : rnd.nextInt(21) - 10;
            put(b, i, v);
        }
        return new Operand(b, shape.clone(), strides.clone(), offset);
    }

    /** A contiguous random operand. */
    public static Operand random(DType dt, Random rnd, long... shape) {
        return random(dt, shape, Operand.contiguousStrides(shape), 0, rnd);
    }

    /** A contiguous operand whose elements all hold {@code fill}. */
    public static Operand filled(DType dt, double fill, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        CpuBuffer b = (CpuBuffer) CpuBackend.INSTANCE.allocate(dt, n);
        for (int i = 0; i < n; i++) put(b, i, fill);
        return Operand.contiguous(b, shape);
    }

    /** Writes a value into a buffer slot with a plain conversion. */
    public static void put(CpuBuffer b, int i, double v) {
        switch (b.dtype()) {
            case FLOAT32 -> b.f32()[i] = (float) v;
            case FLOAT64 -> b.f64()[i] = v;
            case FLOAT16 -> b.i16()[i] = Float.floatToFloat16((float) v);
            case BFLOAT16 -> b.i16()[i] = (short) (Float.floatToRawIntBits((float) v) >>> 16);
            case INT8, UINT8, BOOL -> b.i8()[i] = (byte) v;
            case INT32 -> b.i32()[i] = (int) v;
            case INT64 -> b.i64()[i] = (long) v;
        }
    }

    /** Reads a buffer slot as double. */
    public static double at(CpuBuffer b, long i) {
        int j = (int) i;
        return switch (b.dtype()) {
            case FLOAT32 -> b.f32()[j];
            case FLOAT64 -> b.f64()[j];
            case FLOAT16 -> Float.float16ToFloat(b.i16()[j]);
            case BFLOAT16 -> Float.intBitsToFloat(b.i16()[j] << 16);
            case INT8 -> b.i8()[j];
            case UINT8, BOOL -> b.i8()[j] & 0xFF;
            case INT32 -> b.i32()[j];
            case INT64 -> b.i64()[j];
        };
    }

    /** Element {@code idx} of a view, as double. */
    public static double get(Operand o, long... idx) {
        long p = o.offset();
        for (int d = 0; d < idx.length; d++) p += idx[d] * o.strides()[d];
        return at((CpuBuffer) o.buffer(), p);
    }
}
