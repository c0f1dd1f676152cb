package dev.balboa.tck;

import dev.balboa.spi.Backend;
import dev.balboa.spi.Buffer;
import dev.balboa.spi.DType;
import dev.balboa.spi.Operand;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs an {@link OpCase} on a backend: lays the inputs out with sentinels in every gap, allocates
 * the outputs (sentinels or base values), executes the op and reads the outputs back, reporting
 * any write outside the output views.
 */
final class Runner {
    private Runner() {}

    /** The outputs' logical values after the op, and descriptions of writes found outside the views. */
    record Outcome(List<HostTensor> outputs, List<String> strayWrites) {}

    /** Sentinel stored in the gaps of input buffers. */
    static double inputGapD() { return Double.NaN; }
    static long inputGapL(DType t) { return t.isFloatingPoint() ? 0 : HostTensor.wrap(t, 99); }
    /** Sentinel stored in output buffers before the op. */
    static double outputGapD() { return Double.NaN; }
    static long outputGapL(DType t) { return t.isFloatingPoint() ? 0 : HostTensor.wrap(t, -77); }

    /** Buffer position of every logical element, in row-major order. */
    static long[] positions(long[] shape, long[] strides, long offset) {
        int n = Math.toIntExact(HostTensor.numel(shape));
        long[] pos = new long[n];
        if (n == 0) return pos;
        long[] idx = new long[shape.length];
        for (int i = 0; i < n; i++) {
            long p = offset;
            for (int k = 0; k < idx.length; k++) p += idx[k] * strides[k];
            pos[i] = p;
            for (int k = shape.length - 1; k >= 0 && ++idx[k] == shape[k]; k--) idx[k] = 0;
        }
        return pos;
    }

    private static MemorySegment host(DType t, long length) {
        return Arena.ofAuto().allocate(Math.max(1, length) * t.byteSize(), 8);
    }

    private record Placed(Operand operand, Layout.Placement placement, double gapD, long gapL) {}

    private static Placed place(Backend b, DType t, long[] shape, Layout layout, boolean[] broadcast,
                                HostTensor values, double gapD, long gapL, double fillD, long fillL) {
        Layout.Placement p = layout.place(shape, broadcast);
        Buffer buf = b.allocate(t, p.length());
        MemorySegment seg = host(t, p.length());
        for (long j = 0; j < p.length(); j++) HostTensor.encode(t, seg, j, gapD, gapL);
        long[] pos = positions(shape, p.strides(), p.offset());
        for (int i = 0; i < pos.length; i++) {
            if (values != null) HostTensor.encode(t, seg, pos[i], t.isFloatingPoint() ? values.getD(i) : 0, t.isFloatingPoint() ? 0 : values.getL(i));
            else HostTensor.encode(t, seg, pos[i], fillD, fillL);
        }
        if (p.length() > 0) b.write(seg, buf, 0, p.length());
        return new Placed(new Operand(buf, shape.clone(), p.strides(), p.offset()), p, gapD, gapL);
    }

    static Outcome run(Backend b, OpCase c) {
        List<Placed> ins = new ArrayList<>();
        for (OpCase.Arg a : c.inputs) {
            DType t = a.data().dtype;
            ins.add(place(b, t, a.data().shape, a.layout(), a.broadcast(), a.data(), inputGapD(), inputGapL(t), 0, 0));
        }
        List<Placed> outs = new ArrayList<>();
        for (OpCase.Out o : c.outputs) {
            if (o.alias() >= 0) {
                outs.add(ins.get(o.alias()));
            } else {
                outs.add(place(b, o.dtype(), o.shape(), o.layout(), null, o.base(), outputGapD(), outputGapL(o.dtype()),
                        outputGapD(), outputGapL(o.dtype())));
            }
        }
        b.execute(c.op, ins.stream().map(Placed::operand).toArray(Operand[]::new),
                outs.stream().map(Placed::operand).toArray(Operand[]::new));
        b.synchronize();
        List<HostTensor> results = new ArrayList<>();
        List<String> stray = new ArrayList<>();
        for (int k = 0; k < outs.size(); k++) {
            Placed p = outs.get(k);
            DType t = p.operand().dtype();
            long len = p.placement().length();
            MemorySegment seg = host(t, len);
            if (len > 0) b.read(p.operand().buffer(), 0, seg, len);
            HostTensor r = new HostTensor(t, p.operand().shape());
            long[] pos = positions(r.shape, p.placement().strides(), p.placement().offset());
            boolean[] inView = new boolean[(int) len];
            for (int i = 0; i < pos.length; i++) {
                inView[(int) pos[i]] = true;
                if (t.isFloatingPoint()) r.d[i] = HostTensor.decodeD(t, seg, pos[i]);
                else r.l[i] = HostTensor.decodeL(t, seg, pos[i]);
            }
            for (int j = 0; j < len && stray.size() < 3; j++) {
                if (inView[j]) continue;
                boolean same = t.isFloatingPoint()
                        ? sameValue(p.gapD(), HostTensor.decodeD(t, seg, j))
                        : p.gapL() == HostTensor.decodeL(t, seg, j);
                if (!same) stray.add("output " + k + " buffer element " + j + " outside the view was changed");
            }
            results.add(r);
        }
        return new Outcome(results, stray);
    }

    static boolean sameValue(double a, double b) {
        return a == b || (Double.isNaN(a) && Double.isNaN(b));
    }

    /** Operands of a case as the device sees them, for failure messages. */
    static String describe(OpCase c) {
        StringBuilder sb = new StringBuilder("  op: ").append(c.op).append('\n');
        for (int i = 0; i < c.inputs.size(); i++) {
            OpCase.Arg a = c.inputs.get(i);
            sb.append("  input ").append(i).append(": ").append(operand(a.data().dtype, a.data().shape, a.layout(), a.broadcast())).append('\n');
        }
        for (int i = 0; i < c.outputs.size(); i++) {
            OpCase.Out o = c.outputs.get(i);
            sb.append("  output ").append(i).append(": ");
            if (o.alias() >= 0) sb.append("in place, the operand of input ").append(o.alias());
            else sb.append(operand(o.dtype(), o.shape(), o.layout(), null)).append(o.base() != null ? ", preset base values" : "");
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String operand(DType t, long[] shape, Layout layout, boolean[] broadcast) {
        Layout.Placement p = layout.place(shape, broadcast);
        return t + " shape " + Arrays.toString(shape) + " strides " + Arrays.toString(p.strides())
                + " offset " + p.offset() + " (" + layout + ", buffer of " + p.length() + ")";
    }
}
