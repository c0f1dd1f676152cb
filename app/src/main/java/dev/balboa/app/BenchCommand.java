package dev.balboa.app;

import dev.balboa.api.Generator;
import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import dev.balboa.nn.Linear;
import dev.balboa.nn.Loss;
import dev.balboa.nn.Module;
import dev.balboa.nn.ReLU;
import dev.balboa.nn.Sequential;
import dev.balboa.nn.models.GNMT;
import dev.balboa.nn.models.Models;
import dev.balboa.nn.models.NCF;
import dev.balboa.nn.optim.Adam;
import dev.balboa.nn.optim.Optimizer;
import dev.balboa.nn.optim.SGD;
import dev.balboa.spi.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code balboa bench}: times one training step (forward, loss, backward, optimizer step) of
 * each benchmark workload after warm-up steps and prints one JSON line per workload, the same
 * lines as {@code tools/compare/torch_workloads.py} prints for PyTorch.
 */
final class BenchCommand implements Command {

    /** Every workload, in the order {@code --workload all} runs them. */
    static final List<String> WORKLOADS = List.of("sgemm", "mlp", "alexnet", "vgg19", "resnet50", "mobilenet_v2", "gnmt", "ncf", "fashion");

    /** Default batch size and image side of each vision workload. */
    private static final Map<String, int[]> VISION = Map.of(
            "alexnet", new int[] {16, 64}, "vgg19", new int[] {8, 32},
            "resnet50", new int[] {8, 64}, "mobilenet_v2", new int[] {16, 64});

    @Override
    public String name() { return "bench"; }

    @Override
    public String summary() { return "time training steps of the benchmark workloads (JSON lines)"; }

    @Override
    public String description() {
        return "Workloads (defaults): sgemm 1024^3 (GFLOP/s, no autograd); mlp 784-512-512-10 batch 128\n"
                + "(samples/s); alexnet 3x64x64 batch 16, vgg19 3x32x32 batch 8, resnet50 3x64x64 batch 8,\n"
                + "mobilenet_v2 3x64x64 batch 16 (images/s, 10 classes, SGD lr 0.01 momentum 0.9); gnmt vocab\n"
                + "8000, hidden 256, 2 layers, seq 20, batch 32 (target tokens/s); ncf 6040 users, 3706 items,\n"
                + "dim 64, MLP 256-128-64, batch 1024 (samples/s); fashion: the network `balboa train` trains,\n"
                + "1x28x28 batch 64 (images/s). mlp, gnmt, ncf and fashion use Adam lr 0.001.\n"
                + "cpu_seconds_per_step is the process's CPU time (all threads) per timed step.\n"
                + "Data are random tensors made once. --batch, --image and --seq override the defaults of\n"
                + "the workloads they apply to; the global --threads sets the CPU device's threads.\n"
                + "Compare with PyTorch: python3 tools/compare/compare.py";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("workload", "NAME", "all", "a workload, a comma-separated list or all: " + String.join(", ", WORKLOADS)),
                Option.value("batch", "N", null, "batch size (default: the workload's)"),
                Option.value("image", "N", null, "image side of the vision workloads (default: the workload's)"),
                Option.value("seq", "N", null, "source and target length of gnmt (default 20)"),
                Option.value("size", "N", "1024", "matrix side of sgemm"),
                Option.value("steps", "N", "10", "timed steps"),
                Option.value("warmup", "N", "3", "untimed steps before timing"),
                Option.value("warmup-seconds", "S", "0", "keep warming up (whole steps) until this many seconds have passed, so the JIT has compiled the kernels"),
                Option.value("seed", "N", "0", "seed of the initialisation and the data"));
    }

    /** Settings shared by every workload of one run. */
    record Settings(Integer batch, Integer image, Integer seq, int size, int steps, int warmup, double warmupSeconds, long seed,
                    int threads) {
        int batchOr(int dflt) { return batch == null ? dflt : batch; }
    }

    /**
     * One prepared workload: the step to time, what one step processes and the fields of its line.
     *
     * @param step        runs one step
     * @param unit        the unit of the rate, e.g. {@code images/s}
     * @param perStep     the amount of {@code unit}'s numerator one step does (images, tokens, GFLOP)
     * @param fields      extra fields of the JSON line (batch, image, params, ...)
     * @param phaseNanos  nanoseconds spent in forward and loss, backward, and optimizer step
     *                    (cleared zero-grad included) since the last reset, or null when the
     *                    workload is not a training step
     */
    record Workload(Runnable step, String unit, double perStep, Map<String, Object> fields, long[] phaseNanos) {
        Workload(Runnable step, String unit, double perStep, Map<String, Object> fields) {
            this(step, unit, perStep, fields, null);
        }
    }

    private double warmupSeconds(Args args) throws UsageException {
        String v = args.get("warmup-seconds");
        double x;
        try {
            x = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException(name(), "option --warmup-seconds expects a number, got '" + v + "'");
        }
        if (!(x >= 0 && x <= 3600)) throw new UsageException(name(), "option --warmup-seconds must be between 0 and 3600, got " + v);
        return x;
    }

    @Override
    public int run(Args args, Context ctx) throws Exception {
        args.expectNoPositional();
        String spec = args.get("workload");
        List<String> names = new ArrayList<>();
        for (String n : (spec.equals("all") ? String.join(",", WORKLOADS) : spec).split(",")) {
            n = n.strip().toLowerCase(Locale.ROOT);
            if (!WORKLOADS.contains(n)) {
                throw new UsageException(name(), "unknown workload '" + n + "'; workloads: " + String.join(", ", WORKLOADS) + ", all");
            }
            names.add(n);
        }
        Settings s = new Settings(
                args.has("batch") ? args.getInt("batch", 1, 1 << 20) : null,
                args.has("image") ? args.getInt("image", 8, 4096) : null,
                args.has("seq") ? args.getInt("seq", 1, 1 << 16) : null,
                args.getInt("size", 1, 16384), args.getInt("steps", 1, 1_000_000), args.getInt("warmup", 0, 1_000_000),
                warmupSeconds(args), args.getLong("seed", Long.MIN_VALUE, Long.MAX_VALUE), threads());
        int status = 0;
        for (String n : names) {
            try {
                Workload w = prepare(n, s);
                long warmStart = System.nanoTime();
                int warmed = 0;
                while (warmed < s.warmup() || (System.nanoTime() - warmStart) / 1e9 < s.warmupSeconds()) {
                    w.step().run();
                    warmed++;
                }
                if (w.phaseNanos() != null) Arrays.fill(w.phaseNanos(), 0);
                long cpu0 = processCpuNanos();
                long t0 = System.nanoTime();
                for (int i = 0; i < s.steps(); i++) w.step().run();
                double seconds = (System.nanoTime() - t0) / 1e9 / s.steps();
                long cpu1 = processCpuNanos();
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("workload", n);
                line.put("framework", "balboa " + Main.version());
                line.put("threads", s.threads());
                line.put("unit", w.unit());
                line.put("value", Math.round(w.perStep() / seconds * 1000) / 1000.0);
                line.putAll(w.fields());
                line.put("seconds_per_step", Math.round(seconds * 1e6) / 1e6);
                if (cpu0 >= 0 && cpu1 >= 0) line.put("cpu_seconds_per_step", Math.round((cpu1 - cpu0) / 1e3 / s.steps()) / 1e6);
                if (w.phaseNanos() != null) {
                    String[] phases = {"forward_s", "backward_s", "optimizer_s"};
                    for (int i = 0; i < 3; i++) line.put(phases[i], Math.round(w.phaseNanos()[i] / 1e3 / s.steps()) / 1e6);
                }
                line.put("steps", s.steps());
                line.put("warmup_steps", warmed);
                ctx.out().println(json(line));
            } catch (RuntimeException | LinkageError e) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("workload", n);
                line.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
                ctx.out().println(json(line));
                if (ctx.stacktrace()) e.printStackTrace(ctx.err());
                status = 1;
            }
            ctx.out().flush();
        }
        return status;
    }

    /**
     * CPU time used so far by all threads of this process (kernels, JIT compiler, GC), or -1 where
     * the platform does not report it. Less sensitive than wall time to other processes on a shared machine.
     */
    static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
    }

    /** The CPU device's thread count: the global --threads (balboa.cpu.threads), else the number of cores. */
    static int threads() {
        String p = System.getProperty("balboa.cpu.threads");
        return p == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(p.strip());
    }

    /** Builds the model, optimizer and random data of workload {@code name}. */
    static Workload prepare(String name, Settings s) {
        Generator.manualSeed(s.seed());
        Generator gen = new Generator(s.seed() + 1);
        Map<String, Object> fields = new LinkedHashMap<>();
        switch (name) {
            case "sgemm" -> {
                int n = s.size();
                Tensor a = Tensor.rand(new long[] {n, n}, gen), b = Tensor.rand(new long[] {n, n}, gen);
                fields.put("size", n);
                return new Workload(() -> {
                    try (var g = Grad.inference()) {
                        a.matmul(b);
                    }
                }, "GFLOP/s", 2.0 * n * n * n / 1e9, fields);
            }
            case "mlp" -> {
                int batch = s.batchOr(128);
                Module model = new Sequential(new Linear(784, 512), new ReLU(), new Linear(512, 512), new ReLU(), new Linear(512, 10));
                Tensor x = Tensor.randn(new long[] {batch, 784}, gen), y = Tensor.randint(0, 10, new long[] {batch}, gen);
                fields.put("batch", batch);
                fields.put("params", model.numParameters());
                return training(adam(model), () -> Loss.crossEntropy(model.forward(x), y), "samples/s", batch, fields);
            }
            case "gnmt" -> {
                int batch = s.batchOr(32), seq = s.seq() == null ? 20 : s.seq();
                return gnmt(batch, seq, gen, fields);
            }
            case "fashion" -> {
                // The network `balboa train` trains, on random images of its input shape, with Adam 1e-3.
                int batch = s.batchOr(64), image = s.image() == null ? 28 : s.image();
                FashionCnn model = new FashionCnn();
                Tensor x = Tensor.randn(new long[] {batch, 1, image, image}, gen);
                Tensor y = Tensor.randint(0, 10, new long[] {batch}, gen);
                fields.put("batch", batch);
                fields.put("image", image);
                fields.put("params", model.numParameters());
                return training(adam(model), () -> Loss.crossEntropy(model.forward(x), y), "images/s", batch, fields);
            }
            case "ncf" -> {
                int batch = s.batchOr(1024);
                NCF model = NCF.benchmark();
                Tensor users = Tensor.randint(0, model.numUsers(), new long[] {batch}, gen);
                Tensor items = Tensor.randint(0, model.numItems(), new long[] {batch}, gen);
                Tensor labels = Tensor.randint(0, 2, new long[] {batch}, gen).to(DType.FLOAT32);
                fields.put("batch", batch);
                fields.put("params", model.numParameters());
                return training(adam(model), () -> model.loss(users, items, labels), "samples/s", batch, fields);
            }
            default -> {
                int[] dflt = VISION.get(name);
                int batch = s.batchOr(dflt[0]), image = s.image() == null ? dflt[1] : s.image();
                Module model = Models.create(name, 10);
                model.train();
                Tensor x = Tensor.randn(new long[] {batch, 3, image, image}, gen);
                Tensor y = Tensor.randint(0, 10, new long[] {batch}, gen);
                Optimizer opt = new SGD(model.parameters(), new SGD.Options().lr(0.01).momentum(0.9));
                fields.put("batch", batch);
                fields.put("image", image);
                fields.put("params", model.numParameters());
                return training(opt, () -> Loss.crossEntropy(model.forward(x), y), "images/s", batch, fields);
            }
        }
    }

    /** GNMT on random tokens: source {@code [batch, seq]}, teacher-forced target input and output {@code [batch, seq]}. */
    private static Workload gnmt(int batch, int seq, Generator gen, Map<String, Object> fields) {
        GNMT model = GNMT.benchmark();
        Tensor src = Tensor.randint(0, model.vocab(), new long[] {batch, seq}, gen);
        Tensor tgt = Tensor.randint(0, model.vocab(), new long[] {batch, seq + 1}, gen);
        Tensor tgtIn = tgt.narrow(1, 0, seq).contiguous(), tgtOut = tgt.narrow(1, 1, seq).contiguous();
        fields.put("batch", batch);
        fields.put("seq", seq);
        fields.put("params", model.numParameters());
        return training(adam(model), () -> model.loss(src, tgtIn, tgtOut), "tokens/s", (double) batch * seq, fields);
    }

    private static Optimizer adam(Module model) {
        return new Adam(model.parameters(), new Adam.Options().lr(1e-3));
    }

    /**
     * A training-step workload: loss, cleared gradients, backward, optimizer step and the loss
     * read back, timing the three phases.
     */
    private static Workload training(Optimizer opt, Supplier<Tensor> loss, String unit, double perStep, Map<String, Object> fields) {
        long[] nanos = new long[3];
        Runnable step = () -> {
            long t0 = System.nanoTime();
            Tensor l = loss.get();
            long t1 = System.nanoTime();
            opt.zeroGrad(true);
            l.backward();
            long t2 = System.nanoTime();
            opt.step();
            double value = l.item();
            long t3 = System.nanoTime();
            nanos[0] += t1 - t0;
            nanos[1] += t2 - t1;
            nanos[2] += t3 - t2;
            if (!Double.isFinite(value)) throw new IllegalStateException("the loss is not finite: " + value);
        };
        return new Workload(step, unit, perStep, fields, nanos);
    }

    /** A flat JSON object of strings and numbers. */
    static String json(Map<String, Object> fields) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (sb.length() > 1) sb.append(", ");
            sb.append(quote(e.getKey())).append(": ");
            Object v = e.getValue();
            sb.append(v instanceof Number ? v.toString() : quote(String.valueOf(v)));
        }
        return sb.append('}').toString();
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
