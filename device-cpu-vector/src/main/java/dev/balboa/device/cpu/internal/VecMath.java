package dev.balboa.device.cpu.internal;

import static jdk.incubator.vector.VectorOperators.AND;
import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.NE;
import static jdk.incubator.vector.VectorOperators.OR;
import static jdk.incubator.vector.VectorOperators.XOR;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Deterministic vector math: exp, expm1, log, log1p, tanh, sin, cos, pow and a horizontal sum
 * for float and double vectors, built only from IEEE operations that are exactly rounded
 * (add, mul, fma, div, sqrt, min, max, compares, blends and integer bit manipulation). Such
 * operations give the same bits whether the JIT has intrinsified them or the Vector API runs
 * its Java fallback, so a kernel built from these functions returns the same numbers on its
 * first, interpreted call and after compilation; the {@code lanewise(EXP)}-style operators of
 * the Vector API and {@code reduceLanes(ADD)} on floating-point vectors do not (the intrinsics
 * call a vector math library that rounds differently from the fallback, and leave the order of
 * the lane additions open).
 *
 * <p>Accuracy: within 2 ulp of the correctly rounded result over the whole domain, with the
 * special values of {@link StrictMath}. Each function reduces its argument (Cody-Waite with a
 * split constant and fused multiply-adds) and evaluates a polynomial whose coefficients are
 * weighted minimax fits of the reduced function. The rare lanes outside the range a reduction
 * handles (huge arguments of sin and cos, the general case of pow) are computed lane by lane
 * with {@link StrictMath}, which is itself deterministic.
 */
public final class VecMath {
    private VecMath() {}

    // ---------------------------------------------------------------- float constants

    private static final float LOG2E_F = 1.4426950408889634f;
    private static final float LN2_HI_F = 0.693145751953125f;           // 16 significant bits
    private static final float LN2_LO_F = 1.428606765330187e-06f;
    private static final float ROUND_F = 12582912f;                     // 1.5 * 2^23
    private static final int ROUND_F_BITS = Float.floatToRawIntBits(ROUND_F);

    // e^r = 1 + r + r^2 * E(r) on [-ln2/2, ln2/2]
    private static final float E0F = 0.4999999403953552f, E1F = 0.1666652113199234f, E2F = 0.04166838899254799f,
            E3F = 0.008368710055947304f, E4F = 0.0013814608100801706f;
    // expm1(r) = r + r^2/2 + r^3 * M(r) on [-ln2/2, ln2/2]
    private static final float M0F = 0.1666666567325592f, M1F = 0.041666481643915176f, M2F = 0.0083334194496274f,
            M3F = 0.00139332446269691f, M4F = 0.00019824125047307462f;
    // log(1+f) = f - s*(f - z*G(z)), s = f/(2+f), z = s^2 <= ((sqrt2-1)/(sqrt2+1))^2
    private static final float G0F = 0.6666666269302368f, G1F = 0.4000033438205719f, G2F = 0.28537309169769287f,
            G3F = 0.23582157492637634f;
    // sin(r) = r + r^3 * S(r^2), cos(r) = 1 - r^2/2 + r^4 * C(r^2) on [-pi/4, pi/4]
    private static final float S0F = -0.1666666716337204f, S1F = 0.008333329111337662f,
            S2F = -0.0001983933470910415f, S3F = 2.7183114070794545e-06f;
    private static final float C0F = 0.0416666679084301f, C1F = -0.0013888883404433727f,
            C2F = 2.4799459424684756e-05f, C3F = -2.720575196235586e-07f;
    private static final float TWO_OVER_PI_F = 0.6366197723675814f;
    private static final float PIO2_1F = 1.5707963705062866f, PIO2_2F = -4.371138828673793e-08f,
            PIO2_3F = -1.7151245100058819e-15f;
    /** Beyond this |x|, sin and cos of a float lane are computed with StrictMath. */
    private static final float TRIG_LIMIT_F = 8192f;
    // tanh(x) = x + x^3 * T(x^2) on [0, 0.55]
    private static final float TANH_SMALL_F = 0.55f;
    private static final float T0F = -0.3333333134651184f, T1F = 0.13333295285701752f, T2F = -0.053959790617227554f,
            T3F = 0.021783767268061638f, T4F = -0.008416789583861828f, T5F = 0.0023989942856132984f;

    // ---------------------------------------------------------------- double constants

    private static final double LOG2E_D = 1.4426950408889634;
    private static final double LN2_HI_D = 0.693147180559663;             // 41 significant bits
    private static final double LN2_LO_D = 2.8235290563031577e-13;
    private static final double ROUND_D = 6755399441055744.0;              // 1.5 * 2^52
    private static final long ROUND_D_BITS = Double.doubleToRawLongBits(ROUND_D);

    private static final double E0D = 0.5, E1D = 0.16666666666666682, E2D = 0.041666666666666095,
            E3D = 0.008333333333317046, E4D = 0.0013888888889115464, E5D = 0.0001984126989635243,
            E6D = 2.4801586926834244e-05, E7D = 2.7557234894207066e-06, E8D = 2.7557581759517464e-07,
            E9D = 2.5112025300500894e-08, E10D = 2.0826632886039254e-09;
    private static final double M0D = 0.16666666666666677, M1D = 0.04166666666666658, M2D = 0.008333333333322167,
            M3D = 0.0013888888888942618, M4D = 0.00019841269884921745, M5D = 2.4801587198301737e-05,
            M6D = 2.7557245318297474e-06, M7D = 2.7557386995317796e-07, M8D = 2.510867704356256e-08,
            M9D = 2.0878919848425193e-09;
    private static final double G0D = 0.6666666666666734, G1D = 0.3999999999941466, G2D = 0.2857142874239106,
            G3D = 0.2222219857287634, G4D = 0.18183564340485855, G5D = 0.15314050216476033,
            G6D = 0.14795952807829324;
    private static final double S0D = -0.16666666666666666, S1D = 0.008333333333333323,
            S2D = -0.00019841269841255137, S3D = 2.755731921422691e-06, S4D = -2.5052104921296857e-08,
            S5D = 1.6058367889347794e-10, S6D = -7.578761602469044e-13;
    private static final double C0D = 0.041666666666666664, C1D = -0.0013888888888888872,
            C2D = 2.480158730157055e-05, C3D = -2.755731921499951e-07, C4D = 2.0876754287025747e-09,
            C5D = -1.147028483774688e-11, C6D = 4.737750563853488e-14;
    private static final double TWO_OVER_PI_D = 0.6366197723675814;
    private static final double PIO2_1D = 1.5707963267948966, PIO2_2D = 6.123233995736766e-17,
            PIO2_3D = -1.4973849048591698e-33;
    // 2 atanh(s) = 2s + (2/3) s^3 + s^5 * A(s^2) for s^2 <= ((sqrt2-1)/(sqrt2+1))^2, for pow's log
    private static final double TWO_THIRDS_HI = 0.6666666666666666, TWO_THIRDS_LO = 3.700743415417188e-17;
    private static final double A0D = 0.4, A1D = 0.28571428571428376, A2D = 0.2222222222229058,
            A3D = 0.18181818169253014, A4D = 0.15384616753186023, A5D = 0.1333324043831622,
            A6D = 0.11768673690429389, A7D = 0.10422906381037865, A8D = 0.11013292284368875;
    /** Beyond this |x|, sin and cos of a double lane are computed with StrictMath. */
    private static final double TRIG_LIMIT_D = 65536;
    // tanh(x) = x + x^3 * T(x^2) on [0, 0.3]
    private static final double TANH_SMALL_D = 0.3;
    private static final double T0D = -0.3333333333333333, T1D = 0.13333333333333328, T2D = -0.05396825396824522,
            T3D = 0.021869488535341642, T4D = -0.008863235486411224, T5D = 0.0035921265970665426,
            T6D = -0.0014558038712675061, T7D = 0.0005896116081119899, T8D = -0.00023559120242962317,
            T9D = 7.960584508904478e-05;

    // ================================================================ float

    /** e^x lane by lane. */
    public static FloatVector exp(FloatVector x) {
        FloatVector xc = clamp(x, -104f, 89f);
        FloatVector t = xc.fma(xc.broadcast(LOG2E_F), xc.broadcast(ROUND_F));
        FloatVector n = t.sub(ROUND_F);
        IntVector ni = t.reinterpretAsInts().sub(ROUND_F_BITS);
        FloatVector r = n.fma(n.broadcast(-LN2_HI_F), xc);
        r = n.fma(n.broadcast(-LN2_LO_F), r);
        FloatVector e = r.fma(r.broadcast(E4F), r.broadcast(E3F)).fma(r, r.broadcast(E2F))
                .fma(r, r.broadcast(E1F)).fma(r, r.broadcast(E0F));
        FloatVector p = r.mul(r).fma(e, r).add(1f);
        // 2^n as two factors so that n from -150 to 128 scales without overflow of the exponent field
        IntVector n1 = ni.lanewise(ASHR, 1);
        IntVector n2 = ni.sub(n1);
        return p.mul(pow2(n1)).mul(pow2(n2));
    }

    /** x limited to [lo, hi] by compare and blend (cheaper than min and max); NaN stays NaN. */
    private static FloatVector clamp(FloatVector x, float lo, float hi) {
        return x.blend(lo, x.compare(LT, lo)).blend(hi, x.compare(GT, hi));
    }

    private static DoubleVector clamp(DoubleVector x, double lo, double hi) {
        return x.blend(lo, x.compare(LT, lo)).blend(hi, x.compare(GT, hi));
    }

    private static FloatVector pow2(IntVector n) {
        return n.add(127).lanewise(LSHL, 23).reinterpretAsFloats();
    }

    /** e^x - 1 lane by lane, accurate near 0. */
    public static FloatVector expm1(FloatVector x) {
        FloatVector res = expm1Core(x);
        return res.blend(x, x.compare(EQ, 0f));   // keeps the sign of zero
    }

    private static FloatVector expm1Core(FloatVector x) {
        FloatVector xc = clamp(x, -30f, 89f);
        FloatVector t = xc.fma(xc.broadcast(LOG2E_F), xc.broadcast(ROUND_F));
        FloatVector n = t.sub(ROUND_F);
        IntVector ni = t.reinterpretAsInts().sub(ROUND_F_BITS);
        FloatVector r = n.fma(n.broadcast(-LN2_HI_F), xc);
        r = n.fma(n.broadcast(-LN2_LO_F), r);
        FloatVector r2 = r.mul(r);
        FloatVector m = r.fma(r.broadcast(M4F), r.broadcast(M3F)).fma(r, r.broadcast(M2F))
                .fma(r, r.broadcast(M1F)).fma(r, r.broadcast(M0F));
        FloatVector p = r.add(r2.mul(r).fma(m, r2.mul(0.5f)));           // expm1(r)
        IntVector nc = ni.min(127);
        FloatVector s = pow2(nc);                                         // 2^min(n, 127)
        FloatVector extra = pow2(ni.sub(nc));                             // 1, or 2 when n = 128
        return p.fma(s, s.sub(1f)).mul(extra);
    }

    /** Natural logarithm lane by lane: NaN below 0, -inf at +-0. */
    public static FloatVector log(FloatVector x) {
        VectorMask<Float> sub = x.compare(LT, Float.MIN_NORMAL);
        FloatVector xs = x.blend(x.mul(33554432f), sub);                 // 2^25: subnormals become normal
        IntVector eoff = IntVector.zero(ispecies(x)).blend(25, sub.cast(ispecies(x)));
        IntVector ix = xs.reinterpretAsInts().sub(0x3f3504f3);           // bits of sqrt(1/2)
        IntVector k = ix.lanewise(ASHR, 23).sub(eoff);
        FloatVector m = ix.lanewise(AND, 0x007fffff).add(0x3f3504f3).reinterpretAsFloats();
        FloatVector f = m.sub(1f);
        FloatVector res = logCore(f, k.convert(jdk.incubator.vector.VectorOperators.I2F, 0).reinterpretAsFloats());
        return logSpecial(x, res);
    }

    /** The int species of x's shape: a constant for the preferred shape, so the JIT can intrinsify. */
    private static VectorSpecies<Integer> ispecies(FloatVector x) {
        return x.species() == FS ? IS : x.species().withLanes(int.class);
    }

    /** log(1 + f) + k ln2 for f in [sqrt(1/2) - 1, sqrt(2) - 1]. */
    private static FloatVector logCore(FloatVector f, FloatVector k) {
        FloatVector s = f.div(f.add(2f));
        FloatVector z = s.mul(s);
        FloatVector rr = z.mul(z.fma(z.broadcast(G3F), z.broadcast(G2F)).fma(z, z.broadcast(G1F))
                .fma(z, z.broadcast(G0F)));
        FloatVector hfsq = f.mul(f).mul(0.5f);
        // log1p(f) = f - (hfsq - s*(hfsq + R)); add k*ln2 split in two
        FloatVector lo = s.fma(hfsq.add(rr), k.mul(LN2_LO_F));
        return k.fma(k.broadcast(LN2_HI_F), hfsq.sub(lo).sub(f).neg());
    }

    private static FloatVector logSpecial(FloatVector x, FloatVector res) {
        res = res.blend(x, x.compare(NE, x).or(x.compare(EQ, Float.POSITIVE_INFINITY)));
        res = res.blend(Float.NaN, x.compare(LT, 0f));
        return res.blend(Float.NEGATIVE_INFINITY, x.compare(EQ, 0f));
    }

    /** log(1 + x) lane by lane, accurate near 0: NaN below -1, -inf at -1. */
    public static FloatVector log1p(FloatVector x) {
        FloatVector u = x.add(1f);
        // the rounding error of 1 + x, exactly (two-sum with the larger operand first)
        FloatVector c = x.sub(u.sub(1f)).blend(FloatVector.broadcast(x.species(), 1f).sub(u.sub(x)),
                x.abs().compare(GT, 1f));
        IntVector ix = u.reinterpretAsInts().sub(0x3f3504f3);
        IntVector k = ix.lanewise(ASHR, 23);
        FloatVector m = ix.lanewise(AND, 0x007fffff).add(0x3f3504f3).reinterpretAsFloats();
        // f = m - 1 + c / 2^k: the correction moves f to the exact argument
        FloatVector scale = k.neg().add(127).lanewise(LSHL, 23).reinterpretAsFloats();
        FloatVector f = m.sub(1f).add(c.mul(scale.blend(0f, u.compare(GE, 1.0e30f))));
        FloatVector res = logCore(f, k.convert(jdk.incubator.vector.VectorOperators.I2F, 0).reinterpretAsFloats());
        res = logSpecial(u, res);
        return res.blend(x, x.abs().compare(LT, 0x1p-24f));              // tiny and zero: exact sign
    }

    /**
     * Hyperbolic tangent lane by lane: an odd polynomial below 0.55, and 1 - 2 / (e^(2|x|) + 1) above
     * (no cancellation there, the result is at least 0.5), with one reduction step and one scaling of
     * e^(2|x|) because 2|x| is at most 20 after the saturation clamp.
     */
    public static FloatVector tanh(FloatVector x) {
        // split in helpers: each stays under C2's inlining limit for hot methods (FreqInlineSize, 325
        // bytecodes), so the whole function inlines into the caller's loop and no vector is boxed
        FloatVector a = x.abs();
        FloatVector res = tanhLarge(a).blend(tanhSmall(a), a.compare(LT, TANH_SMALL_F));
        IntVector sign = x.reinterpretAsInts().lanewise(AND, 0x80000000);
        return res.reinterpretAsInts().lanewise(OR, sign).reinterpretAsFloats();
    }

    /** tanh(a) for 0 <= a < 0.55. */
    private static FloatVector tanhSmall(FloatVector a) {
        FloatVector z = a.mul(a);
        return a.mul(z).fma(z.fma(z.broadcast(T5F), z.broadcast(T4F)).fma(z, z.broadcast(T3F))
                .fma(z, z.broadcast(T2F)).fma(z, z.broadcast(T1F)).fma(z, z.broadcast(T0F)), a);
    }

    /** tanh(a) for a >= 0.55 or NaN. */
    private static FloatVector tanhLarge(FloatVector a) {
        // a >= 10 (and +inf) rounds to 1; NaN passes through the clamp and the arithmetic
        FloatVector y = a.blend(10f, a.compare(GT, 10f)).mul(2f);
        FloatVector t = y.fma(y.broadcast(LOG2E_F), y.broadcast(ROUND_F));
        FloatVector n = t.sub(ROUND_F);
        FloatVector r = n.fma(n.broadcast(-LN2_HI_F), y);
        r = n.fma(n.broadcast(-LN2_LO_F), r);
        FloatVector e = r.fma(r.broadcast(E4F), r.broadcast(E3F)).fma(r, r.broadcast(E2F))
                .fma(r, r.broadcast(E1F)).fma(r, r.broadcast(E0F));
        FloatVector p = r.mul(r).fma(e, r).add(1f);
        // 2^n from the low bits of t: n is in [0, 29]
        FloatVector scale = t.reinterpretAsInts().add(127 - ROUND_F_BITS).lanewise(LSHL, 23).reinterpretAsFloats();
        FloatVector ex = p.mul(scale);
        return ex.broadcast(1f).sub(ex.broadcast(2f).div(ex.add(1f)));
    }

    /** Sine lane by lane. */
    public static FloatVector sin(FloatVector x) {
        return trig(x, false);
    }

    /** Cosine lane by lane. */
    public static FloatVector cos(FloatVector x) {
        return trig(x, true);
    }

    private static FloatVector trig(FloatVector x, boolean cos) {
        FloatVector t = x.fma(x.broadcast(TWO_OVER_PI_F), x.broadcast(ROUND_F));
        FloatVector k = t.sub(ROUND_F);
        IntVector q = t.reinterpretAsInts().sub(ROUND_F_BITS);
        FloatVector r1 = k.fma(k.broadcast(-PIO2_1F), x);                               // exact
        FloatVector w = k.mul(-PIO2_2F);
        FloatVector wl = k.neg().fma(k.broadcast(PIO2_2F), w.neg());      // rounding error of w, exactly
        FloatVector rh = r1.add(w);
        FloatVector rl = r1.sub(rh).add(w).add(wl.add(k.mul(-PIO2_3F))); // the part rh lost
        FloatVector z = rh.mul(rh);
        FloatVector sp = z.fma(z.broadcast(S3F), z.broadcast(S2F)).fma(z, z.broadcast(S1F)).fma(z, z.broadcast(S0F));
        FloatVector s = rh.add(rh.mul(z).fma(sp, rl.sub(rl.mul(z).mul(0.5f))));
        FloatVector cp = z.fma(z.broadcast(C3F), z.broadcast(C2F)).fma(z, z.broadcast(C1F)).fma(z, z.broadcast(C0F));
        FloatVector hz = z.mul(0.5f);
        FloatVector one = FloatVector.broadcast(x.species(), 1f);
        FloatVector wc = one.sub(hz);
        FloatVector c = wc.add(one.sub(wc).sub(hz).add(z.mul(z).fma(cp, rh.mul(rl).neg())));
        // quadrant: sin uses s, c, -s, -c; cos uses c, -s, -c, s
        IntVector qq = cos ? q.add(1) : q;
        VectorMask<Float> odd = qq.lanewise(AND, 1).compare(NE, 0).cast(x.species());
        FloatVector res = s.blend(c, odd);
        IntVector sign = qq.lanewise(AND, 2).lanewise(LSHL, 30);
        res = res.reinterpretAsInts().lanewise(XOR, sign).reinterpretAsFloats();
        if (!cos) res = res.blend(x, x.abs().compare(LT, 0x1p-12f));    // sin x = x, with the sign of zero
        VectorMask<Float> big = x.abs().compare(GT, TRIG_LIMIT_F).or(x.compare(NE, x));
        if (big.anyTrue()) res = strictLanes(x, res, big, cos);
        return res;
    }

    private static FloatVector strictLanes(FloatVector x, FloatVector res, VectorMask<Float> m, boolean cos) {
        float[] a = x.toArray(), o = res.toArray();
        for (int i = 0; i < a.length; i++) {
            if (m.laneIsSet(i)) o[i] = (float) (cos ? StrictMath.cos(a[i]) : StrictMath.sin(a[i]));
        }
        return FloatVector.fromArray(x.species(), o, 0);
    }

    /**
     * x^y lane by lane. Squares, identities and reciprocals (y of 2, 1, 0, -1) are exact vector
     * operations; for finite x &gt; 0 and finite y the lanes are widened to double and computed
     * as e^(y log x) there (the double log and exp are accurate far beyond float's precision, so
     * the rounded result is within 1 ulp); zero, negative and non-finite operands take
     * {@link StrictMath#pow} lane by lane.
     */
    public static FloatVector pow(FloatVector x, FloatVector y) {
        VectorMask<Float> two = y.compare(EQ, 2f), one = y.compare(EQ, 1f);
        VectorMask<Float> zero = y.compare(EQ, 0f), minusOne = y.compare(EQ, -1f);
        VectorMask<Float> done = two.or(one).or(zero).or(minusOne);
        FloatVector res = x.mul(x).blend(x, one).blend(1f, zero)
                .blend(FloatVector.broadcast(x.species(), 1f).div(x), minusOne);
        if (done.allTrue()) return res;
        VectorMask<Float> regular = x.compare(GT, 0f).and(x.compare(LT, Float.POSITIVE_INFINITY))
                .and(y.abs().compare(LT, Float.POSITIVE_INFINITY)).andNot(done);
        if (regular.anyTrue()) res = res.blend(powWide(x, y), regular);
        VectorMask<Float> rest = done.or(regular).not();
        if (!rest.anyTrue()) return res;
        float[] a = x.toArray(), b = y.toArray(), o = res.toArray();
        for (int i = 0; i < a.length; i++) {
            if (rest.laneIsSet(i)) o[i] = (float) StrictMath.pow(a[i], b[i]);
        }
        return FloatVector.fromArray(x.species(), o, 0);
    }

    /** e^(y log x) computed in double lanes, for x &gt; 0 finite and y finite. */
    private static FloatVector powWide(FloatVector x, FloatVector y) {
        VectorSpecies<Float> fs = x.species();
        VectorSpecies<Double> ds = fs == FS && DS.vectorShape() == FS.vectorShape()
                ? DS : VectorSpecies.of(double.class, fs.vectorShape());
        int parts = fs.length() / ds.length();
        FloatVector res = null;
        for (int p = 0; p < parts; p++) {
            DoubleVector xd = (DoubleVector) x.convertShape(jdk.incubator.vector.VectorOperators.F2D, ds, p);
            DoubleVector yd = (DoubleVector) y.convertShape(jdk.incubator.vector.VectorOperators.F2D, ds, p);
            DoubleVector rd = exp(yd.mul(log(xd)));
            FloatVector rf = (FloatVector) rd.convertShape(jdk.incubator.vector.VectorOperators.D2F, fs, -p);
            res = p == 0 ? rf : res.blend(rf, fs.indexInRange(-p * ds.length(), ds.length()));
        }
        return res;
    }

    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> IS = VectorSpecies.of(int.class, FS.vectorShape());
    private static final VectorSpecies<Long> LS = VectorSpecies.of(long.class, DS.vectorShape());
    // lane i with lane i ^ h: constants, so that the compiled code permutes with fixed indices
    private static final VectorShuffle<Float> F8 = swap(FS, 8), F4 = swap(FS, 4), F2 = swap(FS, 2), F1 = swap(FS, 1);
    private static final VectorShuffle<Double> D8 = swap(DS, 8), D4 = swap(DS, 4), D2 = swap(DS, 2), D1 = swap(DS, 1);

    private static <E> VectorShuffle<E> swap(VectorSpecies<E> s, int h) {
        return s.length() > h ? VectorShuffle.fromOp(s, i -> i ^ h) : null;
    }

    /**
     * The sum of the lanes in a fixed order, the same in interpreted and compiled code: a
     * pairwise tree that adds lane i + L/2 to lane i, then i + L/4, down to lane 0.
     */
    public static float sum(FloatVector v) {
        if (v.species() != FS || FS.length() > 16) return sumInOrder(v.toArray());
        if (F8 != null) v = v.add(v.rearrange(F8));
        if (F4 != null) v = v.add(v.rearrange(F4));
        if (F2 != null) v = v.add(v.rearrange(F2));
        if (F1 != null) v = v.add(v.rearrange(F1));
        return v.lane(0);
    }

    private static float sumInOrder(float[] a) {
        for (int h = a.length / 2; h >= 1; h /= 2) for (int i = 0; i < h; i++) a[i] += a[i + h];
        return a[0];
    }

    // ================================================================ double

    /** e^x lane by lane. */
    public static DoubleVector exp(DoubleVector x) {
        return exp(x, null);
    }

    /** e^(x + tail) for a tail below an ulp of x (null for none). */
    private static DoubleVector exp(DoubleVector x, DoubleVector tail) {
        DoubleVector xc = clamp(x, -746.0, 710.0);
        DoubleVector t = xc.fma(xc.broadcast(LOG2E_D), xc.broadcast(ROUND_D));
        DoubleVector n = t.sub(ROUND_D);
        LongVector ni = t.reinterpretAsLongs().sub(ROUND_D_BITS);
        DoubleVector r = n.fma(n.broadcast(-LN2_HI_D), xc);
        r = n.fma(n.broadcast(-LN2_LO_D), r);
        if (tail != null) r = r.add(tail);
        DoubleVector e = r.fma(r.broadcast(E10D), r.broadcast(E9D)).fma(r, r.broadcast(E8D))
                .fma(r, r.broadcast(E7D)).fma(r, r.broadcast(E6D)).fma(r, r.broadcast(E5D))
                .fma(r, r.broadcast(E4D))
                .fma(r, r.broadcast(E3D)).fma(r, r.broadcast(E2D)).fma(r, r.broadcast(E1D)).fma(r, r.broadcast(E0D));
        DoubleVector p = r.mul(r).fma(e, r).add(1.0);
        LongVector n1 = ni.lanewise(ASHR, 1);
        LongVector n2 = ni.sub(n1);
        return p.mul(pow2(n1)).mul(pow2(n2));
    }

    private static DoubleVector pow2(LongVector n) {
        return n.add(1023).lanewise(LSHL, 52).reinterpretAsDoubles();
    }

    /** e^x - 1 lane by lane, accurate near 0. */
    public static DoubleVector expm1(DoubleVector x) {
        DoubleVector res = expm1Core(x);
        return res.blend(x, x.compare(EQ, 0.0));
    }

    private static DoubleVector expm1Core(DoubleVector x) {
        DoubleVector xc = clamp(x, -40.0, 710.0);
        DoubleVector t = xc.fma(xc.broadcast(LOG2E_D), xc.broadcast(ROUND_D));
        DoubleVector n = t.sub(ROUND_D);
        LongVector ni = t.reinterpretAsLongs().sub(ROUND_D_BITS);
        DoubleVector r = n.fma(n.broadcast(-LN2_HI_D), xc);
        r = n.fma(n.broadcast(-LN2_LO_D), r);
        DoubleVector r2 = r.mul(r);
        DoubleVector m = r.fma(r.broadcast(M9D), r.broadcast(M8D)).fma(r, r.broadcast(M7D))
                .fma(r, r.broadcast(M6D)).fma(r, r.broadcast(M5D)).fma(r, r.broadcast(M4D))
                .fma(r, r.broadcast(M3D))
                .fma(r, r.broadcast(M2D)).fma(r, r.broadcast(M1D)).fma(r, r.broadcast(M0D));
        DoubleVector p = r.add(r2.mul(r).fma(m, r2.mul(0.5)));
        LongVector nc = ni.min(1023);
        DoubleVector s = pow2(nc);
        DoubleVector extra = pow2(ni.sub(nc));
        return p.fma(s, s.sub(1.0)).mul(extra);
    }

    /** Natural logarithm lane by lane: NaN below 0, -inf at +-0. */
    public static DoubleVector log(DoubleVector x) {
        VectorMask<Double> sub = x.compare(LT, Double.MIN_NORMAL);
        DoubleVector xs = x.blend(x.mul(0x1p54), sub);
        LongVector eoff = LongVector.zero(lspecies(x)).blend(54, sub.cast(lspecies(x)));
        LongVector ix = xs.reinterpretAsLongs().sub(0x3fe6a09e667f3bcdL);  // bits of sqrt(1/2)
        LongVector k = ix.lanewise(ASHR, 52).sub(eoff);
        DoubleVector m = ix.lanewise(AND, 0x000fffffffffffffL).add(0x3fe6a09e667f3bcdL).reinterpretAsDoubles();
        DoubleVector f = m.sub(1.0);
        DoubleVector res = logCore(f, k.convert(jdk.incubator.vector.VectorOperators.L2D, 0).reinterpretAsDoubles());
        return logSpecial(x, res);
    }

    private static VectorSpecies<Long> lspecies(DoubleVector x) {
        return x.species() == DS ? LS : x.species().withLanes(long.class);
    }

    private static DoubleVector logCore(DoubleVector f, DoubleVector k) {
        DoubleVector s = f.div(f.add(2.0));
        DoubleVector z = s.mul(s);
        DoubleVector rr = z.mul(z.fma(z.broadcast(G6D), z.broadcast(G5D)).fma(z, z.broadcast(G4D))
                .fma(z, z.broadcast(G3D)).fma(z, z.broadcast(G2D)).fma(z, z.broadcast(G1D))
                .fma(z, z.broadcast(G0D)));
        DoubleVector hfsq = f.mul(f).mul(0.5);
        DoubleVector lo = s.fma(hfsq.add(rr), k.mul(LN2_LO_D));
        return k.fma(k.broadcast(LN2_HI_D), hfsq.sub(lo).sub(f).neg());
    }

    private static DoubleVector logSpecial(DoubleVector x, DoubleVector res) {
        res = res.blend(x, x.compare(NE, x).or(x.compare(EQ, Double.POSITIVE_INFINITY)));
        res = res.blend(Double.NaN, x.compare(LT, 0.0));
        return res.blend(Double.NEGATIVE_INFINITY, x.compare(EQ, 0.0));
    }

    /** log(1 + x) lane by lane, accurate near 0: NaN below -1, -inf at -1. */
    public static DoubleVector log1p(DoubleVector x) {
        DoubleVector u = x.add(1.0);
        DoubleVector c = x.sub(u.sub(1.0)).blend(DoubleVector.broadcast(x.species(), 1.0).sub(u.sub(x)),
                x.abs().compare(GT, 1.0));
        LongVector ix = u.reinterpretAsLongs().sub(0x3fe6a09e667f3bcdL);
        LongVector k = ix.lanewise(ASHR, 52);
        DoubleVector m = ix.lanewise(AND, 0x000fffffffffffffL).add(0x3fe6a09e667f3bcdL).reinterpretAsDoubles();
        DoubleVector scale = k.neg().add(1023).lanewise(LSHL, 52).reinterpretAsDoubles();
        DoubleVector f = m.sub(1.0).add(c.mul(scale.blend(0.0, u.compare(GE, 1.0e300))));
        DoubleVector res = logCore(f, k.convert(jdk.incubator.vector.VectorOperators.L2D, 0).reinterpretAsDoubles());
        res = logSpecial(u, res);
        return res.blend(x, x.abs().compare(LT, 0x1p-54));
    }

    /** Hyperbolic tangent lane by lane. */
    public static DoubleVector tanh(DoubleVector x) {
        DoubleVector a = x.abs();
        DoubleVector z = a.mul(a);
        DoubleVector small = a.mul(z).fma(z.fma(z.broadcast(T9D), z.broadcast(T8D)).fma(z, z.broadcast(T7D))
                .fma(z, z.broadcast(T6D)).fma(z, z.broadcast(T5D)).fma(z, z.broadcast(T4D))
                .fma(z, z.broadcast(T3D)).fma(z, z.broadcast(T2D)).fma(z, z.broadcast(T1D))
                        .fma(z, z.broadcast(T0D)), a);
        DoubleVector e = expm1Core(a.min(40.0).mul(2.0));
        DoubleVector d = e.add(2.0);
        // the rounding error of e + 2, exactly (two-sum with the larger operand first)
        DoubleVector dl = e.sub(d.sub(2.0)).blend(d.broadcast(2.0).sub(d.sub(e)), e.compare(GT, 2.0));
        DoubleVector q = e.div(d);
        // one correction step removes the rounding of the sum and the quotient: q += (e - q*(d + dl)) / d
        DoubleVector large = q.add(q.neg().fma(d, e).sub(q.mul(dl)).div(d));
        DoubleVector res = large.blend(small, a.compare(LT, TANH_SMALL_D));
        LongVector sign = x.reinterpretAsLongs().lanewise(AND, 0x8000000000000000L);
        return res.reinterpretAsLongs().lanewise(OR, sign).reinterpretAsDoubles();
    }

    /** Sine lane by lane. */
    public static DoubleVector sin(DoubleVector x) {
        return trig(x, false);
    }

    /** Cosine lane by lane. */
    public static DoubleVector cos(DoubleVector x) {
        return trig(x, true);
    }

    private static DoubleVector trig(DoubleVector x, boolean cos) {
        DoubleVector t = x.fma(x.broadcast(TWO_OVER_PI_D), x.broadcast(ROUND_D));
        DoubleVector k = t.sub(ROUND_D);
        LongVector q = t.reinterpretAsLongs().sub(ROUND_D_BITS);
        DoubleVector r1 = k.fma(k.broadcast(-PIO2_1D), x);
        DoubleVector w = k.mul(-PIO2_2D);
        DoubleVector wl = k.neg().fma(k.broadcast(PIO2_2D), w.neg());
        DoubleVector rh = r1.add(w);
        DoubleVector rl = r1.sub(rh).add(w).add(wl.add(k.mul(-PIO2_3D)));
        DoubleVector z = rh.mul(rh);
        DoubleVector sp = z.fma(z.broadcast(S6D), z.broadcast(S5D)).fma(z, z.broadcast(S4D))
                .fma(z, z.broadcast(S3D)).fma(z, z.broadcast(S2D)).fma(z, z.broadcast(S1D))
                .fma(z, z.broadcast(S0D));
        DoubleVector s = rh.add(rh.mul(z).fma(sp, rl.sub(rl.mul(z).mul(0.5))));
        DoubleVector cp = z.fma(z.broadcast(C6D), z.broadcast(C5D)).fma(z, z.broadcast(C4D))
                .fma(z, z.broadcast(C3D)).fma(z, z.broadcast(C2D)).fma(z, z.broadcast(C1D))
                .fma(z, z.broadcast(C0D));
        DoubleVector hz = z.mul(0.5);
        DoubleVector one = DoubleVector.broadcast(x.species(), 1.0);
        DoubleVector wc = one.sub(hz);
        DoubleVector c = wc.add(one.sub(wc).sub(hz).add(z.mul(z).fma(cp, rh.mul(rl).neg())));
        LongVector qq = cos ? q.add(1) : q;
        VectorMask<Double> odd = qq.lanewise(AND, 1).compare(NE, 0).cast(x.species());
        DoubleVector res = s.blend(c, odd);
        LongVector sign = qq.lanewise(AND, 2).lanewise(LSHL, 62);
        res = res.reinterpretAsLongs().lanewise(XOR, sign).reinterpretAsDoubles();
        if (!cos) res = res.blend(x, x.abs().compare(LT, 0x1p-27));
        VectorMask<Double> big = x.abs().compare(GT, TRIG_LIMIT_D).or(x.compare(NE, x));
        if (big.anyTrue()) res = strictLanes(x, res, big, cos);
        return res;
    }

    private static DoubleVector strictLanes(DoubleVector x, DoubleVector res, VectorMask<Double> m, boolean cos) {
        double[] a = x.toArray(), o = res.toArray();
        for (int i = 0; i < a.length; i++) {
            if (m.laneIsSet(i)) o[i] = cos ? StrictMath.cos(a[i]) : StrictMath.sin(a[i]);
        }
        return DoubleVector.fromArray(x.species(), o, 0);
    }

    /**
     * x^y lane by lane. Squares, identities and reciprocals (y of 2, 1, 0, -1) are exact vector
     * operations; for finite x &gt; 0 and finite y the result is e^(y log x) with log x carried
     * as a double-double (about 64 significant bits), so that the error of y log x stays below an
     * ulp of the result; zero, negative and non-finite operands take {@link StrictMath#pow}.
     */
    public static DoubleVector pow(DoubleVector x, DoubleVector y) {
        VectorMask<Double> two = y.compare(EQ, 2.0), one = y.compare(EQ, 1.0);
        VectorMask<Double> zero = y.compare(EQ, 0.0), minusOne = y.compare(EQ, -1.0);
        VectorMask<Double> done = two.or(one).or(zero).or(minusOne);
        DoubleVector res = x.mul(x).blend(x, one).blend(1.0, zero)
                .blend(DoubleVector.broadcast(x.species(), 1.0).div(x), minusOne);
        if (done.allTrue()) return res;
        VectorMask<Double> regular = x.compare(GT, 0.0).and(x.compare(LT, Double.POSITIVE_INFINITY))
                .and(y.abs().compare(LT, Double.POSITIVE_INFINITY)).andNot(done);
        if (regular.anyTrue()) res = res.blend(powRegular(x, y), regular);
        VectorMask<Double> rest = done.or(regular).not();
        if (!rest.anyTrue()) return res;
        double[] a = x.toArray(), b = y.toArray(), o = res.toArray();
        for (int i = 0; i < a.length; i++) {
            if (rest.laneIsSet(i)) o[i] = StrictMath.pow(a[i], b[i]);
        }
        return DoubleVector.fromArray(x.species(), o, 0);
    }

    /** e^(y log x) for finite x &gt; 0 and finite y. */
    private static DoubleVector powRegular(DoubleVector x, DoubleVector y) {
        VectorMask<Double> sub = x.compare(LT, Double.MIN_NORMAL);
        DoubleVector xs = x.blend(x.mul(0x1p54), sub);
        LongVector eoff = LongVector.zero(lspecies(x)).blend(54, sub.cast(lspecies(x)));
        LongVector ix = xs.reinterpretAsLongs().sub(0x3fe6a09e667f3bcdL);
        DoubleVector k = ix.lanewise(ASHR, 52).sub(eoff).convert(jdk.incubator.vector.VectorOperators.L2D, 0)
                .reinterpretAsDoubles();
        DoubleVector f = ix.lanewise(AND, 0x000fffffffffffffL).add(0x3fe6a09e667f3bcdL).reinterpretAsDoubles().sub(1.0);
        // log(1 + f) = 2 atanh(s) = 2s + (2/3) s^3 + s^5 A(s^2), s = f / (2 + f) = sh + sl
        DoubleVector d = f.add(2.0);
        DoubleVector sh = f.div(d);
        DoubleVector sl = sh.neg().fma(f, f.sub(sh.mul(2.0))).div(d);   // f - 2 sh is exact
        DoubleVector z = sh.mul(sh);
        DoubleVector zl = sh.fma(sh, z.neg());
        DoubleVector s3 = z.mul(sh);
        DoubleVector s3l = z.fma(sh, s3.neg()).add(zl.mul(sh));
        DoubleVector ph = s3.mul(TWO_THIRDS_HI);                             // (2/3) s^3 = ph + pl
        DoubleVector pl = s3.fma(s3.broadcast(TWO_THIRDS_HI), ph.neg()).add(s3.mul(TWO_THIRDS_LO))
                .add(s3l.mul(TWO_THIRDS_HI));
        DoubleVector a = z.fma(z.broadcast(A8D), z.broadcast(A7D)).fma(z, z.broadcast(A6D)).fma(z, z.broadcast(A5D))
                .fma(z, z.broadcast(A4D)).fma(z, z.broadcast(A3D)).fma(z, z.broadcast(A2D)).fma(z, z.broadcast(A1D))
                .fma(z, z.broadcast(A0D));
        DoubleVector tail = z.mul(z).mul(sh).mul(a);
        DoubleVector s2 = sh.mul(2.0);
        DoubleVector h1 = s2.add(ph);
        DoubleVector e1 = s2.sub(h1).add(ph);
        DoubleVector kh = k.mul(LN2_HI_D);                                   // exact
        DoubleVector h = kh.add(h1);
        DoubleVector bv = h.sub(kh);
        DoubleVector e2 = kh.sub(h.sub(bv)).add(h1.sub(bv));
        DoubleVector lo = tail.add(pl).add(sl.mul(2.0).fma(z, sl.mul(2.0))).add(k.mul(LN2_LO_D)).add(e1).add(e2);
        DoubleVector lh = h.add(lo);
        DoubleVector ll = h.sub(lh).add(lo);
        DoubleVector th = y.mul(lh);
        DoubleVector tl = y.fma(lh, th.neg()).add(y.mul(ll));
        return exp(th, tl);
    }

    /** The sum of the lanes in the fixed pairwise order of {@link #sum(FloatVector)}. */
    public static double sum(DoubleVector v) {
        if (v.species() != DS || DS.length() > 16) return sumInOrder(v.toArray());
        if (D8 != null) v = v.add(v.rearrange(D8));
        if (D4 != null) v = v.add(v.rearrange(D4));
        if (D2 != null) v = v.add(v.rearrange(D2));
        if (D1 != null) v = v.add(v.rearrange(D1));
        return v.lane(0);
    }

    private static double sumInOrder(double[] a) {
        for (int h = a.length / 2; h >= 1; h /= 2) for (int i = 0; i < h; i++) a[i] += a[i + h];
        return a[0];
    }
}
