package dev.balboa.device.cpu.internal.conv;

/** Test access to the package-private dot products of the convolution kernels. */
public final class ConvProbe {
    private ConvProbe() {}

    /** {@link ConvF32#dot}. */
    public static float dot(float[] a, int ao, float[] b, int bo, int len) {
        return ConvF32.dot(a, ao, b, bo, len);
    }

    /** {@link ThinGemmF32#productTransB} of an m x n by (k x n)^T product into a fresh m x k matrix. */
    public static void thinGemm(int m, int k, int n, float[] a, float[] b, float[] c) {
        ThinGemmF32.productTransB(m, k, n, a, 0, n, b, 0, n, c, 0, k);
    }
}
