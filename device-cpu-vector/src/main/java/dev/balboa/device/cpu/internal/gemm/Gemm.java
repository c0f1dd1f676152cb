package dev.balboa.device.cpu.internal.gemm;

import dev.balboa.spi.Operand;

/** Scaffold (being replaced): batched matrix multiply. */
public final class Gemm {
    private Gemm() {}
    public static void matmul(Operand a, Operand b, Operand out) { throw new UnsupportedOperationException("todo"); }
}
