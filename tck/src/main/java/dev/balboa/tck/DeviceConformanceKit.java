package dev.balboa.tck;

import dev.balboa.spi.Backend;
import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.example.balboa.reference.ReferenceProvider;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The device conformance kit (TCK): a JUnit 5 suite that proves a Balboa device runs every
 * primitive {@link Op} correctly. A plugin author writes one test class:
 *
 * <pre>{@code
 * class AcmeDeviceConformanceTest extends DeviceConformanceKit {
 *     @Override protected Backend backend() { return AcmeBackend.open(); }
 * }
 * }</pre>
 *
 * <p>Every case runs the same op, on the same deterministic inputs and memory layouts, on the
 * device under test and on the scalar reference device ({@code org.example.balboa.reference}),
 * and compares all outputs. Cases cover every unary and binary function, where, copy between
 * every pair of dtypes, fill, arange, both random ops, every reduction (several axis sets, wider
 * output dtypes, empty axes), arg-reductions, scans, sort, batched matmul (shapes crossing block
 * sizes, transposed operands, batch broadcast), convolution and both its backward forms (stride,
 * padding, dilation, groups, depthwise), max pooling, gather and scatter, for every dtype the
 * device claims (see {@link #dtypes()}) and the op defines. Operands are contiguous, offset,
 * transposed, sliced (gaps in every dimension), broadcast (stride 0) and empty (a zero dimension);
 * elementwise ops also run in place. Every gap of every buffer holds a sentinel: a device that
 * writes outside an output view fails. A separate family ({@link #knownValues()}) checks closed
 * forms on the device alone, so the suite does not only compare two devices.
 *
 * <p>Tolerances ({@link Tolerance#defaultFor}, override {@link #tolerance(DType)}):
 * <ul>
 *   <li>integral and bool results, indices, and floating results that are fully determined are
 *       compared exactly: data movement (copy and casts, where, fill, gather, scatter-replace,
 *       sort, max and arg-reductions, pooling), add/sub/mul, comparisons, rounding functions,
 *       and random uniform numbers;</li>
 *   <li>other floating results: {@code |actual - expected| <= atol + rtol*|expected|} with
 *       float64 rtol 1e-12 / atol 1e-14, float32 1e-5 / 1e-6, float16 2^-9 / 1e-3, bfloat16
 *       2^-6 / 1e-2 (two units of the dtype's epsilon);</li>
 *   <li>accumulations (reductions, scans, matmul, convolutions, scatter-add) of K terms per
 *       element: rtol times sqrt(K) and atol times K, inputs being of magnitude about 1;</li>
 *   <li>NaN must match NaN, an infinity the same infinity.</li>
 * </ul>
 *
 * <p>A failure names the case (op, dtypes, layout), and prints the op, every operand's dtype,
 * shape, strides and offset, the first mismatching index with expected and actual values, and
 * how many elements differ.
 */
public abstract class DeviceConformanceKit {
    private static Backend reference;
    private Backend device;

    /** The backend under test. Called once per test family; may return the same instance each time. */
    protected abstract Backend backend();

    /** The dtypes to test; by default all the backend claims. Narrow it to test a subset. */
    protected Set<DType> dtypes() { return device().dtypes(); }

    /**
     * Whether the device is expected to run {@code op} with operands of these dtypes (all those
     * the case touches, including int64 indices and bool masks); by default true. Override to
     * leave out combinations the device documents as unsupported.
     */
    protected boolean supports(Op op, Set<DType> dtypes) { return true; }

    /** The tolerance for one floating result of an elementwise op in {@code dtype}; see the class comment. */
    protected Tolerance tolerance(DType dtype) { return Tolerance.defaultFor(dtype); }

    /** The seed of every generated input; change it to explore other inputs. */
    protected long seed() { return 0x5EED_BA1B0AL; }

    /** The oracle: the scalar reference device. */
    protected static synchronized Backend reference() {
        if (reference == null) reference = new ReferenceProvider().open().get(0);
        return reference;
    }

    private Backend device() {
        if (device == null) device = backend();
        return device;
    }

    private Cases cases() { return new Cases(dtypes(), seed()); }

    @TestFactory
    Stream<DynamicNode> unary() { return compare(ElementwiseCases.unary(cases())); }

    @TestFactory
    Stream<DynamicNode> binary() { return compare(ElementwiseCases.binary(cases())); }

    @TestFactory
    Stream<DynamicNode> whereCopyFillArange() { return compare(DataCases.whereCopyFillArange(cases())); }

    @TestFactory
    Stream<DynamicNode> random() { return compare(DataCases.random(cases())); }

    @TestFactory
    Stream<DynamicNode> reductions() { return compare(ReductionCases.reduce(cases())); }

    @TestFactory
    Stream<DynamicNode> argReduceScanSort() { return compare(ReductionCases.argScanSort(cases())); }

    @TestFactory
    Stream<DynamicNode> matmul() { return compare(LinalgCases.matmul(cases())); }

    @TestFactory
    Stream<DynamicNode> convolutionAndPooling() { return compare(LinalgCases.convAndPool(cases())); }

    @TestFactory
    Stream<DynamicNode> gatherScatter() { return compare(DataCases.gatherScatter(cases())); }

    /** Closed-form checks on the device alone (sum of arange, identity matmul, delta convolution, ...). */
    @TestFactory
    Stream<DynamicNode> knownValues() {
        List<KnownValues.Check> checks = new KnownValues(dtypes()).checks();
        return checks.stream()
                .filter(k -> dtypes().containsAll(k.c().dtypes()) && supports(k.c().op, k.c().dtypes()))
                .map(k -> DynamicTest.dynamicTest(k.c().name, () -> {
                    Runner.Outcome act;
                    try {
                        act = Runner.run(device(), k.c());
                    } catch (RuntimeException e) {
                        throw new AssertionError(k.c().name + ": the device threw " + e + "\n" + Runner.describe(k.c()), e);
                    }
                    if (k.tolerance() == null) KnownValues.checkMoments(k.c(), act.outputs().get(0));
                    else for (int i = 0; i < k.expected().size(); i++) {
                        HostTensor e = k.expected().get(i);
                        if (e == null) continue;
                        Tolerance tol = e.dtype.isFloatingPoint() ? k.tolerance() : Tolerance.EXACT;
                        compareOutputs(k.c(), i, e, act.outputs().get(i), tol, "known value");
                    }
                    strays(k.c(), act);
                }));
    }

    private Stream<DynamicNode> compare(List<OpCase> all) {
        Set<DType> claimed = dtypes();
        Map<String, List<DynamicNode>> byOp = new LinkedHashMap<>();
        for (OpCase c : all) {
            if (!claimed.containsAll(c.dtypes()) || !supports(c.op, c.dtypes())) continue;
            byOp.computeIfAbsent(c.op.name(), k -> new ArrayList<>())
                    .add(DynamicTest.dynamicTest(c.name, () -> check(c)));
        }
        return byOp.entrySet().stream().map(e -> DynamicContainer.dynamicContainer(e.getKey(), e.getValue()));
    }

    private void check(OpCase c) {
        Runner.Outcome exp;
        try {
            exp = Runner.run(reference(), c);
        } catch (RuntimeException e) {
            throw new AssertionError("the reference device failed on " + c.name + " (a bug in the kit)\n" + Runner.describe(c), e);
        }
        Runner.Outcome act;
        try {
            act = Runner.run(device(), c);
        } catch (RuntimeException e) {
            throw new AssertionError(c.name + ": the device threw " + e + "\n" + Runner.describe(c), e);
        }
        for (int i = 0; i < exp.outputs().size(); i++) {
            HostTensor e = exp.outputs().get(i);
            Tolerance tol = !e.dtype.isFloatingPoint() || c.exact ? Tolerance.EXACT : tolerance(e.dtype).forTerms(c.terms);
            compareOutputs(c, i, e, act.outputs().get(i), tol, "reference");
        }
        strays(c, act);
    }

    private static void strays(OpCase c, Runner.Outcome act) {
        if (!act.strayWrites().isEmpty()) {
            throw new AssertionError(c.name + ": wrote outside its output view: " + act.strayWrites() + "\n" + Runner.describe(c));
        }
    }

    private static void compareOutputs(OpCase c, int k, HostTensor e, HostTensor a, Tolerance tol, String source) {
        int bad = 0, first = -1;
        for (int i = 0; i < e.numel(); i++) {
            boolean ok = e.dtype.isFloatingPoint() ? tol.accepts(e.d[i], a.d[i]) : e.l[i] == a.l[i];
            if (!ok) {
                if (first < 0) first = i;
                bad++;
            }
        }
        if (bad > 0) {
            throw new AssertionError(c.name + ": output " + k + " differs from the " + source + " at index "
                    + HostTensor.index(e.shape, first) + " (row-major " + first + "): expected " + e.format(first)
                    + ", actual " + a.format(first) + "; " + bad + " of " + e.numel() + " elements differ"
                    + (e.dtype.isFloatingPoint() ? " (" + tol + ")" : "") + "\n" + Runner.describe(c));
        }
    }
}
