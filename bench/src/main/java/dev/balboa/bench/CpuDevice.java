package dev.balboa.bench;

import dev.balboa.spi.Backend;
import dev.balboa.spi.DType;
import dev.balboa.spi.DeviceProvider;
import dev.balboa.spi.Operand;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ServiceLoader;
import java.util.SplittableRandom;

/**
 * Opens the "cpu" device through {@link ServiceLoader} (the benchmarks talk to kernels through
 * the SPI only) and makes random float32 operands on it.
 */
final class CpuDevice {
    private CpuDevice() {}

    /** The first backend of the provider whose type is "cpu". */
    static Backend open() {
        for (DeviceProvider p : ServiceLoader.load(DeviceProvider.class)) {
            if (!p.type().equals("cpu")) continue;
            try {
                return p.open().getFirst();
            } catch (Exception e) {
                throw new IllegalStateException("cannot open the cpu device: " + e, e);
            }
        }
        throw new IllegalStateException("no DeviceProvider of type cpu on the class path");
    }

    /** A contiguous float32 operand of the given shape with values uniform in [-1, 1). */
    static Operand randomF32(Backend cpu, long seed, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        var buffer = cpu.allocate(DType.FLOAT32, n);
        SplittableRandom rnd = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(ValueLayout.JAVA_FLOAT, n);
            for (long i = 0; i < n; i++) host.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) (rnd.nextDouble() * 2 - 1));
            cpu.write(host, buffer, 0, n);
        }
        return Operand.contiguous(buffer, shape);
    }

    /** A contiguous float32 operand of the given shape, contents unspecified. */
    static Operand emptyF32(Backend cpu, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return Operand.contiguous(cpu.allocate(DType.FLOAT32, n), shape);
    }
}
