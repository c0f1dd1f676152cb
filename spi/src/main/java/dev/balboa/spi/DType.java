package dev.balboa.spi;

/**
 * Element types of tensors, with PyTorch's names, sizes and type-promotion rules.
 */
public enum DType {
    BOOL("bool", 1, Category.BOOL, 0),
    UINT8("uint8", 1, Category.INTEGRAL, 1),
    INT8("int8", 1, Category.INTEGRAL, 2),
    INT32("int32", 4, Category.INTEGRAL, 4),
    INT64("int64", 8, Category.INTEGRAL, 5),
    FLOAT16("float16", 2, Category.FLOATING, 6),
    BFLOAT16("bfloat16", 2, Category.FLOATING, 7),
    FLOAT32("float32", 4, Category.FLOATING, 8),
    FLOAT64("float64", 8, Category.FLOATING, 9);

    /** Kind of values a dtype holds; promotion never goes from a higher category to a lower one. */
    public enum Category { BOOL, INTEGRAL, FLOATING }

    private final String torchName;
    private final int byteSize;
    private final Category category;
    private final int rank;

    DType(String torchName, int byteSize, Category category, int rank) {
        this.torchName = torchName;
        this.byteSize = byteSize;
        this.category = category;
        this.rank = rank;
    }

    /** Size of one element in bytes. */
    public int byteSize() { return byteSize; }

    /** The kind of values this dtype holds. */
    public Category category() { return category; }

    /** True for float16, bfloat16, float32 and float64. */
    public boolean isFloatingPoint() { return category == Category.FLOATING; }

    /** True for uint8, int8, int32, int64 (not bool). */
    public boolean isIntegral() { return category == Category.INTEGRAL; }

    /** True for every dtype that can hold a negative value. */
    public boolean isSigned() { return this != BOOL && this != UINT8; }

    /** The name PyTorch prints for this dtype ("float32"). */
    public String torchName() { return torchName; }

    @Override
    public String toString() { return torchName; }

    /**
     * The dtype both operands are converted to by a binary op, following
     * {@code torch.promote_types}: bool &lt; integers &lt; floats; within integers the wider wins and
     * uint8 with int8 gives int16 (Balboa has no int16, so int32); float16 with bfloat16 gives
     * float32.
     */
    public static DType promote(DType a, DType b) {
        if (a == b) return a;
        if (a.category != b.category) return a.category.ordinal() > b.category.ordinal() ? a : b;
        if (a.category == Category.FLOATING) {
            if ((a == FLOAT16 && b == BFLOAT16) || (a == BFLOAT16 && b == FLOAT16)) return FLOAT32;
            return a.rank > b.rank ? a : b;
        }
        // integral
        if ((a == UINT8 && b == INT8) || (a == INT8 && b == UINT8)) return INT32;
        return a.rank > b.rank ? a : b;
    }

    /** Parses a PyTorch dtype name such as {@code "float32"}, {@code "float"}, {@code "long"} or {@code "bool"}. */
    public static DType of(String name) {
        return switch (name) {
            case "bool" -> BOOL;
            case "uint8" -> UINT8;
            case "int8" -> INT8;
            case "int32", "int" -> INT32;
            case "int64", "long" -> INT64;
            case "float16", "half" -> FLOAT16;
            case "bfloat16" -> BFLOAT16;
            case "float32", "float" -> FLOAT32;
            case "float64", "double" -> FLOAT64;
            default -> throw new IllegalArgumentException("unknown dtype '" + name
                    + "'; valid: bool, uint8, int8, int32, int64, float16, bfloat16, float32, float64");
        };
    }
}
