package dev.balboa.app;

import dev.balboa.api.Devices;
import dev.balboa.api.Functional;
import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;
import dev.balboa.spi.Backend;
import dev.balboa.spi.DType;
import dev.balboa.spi.Device;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@code balboa demo}: lists the devices, runs the README example, a softmax and a conv2d on
 * seeded random tensors, times a larger matmul and conv2d, and checks a few results whose values
 * are known in closed form.
 */
final class DemoCommand implements Command {

    @Override
    public String name() { return "demo"; }

    @Override
    public String summary() { return "run a few tensor ops on a device, time them and check known results"; }

    @Override
    public String description() {
        return "Creates tensors with a seeded generator (same seed, same numbers), runs\n"
                + "x.matmul(w).add(b).relu().sum(1), a softmax and a conv2d, prints results and timings,\n"
                + "then checks results known in closed form. Exits with status 1 when a check fails.";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("seed", "N", "42", "seed of the random generator"),
                Option.value("device", "DEVICE", null, "device to run on, e.g. cpu or cuda:1 (default: the default device)"),
                Option.value("size", "N", "256", "size of the timed square matmul"),
                Option.value("repeat", "N", "5", "timed runs per op after warm-up (the best is reported)"),
                Option.value("warmup", "MS", "300", "warm-up time per op before the timed runs, in milliseconds"));
    }

    @Override
    public int run(Args args, Context context) throws UsageException {
        args.expectNoPositional();
        long seed = args.getLong("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        int size = args.getInt("size", 1, 8192);
        int repeat = args.getInt("repeat", 1, 10_000);
        long warmupMillis = args.getLong("warmup", 0, 600_000);
        PrintStream out = context.out();

        out.print(Devices.describe());
        Device device;
        try {
            device = args.has("device") ? Device.of(args.get("device")) : Devices.defaultDevice();
        } catch (IllegalArgumentException e) {
            throw new UsageException(name(), e.getMessage());
        }
        Backend backend = Devices.backend(device);
        out.println();
        out.println("demo on " + device + " (" + backend.description() + "), seed " + seed);
        Timer timer = new Timer(out, backend, repeat, warmupMillis * 1_000_000L);
        Generator gen = new Generator(seed);

        out.println();
        out.println("== x.matmul(w).add(b).relu().sum(1)   x [4, 16], w [16, 8], b [8] ~ N(0, 1)");
        Tensor x = Tensor.randn(new long[] {4, 16}, gen, DType.FLOAT32, device);
        Tensor w = Tensor.randn(new long[] {16, 8}, gen, DType.FLOAT32, device);
        Tensor b = Tensor.randn(new long[] {8}, gen, DType.FLOAT32, device);
        Tensor y = timer.time("forward", () -> x.matmul(w).add(b).relu().sum(1));
        out.println(y);

        out.println();
        out.println("== softmax(logits, 1)   logits [2, 5] ~ N(0, 1)");
        Tensor logits = Tensor.randn(new long[] {2, 5}, gen, DType.FLOAT32, device);
        Tensor p = timer.time("softmax", () -> logits.softmax(1));
        out.println(p);
        out.println("row sums: " + p.sum(1));

        out.println();
        out.println("== conv2d(img, k, bias, stride 1, padding 1)   img [1, 3, 16, 16], k [8, 3, 3, 3], bias [8]");
        Tensor img = Tensor.randn(new long[] {1, 3, 16, 16}, gen, DType.FLOAT32, device);
        Tensor k = Tensor.randn(new long[] {8, 3, 3, 3}, gen, DType.FLOAT32, device);
        Tensor bias = Tensor.randn(new long[] {8}, gen, DType.FLOAT32, device);
        Tensor c = timer.time("conv2d", () -> Functional.conv2d(img, k, bias, new int[] {1}, new int[] {1}, new int[] {1}, 1));
        out.println("shape " + Arrays.toString(c.shape()) + ", mean " + fmt(c.mean().item()) + ", std " + fmt(c.std(true).item()));

        out.println();
        out.println("== timings (best of " + repeat + " after " + warmupMillis + " ms of warm-up)");
        Tensor m1 = Tensor.randn(new long[] {size, size}, gen, DType.FLOAT32, device);
        Tensor m2 = Tensor.randn(new long[] {size, size}, gen, DType.FLOAT32, device);
        double flops = 2.0 * size * size * size;
        timer.throughput("matmul " + size + "x" + size + "x" + size, flops, () -> m1.matmul(m2));
        Tensor batch = Tensor.randn(new long[] {8, 16, 32, 32}, gen, DType.FLOAT32, device);
        Tensor filters = Tensor.randn(new long[] {32, 16, 3, 3}, gen, DType.FLOAT32, device);
        double convFlops = 2.0 * 8 * 32 * 32 * 32 * 16 * 3 * 3;
        timer.throughput("conv2d [8,16,32,32] * [32,16,3,3] pad 1", convFlops,
                () -> Functional.conv2d(batch, filters, null, new int[] {1}, new int[] {1}, new int[] {1}, 1));

        out.println();
        out.println("== checks against closed-form values");
        int failed = checks(out, device);
        if (failed == 0) {
            out.println("all checks passed");
            return 0;
        }
        out.println(failed + " check(s) FAILED");
        return 1;
    }

    /** Runs the closed-form checks on {@code device}; returns how many failed. */
    static int checks(PrintStream out, Device device) {
        int failed = 0;
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).to(device);
        Tensor b = Tensor.of(new float[] {5, 6, 7, 8}, 2, 2).to(device);
        failed += check(out, "matmul [[1,2],[3,4]] @ [[5,6],[7,8]]", a.matmul(b), 19, 22, 43, 50);

        Tensor w = Tensor.of(new float[] {1, -1, 2, 0.5f}, 2, 2).to(device);
        Tensor bias = Tensor.of(new float[] {-4, 1}, 2).to(device);
        failed += check(out, "relu(x @ w + b).sum(1)", a.matmul(w).add(bias).relu().sum(1), 2, 7);

        Tensor logits = Tensor.of(new float[] {0, (float) Math.log(3)}, 2).to(device);
        failed += check(out, "softmax([0, ln 3])", logits.softmax(0), 0.25, 0.75);

        Tensor ones = Tensor.ones(new long[] {1, 1, 3, 3}, DType.FLOAT32, device);
        Tensor kernel = Tensor.ones(new long[] {1, 1, 2, 2}, DType.FLOAT32, device);
        Tensor half = Tensor.of(new float[] {0.5f}, 1).to(device);
        failed += check(out, "conv2d(ones 3x3, ones 2x2) + 0.5", Functional.conv2d(ones, kernel, half), 4.5, 4.5, 4.5, 4.5);
        return failed;
    }

    private static int check(PrintStream out, String what, Tensor actual, double... expected) {
        float[] got = actual.toFloatArray();
        boolean ok = got.length == expected.length;
        for (int i = 0; ok && i < got.length; i++) {
            ok = Math.abs(got[i] - expected[i]) <= 1e-5 * Math.max(1.0, Math.abs(expected[i]));
        }
        String verdict = ok ? "ok" : "FAILED (expected " + Arrays.toString(expected) + ")";
        out.println(String.format(Locale.ROOT, "check %-38s %s  %s", what, Arrays.toString(got), verdict));
        return ok ? 0 : 1;
    }

    private static String fmt(double v) { return String.format(Locale.ROOT, "%.4f", v); }

    /**
     * Times ops on one backend: the first (cold) run, then, after running the op for
     * {@code warmupNanos} so the JIT compiles it, the best of {@code repeat} runs.
     */
    private record Timer(PrintStream out, Backend backend, int repeat, long warmupNanos) {

        <T> T time(String label, Supplier<T> op) {
            long[] ns = runs(op);
            T result = op.get();
            out.println(String.format(Locale.ROOT, "%s: first run %.3f ms, warm best %.3f ms", label, ns[0] / 1e6, ns[1] / 1e6));
            return result;
        }

        void throughput(String label, double flops, Supplier<?> op) {
            long[] ns = runs(op);
            out.println(String.format(Locale.ROOT, "%-44s %9.3f ms  %7.2f GFLOP/s", label, ns[1] / 1e6, flops / ns[1]));
        }

        /** Returns {first, best} wall times in nanoseconds. */
        private long[] runs(Supplier<?> op) {
            long first = once(op);
            long warmupEnd = System.nanoTime() + warmupNanos;
            for (int i = 0; i < 10_000 && System.nanoTime() < warmupEnd; i++) once(op);
            long best = Long.MAX_VALUE;
            for (int i = 0; i < repeat; i++) best = Math.min(best, once(op));
            return new long[] {first, best};
        }

        private long once(Supplier<?> op) {
            long t0 = System.nanoTime();
            op.get();
            backend.synchronize();
            return System.nanoTime() - t0;
        }
    }
}
