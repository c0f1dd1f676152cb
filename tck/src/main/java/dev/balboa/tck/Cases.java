package dev.balboa.tck;

import dev.balboa.spi.DType;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** What the case families need to build cases: the dtypes under test and the seed of the inputs. */
final class Cases {
    static final List<DType> FLOATS = List.of(DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16);
    static final List<DType> INTS = List.of(DType.INT32, DType.INT64, DType.INT8, DType.UINT8);

    final Set<DType> dtypes;
    final long seed;

    Cases(Set<DType> dtypes, long seed) {
        this.dtypes = dtypes.isEmpty() ? EnumSet.noneOf(DType.class) : EnumSet.copyOf(dtypes);
        this.seed = seed;
    }

    Gen gen(String caseName) { return new Gen(seed, caseName); }

    /** The floating dtypes under test. */
    List<DType> floats() { return FLOATS.stream().filter(dtypes::contains).toList(); }

    /** The integral dtypes under test. */
    List<DType> ints() { return INTS.stream().filter(dtypes::contains).toList(); }

    /** Floating then integral dtypes under test. */
    List<DType> numeric() {
        return java.util.stream.Stream.concat(floats().stream(), ints().stream()).toList();
    }

    /** The dtype a sum or product of {@code t} is widened to in the "wider output" cases, or null. */
    static DType wider(DType t) {
        return switch (t) {
            case FLOAT16, BFLOAT16 -> DType.FLOAT32;
            case FLOAT32 -> DType.FLOAT64;
            case INT8, UINT8, INT32, BOOL -> DType.INT64;
            default -> null;
        };
    }

    static long[] shape(long... s) { return s; }

    static boolean[] mask(boolean... m) { return m; }
}
