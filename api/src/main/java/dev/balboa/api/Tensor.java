package dev.balboa.api;

import dev.balboa.api.dispatch.GradFn;
import dev.balboa.api.dispatch.ViewOp;
import dev.balboa.spi.Backend;
import dev.balboa.spi.DType;
import dev.balboa.spi.Device;
import dev.balboa.spi.Op;
import dev.balboa.spi.Op.BinaryFn;
import dev.balboa.spi.Op.UnaryFn;
import dev.balboa.spi.Operand;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional array on a device, with PyTorch's semantics: a strided view (shape, strides,
 * offset) over storage that views share, a dtype, and the autograd surface
 * ({@link #requiresGrad()}, {@link #grad()}, {@link #backward()}).
 *
 * <pre>{@code
 * Generator gen = new Generator(42);
 * Tensor x = Tensor.randn(new long[] {64, 128}, gen);
 * Tensor w = Tensor.randn(new long[] {128, 10}, gen);
 * Tensor y = x.matmul(w).add(1.0).relu().sum(1);
 * }</pre>
 *
 * <p>Ops return new tensors; methods ending in {@code _} modify the tensor in place and return it.
 * Dims may be negative (counted from the end). Every op checks its operands and throws an
 * exception naming the op and each operand's shape, dtype and device.
 */
public final class Tensor implements AutoCloseable {
    // not final only so that set_ can move a parameter's data (Module.to); every op reads them once
    Storage storage;
    DType dtype;
    long[] shape;
    long[] strides;
    long offset;

    // autograd surface; the engine lives in dev.balboa.autograd
    boolean requiresGrad;
    Tensor grad;
    GradFn gradFn;
    int outputNr;
    Object autogradMeta;
    /** The tensor whose storage this view was made from (null for tensors that are not views). */
    Tensor base;

    static {
        dev.balboa.api.engine.TensorAccess.install(new AccessImpl());
    }

    Tensor(Storage storage, DType dtype, long[] shape, long[] strides, long offset) {
        this.storage = storage;
        this.dtype = dtype;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    // ================================================================ properties

    /** The shape, as a new array. */
    public long[] shape() { return shape.clone(); }

    /** Size of one dimension (negative dims count from the end). */
    public long size(int dim) { return shape[Shapes.dim("size", dim, shape.length)]; }

    /** Number of dimensions. */
    public int dim() { return shape.length; }

    /** Number of elements. */
    public long numel() { return Shapes.numel(shape); }

    /** Element type. */
    public DType dtype() { return dtype; }

    /** The device holding the storage. */
    public Device device() { return storage.backend.device(); }

    /** Element strides, as a new array. */
    public long[] stride() { return strides.clone(); }

    /** Element offset of the first element in the storage. */
    public long storageOffset() { return offset; }

    /** True when elements are laid out row-major without gaps. */
    public boolean isContiguous() { return operand().isContiguous(); }

    /** The storage's version counter: how many in-place writes it has seen. */
    public int version() { return storage.version; }

    /** Whether two tensors share storage (one is a view of the other, or both of a third). */
    public boolean sharesStorage(Tensor other) { return storage == other.storage; }

    Operand operand() { return new Operand(storage.buffer, shape, strides, offset); }

    Backend backend() { return storage.backend; }

    // ================================================================ creation

    /** An uninitialised float32 tensor on the default device. */
    public static Tensor empty(long... shape) { return empty(shape, DType.FLOAT32, Devices.defaultDevice()); }

    /** An uninitialised tensor of the given dtype on the default device. */
    public static Tensor empty(long[] shape, DType dtype) { return empty(shape, dtype, Devices.defaultDevice()); }

    /** An uninitialised tensor (contents unspecified until written). */
    public static Tensor empty(long[] shape, DType dtype, Device device) {
        return Creation.empty("empty", shape, dtype, Devices.backend(device));
    }

    /** A float32 tensor of zeros on the default device. */
    public static Tensor zeros(long... shape) { return full(shape, 0.0); }

    /** A tensor of zeros. */
    public static Tensor zeros(long[] shape, DType dtype) { return full(shape, 0L, dtype, Devices.defaultDevice()); }

    /** A tensor of zeros. */
    public static Tensor zeros(long[] shape, DType dtype, Device device) { return full(shape, 0L, dtype, device); }

    /** A float32 tensor of ones on the default device. */
    public static Tensor ones(long... shape) { return full(shape, 1.0); }

    /** A tensor of ones. */
    public static Tensor ones(long[] shape, DType dtype) { return full(shape, 1L, dtype, Devices.defaultDevice()); }

    /** A tensor of ones. */
    public static Tensor ones(long[] shape, DType dtype, Device device) { return full(shape, 1L, dtype, device); }

    /** A float32 tensor filled with {@code value}. */
    public static Tensor full(long[] shape, double value) { return full(shape, value, DType.FLOAT32, Devices.defaultDevice()); }

    /** A tensor filled with {@code value}. */
    public static Tensor full(long[] shape, double value, DType dtype, Device device) {
        return Creation.full("full", shape, Op.Fill.of(value), dtype, Devices.backend(device));
    }

    /** A tensor filled with an exact integer {@code value}. */
    public static Tensor full(long[] shape, long value, DType dtype, Device device) {
        return Creation.full("full", shape, Op.Fill.of(value), dtype, Devices.backend(device));
    }

    /** A tensor of zeros with the shape, dtype and device of {@code like}. */
    public static Tensor zerosLike(Tensor like) { return Creation.full("zeros_like", like.shape, Op.Fill.of(0L), like.dtype, like.backend()); }

    /** A tensor of ones with the shape, dtype and device of {@code like}. */
    public static Tensor onesLike(Tensor like) { return Creation.full("ones_like", like.shape, Op.Fill.of(1L), like.dtype, like.backend()); }

    /** A tensor filled with {@code value} with the shape, dtype and device of {@code like}. */
    public static Tensor fullLike(Tensor like, double value) { return Creation.full("full_like", like.shape, Op.Fill.of(value), like.dtype, like.backend()); }

    /** An uninitialised tensor with the shape, dtype and device of {@code like}. */
    public static Tensor emptyLike(Tensor like) { return Creation.empty("empty_like", like.shape, like.dtype, like.backend()); }

    /** {@code [0, 1, ..., end-1]} as int64. */
    public static Tensor arange(long end) { return arange(0, end, 1, DType.INT64, Devices.defaultDevice()); }

    /** {@code start, start+step, ...} below {@code end} (above, for a negative step), as int64. */
    public static Tensor arange(long start, long end, long step) { return arange(start, end, step, DType.INT64, Devices.defaultDevice()); }

    /** {@code start, start+step, ...} below {@code end} (above, for a negative step). */
    public static Tensor arange(double start, double end, double step, DType dtype, Device device) {
        return Creation.arange(start, end, step, dtype, Devices.backend(device));
    }

    /** {@code steps} evenly spaced float32 values from {@code start} to {@code end} inclusive. */
    public static Tensor linspace(double start, double end, long steps) { return linspace(start, end, steps, DType.FLOAT32, Devices.defaultDevice()); }

    /** {@code steps} evenly spaced values from {@code start} to {@code end} inclusive. */
    public static Tensor linspace(double start, double end, long steps, DType dtype, Device device) {
        return Creation.linspace(start, end, steps, dtype, Devices.backend(device));
    }

    /** The n x n float32 identity matrix. */
    public static Tensor eye(long n) { return eye(n, n, DType.FLOAT32, Devices.defaultDevice()); }

    /** An n x m matrix with ones on the diagonal. */
    public static Tensor eye(long n, long m, DType dtype, Device device) {
        return Creation.eye(n, m, dtype, Devices.backend(device));
    }

    /** Uniform float32 numbers in [0, 1) from the default generator ({@code torch.rand(*size)}). */
    public static Tensor rand(long... shape) { return rand(shape, Generator.defaultGenerator()); }

    /** Standard normal float32 numbers from the default generator ({@code torch.randn(*size)}). */
    public static Tensor randn(long... shape) { return randn(shape, Generator.defaultGenerator()); }

    /** Uniform int64 integers in {@code [low, high)} from the default generator. */
    public static Tensor randint(long low, long high, long... shape) {
        return randint(low, high, shape, Generator.defaultGenerator());
    }

    /** Uniform float32 numbers in [0, 1) from {@code gen}. */
    public static Tensor rand(long[] shape, Generator gen) { return rand(shape, gen, DType.FLOAT32, Devices.defaultDevice()); }

    /** Uniform numbers in [0, 1) from {@code gen}. */
    public static Tensor rand(long[] shape, Generator gen, DType dtype, Device device) {
        return Creation.uniform("rand", shape, 0, 1, gen, dtype, Devices.backend(device));
    }

    /** Standard normal float32 numbers from {@code gen}. */
    public static Tensor randn(long[] shape, Generator gen) { return randn(shape, gen, DType.FLOAT32, Devices.defaultDevice()); }

    /** Standard normal numbers from {@code gen}. */
    public static Tensor randn(long[] shape, Generator gen, DType dtype, Device device) {
        return Creation.normal("randn", shape, 0, 1, gen, dtype, Devices.backend(device));
    }

    /** Uniform int64 integers in {@code [low, high)} from {@code gen}. */
    public static Tensor randint(long low, long high, long[] shape, Generator gen) {
        return randint(low, high, shape, gen, DType.INT64, Devices.defaultDevice());
    }

    /** Uniform integers in {@code [low, high)} from {@code gen}, stored as {@code dtype}. */
    public static Tensor randint(long low, long high, long[] shape, Generator gen, DType dtype, Device device) {
        return Creation.randint(low, high, shape, gen, dtype, Devices.backend(device));
    }

    /** Uniform numbers in {@code [low, high)} filling this tensor in place. */
    public Tensor uniform_(double low, double high, Generator gen) { return Creation.uniformInPlace(this, low, high, gen); }

    /** Normal numbers filling this tensor in place. */
    public Tensor normal_(double mean, double std, Generator gen) { return Creation.normalInPlace(this, mean, std, gen); }

    /** 0/1 samples with probability given by this tensor's elements (in [0, 1]), same dtype. */
    public Tensor bernoulli(Generator gen) { return Creation.bernoulli(this, gen); }

    /** 0/1 float32 samples with probability {@code p}. */
    public static Tensor bernoulli(long[] shape, double p, Generator gen) {
        return Creation.bernoulli(shape, p, gen, DType.FLOAT32, Devices.backend(Devices.defaultDevice()));
    }

    /** A float32 tensor with the given values (row-major) and shape; with no shape, a 1-D tensor. */
    public static Tensor of(float[] data, long... shape) { return Creation.fromArray(data, data.length, DType.FLOAT32, shape); }

    /** A float64 tensor with the given values and shape; with no shape, a 1-D tensor. */
    public static Tensor of(double[] data, long... shape) { return Creation.fromArray(data, data.length, DType.FLOAT64, shape); }

    /** An int32 tensor with the given values and shape; with no shape, a 1-D tensor. */
    public static Tensor of(int[] data, long... shape) { return Creation.fromArray(data, data.length, DType.INT32, shape); }

    /** An int64 tensor with the given values and shape; with no shape, a 1-D tensor. */
    public static Tensor of(long[] data, long... shape) { return Creation.fromArray(data, data.length, DType.INT64, shape); }

    /** A bool tensor with the given values and shape; with no shape, a 1-D tensor. */
    public static Tensor of(boolean[] data, long... shape) {
        byte[] bytes = new byte[data.length];
        for (int i = 0; i < data.length; i++) bytes[i] = (byte) (data[i] ? 1 : 0);
        return Creation.fromArray(bytes, data.length, DType.BOOL, shape);
    }

    /** A tensor of the given 8-bit dtype (int8, uint8 or bool) with the given bytes and shape. */
    public static Tensor of(byte[] data, DType dtype, long... shape) {
        if (dtype.byteSize() != 1) throw new IllegalArgumentException("of: byte[] data needs a 1-byte dtype (int8, uint8, bool), got " + dtype);
        return Creation.fromArray(data, data.length, dtype, shape);
    }

    /** A 0-dimensional float32 tensor. */
    public static Tensor scalar(double value) { return full(Shapes.SCALAR, value); }

    /** A 0-dimensional tensor of the given dtype. */
    public static Tensor scalar(double value, DType dtype) {
        return dtype.isFloatingPoint() ? full(Shapes.SCALAR, value, dtype, Devices.defaultDevice())
                : full(Shapes.SCALAR, (long) value, dtype, Devices.defaultDevice());
    }

    // ================================================================ conversion

    /** This tensor converted to {@code dtype} (itself when it already has it). */
    public Tensor to(DType dtype) { return dtype == this.dtype ? this : Creation.cast(this, dtype); }

    /** This tensor on {@code device} (itself when it is already there). */
    public Tensor to(Device device) { return Creation.toDevice(this, device); }

    /** This tensor on {@code device}, converted to {@code dtype}. */
    public Tensor to(Device device, DType dtype) { return to(device).to(dtype); }

    /** The elements in row-major order as floats (converted from any dtype). */
    public float[] toFloatArray() { return (float[]) Creation.toArray(this, DType.FLOAT32); }

    /** The elements in row-major order as doubles. */
    public double[] toDoubleArray() { return (double[]) Creation.toArray(this, DType.FLOAT64); }

    /** The elements in row-major order as ints. */
    public int[] toIntArray() { return (int[]) Creation.toArray(this, DType.INT32); }

    /** The elements in row-major order as longs. */
    public long[] toLongArray() { return (long[]) Creation.toArray(this, DType.INT64); }

    /** The elements in row-major order as booleans (non-zero is true). */
    public boolean[] toBooleanArray() {
        byte[] b = (byte[]) Creation.toArray(this, DType.BOOL);
        boolean[] out = new boolean[b.length];
        for (int i = 0; i < b.length; i++) out[i] = b[i] != 0;
        return out;
    }

    /** The value of a one-element tensor, as a double. */
    public double item() { return Creation.item(this, "item").toDoubleArray()[0]; }

    /** The value of a one-element tensor, as a long (exact for integer dtypes). */
    public long itemLong() { return Creation.item(this, "itemLong").toLongArray()[0]; }

    /** The value of a one-element tensor, as a boolean. */
    public boolean itemBoolean() { return Creation.item(this, "itemBoolean").toBooleanArray()[0]; }

    /** A row-major contiguous tensor with the same values (itself when already contiguous). */
    public Tensor contiguous() { return isContiguous() ? this : Creation.copyOf(this, "contiguous"); }

    /** A copy with its own storage. */
    public Tensor clone() { return Creation.copyOf(this, "clone"); }

    /**
     * Makes this tensor share {@code source}'s storage, dtype, shape and strides, like
     * {@code torch.Tensor.set_}; every holder of this tensor object sees the new data. Used to move
     * parameters between devices and dtypes ({@code Module.to}). Only leaves without recorded
     * history may be re-pointed.
     */
    public Tensor set_(Tensor source) {
        if (gradFn != null) {
            throw new IllegalStateException("set_: " + Errors.describe(this) + " has autograd history (" + gradFn.name()
                    + "); only leaves can be re-pointed");
        }
        this.storage = source.storage;
        this.dtype = source.dtype;
        this.shape = source.shape;
        this.strides = source.strides;
        this.offset = source.offset;
        this.base = source.base;
        storage.version++;
        return this;
    }

    /** Copies {@code src} (broadcast to this shape, converted to this dtype, from any device) into this tensor. */
    public Tensor copy_(Tensor src) { return Creation.copyInto(this, src); }

    /**
     * Releases this tensor's device memory now when it is the only user of its storage; views
     * and later use of this tensor are errors. CPU storage is reclaimed by the garbage collector
     * anyway; on GPUs this returns memory to the allocator deterministically.
     */
    @Override
    public void close() { storage.buffer.close(); }

    // ================================================================ elementwise

    /** {@code this + other}, broadcasting, with PyTorch's type promotion. */
    public Tensor add(Tensor other) { return Elementwise.binary(BinaryFn.ADD, this, other); }
    /** {@code this + alpha * other}. */
    public Tensor add(Tensor other, double alpha) { return add(Elementwise.scaled("add", this, other, alpha)); }
    /** {@code this + value}. */
    public Tensor add(double value) { return Elementwise.binary(BinaryFn.ADD, this, value); }
    /** {@code this + value}; integer tensors stay integer. */
    public Tensor add(long value) { return Elementwise.binary(BinaryFn.ADD, this, value); }
    /** {@code this - other}. */
    public Tensor sub(Tensor other) { return Elementwise.binary(BinaryFn.SUB, this, other); }
    /** {@code this - value}. */
    public Tensor sub(double value) { return Elementwise.binary(BinaryFn.SUB, this, value); }
    /** {@code this - value}; integer tensors stay integer. */
    public Tensor sub(long value) { return Elementwise.binary(BinaryFn.SUB, this, value); }
    /** {@code value - this}. */
    public Tensor rsub(double value) { return Elementwise.binaryReversed(BinaryFn.SUB, value, this); }
    /** {@code this * other}. */
    public Tensor mul(Tensor other) { return Elementwise.binary(BinaryFn.MUL, this, other); }
    /** {@code this * value}. */
    public Tensor mul(double value) { return Elementwise.binary(BinaryFn.MUL, this, value); }
    /** {@code this * value}; integer tensors stay integer. */
    public Tensor mul(long value) { return Elementwise.binary(BinaryFn.MUL, this, value); }
    /** True division {@code this / other}: integer inputs give float32. */
    public Tensor div(Tensor other) { return Elementwise.trueDivide(this, other); }
    /** True division {@code this / value}. */
    public Tensor div(double value) { return Elementwise.trueDivide(this, value); }
    /** {@code value / this}. */
    public Tensor rdiv(double value) { return Elementwise.trueDivideReversed(value, this); }
    /** Division rounded toward negative infinity ({@code torch.floor_divide}). */
    public Tensor floorDivide(Tensor other) { return Elementwise.floorDivide(this, other); }
    /** Python-style remainder with the sign of the divisor ({@code torch.remainder}). */
    public Tensor remainder(Tensor other) { return sub(floorDivide(other).mul(other)); }
    /** {@code this ** exponent}. */
    public Tensor pow(Tensor exponent) { return Elementwise.binary(BinaryFn.POW, this, exponent); }
    /** {@code this ** exponent}. */
    public Tensor pow(double exponent) { return Elementwise.pow(this, exponent); }
    /** Elementwise maximum, NaN-propagating. */
    public Tensor maximum(Tensor other) { return Elementwise.binary(BinaryFn.MAXIMUM, this, other); }
    /** Elementwise minimum, NaN-propagating. */
    public Tensor minimum(Tensor other) { return Elementwise.binary(BinaryFn.MINIMUM, this, other); }

    /** {@code -this}. */
    public Tensor neg() { return Elementwise.unary(UnaryFn.NEG, this); }
    /** {@code |this|}. */
    public Tensor abs() { return Elementwise.unary(UnaryFn.ABS, this); }
    /** -1, 0 or 1 by sign. */
    public Tensor sign() { return Elementwise.unary(UnaryFn.SIGN, this); }
    /** e to the power of each element. */
    public Tensor exp() { return Elementwise.unary(UnaryFn.EXP, this); }
    /** Natural logarithm. */
    public Tensor log() { return Elementwise.unary(UnaryFn.LOG, this); }
    /** {@code log(1 + x)}, accurate for small x. */
    public Tensor log1p() { return Elementwise.unary(UnaryFn.LOG1P, this); }
    /** {@code exp(x) - 1}, accurate for small x. */
    public Tensor expm1() { return Elementwise.unary(UnaryFn.EXPM1, this); }
    /** Square root. */
    public Tensor sqrt() { return Elementwise.unary(UnaryFn.SQRT, this); }
    /** {@code 1 / sqrt(x)}. */
    public Tensor rsqrt() { return Elementwise.unary(UnaryFn.RSQRT, this); }
    /** {@code 1 / x}. */
    public Tensor reciprocal() { return Elementwise.unary(UnaryFn.RECIPROCAL, this); }
    /** {@code x * x}. */
    public Tensor square() { return mul(this); }
    /** Sine. */
    public Tensor sin() { return Elementwise.unary(UnaryFn.SIN, this); }
    /** Cosine. */
    public Tensor cos() { return Elementwise.unary(UnaryFn.COS, this); }
    /** Hyperbolic tangent. */
    public Tensor tanh() { return Elementwise.unary(UnaryFn.TANH, this); }
    /** Logistic sigmoid {@code 1 / (1 + exp(-x))}. */
    public Tensor sigmoid() { return Elementwise.unary(UnaryFn.SIGMOID, this); }
    /** The Gauss error function. */
    public Tensor erf() { return Elementwise.unary(UnaryFn.ERF, this); }
    /** {@code max(x, 0)}. */
    public Tensor relu() { return Elementwise.unary(UnaryFn.RELU, this); }
    /** GELU with the exact erf form {@code x * (1 + erf(x / sqrt 2)) / 2}. */
    public Tensor gelu() { return Elementwise.gelu(this, false); }
    /** GELU; {@code approximate = "tanh"} uses the tanh approximation, {@code "none"} the exact form. */
    public Tensor gelu(String approximate) { return Elementwise.gelu(this, Elementwise.geluMode(approximate)); }
    /** SiLU (swish): {@code x * sigmoid(x)}. */
    public Tensor silu() { return mul(sigmoid()); }
    /** Softplus {@code log(1 + exp(x))} with beta 1 and threshold 20, as in PyTorch. */
    public Tensor softplus() { return softplus(1.0, 20.0); }
    /** Softplus {@code log(1 + exp(beta x)) / beta}, linear where {@code beta x > threshold}. */
    public Tensor softplus(double beta, double threshold) { return Elementwise.softplus(this, beta, threshold); }
    /** Clamps into {@code [min, max]}; NaN stays NaN. */
    public Tensor clamp(double min, double max) { return Elementwise.clamp(this, min, max); }
    /** {@code max(x, min)}. */
    public Tensor clampMin(double min) { return Elementwise.clamp(this, min, Double.NaN); }
    /** {@code min(x, max)}. */
    public Tensor clampMax(double max) { return Elementwise.clamp(this, Double.NaN, max); }
    /** Rounds down. */
    public Tensor floor() { return Elementwise.unary(UnaryFn.FLOOR, this); }
    /** Rounds up. */
    public Tensor ceil() { return Elementwise.unary(UnaryFn.CEIL, this); }
    /** Rounds half to even, like {@code torch.round}. */
    public Tensor round() { return Elementwise.unary(UnaryFn.ROUND, this); }
    /** Bool tensor: NaN elements. */
    public Tensor isnan() { return Elementwise.unary(UnaryFn.ISNAN, this); }
    /** Bool tensor: infinite elements. */
    public Tensor isinf() { return Elementwise.unary(UnaryFn.ISINF, this); }

    /** Bool tensor: {@code this == other}. */
    public Tensor eq(Tensor other) { return Elementwise.binary(BinaryFn.EQ, this, other); }
    /** Bool tensor: {@code this == value}. */
    public Tensor eq(double value) { return Elementwise.binary(BinaryFn.EQ, this, value); }
    /** Bool tensor: {@code this == value}, exact for integers. */
    public Tensor eq(long value) { return Elementwise.binary(BinaryFn.EQ, this, value); }
    /** Bool tensor: {@code this != other}. */
    public Tensor ne(Tensor other) { return Elementwise.binary(BinaryFn.NE, this, other); }
    /** Bool tensor: {@code this != value}. */
    public Tensor ne(double value) { return Elementwise.binary(BinaryFn.NE, this, value); }
    /** Bool tensor: {@code this < other}. */
    public Tensor lt(Tensor other) { return Elementwise.binary(BinaryFn.LT, this, other); }
    /** Bool tensor: {@code this < value}. */
    public Tensor lt(double value) { return Elementwise.binary(BinaryFn.LT, this, value); }
    /** Bool tensor: {@code this <= other}. */
    public Tensor le(Tensor other) { return Elementwise.binary(BinaryFn.LE, this, other); }
    /** Bool tensor: {@code this <= value}. */
    public Tensor le(double value) { return Elementwise.binary(BinaryFn.LE, this, value); }
    /** Bool tensor: {@code this > other}. */
    public Tensor gt(Tensor other) { return Elementwise.binary(BinaryFn.GT, this, other); }
    /** Bool tensor: {@code this > value}. */
    public Tensor gt(double value) { return Elementwise.binary(BinaryFn.GT, this, value); }
    /** Bool tensor: {@code this >= other}. */
    public Tensor ge(Tensor other) { return Elementwise.binary(BinaryFn.GE, this, other); }
    /** Bool tensor: {@code this >= value}. */
    public Tensor ge(double value) { return Elementwise.binary(BinaryFn.GE, this, value); }
    /** Logical and of the truth values (non-zero is true); bool result. */
    public Tensor logicalAnd(Tensor other) { return Elementwise.logical(BinaryFn.LOGICAL_AND, this, other); }
    /** Logical or; bool result. */
    public Tensor logicalOr(Tensor other) { return Elementwise.logical(BinaryFn.LOGICAL_OR, this, other); }
    /** Logical not; bool result. */
    public Tensor logicalNot() { return Elementwise.unary(UnaryFn.LOGICAL_NOT, this); }
    /** Logical exclusive or; bool result. */
    public Tensor logicalXor(Tensor other) { return Elementwise.logical(BinaryFn.NE, this, other); }

    /** Elements of {@code a} where {@code condition} is true, else of {@code b}, broadcasting all three. */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) { return Elementwise.where(condition, a, b); }
    /** Elements of {@code a} where {@code condition} is true, else {@code b}. */
    public static Tensor where(Tensor condition, Tensor a, double b) { return Elementwise.where(condition, a, Elementwise.scalarOperand(a, b)); }
    /** This tensor where {@code condition} is true, else {@code other} ({@code x.where(cond, y)}). */
    public Tensor where(Tensor condition, Tensor other) { return Elementwise.where(condition, this, other); }

    // in place

    /** In place {@code this += other}. */
    public Tensor add_(Tensor other) { return Elementwise.binaryInPlace(BinaryFn.ADD, this, other); }
    /** In place {@code this += alpha * other}. */
    public Tensor add_(Tensor other, double alpha) { return Elementwise.binaryInPlace(BinaryFn.ADD, this, Elementwise.scaled("add_", this, other, alpha)); }
    /** In place {@code this += value}. */
    public Tensor add_(double value) { return Elementwise.binaryInPlace(BinaryFn.ADD, this, Elementwise.inPlaceScalar("add_", this, value)); }
    /** In place {@code this -= other}. */
    public Tensor sub_(Tensor other) { return Elementwise.binaryInPlace(BinaryFn.SUB, this, other); }
    /** In place {@code this -= value}. */
    public Tensor sub_(double value) { return Elementwise.binaryInPlace(BinaryFn.SUB, this, Elementwise.inPlaceScalar("sub_", this, value)); }
    /** In place {@code this *= other}. */
    public Tensor mul_(Tensor other) { return Elementwise.binaryInPlace(BinaryFn.MUL, this, other); }
    /** In place {@code this *= value}. */
    public Tensor mul_(double value) { return Elementwise.binaryInPlace(BinaryFn.MUL, this, Elementwise.inPlaceScalar("mul_", this, value)); }
    /** In place {@code this /= other} (this must be floating point). */
    public Tensor div_(Tensor other) { return Elementwise.divInPlace(this, other); }
    /** In place {@code this /= value}. */
    public Tensor div_(double value) { return Elementwise.divInPlace(this, Elementwise.scalarLike(this, value)); }
    /** In place {@code this = this ** exponent}. */
    public Tensor pow_(double exponent) { return Elementwise.binaryInPlace(BinaryFn.POW, this, Elementwise.inPlaceScalar("pow_", this, exponent)); }
    /** In place negation. */
    public Tensor neg_() { return Elementwise.unaryInPlace(UnaryFn.NEG, this); }
    /** In place exp. */
    public Tensor exp_() { return Elementwise.unaryInPlace(UnaryFn.EXP, this); }
    /** In place sqrt. */
    public Tensor sqrt_() { return Elementwise.unaryInPlace(UnaryFn.SQRT, this); }
    /** In place ReLU. */
    public Tensor relu_() { return Elementwise.unaryInPlace(UnaryFn.RELU, this); }
    /** In place sigmoid. */
    public Tensor sigmoid_() { return Elementwise.unaryInPlace(UnaryFn.SIGMOID, this); }
    /** In place tanh. */
    public Tensor tanh_() { return Elementwise.unaryInPlace(UnaryFn.TANH, this); }
    /** In place clamp into {@code [min, max]}. */
    public Tensor clamp_(double min, double max) {
        // clamp saves its input for backward; when recording, clamp a copy so that writing into this tensor keeps it intact
        Tensor src = Grad.isEnabled() && requiresGrad() ? clone() : this;
        return copy_(src.clamp(min, max));
    }
    /** In place: every element becomes {@code value}. */
    public Tensor fill_(double value) { return Creation.fillInPlace(this, Op.Fill.of(value)); }
    /** In place: every element becomes the exact integer {@code value}. */
    public Tensor fill_(long value) { return Creation.fillInPlace(this, Op.Fill.of(value)); }
    /** In place: every element becomes zero. */
    public Tensor zero_() { return Creation.fillInPlace(this, Op.Fill.of(0L)); }
    /** In place: elements where {@code mask} is true become {@code value}. */
    public Tensor maskedFill_(Tensor mask, double value) { return copy_(maskedFill(mask, value)); }

    // ================================================================ reductions

    /** Sum of all elements (0-d; integer inputs give int64). */
    public Tensor sum() { return Reductions.sum(this, null, false, null); }
    /** Sum over {@code dims}, dropping them. */
    public Tensor sum(int... dims) { return Reductions.sum(this, dims, false, null); }
    /** Sum over {@code dims}, keeping them as size 1 when {@code keepdim}. */
    public Tensor sum(int[] dims, boolean keepdim) { return Reductions.sum(this, dims, keepdim, null); }
    /** Sum over {@code dims} computed and returned in {@code dtype}. */
    public Tensor sum(int[] dims, boolean keepdim, DType dtype) { return Reductions.sum(this, dims, keepdim, dtype); }
    /** Mean of all elements (floating point). */
    public Tensor mean() { return Reductions.mean(this, null, false); }
    /** Mean over {@code dims}. */
    public Tensor mean(int... dims) { return Reductions.mean(this, dims, false); }
    /** Mean over {@code dims}, keeping them when {@code keepdim}. */
    public Tensor mean(int[] dims, boolean keepdim) { return Reductions.mean(this, dims, keepdim); }
    /** Product of all elements. */
    public Tensor prod() { return Reductions.simple(Op.ReduceFn.PROD, "prod", this, null, false); }
    /** Product over {@code dims}, keeping them as size 1 when {@code keepdim}. */
    public Tensor prod(int[] dims, boolean keepdim) { return Reductions.simple(Op.ReduceFn.PROD, "prod", this, dims, keepdim); }
    /** Product over one dim. */
    public Tensor prod(int dim, boolean keepdim) { return Reductions.simple(Op.ReduceFn.PROD, "prod", this, new int[] {dim}, keepdim); }
    /** Maximum of all elements (NaN if any is NaN). */
    public Tensor max() { return Reductions.simple(Op.ReduceFn.MAX, "max", this, null, false); }
    /** Maximum along {@code dim} with the index of its first occurrence. */
    public ValuesIndices max(int dim) { return Reductions.arg(Op.ArgFn.MAX, "max", this, dim, false); }
    /** Maximum along {@code dim} with indices, keeping the dim when {@code keepdim}. */
    public ValuesIndices max(int dim, boolean keepdim) { return Reductions.arg(Op.ArgFn.MAX, "max", this, dim, keepdim); }
    /** Minimum of all elements. */
    public Tensor min() { return Reductions.simple(Op.ReduceFn.MIN, "min", this, null, false); }
    /** Minimum along {@code dim} with indices. */
    public ValuesIndices min(int dim) { return Reductions.arg(Op.ArgFn.MIN, "min", this, dim, false); }
    /** Minimum along {@code dim} with indices, keeping the dim when {@code keepdim}. */
    public ValuesIndices min(int dim, boolean keepdim) { return Reductions.arg(Op.ArgFn.MIN, "min", this, dim, keepdim); }
    /** Maximum over several dims (values only). */
    public Tensor amax(int[] dims, boolean keepdim) { return Reductions.simple(Op.ReduceFn.MAX, "amax", this, dims, keepdim); }
    /** Minimum over several dims (values only). */
    public Tensor amin(int[] dims, boolean keepdim) { return Reductions.simple(Op.ReduceFn.MIN, "amin", this, dims, keepdim); }
    /** Flat index of the maximum (first occurrence), int64. */
    public Tensor argmax() { return reshape(-1).argmax(0, false); }
    /** Index of the maximum along {@code dim}. */
    public Tensor argmax(int dim, boolean keepdim) { return Reductions.arg(Op.ArgFn.MAX, "argmax", this, dim, keepdim).indices(); }
    /** Flat index of the minimum, int64. */
    public Tensor argmin() { return reshape(-1).argmin(0, false); }
    /** Index of the minimum along {@code dim}. */
    public Tensor argmin(int dim, boolean keepdim) { return Reductions.arg(Op.ArgFn.MIN, "argmin", this, dim, keepdim).indices(); }
    /** Variance of all elements; {@code unbiased} divides by n-1. */
    public Tensor var(boolean unbiased) { return Reductions.var(this, null, unbiased, false); }
    /** Variance over {@code dims}. */
    public Tensor var(int[] dims, boolean unbiased, boolean keepdim) { return Reductions.var(this, dims, unbiased, keepdim); }
    /** Standard deviation of all elements. */
    public Tensor std(boolean unbiased) { return var(unbiased).sqrt(); }
    /** Standard deviation over {@code dims}. */
    public Tensor std(int[] dims, boolean unbiased, boolean keepdim) { return var(dims, unbiased, keepdim).sqrt(); }
    /** {@code log(sum(exp(x)))} over {@code dims}, computed stably. */
    public Tensor logsumexp(int[] dims, boolean keepdim) { return Reductions.logsumexp(this, dims, keepdim); }
    /** The 2-norm of all elements. */
    public Tensor norm() { return Reductions.norm(this, 2, null, false); }
    /** The p-norm over {@code dims} (p may be infinite). */
    public Tensor norm(double p, int[] dims, boolean keepdim) { return Reductions.norm(this, p, dims, keepdim); }
    /** Whether all elements are true (non-zero); bool 0-d. */
    public Tensor all() { return Reductions.logical(Op.ReduceFn.ALL, this, null, false); }
    /** Whether all elements along {@code dim} are true. */
    public Tensor all(int dim, boolean keepdim) { return Reductions.logical(Op.ReduceFn.ALL, this, new int[] {dim}, keepdim); }
    /** Whether any element is true (non-zero); bool 0-d. */
    public Tensor any() { return Reductions.logical(Op.ReduceFn.ANY, this, null, false); }
    /** Whether any element along {@code dim} is true. */
    public Tensor any(int dim, boolean keepdim) { return Reductions.logical(Op.ReduceFn.ANY, this, new int[] {dim}, keepdim); }
    /** Softmax along {@code dim}, computed stably (max subtracted). */
    public Tensor softmax(int dim) { return Reductions.softmax(this, dim); }
    /** Log-softmax along {@code dim}, computed stably. */
    public Tensor logSoftmax(int dim) { return Reductions.logSoftmax(this, dim); }
    /** Inclusive cumulative sum along {@code dim}. */
    public Tensor cumsum(int dim) { return Reductions.scan(Op.ScanFn.SUM, this, dim); }
    /** Inclusive cumulative product along {@code dim}. */
    public Tensor cumprod(int dim) { return Reductions.scan(Op.ScanFn.PROD, this, dim); }

    // ================================================================ linear algebra

    /** Matrix product with {@code torch.matmul}'s rules: 1-D, 2-D and batched operands with broadcast batch dims. */
    public Tensor matmul(Tensor other) { return Linalg.matmul(this, other); }
    /** Matrix product of two 2-D tensors. */
    public Tensor mm(Tensor other) { return Linalg.mm(this, other); }
    /** Batched matrix product of two 3-D tensors with equal batch sizes. */
    public Tensor bmm(Tensor other) { return Linalg.bmm(this, other); }
    /** Dot product of two 1-D tensors. */
    public Tensor dot(Tensor other) { return Linalg.dot(this, other); }
    /** Outer product of two 1-D tensors. */
    public Tensor outer(Tensor other) { return Linalg.outer(this, other); }

    // ================================================================ views

    /** A view with a new shape (one entry may be -1); the strides must allow it, else use {@link #reshape}. */
    public Tensor view(long... shape) { return Views.view(this, shape); }
    /** A view with a new shape when the strides allow it, else a contiguous copy. */
    public Tensor reshape(long... shape) { return Views.reshape(this, shape); }
    /** A view with dimensions reordered: result dim i is this tensor's dim {@code dims[i]}. */
    public Tensor permute(int... dims) { return Views.permute(this, dims); }
    /** A view with two dimensions swapped. */
    public Tensor transpose(int dim0, int dim1) { return Views.transpose(this, dim0, dim1); }
    /** Transpose of a tensor with at most 2 dims. */
    public Tensor t() { return Views.t(this); }
    /** The last two dims swapped (matrix transpose of a batch). */
    public Tensor mT() { return transpose(-2, -1); }
    /** {@code length} elements of {@code dim} starting at {@code start}, as a view. */
    public Tensor narrow(int dim, long start, long length) { return Views.narrow(this, dim, start, length); }
    /** Elements {@code start, start+step, ...} below {@code end} of {@code dim} (Python slicing; negatives count from the end). */
    public Tensor slice(int dim, long start, long end, long step) { return Views.slice(this, dim, start, end, step); }
    /** The sub-tensor at {@code index} of {@code dim}, which is removed. */
    public Tensor select(int dim, long index) { return Views.select(this, dim, index); }
    /** A broadcast view with size-1 dims expanded to {@code shape} (-1 keeps a size). */
    public Tensor expand(long... shape) { return Views.expand(this, shape); }
    /** A broadcast view with the shape of {@code other}. */
    public Tensor expandAs(Tensor other) { return Views.expand(this, other.shape); }
    /** A view without any size-1 dims. */
    public Tensor squeeze() { return Views.squeeze(this); }
    /** A view without {@code dim} if its size is 1 (else the same shape). */
    public Tensor squeeze(int dim) { return Views.squeeze(this, dim); }
    /** A view with a size-1 dim inserted at {@code dim}. */
    public Tensor unsqueeze(int dim) { return Views.unsqueeze(this, dim); }
    /** A 1-D view (or copy) of all elements. */
    public Tensor flatten() { return reshape(-1); }
    /** Dims from {@code startDim} to the last merged into one. */
    public Tensor flatten(int startDim) { return Views.flatten(this, startDim, -1); }
    /** Dims {@code startDim..endDim} merged into one. */
    public Tensor flatten(int startDim, int endDim) { return Views.flatten(this, startDim, endDim); }
    /** Dim {@code dim} split into {@code sizes} (one may be -1). */
    public Tensor unflatten(int dim, long... sizes) { return Views.unflatten(this, dim, sizes); }
    /** Windows of {@code size} every {@code step} along {@code dim}, as a new last dimension (a view). */
    public Tensor unfold(int dim, long size, long step) { return Views.unfold(this, dim, size, step); }

    // ================================================================ indexing and shaping

    /** Elements of {@code dim} at positions {@code index} (1-D int64). */
    public Tensor indexSelect(int dim, Tensor index) { return Indexing.indexSelect(this, dim, index); }
    /** {@code out[i][j] = this[index[i][j]][j]} for dim 0, and so on ({@code torch.gather}). */
    public Tensor gather(int dim, Tensor index) { return Indexing.gather(this, dim, index); }
    /** A copy with {@code src} values written at {@code index} along {@code dim} ({@code torch.scatter}). */
    public Tensor scatter(int dim, Tensor index, Tensor src) { return Indexing.scatter(this, dim, index, src, Op.ScatterMode.REPLACE); }
    /** A copy with {@code value} written at {@code index} along {@code dim}. */
    public Tensor scatter(int dim, Tensor index, double value) { return Indexing.scatter(this, dim, index, Elementwise.scalarLike(this, value).expand(index.shape), Op.ScatterMode.REPLACE); }
    /** A copy with {@code src} values added at {@code index} along {@code dim} ({@code torch.scatter_add}). */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) { return Indexing.scatter(this, dim, index, src, Op.ScatterMode.ADD); }
    /** A copy with {@code source} rows added at positions {@code index} of {@code dim} ({@code torch.index_add}). */
    public Tensor indexAdd(int dim, Tensor index, Tensor source) { return Indexing.indexAdd(this, dim, index, source); }
    /** A copy where elements with a true {@code mask} (broadcast) become {@code value}. */
    public Tensor maskedFill(Tensor mask, double value) { return Indexing.maskedFill(this, mask, value); }
    /** The elements where {@code mask} (broadcast) is true, as a 1-D tensor. */
    public Tensor maskedSelect(Tensor mask) { return Indexing.maskedSelect(this, mask); }
    /** Boolean-mask indexing {@code x[mask]}: the mask covers the leading dims; the selected rows are stacked. */
    public Tensor index(Tensor mask) { return Indexing.booleanIndex(this, mask); }
    /** Indices of non-zero elements, shape {@code [count, dim()]}, int64. */
    public Tensor nonzero() { return Indexing.nonzero(this); }
    /** Concatenation along {@code dim}. */
    public static Tensor cat(List<Tensor> tensors, int dim) { return Indexing.cat(tensors, dim); }
    /** Concatenation along dim 0. */
    public static Tensor cat(Tensor... tensors) { return Indexing.cat(List.of(tensors), 0); }
    /** Stacking along a new dim. */
    public static Tensor stack(List<Tensor> tensors, int dim) { return Indexing.stack(tensors, dim); }
    /** Pieces of {@code splitSize} along {@code dim} (the last may be smaller), as views. */
    public List<Tensor> split(long splitSize, int dim) { return Indexing.split(this, splitSize, dim); }
    /** Pieces with the given sizes along {@code dim}, as views. */
    public List<Tensor> split(long[] sizes, int dim) { return Indexing.split(this, sizes, dim); }
    /**
     * The sub-tensors along {@code dim}, each without that dim, as views ({@code torch.unbind}).
     * When gradients are recorded, all of them hang off one autograd node whose backward stacks
     * their gradients (zeros for those that got none) once, instead of one zero-filled tensor of
     * this tensor's size per slice; as in PyTorch, changing a slice in place is then not
     * supported.
     */
    public List<Tensor> unbind(int dim) { return Indexing.unbind(this, dim); }
    /** {@code chunks} pieces of (nearly) equal size along {@code dim}, as views. */
    public List<Tensor> chunk(int chunks, int dim) { return Indexing.chunk(this, chunks, dim); }
    /** The tensor tiled {@code repeats[i]} times along each dim ({@code torch.Tensor.repeat}). */
    public Tensor repeat(long... repeats) { return Indexing.repeat(this, repeats); }
    /** Reversed along {@code dims}. */
    public Tensor flip(int... dims) { return Indexing.flip(this, dims); }
    /** Rolled by {@code shift} along {@code dim} (elements leaving one end come in at the other). */
    public Tensor roll(long shift, int dim) { return Indexing.roll(this, new long[] {shift}, new int[] {dim}); }
    /** Rolled by {@code shifts[i]} along {@code dims[i]}. */
    public Tensor roll(long[] shifts, int[] dims) { return Indexing.roll(this, shifts, dims); }
    /** Lower triangle (elements with {@code col - row <= diagonal}) of the last two dims, zeros elsewhere. */
    public Tensor tril(long diagonal) { return Indexing.tri(this, diagonal, true); }
    /** Upper triangle (elements with {@code col - row >= diagonal}), zeros elsewhere. */
    public Tensor triu(long diagonal) { return Indexing.tri(this, diagonal, false); }
    /** The {@code k} largest (or smallest) elements along {@code dim} with their indices, sorted when {@code sorted}. */
    public ValuesIndices topk(long k, int dim, boolean largest, boolean sorted) { return Indexing.topk(this, k, dim, largest, sorted); }
    /** Sorted along {@code dim} (stable) with the original indices. */
    public ValuesIndices sort(int dim, boolean descending) { return Reductions.sort(this, dim, descending); }
    /** Indices that sort {@code dim}. */
    public Tensor argsort(int dim, boolean descending) { return sort(dim, descending).indices(); }

    // ================================================================ autograd surface

    /** Whether gradients are computed for this tensor. */
    public boolean requiresGrad() { return requiresGrad || gradFn != null; }

    /** Marks a leaf tensor as requiring gradients (or not); returns this. */
    public Tensor requiresGrad_(boolean requiresGrad) { return AutogradSurface.requiresGrad(this, requiresGrad); }

    /** Marks a leaf tensor as requiring gradients; returns this. */
    public Tensor requiresGrad_() { return requiresGrad_(true); }

    /** The accumulated gradient of a leaf (or a non-leaf that called {@link #retainGrad()}), or null. */
    public Tensor grad() { return grad; }

    /** Replaces the accumulated gradient (null clears it). */
    public void setGrad(Tensor grad) { AutogradSurface.setGrad(this, grad); }

    /** The node that created this tensor in the autograd graph, or null for leaves. */
    public GradFn gradFn() { return gradFn; }

    /** True for tensors not created by a recorded op (user-created tensors and those with {@code requiresGrad} false). */
    public boolean isLeaf() { return gradFn == null; }

    /** Asks a non-leaf to keep its gradient in {@link #grad()} during backward. */
    public Tensor retainGrad() { AutogradSurface.engine("retainGrad").retainGrad(this); return this; }

    /**
     * Registers a hook called with the gradient of this tensor during backward; it may return a
     * replacement gradient or null to keep it. Close the handle to remove the hook.
     */
    public HookHandle registerHook(java.util.function.UnaryOperator<Tensor> hook) {
        return AutogradSurface.engine("registerHook").registerHook(this, hook);
    }

    /** Registers a hook called with this leaf after its gradient has been accumulated into {@link #grad()}. */
    public HookHandle registerPostAccumulateGradHook(java.util.function.Consumer<Tensor> hook) {
        return AutogradSurface.engine("registerPostAccumulateGradHook").registerPostAccumulateGradHook(this, hook);
    }

    /** A view sharing storage but detached from the autograd graph. */
    public Tensor detach() { return Views.detach(this); }

    /** Backpropagates from this scalar (one-element) tensor into the leaves' gradients. */
    public void backward() { AutogradSurface.backward(this, null, false, false); }

    /** Backpropagates with the given gradient of some scalar with respect to this tensor. */
    public void backward(Tensor gradient) { AutogradSurface.backward(this, gradient, false, false); }

    /** Backpropagates, optionally keeping the graph for another backward and recording the backward pass itself. */
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        AutogradSurface.backward(this, gradient, retainGraph, createGraph);
    }

    // ================================================================ printing and equality

    /** Prints like PyTorch: {@code tensor([[1., 2.], [3., 4.]])}, with dtype and device when not the defaults. */
    @Override
    public String toString() { return Printer.print(this); }

    /** True when both tensors have the same shape and equal elements (NaN never equals). */
    public boolean equal(Tensor other) {
        return Arrays.equals(shape, other.shape) && (numel() == 0 || eq(other).all().itemBoolean());
    }

    /** True when shapes match and {@code |a - b| <= atol + rtol * |b|} elementwise (NaNs equal when {@code equalNan}). */
    public boolean allclose(Tensor other, double rtol, double atol, boolean equalNan) {
        return Reductions.allclose(this, other, rtol, atol, equalNan);
    }

    /** {@link #allclose(Tensor, double, double, boolean)} with PyTorch's defaults rtol 1e-5, atol 1e-8. */
    public boolean allclose(Tensor other) { return allclose(other, 1e-5, 1e-8, false); }

    static List<Tensor> list(Tensor... ts) { return new ArrayList<>(Arrays.asList(ts)); }
}
