package dev.balboa.device.cuda.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.balboa.device.cuda.internal.driver.CudaDriver;
import dev.balboa.device.cuda.internal.driver.Cublas;
import dev.balboa.spi.Backend;
import dev.balboa.spi.Buffer;
import dev.balboa.spi.DType;
import dev.balboa.spi.Device;
import dev.balboa.spi.Op;
import dev.balboa.spi.Operand;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One CUDA device: its primary context, one stream on which every kernel is queued, the PTX
 * modules (loaded on first use) and a {@link CachingAllocator}. Every method that calls the
 * driver first makes the device's context current on the calling thread.
 *
 * <p>Runs on the device: every primitive op (elementwise, reductions, matmul, Philox random
 * numbers, arg-reductions, scans, sort, gather, scatter, convolutions and max pooling) for every
 * dtype the op's contract admits (see README.md).
 */
public final class CudaBackend implements Backend {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final ThreadLocal<MemorySegment> CURRENT = new ThreadLocal<>();
    private static final List<String> MODULES = List.of("elementwise", "reduce", "matmul", "random", "axis", "conv");
    private static final int THREADS = 256;
    private static final int REDUCE_THREADS = 128;
    private static final int TILE = 16;

    private final CudaDriver driver;
    private final Device device;
    private final int handle;
    private final MemorySegment context;
    private final MemorySegment stream;
    private final String name;
    private final long totalMem;
    private final CachingAllocator allocator;
    private final Map<String, MemorySegment> functions = new HashMap<>();

    /** cuBLAS when it was found for this driver, else null (the backend's own kernels then do every matmul). */
    private final Cublas cublas;
    /** The cuBLAS handle, created on first use with this device's context current, bound to {@link #stream}. */
    private MemorySegment cublasHandle;

    CudaBackend(CudaDriver driver, int ordinal) { this(driver, ordinal, null); }

    CudaBackend(CudaDriver driver, int ordinal, Cublas cublas) {
        this.cublas = cublas;
        this.driver = driver;
        this.device = new Device("cuda", ordinal);
        this.handle = driver.deviceGet(ordinal);
        this.context = driver.devicePrimaryCtxRetain(handle);
        enter();
        this.stream = driver.streamCreate(0);
        this.name = driver.deviceGetName(handle);
        this.totalMem = driver.deviceTotalMem(handle);
        this.allocator = new CachingAllocator(driver, device.toString());
    }

    /** Makes this device's context current on the calling thread. */
    private void enter() {
        if (CURRENT.get() != context) {
            driver.ctxSetCurrent(context);
            CURRENT.set(context);
        }
    }

    @Override public Device device() { return device; }

    @Override
    public String description() {
        return name + ", " + (totalMem >> 20) + " MiB, driver " + driver.library();
    }

    @Override public Set<DType> dtypes() { return EnumSet.allOf(DType.class); }

    /** The allocator, for tests and memory statistics. */
    CachingAllocator allocator() { return allocator; }

    @Override
    public Buffer allocate(DType dtype, long length) {
        if (length < 0) throw new IllegalArgumentException(device + ": negative buffer length " + length);
        enter();
        return new CudaBuffer(this, dtype, length, allocator.allocate(Math.multiplyExact(length, (long) dtype.byteSize())), CLEANER);
    }

    private CudaBuffer own(Buffer b, String what) {
        if (b instanceof CudaBuffer c && c.backend() == this) return c;
        throw new IllegalArgumentException(device + ": " + what + " got a buffer of device " + b.backend().device());
    }

    private static void checkRange(CudaBuffer b, long offset, long count, String what) {
        if (offset < 0 || count < 0 || offset + count > b.length()) {
            throw new IndexOutOfBoundsException(what + ": elements [" + offset + ", " + (offset + count) + ") outside a buffer of "
                    + b.length());
        }
    }

    @Override
    public void write(MemorySegment src, Buffer dst, long dstOffset, long count) {
        CudaBuffer b = own(dst, "write");
        checkRange(b, dstOffset, count, "write");
        long bytes = count * b.dtype().byteSize();
        if (bytes == 0) return;
        enter();
        driver.streamSynchronize(stream);
        long at = b.ptr() + dstOffset * b.dtype().byteSize();
        if (src.isNative()) {
            driver.memcpyHtoD(at, src, bytes);
        } else {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment staging = a.allocate(bytes, 16);
                MemorySegment.copy(src, 0, staging, 0, bytes);
                driver.memcpyHtoD(at, staging, bytes);
            }
        }
    }

    @Override
    public void read(Buffer src, long srcOffset, MemorySegment dst, long count) {
        CudaBuffer b = own(src, "read");
        checkRange(b, srcOffset, count, "read");
        long bytes = count * b.dtype().byteSize();
        if (bytes == 0) return;
        enter();
        driver.streamSynchronize(stream);
        long at = b.ptr() + srcOffset * b.dtype().byteSize();
        if (dst.isNative()) {
            driver.memcpyDtoH(dst, at, bytes);
        } else {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment staging = a.allocate(bytes, 16);
                driver.memcpyDtoH(staging, at, bytes);
                MemorySegment.copy(staging, 0, dst, 0, bytes);
            }
        }
    }

    @Override
    public void synchronize() {
        enter();
        driver.streamSynchronize(stream);
    }

    /** True when this backend runs {@code op} on operands of these dtypes. */
    public static boolean supports(Op op, Set<DType> dtypes) {
        return switch (op) {
            case Op.Unary u -> true;
            case Op.Binary b -> true;
            case Op.Where w -> true;
            case Op.Copy c -> true;
            case Op.Fill f -> true;
            case Op.Arange a -> true;
            case Op.Reduce r -> true;
            case Op.Matmul m -> true;
            case Op.RandomUniform r -> true;
            case Op.RandomNormal r -> true;
            case Op.ArgReduce r -> true;
            case Op.Scan s -> true;
            case Op.Sort s -> true;
            case Op.Conv2d c -> true;
            case Op.Conv2dBackwardInput c -> true;
            case Op.Conv2dBackwardWeight c -> true;
            case Op.MaxPool2d p -> true;
            case Op.Gather g -> true;
            case Op.Scatter s -> true;
        };
    }

    @Override
    public void execute(Op op, Operand[] in, Operand[] out) {
        Set<DType> types = EnumSet.noneOf(DType.class);
        for (Operand o : in) types.add(o.dtype());
        for (Operand o : out) types.add(o.dtype());
        if (!supports(op, types)) {
            throw new UnsupportedOperationException(device + ": " + op.name() + " is not implemented yet for " + types);
        }
        enter();
        switch (op) {
            case Op.Unary u -> elementwise("bk_unary", u.fn().ordinal(), out[0], in, 0, 0, 0);
            case Op.Binary b -> elementwise("bk_binary", b.fn().ordinal(), out[0], in, 0, 0, 0);
            case Op.Where w -> elementwise("bk_where", 0, out[0], in, 0, 0, 0);
            case Op.Copy c -> elementwise("bk_copy", 0, out[0], in, 0, 0, 0);
            case Op.Fill f -> elementwise("bk_fill", 0, out[0], new Operand[0], f.value(), 0, f.longValue());
            case Op.Arange a -> elementwise("bk_arange", 0, out[0], new Operand[0], a.start(), a.step(), 0);
            case Op.Reduce r -> reduce(r, in[0], out[0]);
            case Op.Matmul m -> matmul(in[0], in[1], out[0]);
            case Op.RandomUniform r -> random("bk_random_uniform", out[0], r.seed(), r.offset(), r.low(), r.high());
            case Op.RandomNormal r -> random("bk_random_normal", out[0], r.seed(), r.offset(), r.mean(), r.std());
            case Op.Gather g -> alongAxis("bk_gather", g.axis(), 0, 0, in[1].numel() / Math.max(1, in[1].shape()[g.axis()]),
                    in[1].numel(), out[0], in[1], in[0]);
            case Op.Scatter s -> scatter(s, in[0], in[1], out[0]);
            case Op.ArgReduce r -> alongAxis("bk_argreduce", r.axis(), r.fn().ordinal(), 0, out[0].numel(), out[0].numel(),
                    out[0], out[1], in[0]);
            case Op.Scan s -> alongAxis("bk_scan", s.axis(), s.fn().ordinal(), 0, rows(in[0], s.axis()), rows(in[0], s.axis()),
                    out[0], in[0]);
            case Op.Sort s -> alongAxis("bk_sort", s.axis(), 0, s.descending() ? 1 : 0, rows(in[0], s.axis()), in[0].numel(),
                    out[0], out[1], in[0]);
            case Op.Conv2d c -> conv("bk_conv2d", c.stride(), c.padding(), c.dilation(), c.groups(), null, in[0], in[1], out[0], null,
                    out[0].numel());
            case Op.Conv2dBackwardInput c -> conv("bk_conv2d_backward_input", c.stride(), c.padding(), c.dilation(), c.groups(), null,
                    out[0], in[1], in[0], null, out[0].numel());
            case Op.Conv2dBackwardWeight c -> conv("bk_conv2d_backward_weight", c.stride(), c.padding(), c.dilation(), c.groups(), null,
                    in[0], out[0], in[1], null, out[0].numel());
            case Op.MaxPool2d p -> conv("bk_max_pool2d", p.stride(), p.padding(), p.dilation(), 1, p.kernel(), in[0], null, out[0], out[1],
                    out[0].numel());
        }
    }

    // ---------------------------------------------------------------- launches

    private synchronized MemorySegment function(String kernel) {
        if (functions.isEmpty()) {
            try (Arena a = Arena.ofConfined()) {
                for (String module : MODULES) {
                    MemorySegment m = driver.moduleLoadData(a.allocateFrom(ptx(module)), module + ".ptx");
                    for (String entry : entries(ptx(module))) functions.put(entry, driver.moduleGetFunction(m, entry));
                }
            }
        }
        MemorySegment f = functions.get(kernel);
        if (f == null) throw new IllegalStateException(device + ": no kernel " + kernel + " in the PTX modules " + MODULES);
        return f;
    }

    /** The text of a committed PTX module. */
    static String ptx(String module) {
        try (InputStream s = CudaBackend.class.getResourceAsStream("kernels/" + module + ".ptx")) {
            if (s == null) throw new IllegalStateException("PTX resource kernels/" + module + ".ptx is missing");
            return new String(s.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names of the {@code .entry} functions of a PTX module. */
    static List<String> entries(String ptx) {
        List<String> names = new ArrayList<>();
        int i = 0;
        while ((i = ptx.indexOf(".entry ", i)) >= 0) {
            int start = i + ".entry ".length();
            int end = ptx.indexOf('(', start);
            names.add(ptx.substring(start, end).trim());
            i = end;
        }
        return names;
    }

    private void launch(String kernel, int gx, int gy, int gz, int bx, int by, KernelArgs.Struct args, Arena a) {
        MemorySegment params = a.allocate(ADDRESS);
        params.set(ADDRESS, 0, args.seg);
        driver.launchKernel(function(kernel), kernel, gx, gy, gz, bx, by, 1, 0, stream, params);
    }

    /**
     * Merges adjacent dimensions that every operand walks contiguously (and drops size-1 ones),
     * so most views reach the kernel with rank 1 or 2. Returns {shape, strides of each operand}.
     */
    static long[][] coalesce(long[] shape, long[]... strides) {
        List<Integer> keep = new ArrayList<>();
        for (int d = 0; d < shape.length; d++) if (shape[d] != 1) keep.add(d);
        int r = keep.size();
        long[] s = new long[r];
        long[][] st = new long[strides.length][r];
        for (int i = 0; i < r; i++) {
            s[i] = shape[keep.get(i)];
            for (int k = 0; k < strides.length; k++) st[k][i] = strides[k][keep.get(i)];
        }
        int n = 0;
        for (int i = 0; i < r; i++) {
            if (n > 0) {
                boolean merge = true;
                for (long[] t : st) merge &= t[n - 1] == t[i] * s[i];
                if (merge) {
                    s[n - 1] *= s[i];
                    for (long[] t : st) t[n - 1] = t[i];
                    continue;
                }
            }
            s[n] = s[i];
            for (long[] t : st) t[n] = t[i];
            n++;
        }
        long[][] result = new long[strides.length + 1][];
        result[0] = Arrays.copyOf(s, n);
        for (int k = 0; k < strides.length; k++) result[k + 1] = Arrays.copyOf(st[k], n);
        return result;
    }

    private void elementwise(String kernel, int fn, Operand o, Operand[] in, double d1, double d2, long l) {
        long n = o.numel();
        if (n == 0) return;
        Operand[] ops = new Operand[in.length + 1];
        ops[0] = o;
        System.arraycopy(in, 0, ops, 1, in.length);
        long[][] strides = new long[ops.length][];
        for (int k = 0; k < ops.length; k++) strides[k] = ops[k].strides();
        long[][] c = coalesce(o.shape(), strides);
        if (c[0].length > KernelArgs.MAX_RANK) {
            throw new UnsupportedOperationException(device + ": " + kernel + " on views of more than " + KernelArgs.MAX_RANK
                    + " non-mergeable dimensions: " + o);
        }
        try (Arena a = Arena.ofConfined()) {
            KernelArgs.Struct s = new KernelArgs.Struct(a, KernelArgs.ELEM)
                    .set("n", n).set("rank", c[0].length).set("fn", fn).set("dvalue", d1).set("dvalue2", d2).set("lvalue", l);
            for (int d = 0; d < c[0].length; d++) s.set("shape", d, c[0][d]);
            for (int k = 0; k < ops.length; k++) {
                for (int d = 0; d < c[0].length; d++) s.set("strides", k * KernelArgs.MAX_RANK + d, c[k + 1][d]);
                s.set("offsets", k, ops[k].offset());
                s.set("ptr", k, own(ops[k].buffer(), kernel).ptr());
                s.set("dtype", k, ops[k].dtype().ordinal());
            }
            int grid = (int) Math.min(Math.ceilDiv(n, THREADS), 65535);
            launch(kernel, grid, 1, 1, THREADS, 1, s, a);
        }
    }

    private void reduce(Op.Reduce r, Operand x, Operand o) {
        long nout = o.numel();
        if (nout == 0) return;
        boolean[] reduced = new boolean[x.rank()];
        for (int axis : r.axes()) reduced[axis] = true;
        List<long[]> outer = new ArrayList<>(), inner = new ArrayList<>();
        long ninner = 1;
        for (int d = 0; d < x.rank(); d++) {
            if (reduced[d]) {
                ninner *= x.shape()[d];
                if (x.shape()[d] != 1) inner.add(new long[] {x.shape()[d], x.strides()[d]});
            } else if (x.shape()[d] != 1) {
                outer.add(new long[] {x.shape()[d], x.strides()[d], o.strides()[d]});
            }
        }
        if (outer.size() > KernelArgs.MAX_RANK || inner.size() > KernelArgs.MAX_RANK) {
            throw new UnsupportedOperationException(device + ": " + r.name() + " over more than " + KernelArgs.MAX_RANK + " dimensions");
        }
        try (Arena a = Arena.ofConfined()) {
            KernelArgs.Struct s = new KernelArgs.Struct(a, KernelArgs.REDUCE)
                    .set("nout", nout).set("ninner", ninner).set("outer_rank", outer.size()).set("inner_rank", inner.size())
                    .set("xoff", x.offset()).set("ooff", o.offset())
                    .set("xptr", own(x.buffer(), r.name()).ptr()).set("optr", own(o.buffer(), r.name()).ptr())
                    .set("xdtype", x.dtype().ordinal()).set("odtype", o.dtype().ordinal()).set("fn", r.fn().ordinal());
            for (int i = 0; i < outer.size(); i++) {
                s.set("outer_shape", i, outer.get(i)[0]).set("outer_xstride", i, outer.get(i)[1]).set("outer_ostride", i, outer.get(i)[2]);
            }
            for (int i = 0; i < inner.size(); i++) s.set("inner_shape", i, inner.get(i)[0]).set("inner_xstride", i, inner.get(i)[1]);
            launch("bk_reduce", (int) Math.min(nout, 65535), 1, 1, REDUCE_THREADS, 1, s, a);
        }
    }

    /** Whether this backend hands float32/float64 matmuls whose strides allow it to cuBLAS. */
    boolean usesCublas() { return cublas != null; }

    /**
     * The leading dimension of a column-major {@code rows x cols} matrix whose element (r, c) is at
     * {@code r * rowStride + c * colStride}, or -1 when cuBLAS cannot address it (rows not
     * contiguous, leading dimension below {@code max(1, rows)} or beyond an int).
     */
    static int leadingDimension(long rows, long rowStride, long cols, long colStride) {
        if (rows > 1 && rowStride != 1) return -1;
        long ld = cols <= 1 ? Math.max(1, rows) : colStride;
        if (ld < Math.max(1, rows) || ld > Integer.MAX_VALUE) return -1;
        return (int) ld;
    }

    /**
     * Row-major {@code o[b] = x[b] @ y[b]} through cuBLAS, as the column-major product
     * {@code o^T = y^T x^T}: the row-major operands read as column-major are already the
     * transposes, and a transposed view becomes {@code CUBLAS_OP_T}. False (nothing done) when the
     * strides or sizes do not fit cuBLAS; the caller then runs its own kernel.
     */
    private boolean cublasMatmul(Operand x, Operand y, Operand o, long batch, long m, long n, long k) {
        if (k == 0 || batch > Integer.MAX_VALUE || m > Integer.MAX_VALUE || n > Integer.MAX_VALUE || k > Integer.MAX_VALUE) return false;
        long[] xs = x.strides(), ys = y.strides(), os = o.strides();
        int ldc = leadingDimension(n, os[2], m, os[1]);
        if (ldc < 0) return false;
        int opY = Cublas.OP_N, ldy = leadingDimension(n, ys[2], k, ys[1]);
        if (ldy < 0) {
            opY = Cublas.OP_T;
            ldy = leadingDimension(k, ys[1], n, ys[2]);
        }
        int opX = Cublas.OP_N, ldx = leadingDimension(k, xs[2], m, xs[1]);
        if (ldx < 0) {
            opX = Cublas.OP_T;
            ldx = leadingDimension(m, xs[1], k, xs[2]);
        }
        if (ldy < 0 || ldx < 0) return false;
        // Batches: distinct, non-overlapping outputs; inputs with positive strides (broadcast batches use the kernel).
        if (batch > 1 && (xs[0] <= 0 || ys[0] <= 0 || os[0] < (m - 1) * ldc + n)) return false;
        boolean f64 = o.dtype() == DType.FLOAT64;
        long size = o.dtype().byteSize();
        long xp = own(x.buffer(), "matmul").ptr() + x.offset() * size;
        long yp = own(y.buffer(), "matmul").ptr() + y.offset() * size;
        long op = own(o.buffer(), "matmul").ptr() + o.offset() * size;
        synchronized (this) {
            if (cublasHandle == null) {
                MemorySegment h = cublas.create();
                cublas.setStream(h, stream);
                cublasHandle = h;
            }
            cublas.gemm(cublasHandle, f64, opY, opX, (int) n, (int) m, (int) k, 1.0, yp, ldy, ys[0], xp, ldx, xs[0],
                    0.0, op, ldc, os[0], (int) batch);
        }
        return true;
    }

    private void matmul(Operand x, Operand y, Operand o) {
        long batch = o.shape()[0], m = o.shape()[1], n = o.shape()[2], k = x.shape()[2];
        if (batch == 0 || m == 0 || n == 0) return;
        if (cublas != null && (o.dtype() == DType.FLOAT32 || o.dtype() == DType.FLOAT64)
                && x.dtype() == o.dtype() && y.dtype() == o.dtype() && cublasMatmul(x, y, o, batch, m, n, k)) {
            return;
        }
        String kernel = switch (o.dtype()) {
            case FLOAT64 -> "bk_matmul_f64";
            case FLOAT32 -> "bk_matmul_f32";
            default -> "bk_matmul_any";
        };
        try (Arena a = Arena.ofConfined()) {
            KernelArgs.Struct s = new KernelArgs.Struct(a, KernelArgs.MATMUL)
                    .set("batch", batch).set("m", m).set("n", n).set("k", k)
                    .set("as_b", x.strides()[0]).set("as_m", x.strides()[1]).set("as_k", x.strides()[2])
                    .set("bs_b", y.strides()[0]).set("bs_k", y.strides()[1]).set("bs_n", y.strides()[2])
                    .set("os_b", o.strides()[0]).set("os_m", o.strides()[1]).set("os_n", o.strides()[2])
                    .set("aoff", x.offset()).set("boff", y.offset()).set("ooff", o.offset())
                    .set("aptr", own(x.buffer(), "matmul").ptr()).set("bptr", own(y.buffer(), "matmul").ptr())
                    .set("optr", own(o.buffer(), "matmul").ptr()).set("dtype", o.dtype().ordinal());
            if (kernel.equals("bk_matmul_any")) {
                long total = Math.multiplyExact(Math.multiplyExact(batch, m), n);
                launch(kernel, (int) Math.min(Math.ceilDiv(total, THREADS), 65535), 1, 1, THREADS, 1, s, a);
                return;
            }
            int gx = Math.toIntExact(Math.ceilDiv(n, TILE)), gy = Math.toIntExact(Math.ceilDiv(m, TILE));
            launch(kernel, gx, gy, (int) Math.min(batch, 65535), TILE, TILE, s, a);
        }
    }

    /** Number of rows along {@code axis}: the product of the other dims (0 when any of them, or the axis, is empty). */
    private static long rows(Operand x, int axis) {
        long n = x.shape()[axis];
        return n == 0 ? 0 : x.numel() / n;
    }

    private void random(String kernel, Operand o, long seed, long counter, double p1, double p2) {
        long n = o.numel();
        if (n == 0) return;
        long[][] c = coalesce(o.shape(), o.strides());
        if (c[0].length > KernelArgs.MAX_RANK) {
            throw new UnsupportedOperationException(device + ": " + kernel + " on views of more than " + KernelArgs.MAX_RANK
                    + " non-mergeable dimensions: " + o);
        }
        try (Arena a = Arena.ofConfined()) {
            KernelArgs.Struct s = new KernelArgs.Struct(a, KernelArgs.RANDOM)
                    .set("n", n).set("rank", c[0].length).set("off", o.offset()).set("ptr", own(o.buffer(), kernel).ptr())
                    .set("dtype", o.dtype().ordinal()).set("seed", seed).set("counter", counter).set("p1", p1).set("p2", p2);
            for (int d = 0; d < c[0].length; d++) s.set("shape", d, c[0][d]).set("strides", d, c[1][d]);
            launch(kernel, (int) Math.min(Math.ceilDiv(n, THREADS), 65535), 1, 1, THREADS, 1, s, a);
        }
    }

    /**
     * Launches an axis kernel (see BkAxis in balboa_kernel.h) over operands that agree on every
     * dimension but {@code axis}; rows run over the other dimensions of the last operand. Launches
     * nothing when {@code work} (the kernel's number of work items) is 0.
     */
    private void alongAxis(String kernel, int axis, long fn, long flag, long nrows, long work, Operand... ops) {
        if (work == 0 || nrows == 0) return;
        Operand ref = ops[ops.length - 1];
        int r = ref.rank();
        long[] shape = new long[r - 1];
        long[][] strides = new long[ops.length][r - 1];
        for (int d = 0, j = 0; d < r; d++) {
            if (d == axis) continue;
            shape[j] = ref.shape()[d];
            for (int k = 0; k < ops.length; k++) strides[k][j] = ops[k].strides()[d];
            j++;
        }
        long[][] c = coalesce(shape, strides);
        if (c[0].length > KernelArgs.MAX_RANK) {
            throw new UnsupportedOperationException(device + ": " + kernel + " on views of more than " + KernelArgs.MAX_RANK
                    + " non-mergeable dimensions besides the axis");
        }
        try (Arena a = Arena.ofConfined()) {
            KernelArgs.Struct s = new KernelArgs.Struct(a, KernelArgs.AXIS)
                    .set("nrows", nrows).set("rank", c[0].length).set("fn", fn).set("flag", flag);
            for (int d = 0; d < c[0].length; d++) s.set("shape", d, c[0][d]);
            for (int k = 0; k < ops.length; k++) {
                for (int d = 0; d < c[0].length; d++) s.set("strides", k * KernelArgs.MAX_RANK + d, c[k + 1][d]);
                s.set("alen", k, ops[k].shape()[axis]).set("astride", k, ops[k].strides()[axis]).set("offsets", k, ops[k].offset());
                s.set("ptr", k, own(ops[k].buffer(), kernel).ptr()).set("dtype", k, ops[k].dtype().ordinal());
            }
            launch(kernel, (int) Math.min(Math.ceilDiv(work, THREADS), 65535), 1, 1, THREADS, 1, s, a);
        }
    }

    /** Scatter-add on float32, float64, int32 and int64 adds atomically per index element; the rest scans per destination. */
    private void scatter(Op.Scatter sc, Operand index, Operand src, Operand o) {
        int axis = sc.axis();
        long nrows = rows(index, axis);
        DType t = o.dtype();
        boolean atomic = sc.mode() == Op.ScatterMode.ADD
                && (t == DType.FLOAT32 || t == DType.FLOAT64 || t == DType.INT32 || t == DType.INT64);
        long work = atomic ? index.numel() : nrows * o.shape()[axis];
        alongAxis("bk_scatter", axis, sc.mode().ordinal(), atomic ? 1 : 0, nrows, work, o, index, src);
    }

    private static void conv4(KernelArgs.Struct s, int role, Operand t, String kernel, CudaBackend b) {
        if (t == null) return;
        for (int d = 0; d < 4; d++) s.set("strides", role * 4 + d, t.strides()[d]);
        s.set("offsets", role, t.offset()).set("ptr", role, b.own(t.buffer(), kernel).ptr()).set("dtype", role, t.dtype().ordinal());
    }

    /**
     * Launches a convolution or pooling kernel (see BkConv) with its tensors by role: x, weight
     * (null for pooling), y, pooling indices (null otherwise); {@code kernel} sizes come from the
     * weight or, for pooling, from {@code window}. One thread per element of the computed tensor.
     */
    private void conv(String kernel, int[] stride, int[] padding, int[] dilation, int groups, int[] window, Operand x, Operand w,
            Operand y, Operand idx, long total) {
        if (total == 0) return;
        try (Arena a = Arena.ofConfined()) {
            KernelArgs.Struct s = new KernelArgs.Struct(a, KernelArgs.CONV)
                    .set("total", total).set("n", x.shape()[0]).set("c", x.shape()[1]).set("h", x.shape()[2]).set("w", x.shape()[3])
                    .set("o", y.shape()[1]).set("oh", y.shape()[2]).set("ow", y.shape()[3])
                    .set("kh", window != null ? window[0] : w.shape()[2]).set("kw", window != null ? window[1] : w.shape()[3])
                    .set("groups", groups).set("sh", stride[0]).set("sw", stride[1]).set("ph", padding[0]).set("pw", padding[1])
                    .set("dh", dilation[0]).set("dw", dilation[1]);
            conv4(s, 0, x, kernel, this);
            conv4(s, 1, w, kernel, this);
            conv4(s, 2, y, kernel, this);
            conv4(s, 3, idx, kernel, this);
            launch(kernel, (int) Math.min(Math.ceilDiv(total, THREADS), 65535), 1, 1, THREADS, 1, s, a);
        }
    }

    @Override
    public String toString() { return "CudaBackend[" + device + ", " + description() + "]"; }
}
