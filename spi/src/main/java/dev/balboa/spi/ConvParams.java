package dev.balboa.spi;

import java.util.Arrays;

/** Equality, hashing and printing of convolution parameter arrays for the {@link Op} records. */
final class ConvParams {
    private ConvParams() {}

    static boolean same(Op op, int[] stride, int[] padding, int[] dilation, int groups) {
        return switch (op) {
            case Op.Conv2d c -> Arrays.equals(c.stride(), stride) && Arrays.equals(c.padding(), padding)
                    && Arrays.equals(c.dilation(), dilation) && c.groups() == groups;
            case Op.Conv2dBackwardInput c -> Arrays.equals(c.stride(), stride) && Arrays.equals(c.padding(), padding)
                    && Arrays.equals(c.dilation(), dilation) && c.groups() == groups;
            case Op.Conv2dBackwardWeight c -> Arrays.equals(c.stride(), stride) && Arrays.equals(c.padding(), padding)
                    && Arrays.equals(c.dilation(), dilation) && c.groups() == groups;
            case Op.MaxPool2d m -> Arrays.equals(m.stride(), stride) && Arrays.equals(m.padding(), padding)
                    && Arrays.equals(m.dilation(), dilation) && groups == 1;
            default -> false;
        };
    }

    static int hash(int[] stride, int[] padding, int[] dilation, int groups) {
        return ((Arrays.hashCode(stride) * 31 + Arrays.hashCode(padding)) * 31 + Arrays.hashCode(dilation)) * 31 + groups;
    }

    static String describe(String name, int[] stride, int[] padding, int[] dilation, int groups) {
        String body = "stride=" + Arrays.toString(stride) + ", padding=" + Arrays.toString(padding)
                + ", dilation=" + Arrays.toString(dilation) + (groups != 1 ? ", groups=" + groups : "");
        return name.isEmpty() ? body : name + "[" + body + "]";
    }
}
