package dev.balboa.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.balboa.spi.DType;
import dev.balboa.spi.Device;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Loads the PyTorch fixtures, builds their tensors on a device and compares Balboa's results with torch's. */
final class Fixtures {
    private Fixtures() {}

    /** The devices every fixture runs on: the CPU device and the scalar reference plugin. */
    static final List<String> DEVICES = List.of("cpu", "reference");

    private static final Map<String, Map<String, Object>> FILES = new ConcurrentHashMap<>();

    /** A tensor as written by the generator: dtype, shape and flat row-major values. */
    record Spec(DType dtype, long[] shape, List<Object> data) {
        @SuppressWarnings("unchecked")
        static Spec of(Object json) {
            Map<String, Object> m = (Map<String, Object>) json;
            List<Object> shapeJson = (List<Object>) m.get("shape");
            long[] shape = new long[shapeJson.size()];
            for (int i = 0; i < shape.length; i++) shape[i] = ((Number) shapeJson.get(i)).longValue();
            return new Spec(DType.of((String) m.get("dtype")), shape, (List<Object>) m.get("data"));
        }

        double value(int i) { return number(data.get(i)); }
    }

    /** An input: a tensor of the file's table and the view steps applied to it. */
    record Input(Spec spec, List<Object> view) {}

    /** One fixture case. */
    record Case(String file, String name, String op, Map<String, Object> args, List<Input> inputs, List<Spec> outputs) {
        @Override
        public String toString() { return name; }

        boolean has(String key) { return args.containsKey(key) && args.get(key) != null; }

        int i(String key) { return ((Number) args.get(key)).intValue(); }

        long l(String key) { return ((Number) args.get(key)).longValue(); }

        double d(String key) { return number(args.get(key)); }

        boolean b(String key) { return (Boolean) args.get(key); }

        String s(String key) { return (String) args.get(key); }

        @SuppressWarnings("unchecked")
        int[] ints(String key) {
            List<Object> l = (List<Object>) args.get(key);
            return l.stream().mapToInt(o -> ((Number) o).intValue()).toArray();
        }

        @SuppressWarnings("unchecked")
        long[] longs(String key) {
            List<Object> l = (List<Object>) args.get(key);
            return l.stream().mapToLong(o -> ((Number) o).longValue()).toArray();
        }

        DType dtype(String key) { return DType.of(s(key)); }

        /** The inputs built on {@code device}, with their views applied. */
        Tensor[] build(Device device) {
            Tensor[] t = new Tensor[inputs.size()];
            for (int k = 0; k < t.length; k++) t[k] = applyView(tensor(inputs.get(k).spec(), device), inputs.get(k).view());
            return t;
        }
    }

    static double number(Object o) {
        if (o instanceof Number n) return n.doubleValue();
        if (o instanceof Boolean b) return b ? 1 : 0;
        return switch ((String) o) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> throw new IllegalArgumentException("not a number: " + o);
        };
    }

    static Device device(String name) { return Device.of(name); }

    /** The raw JSON of a fixture file. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> file(String name) {
        return FILES.computeIfAbsent(name, n -> (Map<String, Object>) Json.parse(read("fixtures/" + n + ".json")));
    }

    static String read(String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/" + resource)) {
            if (in != null) return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Files.readString(Path.of("src/test/resources", resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The cases of a fixture file. */
    @SuppressWarnings("unchecked")
    static List<Case> cases(String fileName) {
        Map<String, Object> f = file(fileName);
        List<Spec> table = new ArrayList<>();
        for (Object t : (List<Object>) f.getOrDefault("tensors", List.of())) table.add(Spec.of(t));
        List<Case> out = new ArrayList<>();
        for (Object o : (List<Object>) f.get("cases")) {
            Map<String, Object> m = (Map<String, Object>) o;
            List<Input> ins = new ArrayList<>();
            for (Object i : (List<Object>) m.get("inputs")) {
                Map<String, Object> im = (Map<String, Object>) i;
                ins.add(new Input(table.get(((Number) im.get("ref")).intValue()), (List<Object>) im.get("view")));
            }
            List<Spec> outs = new ArrayList<>();
            for (Object s : (List<Object>) m.get("outputs")) outs.add(Spec.of(s));
            out.add(new Case(fileName, (String) m.get("name"), (String) m.get("op"), (Map<String, Object>) m.get("args"), ins, outs));
        }
        return out;
    }

    /** Every case of a file on every device, as JUnit arguments (device name, case). */
    static Stream<Arguments> arguments(String fileName) {
        List<Case> cs = cases(fileName);
        return DEVICES.stream().flatMap(d -> cs.stream().map(c -> Arguments.of(d, c)));
    }

    /** A tensor holding a spec's values, created on {@code device}. */
    static Tensor tensor(Spec spec, Device device) {
        int n = spec.data().size();
        Tensor host;
        if (spec.dtype() == DType.BOOL) {
            boolean[] v = new boolean[n];
            for (int i = 0; i < n; i++) v[i] = (Boolean) spec.data().get(i);
            host = Tensor.of(v, spec.shape());
        } else if (spec.dtype().isFloatingPoint()) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = spec.value(i);
            host = Tensor.of(v, spec.shape());
        } else {
            long[] v = new long[n];
            for (int i = 0; i < n; i++) v[i] = ((Number) spec.data().get(i)).longValue();
            host = Tensor.of(v, spec.shape());
        }
        // Tensor.of without sizes (an empty shape) means 1-D, so 0-d tensors are reshaped
        if (spec.shape().length == 0) host = host.reshape();
        return host.to(device).to(spec.dtype());
    }

    @SuppressWarnings("unchecked")
    static Tensor applyView(Tensor t, List<Object> steps) {
        if (steps == null) return t;
        for (Object o : steps) {
            List<Object> s = (List<Object>) o;
            String kind = (String) s.get(0);
            long[] a = new long[s.size() - 1];
            for (int i = 1; i < s.size(); i++) a[i - 1] = ((Number) s.get(i)).longValue();
            t = switch (kind) {
                case "t" -> t.transpose(-2, -1);
                case "transpose" -> t.transpose((int) a[0], (int) a[1]);
                case "permute" -> t.permute(Arrays.stream(a).mapToInt(x -> (int) x).toArray());
                case "slice" -> t.slice((int) a[0], a[1], a[2], a[3]);
                case "narrow" -> t.narrow((int) a[0], a[1], a[2]);
                case "select" -> t.select((int) a[0], a[1]);
                case "expand" -> t.expand(a);
                default -> throw new IllegalArgumentException("unknown view step " + kind);
            };
        }
        return t;
    }

    /** Ops whose float results accumulate many terms and get the looser tolerance. */
    static final Set<String> ACCUMULATING = Set.of("sum", "sum_dtype", "mean", "var", "std", "norm", "norm_all", "logsumexp", "prod",
            "cumsum", "cumprod", "softmax", "logSoftmax", "matmul", "mm", "bmm", "dot", "linear", "conv1d", "conv2d",
            "convTranspose2d", "avgPool2d", "avgPool1d", "adaptiveAvgPool2d", "linspace", "arange");

    /** Relative and absolute tolerance for a dtype; {@code accumulating} loosens float32 and float64. */
    static double[] tolerance(DType dt, boolean accumulating) {
        return switch (dt) {
            case FLOAT32 -> accumulating ? new double[] {1e-4, 1e-5} : new double[] {1e-5, 1e-6};
            case FLOAT64 -> accumulating ? new double[] {1e-10, 1e-12} : new double[] {1e-12, 1e-14};
            case FLOAT16 -> accumulating ? new double[] {2e-3, 2e-3} : new double[] {1e-3, 1e-3};
            case BFLOAT16 -> accumulating ? new double[] {1.6e-2, 1.6e-2} : new double[] {8e-3, 8e-3};
            default -> new double[] {0, 0};
        };
    }

    /** Asserts that {@code actual} has the spec's dtype, shape and values within the op's tolerance. */
    static void assertMatches(String what, Spec expected, Tensor actual, boolean accumulating) {
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        assertArrayEquals(expected.shape(), actual.shape(), () -> what + ": shape " + Arrays.toString(actual.shape())
                + ", expected " + Arrays.toString(expected.shape()));
        int n = expected.data().size();
        assertEquals(n, actual.numel(), what + ": numel");
        if (n == 0) return;
        DType dt = expected.dtype();
        if (dt == DType.BOOL) {
            boolean[] v = actual.toBooleanArray();
            for (int i = 0; i < n; i++) {
                if (v[i] != (Boolean) expected.data().get(i)) fail(what + ": element " + i + " is " + v[i] + ", expected " + expected.data().get(i) + "\n" + describe(expected, actual));
            }
        } else if (!dt.isFloatingPoint()) {
            long[] v = actual.toLongArray();
            for (int i = 0; i < n; i++) {
                long e = ((Number) expected.data().get(i)).longValue();
                if (v[i] != e) fail(what + ": element " + i + " is " + v[i] + ", expected " + e + "\n" + describe(expected, actual));
            }
        } else {
            double[] v = actual.toDoubleArray();
            double[] tol = tolerance(dt, accumulating);
            for (int i = 0; i < n; i++) {
                double e = expected.value(i);
                if (!close(v[i], e, tol[0], tol[1])) {
                    fail(what + ": element " + i + " is " + v[i] + ", expected " + e + " (rtol " + tol[0] + ", atol " + tol[1] + ")\n"
                            + describe(expected, actual));
                }
            }
        }
    }

    static boolean close(double a, double e, double rtol, double atol) {
        if (Double.isNaN(e)) return Double.isNaN(a);
        if (Double.isInfinite(e)) return a == e;
        return Math.abs(a - e) <= atol + rtol * Math.abs(e);
    }

    private static String describe(Spec expected, Tensor actual) {
        List<Object> d = expected.data();
        String exp = d.size() > 40 ? d.subList(0, 40) + "..." : d.toString();
        return "expected " + exp + "\nactual   " + actualValues(actual);
    }

    private static String actualValues(Tensor t) {
        try {
            double[] v = t.toDoubleArray();
            return v.length > 40 ? Arrays.toString(Arrays.copyOf(v, 40)) + "..." : Arrays.toString(v);
        } catch (RuntimeException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Compares every output of a case with the results of running it. */
    static void check(Case c, String device, List<Tensor> results) {
        assertEquals(c.outputs().size(), results.size(), c.name() + ": number of results");
        boolean acc = ACCUMULATING.contains(c.op());
        for (int k = 0; k < results.size(); k++) {
            Tensor r = results.get(k);
            assertEquals(device(device), r.device(), c.name() + ": result device");
            assertMatches(c.name() + " on " + device + (results.size() > 1 ? " (result " + k + ")" : ""), c.outputs().get(k), r, acc);
        }
    }

    /** Runs an op, naming the case and device when it throws. */
    static Object call(Case c, String device, java.util.function.Supplier<Object> op) {
        try {
            return op.get();
        } catch (RuntimeException e) {
            throw new AssertionError(c.name() + " on " + device + " threw " + e, e);
        }
    }

    /** Normalises what an op returned (a tensor, values and indices, or a list) to a list of tensors. */
    @SuppressWarnings("unchecked")
    static List<Tensor> results(Object r) {
        if (r instanceof Tensor t) return List.of(t);
        if (r instanceof ValuesIndices vi) return List.of(vi.values(), vi.indices());
        if (r instanceof List<?> l) return (List<Tensor>) l;
        throw new IllegalArgumentException("unexpected result " + r);
    }
}
