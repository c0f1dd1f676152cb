package dev.balboa.device.cpu.internal;

import dev.balboa.spi.Backend;
import dev.balboa.spi.Buffer;
import dev.balboa.spi.DType;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * CPU memory: a Java array the garbage collector manages (float[] for float32, double[] for
 * float64, short[] holding the bit patterns of float16 and bfloat16, byte[] for int8, uint8 and
 * bool, int[] for int32, long[] for int64), exposed to interop as a heap {@link MemorySegment}.
 */
public final class CpuBuffer implements Buffer {
    /** Largest element count of one buffer (the Java array limit). */
    public static final long MAX_LENGTH = Integer.MAX_VALUE - 8;

    private final DType dtype;
    private final Object array;
    private final int length;

    CpuBuffer(DType dtype, long length) {
        if (length < 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("cpu: cannot allocate " + length + " elements of " + dtype
                    + " in one buffer; the limit is " + MAX_LENGTH + " elements");
        }
        this.dtype = dtype;
        this.length = (int) length;
        int n = (int) length;
        this.array = switch (dtype) {
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case FLOAT16, BFLOAT16 -> new short[n];
            case INT8, UINT8, BOOL -> new byte[n];
            case INT32 -> new int[n];
            case INT64 -> new long[n];
        };
    }

    @Override public Backend backend() { return CpuBackend.INSTANCE; }
    @Override public DType dtype() { return dtype; }
    @Override public long length() { return length; }

    /** The backing array; its type depends on the dtype (see the class comment). */
    public Object array() { return array; }

    public float[] f32() { return (float[]) array; }
    public double[] f64() { return (double[]) array; }
    public short[] i16() { return (short[]) array; }
    public byte[] i8() { return (byte[]) array; }
    public int[] i32() { return (int[]) array; }
    public long[] i64() { return (long[]) array; }

    @Override
    public Optional<MemorySegment> hostSegment() {
        return Optional.of(switch (array) {
            case float[] a -> MemorySegment.ofArray(a);
            case double[] a -> MemorySegment.ofArray(a);
            case short[] a -> MemorySegment.ofArray(a);
            case byte[] a -> MemorySegment.ofArray(a);
            case int[] a -> MemorySegment.ofArray(a);
            case long[] a -> MemorySegment.ofArray(a);
            default -> throw new AssertionError(array.getClass());
        });
    }

    @Override
    public String toString() { return "CpuBuffer[" + dtype + " x " + length + "]"; }
}
