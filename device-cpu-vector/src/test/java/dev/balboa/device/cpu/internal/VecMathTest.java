package dev.balboa.device.cpu.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * {@link VecMath} against {@link StrictMath} (float functions against the double result, so the
 * oracle is exact to far below a float ulp) over sparse sweeps of every bit pattern, dense
 * sweeps of the ranges that matter and the special values.
 */
class VecMathTest {
    static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    static final float[] SPECIAL_F = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL,
        0x1p-130f, 1f, -1f, 0.5f, -0.5f, 2f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.NaN, 88.7228f, 88.72284f, 88.7229f, 89f, -87.33655f, -103.27893f, -103.97208f,
        -104f, -1e-30f, 1e-30f, 0.99999994f, 1.0000001f, -0.99999994f, 1e10f, -1e10f, 8192f, 8193f, -8193f,
        (float) Math.PI, (float) (Math.PI / 2), 1e-8f, 0.55f, 0.54999995f, 9f, 10f, -20f};
    static final double[] SPECIAL_D = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
        -Double.MIN_NORMAL, 0x1p-1030, 1, -1, 0.5, -0.5, 2, Double.MAX_VALUE, -Double.MAX_VALUE,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 709.782712893384, 709.7827128933841,
        709.79, 710, -708.3964185322641, -744.44, -745.1332191019411, -745.14, -746, 1e-300, -1e-300,
        Math.nextDown(1.0), Math.nextUp(1.0), -Math.nextDown(1.0), 1e20, -1e20, 65536, 65537, -65537, Math.PI,
        Math.PI / 2, 1e-17, 0.3, Math.nextDown(0.3), 19, 20, 40, -40};

    /** Max error in float ulps of fn over the inputs; fails on a wrong special value. */
    static double maxUlpF(String name, UnaryOperator<FloatVector> fn, DoubleUnaryOperator ref, float[] in) {
        int n = in.length - in.length % FS.length();
        float[] out = new float[n];
        for (int i = 0; i < n; i += FS.length()) fn.apply(FloatVector.fromArray(FS, in, i)).intoArray(out, i);
        double worst = 0;
        for (int i = 0; i < n; i++) worst = Math.max(worst, ulpF(name, in[i], out[i], ref.applyAsDouble(in[i])));
        return worst;
    }

    static double ulpF(String name, float x, float got, double exact) {
        float rounded = (float) exact;
        if (Float.isNaN(rounded) || Float.isInfinite(rounded) || Float.isNaN(got) || Float.isInfinite(got) || exact == 0) {
            if (Float.floatToIntBits(got) != Float.floatToIntBits(rounded)) {
                fail(name + "(" + x + " = 0x" + Integer.toHexString(Float.floatToRawIntBits(x)) + ") = " + got + ", expected " + rounded);
            }
            return 0;
        }
        if (Math.signum(got) != Math.signum(rounded) && got != 0) fail(name + "(" + x + ") = " + got + ", expected " + rounded);
        double ulp = Math.ulp(rounded == 0 ? Float.MIN_VALUE : Math.abs(rounded));
        double e = Math.abs(got - exact) / ulp;
        if (e > 2) fail(name + "(" + x + " = 0x" + Integer.toHexString(Float.floatToRawIntBits(x)) + ") = " + got + ", expected " + exact + ": " + e + " ulp");
        return e;
    }

    static double maxUlpD(String name, UnaryOperator<DoubleVector> fn, DoubleUnaryOperator ref, double[] in) {
        int n = in.length - in.length % DS.length();
        double[] out = new double[n];
        for (int i = 0; i < n; i += DS.length()) fn.apply(DoubleVector.fromArray(DS, in, i)).intoArray(out, i);
        double worst = 0;
        for (int i = 0; i < n; i++) worst = Math.max(worst, ulpD(name, in[i], out[i], ref.applyAsDouble(in[i])));
        return worst;
    }

    static double ulpD(String name, double x, double got, double exact) {
        if (Double.isNaN(exact) || Double.isInfinite(exact) || Double.isNaN(got) || Double.isInfinite(got) || exact == 0) {
            if (Double.doubleToLongBits(got) != Double.doubleToLongBits(exact)) {
                fail(name + "(" + x + ") = " + got + ", expected " + exact);
            }
            return 0;
        }
        if (Math.signum(got) != Math.signum(exact) && got != 0) fail(name + "(" + x + ") = " + got + ", expected " + exact);
        double e = Math.abs(got - exact) / Math.ulp(exact);
        // the oracle is itself within 1 ulp: report its distance, require at most 2
        if (e > 2) fail(name + "(" + x + ") = " + got + ", expected " + exact + ": " + e + " ulp");
        return e;
    }

    /** Every 2^k-th float bit pattern, a dense grid over [lo, hi] and the special values. */
    static float[] floats(float lo, float hi, int dense) {
        int step = 3067;
        int sparse = (int) ((1L << 32) / step);
        float[] a = new float[sparse + dense + SPECIAL_F.length];
        int j = 0;
        for (long b = 0; b < (1L << 32) && j < sparse; b += step) a[j++] = Float.intBitsToFloat((int) b);
        for (int i = 0; i < dense; i++) a[j++] = lo + (hi - lo) * i / dense;
        for (float s : SPECIAL_F) a[j++] = s;
        return java.util.Arrays.copyOf(a, j);
    }

    static double[] doubles(double lo, double hi, int dense, long seed) {
        Random r = new Random(seed);
        int sparse = 200_000;
        double[] a = new double[sparse + dense + SPECIAL_D.length];
        int j = 0;
        for (int i = 0; i < sparse; i++) a[j++] = Double.longBitsToDouble(r.nextLong());
        for (int i = 0; i < dense; i++) a[j++] = lo + (hi - lo) * r.nextDouble();
        for (double s : SPECIAL_D) a[j++] = s;
        return a;
    }

    @Test
    void floatFunctions() {
        StringBuilder sb = new StringBuilder();
        sb.append(" exp ").append(maxUlpF("exp", VecMath::exp, StrictMath::exp, floats(-105, 90, 400_000)));
        sb.append(" expm1 ").append(maxUlpF("expm1", VecMath::expm1, StrictMath::expm1, floats(-20, 90, 400_000)));
        sb.append(" log ").append(maxUlpF("log", VecMath::log, StrictMath::log, floats(0, 4, 400_000)));
        sb.append(" log1p ").append(maxUlpF("log1p", VecMath::log1p, StrictMath::log1p, floats(-1, 3, 400_000)));
        sb.append(" tanh ").append(maxUlpF("tanh", VecMath::tanh, StrictMath::tanh, floats(-10, 10, 400_000)));
        sb.append(" sin ").append(maxUlpF("sin", VecMath::sin, StrictMath::sin, floats(-9000, 9000, 400_000)));
        sb.append(" cos ").append(maxUlpF("cos", VecMath::cos, StrictMath::cos, floats(-9000, 9000, 400_000)));
        System.out.println("VecMath float max ulp:" + sb);
    }

    /** float tanh on every 16th float of [-10, 10] (both signs, each exponent), chunk by chunk. */
    @Test
    void floatTanhDenseSweep() {
        int end = Float.floatToRawIntBits(10f);
        float[] in = new float[1 << 20];
        double worst = 0;
        for (int sign : new int[] {0, 0x80000000}) {
            int b = 0;
            while (b <= end) {
                int m = 0;
                for (; m < in.length && b <= end; m++, b += 16) in[m] = Float.intBitsToFloat(b | sign);
                worst = Math.max(worst, maxUlpF("tanh", VecMath::tanh, StrictMath::tanh, java.util.Arrays.copyOf(in, m)));
            }
        }
        // the specials padded with zeros to whole vectors, and the last values below and above 10
        float[] edges = java.util.Arrays.copyOf(SPECIAL_F, (SPECIAL_F.length / FS.length() + 2) * FS.length());
        edges[edges.length - 1] = Math.nextDown(10f);
        edges[edges.length - 2] = -Math.nextUp(10f);
        edges[edges.length - 3] = 9.010913f;
        edges[edges.length - 4] = -0.55f;
        worst = Math.max(worst, maxUlpF("tanh", VecMath::tanh, StrictMath::tanh, edges));
        System.out.println("VecMath float tanh dense max ulp: " + worst);
        assertTrue(worst <= 2);
    }

    @Test
    void doubleFunctions() {
        StringBuilder sb = new StringBuilder();
        sb.append(" exp ").append(maxUlpD("exp", VecMath::exp, StrictMath::exp, doubles(-746, 710, 400_000, 1)));
        sb.append(" expm1 ").append(maxUlpD("expm1", VecMath::expm1, StrictMath::expm1, doubles(-40, 710, 400_000, 2)));
        sb.append(" log ").append(maxUlpD("log", VecMath::log, StrictMath::log, doubles(0, 4, 400_000, 3)));
        sb.append(" log1p ").append(maxUlpD("log1p", VecMath::log1p, StrictMath::log1p, doubles(-1, 3, 400_000, 4)));
        sb.append(" tanh ").append(maxUlpD("tanh", VecMath::tanh, StrictMath::tanh, doubles(-20, 20, 400_000, 5)));
        sb.append(" sin ").append(maxUlpD("sin", VecMath::sin, StrictMath::sin, doubles(-70000, 70000, 400_000, 6)));
        sb.append(" cos ").append(maxUlpD("cos", VecMath::cos, StrictMath::cos, doubles(-70000, 70000, 400_000, 7)));
        System.out.println("VecMath double max ulp:" + sb);
    }

    @Test
    void smallArgumentsKeepTheirSign() {
        for (float x : new float[] {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, -1e-20f}) {
            FloatVector v = FloatVector.broadcast(FS, x);
            for (var f : java.util.List.<UnaryOperator<FloatVector>>of(VecMath::expm1, VecMath::log1p, VecMath::tanh, VecMath::sin)) {
                assertEquals(Float.floatToRawIntBits(x), Float.floatToRawIntBits(f.apply(v).lane(0)), "f(" + x + ")");
            }
            assertEquals(1f, VecMath.cos(v).lane(0));
        }
    }

    @Test
    void powMatchesStrictMath() {
        Random r = new Random(11);
        int n = 1 << 17;
        float[] xs = new float[n], ys = new float[n];
        double[] xd = new double[n], yd = new double[n];
        float[] yChoices = {2f, 1f, 0f, -1f, 0.5f, 3f, -2.5f, Float.NaN, Float.POSITIVE_INFINITY};
        float[] xChoices = {0f, -0f, -1f, -2f, Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 1f};
        for (int i = 0; i < xs.length; i++) {
            xs[i] = i % 7 == 0 ? xChoices[r.nextInt(xChoices.length)] : (float) Math.exp(r.nextGaussian() * 4);
            // wide exponents reach overflow, underflow and subnormal results
            ys[i] = i % 3 == 0 ? yChoices[r.nextInt(yChoices.length)] : (float) (r.nextGaussian() * (i % 2 == 0 ? 3 : 30));
            xd[i] = xs[i] * (1 + r.nextDouble() * 1e-3);
            yd[i] = ys[i];
        }
        for (int i = 0; i < xs.length; i += FS.length()) {
            FloatVector p = VecMath.pow(FloatVector.fromArray(FS, xs, i), FloatVector.fromArray(FS, ys, i));
            for (int l = 0; l < FS.length(); l++) {
                ulpF("pow", xs[i + l], p.lane(l), StrictMath.pow(xs[i + l], ys[i + l]));
            }
        }
        for (int i = 0; i < xd.length; i += DS.length()) {
            DoubleVector p = VecMath.pow(DoubleVector.fromArray(DS, xd, i), DoubleVector.fromArray(DS, yd, i));
            for (int l = 0; l < DS.length(); l++) ulpD("pow", xd[i + l], p.lane(l), StrictMath.pow(xd[i + l], yd[i + l]));
        }
    }

    /** The lane sum follows the pairwise order lane i + lane i + L/2, recursively, and is close to the exact sum. */
    @Test
    void sumHasAFixedPairwiseOrder() {
        Random r = new Random(3);
        for (int t = 0; t < 200; t++) {
            float[] a = new float[FS.length()];
            double[] d = new double[DS.length()];
            for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextGaussian() * Math.exp(r.nextGaussian() * 5));
            for (int i = 0; i < d.length; i++) d[i] = r.nextGaussian() * Math.exp(r.nextGaussian() * 5);
            float[] fa = a.clone();
            for (int h = fa.length / 2; h >= 1; h /= 2) for (int i = 0; i < h; i++) fa[i] = fa[i] + fa[i + h];
            double[] da = d.clone();
            for (int h = da.length / 2; h >= 1; h /= 2) for (int i = 0; i < h; i++) da[i] = da[i] + da[i + h];
            assertEquals(Float.floatToIntBits(fa[0]), Float.floatToIntBits(VecMath.sum(FloatVector.fromArray(FS, a, 0))));
            assertEquals(Double.doubleToLongBits(da[0]), Double.doubleToLongBits(VecMath.sum(DoubleVector.fromArray(DS, d, 0))));
            double exact = 0, mag = 0;
            for (float v : a) { exact += v; mag += Math.abs(v); }
            assertEquals(exact, VecMath.sum(FloatVector.fromArray(FS, a, 0)), mag * 1e-6);
        }
        assertTrue(Float.isNaN(VecMath.sum(FloatVector.broadcast(FS, Float.NaN))));
        assertEquals(Float.POSITIVE_INFINITY, VecMath.sum(FloatVector.broadcast(FS, Float.POSITIVE_INFINITY)));
    }
}
