package dev.balboa.api;

import dev.balboa.spi.Backend;
import dev.balboa.spi.DType;
import dev.balboa.spi.Device;
import dev.balboa.spi.Op;
import java.lang.foreign.MemorySegment;

/** Tensor creation, conversion between dtypes and devices, and host array transfer. */
final class Creation {
    private Creation() {}

    static Tensor empty(String op, long[] shape, DType dtype, Backend backend) {
        long n = Shapes.numel(op, shape);
        if (!backend.dtypes().contains(dtype)) {
            throw new IllegalArgumentException(op + ": device " + backend.device() + " does not support dtype " + dtype
                    + " (it supports " + backend.dtypes() + ")");
        }
        Storage s = Storage.allocate(backend, dtype, n);
        return new Tensor(s, dtype, shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    static Tensor full(String op, long[] shape, Op.Fill fill, DType dtype, Backend backend) {
        Tensor t = empty(op, shape, dtype, backend);
        Dispatcher.kernel(fill, new Tensor[0], new Tensor[] {t}, false);
        return t;
    }

    static Tensor fillInPlace(Tensor t, Op.Fill fill) {
        Dispatcher.kernel(fill, new Tensor[0], new Tensor[] {t}, true);
        return t;
    }

    static Tensor arange(double start, double end, double step, DType dtype, Backend backend) {
        if (step == 0 || !Double.isFinite(step) || !Double.isFinite(start) || !Double.isFinite(end)) {
            throw new IllegalArgumentException("arange: start, end and step must be finite and step non-zero, got start="
                    + start + ", end=" + end + ", step=" + step);
        }
        if ((end - start) / step < 0) {
            throw new IllegalArgumentException("arange: step " + step + " goes away from end " + end + " starting at " + start);
        }
        long n = (long) Math.ceil((end - start) / step);
        Tensor t = empty("arange", new long[] {n}, dtype, backend);
        Dispatcher.kernel(new Op.Arange(start, step), new Tensor[0], new Tensor[] {t}, false);
        return t;
    }

    static Tensor linspace(double start, double end, long steps, DType dtype, Backend backend) {
        if (steps < 0) throw new IllegalArgumentException("linspace: steps must be >= 0, got " + steps);
        if (steps > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("linspace: too many steps " + steps);
        double[] v = new double[(int) steps];
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        for (int i = 0; i < steps; i++) v[i] = i < steps / 2 ? start + i * step : end - (steps - 1 - i) * step;
        if (steps == 1) v[0] = start;
        return fromArray(v, v.length, DType.FLOAT64, new long[] {steps}, backend).to(dtype);
    }

    static Tensor eye(long n, long m, DType dtype, Backend backend) {
        if (n < 0 || m < 0) throw new IllegalArgumentException("eye: sizes must be >= 0, got " + n + " x " + m);
        Tensor rows = arange(0, n, 1, DType.INT64, backend).unsqueeze(1);
        Tensor cols = arange(0, m, 1, DType.INT64, backend);
        return rows.eq(cols).to(dtype);
    }

    private static void requireFloat(String op, DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": expected a floating-point dtype, got " + dtype);
        }
    }

    static Tensor uniform(String op, long[] shape, double low, double high, Generator gen, DType dtype, Backend backend) {
        requireFloat(op, dtype);
        return uniformInPlace(empty(op, shape, dtype, backend), low, high, gen);
    }

    static Tensor uniformInPlace(Tensor t, double low, double high, Generator gen) {
        requireFloat("uniform_", t.dtype);
        if (!(low <= high)) throw new IllegalArgumentException("uniform_: expected low <= high, got " + low + " and " + high);
        long offset = gen.reserve(t.numel());
        Dispatcher.kernel(new Op.RandomUniform(gen.seed(), offset, low, high), new Tensor[0], new Tensor[] {t}, true);
        return t;
    }

    static Tensor normal(String op, long[] shape, double mean, double std, Generator gen, DType dtype, Backend backend) {
        requireFloat(op, dtype);
        return normalInPlace(empty(op, shape, dtype, backend), mean, std, gen);
    }

    static Tensor normalInPlace(Tensor t, double mean, double std, Generator gen) {
        requireFloat("normal_", t.dtype);
        if (!(std >= 0)) throw new IllegalArgumentException("normal_: expected std >= 0, got " + std);
        long offset = gen.reserve(t.numel());
        Dispatcher.kernel(new Op.RandomNormal(gen.seed(), offset, mean, std), new Tensor[0], new Tensor[] {t}, true);
        return t;
    }

    static Tensor randint(long low, long high, long[] shape, Generator gen, DType dtype, Backend backend) {
        if (low >= high) throw new IllegalArgumentException("randint: expected low < high, got " + low + " and " + high);
        Tensor u = uniform("randint", shape, low, high, gen, DType.FLOAT64, backend);
        return u.floor().to(dtype);
    }

    static Tensor bernoulli(Tensor p, Generator gen) {
        DType dt = p.dtype.isFloatingPoint() ? p.dtype : DType.FLOAT32;
        Tensor u = uniform("bernoulli", p.shape, 0, 1, gen, dt, p.backend());
        return u.lt(p).to(dt);
    }

    static Tensor bernoulli(long[] shape, double prob, Generator gen, DType dtype, Backend backend) {
        if (!(prob >= 0 && prob <= 1)) throw new IllegalArgumentException("bernoulli: p must be in [0, 1], got " + prob);
        return uniform("bernoulli", shape, 0, 1, gen, dtype, backend).lt(prob).to(dtype);
    }

    static Tensor fromArray(Object array, int length, DType dtype, long[] shape) {
        return fromArray(array, length, dtype, shape, Devices.backend(Devices.defaultDevice()));
    }

    static Tensor fromArray(Object array, int length, DType dtype, long[] shape, Backend backend) {
        if (shape.length == 0) shape = new long[] {length};
        long n = Shapes.numel("of", shape);
        if (n != length) {
            throw new IllegalArgumentException("of: " + length + " values do not match shape " + Shapes.str(shape)
                    + " (" + n + " elements)");
        }
        Tensor t = empty("of", shape, dtype, backend);
        MemorySegment src = switch (array) {
            case float[] a -> MemorySegment.ofArray(a);
            case double[] a -> MemorySegment.ofArray(a);
            case int[] a -> MemorySegment.ofArray(a);
            case long[] a -> MemorySegment.ofArray(a);
            case byte[] a -> MemorySegment.ofArray(a);
            case short[] a -> MemorySegment.ofArray(a);
            default -> throw new IllegalArgumentException("of: unsupported array type " + array.getClass());
        };
        backend.write(src, t.storage.buffer, 0, n);
        return t;
    }

    /** The elements of {@code t} converted to {@code dtype} (float32, float64, int32, int64 or bool), as a Java array. */
    static Object toArray(Tensor t, DType dtype) {
        Tensor c = t.to(dtype).contiguous();
        long n = c.numel();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("toArray: " + n + " elements do not fit in a Java array");
        }
        int len = (int) n;
        Object arr;
        MemorySegment seg;
        switch (dtype) {
            case FLOAT32 -> { float[] a = new float[len]; arr = a; seg = MemorySegment.ofArray(a); }
            case FLOAT64 -> { double[] a = new double[len]; arr = a; seg = MemorySegment.ofArray(a); }
            case INT32 -> { int[] a = new int[len]; arr = a; seg = MemorySegment.ofArray(a); }
            case INT64 -> { long[] a = new long[len]; arr = a; seg = MemorySegment.ofArray(a); }
            case BOOL -> { byte[] a = new byte[len]; arr = a; seg = MemorySegment.ofArray(a); }
            default -> throw new AssertionError(dtype);
        }
        if (len > 0) c.backend().read(c.storage.buffer, c.offset, seg, len);
        return arr;
    }

    static Tensor item(Tensor t, String op) {
        if (t.numel() != 1) {
            throw new IllegalArgumentException(op + ": a tensor with " + t.numel() + " elements (" + Errors.describe(t)
                    + ") cannot be converted to a scalar");
        }
        return t;
    }

    static Tensor cast(Tensor t, DType dtype) {
        Tensor out = empty("to", t.shape, dtype, t.backend());
        Dispatcher.kernel(new Op.Copy(), new Tensor[] {t}, new Tensor[] {out}, false);
        return out;
    }

    static Tensor copyOf(Tensor t, String op) {
        Tensor out = empty(op, t.shape, t.dtype, t.backend());
        Dispatcher.kernel(new Op.Copy(), new Tensor[] {t}, new Tensor[] {out}, false);
        return out;
    }

    static Tensor copyInto(Tensor dst, Tensor src) {
        if (src.backend() != dst.backend()) src = toDevice(src, dst.device());
        else if (src.storage == dst.storage) src = copyOf(src, "copy_");
        Tensor expanded = Views.expandFor("copy_", src, dst.shape);
        Dispatcher.kernel(new Op.Copy(), new Tensor[] {expanded}, new Tensor[] {dst}, true);
        return dst;
    }

    /** Moves a tensor between devices through host memory, in chunks of at most 64 MiB. */
    static Tensor toDevice(Tensor t, Device device) {
        Backend target = Devices.backend(device);
        if (target == t.backend()) return t;
        if (t.requiresGrad() && Grad.isEnabled() && AutogradSurface.available()) {
            throw new UnsupportedOperationException("to: copying " + Errors.describe(t) + " to " + device
                    + " is not recorded by autograd yet, so gradients would not flow back; move leaves before "
                    + "building the graph (Module.to), or detach() the tensor");
        }
        Tensor src = t.contiguous();
        Tensor out = empty("to", src.shape, src.dtype, target);
        long n = src.numel();
        int elem = src.dtype.byteSize();
        long chunk = Math.max(1, (64L << 20) / elem);
        byte[] host = new byte[(int) Math.min(n, chunk) * elem];
        MemorySegment seg = MemorySegment.ofArray(host);
        for (long done = 0; done < n; done += chunk) {
            long count = Math.min(chunk, n - done);
            src.backend().read(src.storage.buffer, src.offset + done, seg, count);
            target.write(seg, out.storage.buffer, done, count);
        }
        return out;
    }
}
