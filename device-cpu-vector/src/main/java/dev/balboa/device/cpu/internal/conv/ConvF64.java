package dev.balboa.device.cpu.internal.conv;

import dev.balboa.device.cpu.internal.Parallel;

/**
 * float64 convolution by direct loops over dense NCHW arrays, accumulating in double: the
 * generic, slower path (float64 models are rare and mostly used for gradient checks). Each output
 * element is computed by exactly one thread.
 */
final class ConvF64 {
    private ConvF64() {}

    /** {@code y[n, o, oy, ox] = sum over c, ky, kx of x[n, g*cg + c, iy, ix] * w[o, c, ky, kx]}. */
    static void forward(Geometry g, double[] x, double[] w, double[] y) {
        int cg = g.cg(), og = g.og(), plane = g.outPlane();
        Parallel.forRange((long) g.n() * g.o(), (long) plane * cg * g.kh() * g.kw(), (from, to) -> {
            for (int no = (int) from; no < to; no++) {
                int n = no / g.o(), o = no % g.o(), grp = o / og;
                for (int oy = 0; oy < g.oh(); oy++) {
                    for (int ox = 0; ox < g.ow(); ox++) {
                        double s = 0;
                        for (int c = 0; c < cg; c++) {
                            int xc = ((n * g.c()) + grp * cg + c) * g.h();
                            int wc = ((o * cg) + c) * g.kh();
                            for (int ky = 0; ky < g.kh(); ky++) {
                                int iy = oy * g.sh() - g.ph() + ky * g.dh();
                                if (iy < 0 || iy >= g.h()) continue;
                                for (int kx = 0; kx < g.kw(); kx++) {
                                    int ix = ox * g.sw() - g.pw() + kx * g.dw();
                                    if (ix < 0 || ix >= g.w()) continue;
                                    s += x[(xc + iy) * g.w() + ix] * w[(wc + ky) * g.kw() + kx];
                                }
                            }
                        }
                        y[no * plane + oy * g.ow() + ox] = s;
                    }
                }
            }
        });
    }

    /** {@code gx[n, c, iy, ix] = sum over the output pixels and filters that read x[n, c, iy, ix]}. */
    static void backwardInput(Geometry g, double[] gy, double[] w, double[] gx) {
        int cg = g.cg(), og = g.og(), plane = g.outPlane();
        Parallel.forRange((long) g.n() * g.c(), (long) g.inPlane() * og * g.kh() * g.kw(), (from, to) -> {
            for (int nc = (int) from; nc < to; nc++) {
                int n = nc / g.c(), c = nc % g.c(), grp = c / cg, ci = c % cg;
                for (int iy = 0; iy < g.h(); iy++) {
                    for (int ix = 0; ix < g.w(); ix++) {
                        double s = 0;
                        for (int ky = 0; ky < g.kh(); ky++) {
                            int ty = iy + g.ph() - ky * g.dh();
                            if (ty < 0 || ty % g.sh() != 0 || ty / g.sh() >= g.oh()) continue;
                            int oy = ty / g.sh();
                            for (int kx = 0; kx < g.kw(); kx++) {
                                int tx = ix + g.pw() - kx * g.dw();
                                if (tx < 0 || tx % g.sw() != 0 || tx / g.sw() >= g.ow()) continue;
                                int ox = tx / g.sw();
                                for (int oo = 0; oo < og; oo++) {
                                    int o = grp * og + oo;
                                    s += gy[(n * g.o() + o) * plane + oy * g.ow() + ox]
                                            * w[((o * cg + ci) * g.kh() + ky) * g.kw() + kx];
                                }
                            }
                        }
                        gx[nc * g.inPlane() + iy * g.w() + ix] = s;
                    }
                }
            }
        });
    }

    /** {@code gw[o, c, ky, kx] = sum over images and output pixels of gy * the input pixel it read}. */
    static void backwardWeight(Geometry g, double[] x, double[] gy, double[] gw) {
        int cg = g.cg(), og = g.og(), plane = g.outPlane(), kk = g.kh() * g.kw();
        Parallel.forRange((long) g.o() * cg, (long) g.n() * plane * kk, (from, to) -> {
            for (int oc = (int) from; oc < to; oc++) {
                int o = oc / cg, c = oc % cg, grp = o / og;
                for (int ky = 0; ky < g.kh(); ky++) {
                    for (int kx = 0; kx < g.kw(); kx++) {
                        double s = 0;
                        for (int n = 0; n < g.n(); n++) {
                            int xc = (n * g.c() + grp * cg + c) * g.inPlane();
                            int yc = (n * g.o() + o) * plane;
                            for (int oy = 0; oy < g.oh(); oy++) {
                                int iy = oy * g.sh() - g.ph() + ky * g.dh();
                                if (iy < 0 || iy >= g.h()) continue;
                                for (int ox = 0; ox < g.ow(); ox++) {
                                    int ix = ox * g.sw() - g.pw() + kx * g.dw();
                                    if (ix < 0 || ix >= g.w()) continue;
                                    s += gy[yc + oy * g.ow() + ox] * x[xc + iy * g.w() + ix];
                                }
                            }
                        }
                        gw[oc * kk + ky * g.kw() + kx] = s;
                    }
                }
            }
        });
    }
}
