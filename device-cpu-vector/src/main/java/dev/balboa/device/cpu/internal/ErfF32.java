package dev.balboa.device.cpu.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The error function for float32 on the Vector API (erf has no lanewise operator). Two
 * Chebyshev expansions, fitted once at class initialisation to the double-precision
 * {@link ScalarMath#erf}: {@code erf(x) = x * P(x^2)} for |x| <= 1 and
 * {@code erf(x) = 1 - exp(-x^2) * Q(|x|)} for 1 < |x| < 4; beyond 4, erf rounds to +-1 in float.
 * Accuracy is within a few float ulps.
 */
final class ErfF32 {
    private ErfF32() {}

    private static final int NP = 14;
    private static final int NQ = 26;
    /** Coefficients of P in t = 2 s - 1, s = x^2 in [0, 1] (c0 already halved). */
    private static final float[] P = fit(NP, t -> {
        double s = (t + 1) / 2;
        if (s < 1e-300) return 2 / Math.sqrt(Math.PI);
        double x = Math.sqrt(s);
        return ScalarMath.erf(x) / x;
    });
    /** Coefficients of Q in t = (2 x - 5) / 3, x in [1, 4] (c0 already halved). */
    private static final float[] Q = fit(NQ, t -> {
        double x = (3 * t + 5) / 2;
        return (1 - ScalarMath.erf(x)) * Math.exp(x * x);
    });

    /** Chebyshev interpolation of f on [-1, 1] at n nodes. */
    private static float[] fit(int n, java.util.function.DoubleUnaryOperator f) {
        double[] fk = new double[n];
        for (int k = 0; k < n; k++) fk[k] = f.applyAsDouble(Math.cos(Math.PI * (k + 0.5) / n));
        float[] c = new float[n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int k = 0; k < n; k++) s += fk[k] * Math.cos(Math.PI * j * (k + 0.5) / n);
            c[j] = (float) (2.0 / n * s * (j == 0 ? 0.5 : 1));
        }
        return c;
    }

    private static FloatVector clenshaw(float[] c, FloatVector t) {
        FloatVector t2 = t.add(t);
        FloatVector b1 = FloatVector.zero(VecF32.S), b2 = FloatVector.zero(VecF32.S);
        for (int j = c.length - 1; j >= 1; j--) {
            FloatVector b = t2.fma(b1, b2.neg()).add(c[j]);
            b2 = b1;
            b1 = b;
        }
        return t.fma(b1, b2.neg()).add(c[0]);
    }

    private static double clenshaw(float[] c, double t) {
        double b1 = 0, b2 = 0;
        for (int j = c.length - 1; j >= 1; j--) {
            double b = 2 * t * b1 - b2 + c[j];
            b2 = b1;
            b1 = b;
        }
        return t * b1 - b2 + c[0];
    }

    /** erf of one float with the same expansions (for tails and tests). */
    static float erf(float x) {
        float a = Math.abs(x);
        if (Float.isNaN(x)) return x;
        if (a <= 1) return (float) (x * clenshaw(P, 2.0 * x * x - 1));
        if (a >= 4) return Math.copySign(1f, x);
        double r = 1 - Math.exp(-(double) a * a) * clenshaw(Q, (2.0 * a - 5) / 3);
        return (float) Math.copySign(r, x);
    }

    /** o[oi + i] = erf(x[xi + i]) for i below end (a multiple of the lane count); returns end. */
    static int erf(float[] x, int xi, float[] o, int oi, int end) {
        int i = 0;
        for (; i < end; i += VecF32.L) {
            FloatVector v = FloatVector.fromArray(VecF32.S, x, xi + i);
            FloatVector a = v.abs();
            FloatVector s = a.mul(a);
            FloatVector small = v.mul(clenshaw(P, s.add(s).sub(1f)));
            FloatVector q = clenshaw(Q, a.add(a).sub(5f).div(3f));
            FloatVector large = VecMath.exp(s.neg()).neg().fma(q, FloatVector.broadcast(VecF32.S, 1f));
            large = large.blend(1f, a.compare(VectorOperators.GE, 4f));
            large = large.blend(large.neg(), v.compare(VectorOperators.LT, 0f));
            VectorMask<Float> isSmall = a.compare(VectorOperators.LE, 1f);
            large.blend(small, isSmall).intoArray(o, oi + i);
        }
        return i;
    }
}
