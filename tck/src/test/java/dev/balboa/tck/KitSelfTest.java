package dev.balboa.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.spi.Backend;
import dev.balboa.spi.Buffer;
import dev.balboa.spi.DType;
import dev.balboa.spi.Device;
import dev.balboa.spi.Op;
import dev.balboa.spi.Operand;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.example.balboa.reference.ReferenceProvider;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;

/**
 * Checks that the kit catches broken devices: each mutant of the reference device has one
 * deliberate bug, and the family of cases covering it must report failures while the others pass.
 */
class KitSelfTest {

    /** The reference device with one bug injected after (or instead of) a chosen op. */
    private static final class Mutant implements Backend {
        private final Backend ref = new ReferenceProvider().open().get(0);
        private final String bug;

        Mutant(String bug) { this.bug = bug; }

        @Override public Device device() { return ref.device(); }
        @Override public String description() { return "mutant: " + bug; }
        @Override public Set<DType> dtypes() { return Set.of(DType.FLOAT32, DType.INT64, DType.BOOL); }
        @Override public Buffer allocate(DType dtype, long length) { return ref.allocate(dtype, length); }
        @Override public void write(MemorySegment src, Buffer dst, long off, long n) { ref.write(src, dst, off, n); }
        @Override public void read(Buffer src, long off, MemorySegment dst, long n) { ref.read(src, off, dst, n); }

        @Override
        public void execute(Op op, Operand[] in, Operand[] out) {
            if (bug.equals("matmul ignores strides") && op instanceof Op.Matmul && !in[0].isContiguous()) {
                in = new Operand[] {new Operand(in[0].buffer(), in[0].shape(), Operand.contiguousStrides(in[0].shape()), in[0].offset()), in[1]};
            }
            ref.execute(op, in, out);
            if (bug.equals("add is off by 1e-3") && op instanceof Op.Binary b && b.fn() == Op.BinaryFn.ADD && out[0].numel() > 1) {
                nudge(out[0].buffer(), out[0].offset(), 1e-3f);
            }
            if (bug.equals("neg writes before its view") && op instanceof Op.Unary u && u.fn() == Op.UnaryFn.NEG && out[0].offset() > 0) {
                nudge(out[0].buffer(), out[0].offset() - 1, 0);
            }
        }

        /** Overwrites one float32 element with its value plus {@code delta} (a NaN sentinel becomes 0 + delta). */
        private void nudge(Buffer b, long at, float delta) {
            if (b.dtype() != DType.FLOAT32) return;
            MemorySegment one = Arena.ofAuto().allocate(4, 4);
            ref.read(b, at, one, 1);
            float v = one.get(ValueLayout.JAVA_FLOAT, 0);
            one.set(ValueLayout.JAVA_FLOAT, 0, (Float.isNaN(v) ? 0 : v) + delta);
            ref.write(one, b, at, 1);
        }
    }

    private static Stream<DynamicTest> flatten(Stream<DynamicNode> nodes) {
        return nodes.flatMap(n -> n instanceof DynamicContainer c ? flatten(c.getChildren().map(x -> (DynamicNode) x)) : Stream.of((DynamicTest) n));
    }

    /** Runs the tests of one family and returns {passed, failed}. */
    private static int[] run(Supplier<Stream<DynamicNode>> family) {
        int[] counts = new int[2];
        flatten(family.get()).forEach(t -> {
            try {
                t.getExecutable().execute();
                counts[0]++;
            } catch (Throwable e) {
                counts[1]++;
            }
        });
        return counts;
    }

    private static DeviceConformanceKit kit(String bug) {
        return new DeviceConformanceKit() {
            @Override protected Backend backend() { return new Mutant(bug); }
        };
    }

    @Test
    void faithfulDevicePasses() {
        DeviceConformanceKit k = kit("none");
        for (Supplier<Stream<DynamicNode>> f : List.<Supplier<Stream<DynamicNode>>>of(k::binary, k::matmul, k::unary, k::knownValues)) {
            int[] r = run(f);
            assertEquals(0, r[1], "failures on a faithful device");
            assertTrue(r[0] > 10);
        }
    }

    @Test
    void wrongValuesAreCaught() {
        DeviceConformanceKit k = kit("add is off by 1e-3");
        assertTrue(run(k::binary)[1] > 0);
        assertEquals(0, run(k::unary)[1]);
    }

    @Test
    void writesOutsideTheViewAreCaught() {
        assertTrue(run(kit("neg writes before its view")::unary)[1] > 0);
    }

    @Test
    void ignoredStridesAreCaught() {
        DeviceConformanceKit k = kit("matmul ignores strides");
        assertTrue(run(k::matmul)[1] > 0);
        assertTrue(run(k::matmul)[0] > 0, "contiguous cases still pass");
    }
}
