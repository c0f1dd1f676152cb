package dev.balboa.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.spi.DType;
import dev.balboa.spi.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pointwise LSTM cell step: the CPU's fused kernels (forward and backward) against the
 * reference device, which runs the composite of primitive ops, and against closed forms.
 */
class FusedLstmCellTest {
    private static final Device REF = Device.of("reference");

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
            for (long[] bh : List.of(new long[] {1, 1}, new long[] {3, 5}, new long[] {2, 17}, new long[] {32, 256},
                    new long[] {7, 100}, new long[] {0, 4})) {
                out.add(Arguments.of(dt, bh[0], bh[1]));
            }
        }
        return out.stream();
    }

    private static Tensor values(long[] shape, DType dt, long seed, double scale) {
        Random rnd = new Random(seed);
        double[] v = new double[(int) Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = rnd.nextGaussian() * scale;
        return Tensor.of(v, shape).to(dt);
    }

    /** Agreement within {@code ulps} units of the dtype's epsilon relative to {@code scale} (or the value, if larger). */
    private static void assertClose(Tensor expected, Tensor actual, DType dt, double ulps, double scale, String what) {
        assertEquals(dt, actual.dtype(), what);
        double[] e = expected.to(Device.CPU).toDoubleArray(), a = actual.toDoubleArray();
        assertEquals(e.length, a.length, what);
        double eps = dt == DType.FLOAT32 ? 0x1p-23 : 0x1p-52;
        for (int i = 0; i < e.length; i++) {
            double tol = ulps * eps * Math.max(scale, Math.abs(e[i]));
            assertTrue(Math.abs(e[i] - a[i]) <= tol, what + "[" + i + "]: " + a[i] + " vs " + e[i] + " (tolerance " + tol + ")");
        }
    }

    /** The activated gates and tanh(c') of the composite, as the fused forward saves them. */
    private static Tensor[] saved(Tensor gates, Tensor c) {
        long hs = c.size(1);
        Tensor s = gates.sigmoid(), g = gates.narrow(1, 2 * hs, hs).tanh();
        Tensor act = Tensor.cat(List.of(s.narrow(1, 0, 2 * hs), g, s.narrow(1, 3 * hs, hs)), 1);
        Tensor c2 = s.narrow(1, hs, hs).mul(c).add(s.narrow(1, 0, hs).mul(g));
        return new Tensor[] {act, c2.tanh()};
    }

    @ParameterizedTest(name = "{0} B={1} H={2}")
    @MethodSource("cases")
    void forwardAndBackwardMatchTheComposite(DType dt, long b, long h) {
        Tensor gates = values(new long[] {b, 4 * h}, dt, b * 31 + h, 3.0);
        Tensor c = values(new long[] {b, h}, dt, b * 17 + h + 1, 2.0);
        Tensor[] out = Functional.lstmCell(gates, c);
        Tensor[] ref = Functional.lstmCell(gates.to(REF), c.to(REF));
        assertEquals(REF, ref[0].device());
        // |h| <= 1 and |c'| <= |c| + 1: absolute errors of a few ulps of those magnitudes
        assertClose(ref[0], out[0], dt, 8, 1.0, "h");
        assertClose(ref[1], out[1], dt, 8, 1.0, "c");
        Tensor gh = values(new long[] {b, h}, dt, 5, 1.0), gc = values(new long[] {b, h}, dt, 6, 1.0);
        Tensor[] savedRef = saved(gates.to(REF), c.to(REF));
        Tensor[] savedCpu = saved(gates, c);
        try (Grad.Scope s = Grad.disabled()) {
            for (int mask = 1; mask < 4; mask++) {
                Tensor ghc = (mask & 1) != 0 ? gh : null, gcc = (mask & 2) != 0 ? gc : null;
                Tensor[] gr = FusedComposites.lstmCellBackward(gates.to(REF), c.to(REF), savedRef[0], savedRef[1],
                        ghc == null ? null : ghc.to(REF), gcc == null ? null : gcc.to(REF));
                Tensor[] gf = FusedComposites.lstmCellBackward(gates, c, savedCpu[0], savedCpu[1], ghc, gcc);
                String what = "gh=" + (ghc != null) + " gc=" + (gcc != null);
                assertClose(gr[0], gf[0], dt, 16, 4.0, what + " grad_gates");
                assertClose(gr[1], gf[1], dt, 16, 4.0, what + " grad_c_prev");
            }
            Tensor[] none = FusedComposites.lstmCellBackward(gates, c, savedCpu[0], savedCpu[1], null, null);
            assertNull(none[0]);
            assertNull(none[1]);
        }
    }

    @Test
    void oneElementMatchesTheClosedForm() {
        double ai = 0.5, af = -1.0, ag = 2.0, ao = 0.25, cp = -0.75;
        double i = 1 / (1 + Math.exp(-ai)), f = 1 / (1 + Math.exp(-af)), g = Math.tanh(ag), o = 1 / (1 + Math.exp(-ao));
        double c2 = f * cp + i * g, h = o * Math.tanh(c2);
        Tensor[] out = Functional.lstmCell(Tensor.of(new double[] {ai, af, ag, ao}, 1, 4), Tensor.of(new double[] {cp}, 1, 1));
        assertEquals(h, out[0].toDoubleArray()[0], 1e-15);
        assertEquals(c2, out[1].toDoubleArray()[0], 1e-15);
    }

    @Test
    void saturatedAndNonFiniteGatesMatchTheComposite() {
        double inf = Double.POSITIVE_INFINITY;
        for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
            double[] gv = new double[4 * 9];
            double[] special = {inf, -inf, 1e30, -1e30, 100, -100, 0, Double.NaN, 20};
            for (int k = 0; k < gv.length; k++) gv[k] = special[(k * 7) % special.length];
            Tensor gates = Tensor.of(gv, 1, 36).to(dt), c = Tensor.of(special, 1, 9).to(dt);
            Tensor[] out = Functional.lstmCell(gates, c), ref = Functional.lstmCell(gates.to(REF), c.to(REF));
            for (int k = 0; k < 2; k++) {
                double[] e = ref[k].to(Device.CPU).toDoubleArray(), a = out[k].toDoubleArray();
                for (int j = 0; j < e.length; j++) {
                    if (Double.isNaN(e[j]) || Double.isInfinite(e[j])) assertEquals(e[j], a[j], dt + " out " + k + "[" + j + "]");
                    else assertEquals(e[j], a[j], 1e-6 * Math.max(1, Math.abs(e[j])), dt + " out " + k + "[" + j + "]");
                }
            }
        }
    }

    @Test
    void nonContiguousOperandsTakeTheComposite() {
        Tensor gates = values(new long[] {12, 3}, DType.FLOAT32, 1, 2.0).t(); // [3, 12], column-major
        Tensor c = values(new long[] {3, 3}, DType.FLOAT32, 2, 1.0);
        Tensor[] out = Functional.lstmCell(gates, c), ref = Functional.lstmCell(gates.to(REF), c.to(REF));
        assertClose(ref[0], out[0], DType.FLOAT32, 8, 1.0, "h");
        assertClose(ref[1], out[1], DType.FLOAT32, 8, 1.0, "c");
    }

    @Test
    void badShapesAndDtypesAreRejected() {
        Tensor c = Tensor.zeros(2, 3);
        String msg = assertThrows(IllegalArgumentException.class, () -> Functional.lstmCell(Tensor.zeros(2, 11), c)).getMessage();
        assertTrue(msg.contains("lstm_cell") && msg.contains("[2, 11]") && msg.contains("[2, 3]"), msg);
        msg = assertThrows(IllegalArgumentException.class,
                () -> Functional.lstmCell(Tensor.zeros(2, 12).to(DType.FLOAT64), c)).getMessage();
        assertTrue(msg.contains("lstm_cell") && msg.contains("float64"), msg);
    }
}
