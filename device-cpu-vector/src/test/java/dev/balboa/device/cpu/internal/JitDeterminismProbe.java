package dev.balboa.device.cpu.internal;

import dev.balboa.spi.Op.BinaryFn;
import dev.balboa.spi.Op.UnaryFn;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Run in a fresh JVM by {@link JitDeterminismTest}: computes each transcendental and summing
 * kernel once cold (its first call, interpreted) and again after enough calls for the JIT to
 * compile it, and prints one line per kernel whose two results differ in any bit, then "done".
 */
public final class JitDeterminismProbe {
    private JitDeterminismProbe() {}

    static final int N = 1024;
    static final int WARM = 300;

    public static void main(String[] args) {
        Random rnd = new Random(7);
        float[] xf = new float[N], pf = new float[N], yf = new float[N];
        double[] xd = new double[N], pd = new double[N], yd = new double[N];
        for (int i = 0; i < N; i++) {
            xf[i] = (float) (rnd.nextGaussian() * 4);
            pf[i] = (float) Math.exp(rnd.nextGaussian() * 3);
            yf[i] = (float) (rnd.nextGaussian() * 2);
            xd[i] = rnd.nextGaussian() * 4;
            pd[i] = Math.exp(rnd.nextGaussian() * 3);
            yd[i] = rnd.nextGaussian() * 2;
        }
        List<String> diffs = new ArrayList<>();
        for (UnaryFn fn : new UnaryFn[] {UnaryFn.EXP, UnaryFn.EXPM1, UnaryFn.LOG, UnaryFn.LOG1P, UnaryFn.SIN,
                UnaryFn.COS, UnaryFn.TANH, UnaryFn.SIGMOID, UnaryFn.ERF}) {
            boolean positive = fn == UnaryFn.LOG || fn == UnaryFn.LOG1P;
            float[] inF = positive ? pf : xf;
            double[] inD = positive ? pd : xd;
            check(diffs, "float32 " + fn, () -> {
                float[] o = new float[N];
                VecF32.unary(fn, inF, 0, o, 0, N);
                return o;
            });
            if (fn != UnaryFn.ERF) {
                check(diffs, "float64 " + fn, () -> {
                    double[] o = new double[N];
                    VecF64.unary(fn, inD, 0, o, 0, N);
                    return o;
                });
            }
        }
        check(diffs, "float32 POW", () -> {
            float[] o = new float[N];
            VecF32.binary(BinaryFn.POW, pf, 0, 1, yf, 0, 1, o, 0, N);
            return o;
        });
        check(diffs, "float64 POW", () -> {
            double[] o = new double[N];
            VecF64.binary(BinaryFn.POW, pd, 0, 1, yd, 0, 1, o, 0, N);
            return o;
        });
        check(diffs, "float32 sum", () -> {
            float[] o = new float[64];
            for (int r = 0; r < o.length; r++) o[r] = (float) VecF32.sum(xf, r, N - 64);
            return o;
        });
        check(diffs, "float64 sum", () -> {
            double[] o = new double[64];
            for (int r = 0; r < o.length; r++) o[r] = VecF64.sum(xd, r, N - 64);
            return o;
        });
        check(diffs, "conv dot", () -> {
            float[] o = new float[64];
            for (int r = 0; r < o.length; r++) o[r] = dev.balboa.device.cpu.internal.conv.ConvProbe.dot(xf, r, yf, 64 - r, N - 64);
            return o;
        });
        check(diffs, "thin gemm", () -> {
            float[] c = new float[4 * 6];
            dev.balboa.device.cpu.internal.conv.ConvProbe.thinGemm(4, 6, 160, xf, yf, c);
            return c;
        });
        for (String d : diffs) System.out.println(d);
        System.out.println("done");
    }

    private static void check(List<String> diffs, String name, Supplier<Object> kernel) {
        Object cold = kernel.get();
        for (int i = 0; i < WARM; i++) kernel.get();
        Object warm = kernel.get();
        int n = java.lang.reflect.Array.getLength(cold), bad = 0, first = -1;
        for (int i = 0; i < n; i++) {
            Object a = java.lang.reflect.Array.get(cold, i), b = java.lang.reflect.Array.get(warm, i);
            if (!a.equals(b)) {   // Float/Double equals compares bits
                bad++;
                if (first < 0) first = i;
            }
        }
        if (bad > 0) {
            diffs.add(name + ": " + bad + " of " + n + " differ, first at " + first + ": cold "
                    + java.lang.reflect.Array.get(cold, first) + " warm " + java.lang.reflect.Array.get(warm, first));
        }
    }
}
