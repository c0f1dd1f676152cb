package dev.balboa.device.cuda.internal;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * Layouts of the kernels' argument structs, mirroring {@code src/main/cuda/balboa_kernel.h}
 * field for field (every field 8 bytes, so there is no padding). {@code KernelLayoutTest}
 * compiles the header with gcc and checks each size and offset against these layouts.
 */
final class KernelArgs {
    private KernelArgs() {}

    /** {@code BK_MAX_RANK}. */
    static final int MAX_RANK = 8;

    private static MemoryLayout longs(String name, int n) { return MemoryLayout.sequenceLayout(n, JAVA_LONG).withName(name); }

    /** {@code BkElem}. */
    static final StructLayout ELEM = MemoryLayout.structLayout(
            JAVA_LONG.withName("n"), JAVA_LONG.withName("rank"), longs("shape", MAX_RANK),
            MemoryLayout.sequenceLayout(4, MemoryLayout.sequenceLayout(MAX_RANK, JAVA_LONG)).withName("strides"),
            longs("offsets", 4), longs("ptr", 4), longs("dtype", 4), JAVA_LONG.withName("fn"),
            JAVA_DOUBLE.withName("dvalue"), JAVA_DOUBLE.withName("dvalue2"), JAVA_LONG.withName("lvalue"));

    /** {@code BkReduce}. */
    static final StructLayout REDUCE = MemoryLayout.structLayout(
            JAVA_LONG.withName("nout"), JAVA_LONG.withName("ninner"), JAVA_LONG.withName("outer_rank"),
            longs("outer_shape", MAX_RANK), longs("outer_xstride", MAX_RANK), longs("outer_ostride", MAX_RANK),
            JAVA_LONG.withName("inner_rank"), longs("inner_shape", MAX_RANK), longs("inner_xstride", MAX_RANK),
            JAVA_LONG.withName("xoff"), JAVA_LONG.withName("ooff"), JAVA_LONG.withName("xptr"), JAVA_LONG.withName("optr"),
            JAVA_LONG.withName("xdtype"), JAVA_LONG.withName("odtype"), JAVA_LONG.withName("fn"));

    /** {@code BkMatmul}. */
    static final StructLayout MATMUL = MemoryLayout.structLayout(
            JAVA_LONG.withName("batch"), JAVA_LONG.withName("m"), JAVA_LONG.withName("n"), JAVA_LONG.withName("k"),
            JAVA_LONG.withName("as_b"), JAVA_LONG.withName("as_m"), JAVA_LONG.withName("as_k"),
            JAVA_LONG.withName("bs_b"), JAVA_LONG.withName("bs_k"), JAVA_LONG.withName("bs_n"),
            JAVA_LONG.withName("os_b"), JAVA_LONG.withName("os_m"), JAVA_LONG.withName("os_n"),
            JAVA_LONG.withName("aoff"), JAVA_LONG.withName("boff"), JAVA_LONG.withName("ooff"),
            JAVA_LONG.withName("aptr"), JAVA_LONG.withName("bptr"), JAVA_LONG.withName("optr"),
            JAVA_LONG.withName("dtype"));

    /** {@code BkRandom}. */
    static final StructLayout RANDOM = MemoryLayout.structLayout(
            JAVA_LONG.withName("n"), JAVA_LONG.withName("rank"), longs("shape", MAX_RANK), longs("strides", MAX_RANK),
            JAVA_LONG.withName("off"), JAVA_LONG.withName("ptr"), JAVA_LONG.withName("dtype"),
            JAVA_LONG.withName("seed"), JAVA_LONG.withName("counter"), JAVA_DOUBLE.withName("p1"), JAVA_DOUBLE.withName("p2"));

    /** {@code BkAxis}. */
    static final StructLayout AXIS = MemoryLayout.structLayout(
            JAVA_LONG.withName("nrows"), JAVA_LONG.withName("rank"), longs("shape", MAX_RANK),
            MemoryLayout.sequenceLayout(4, MemoryLayout.sequenceLayout(MAX_RANK, JAVA_LONG)).withName("strides"),
            longs("alen", 4), longs("astride", 4), longs("offsets", 4), longs("ptr", 4), longs("dtype", 4),
            JAVA_LONG.withName("fn"), JAVA_LONG.withName("flag"));

    /** {@code BkConv}. */
    static final StructLayout CONV = MemoryLayout.structLayout(
            JAVA_LONG.withName("total"), JAVA_LONG.withName("n"), JAVA_LONG.withName("c"), JAVA_LONG.withName("h"),
            JAVA_LONG.withName("w"), JAVA_LONG.withName("o"), JAVA_LONG.withName("oh"), JAVA_LONG.withName("ow"),
            JAVA_LONG.withName("kh"), JAVA_LONG.withName("kw"), JAVA_LONG.withName("groups"),
            JAVA_LONG.withName("sh"), JAVA_LONG.withName("sw"), JAVA_LONG.withName("ph"), JAVA_LONG.withName("pw"),
            JAVA_LONG.withName("dh"), JAVA_LONG.withName("dw"),
            MemoryLayout.sequenceLayout(4, MemoryLayout.sequenceLayout(4, JAVA_LONG)).withName("strides"),
            longs("offsets", 4), longs("ptr", 4), longs("dtype", 4));

    /** Byte offset of a named field. */
    static long offset(StructLayout s, String field) {
        return s.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    /** A zeroed struct of the layout, with setters by field name. */
    static final class Struct {
        final MemorySegment seg;
        private final StructLayout layout;

        Struct(Arena arena, StructLayout layout) {
            this.layout = layout;
            this.seg = arena.allocate(layout);
        }

        Struct set(String field, long v) {
            seg.set(JAVA_LONG, offset(layout, field), v);
            return this;
        }

        Struct set(String field, int index, long v) {
            seg.set(JAVA_LONG, offset(layout, field) + 8L * index, v);
            return this;
        }

        Struct set(String field, double v) {
            seg.set(JAVA_DOUBLE, offset(layout, field), v);
            return this;
        }
    }
}
