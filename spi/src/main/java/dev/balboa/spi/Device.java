package dev.balboa.spi;

import java.util.Objects;

/**
 * Names a device, like {@code torch.device}: a free-form type ("cpu", "cuda", "acme") and an index.
 * It is a plain value; whether such a device exists is for the registry in {@code dev.balboa.api}
 * to say.
 *
 * @param type  lower-case device type, letters, digits, '_' and '-' only
 * @param index the device's index among devices of its type, 0 or more
 */
public record Device(String type, int index) {

    /** The CPU. */
    public static final Device CPU = new Device("cpu", 0);

    public Device {
        Objects.requireNonNull(type, "type");
        if (type.isEmpty() || !type.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
            throw new IllegalArgumentException("invalid device type '" + type
                    + "': use lower-case letters, digits, '_' or '-' (e.g. \"cpu\", \"cuda\")");
        }
        if (index < 0) throw new IllegalArgumentException("invalid device index " + index + " for '" + type + "': must be >= 0");
    }

    /** Parses {@code "cpu"}, {@code "cuda"} (index 0) or {@code "cuda:1"}. */
    public static Device of(String spec) {
        Objects.requireNonNull(spec, "spec");
        int colon = spec.indexOf(':');
        if (colon < 0) return spec.equals("cpu") ? CPU : new Device(spec, 0);
        String idx = spec.substring(colon + 1);
        try {
            return new Device(spec.substring(0, colon), Integer.parseInt(idx));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid device '" + spec + "': index '" + idx + "' is not a number", e);
        }
    }

    /** {@code "cpu"} for index 0 of the CPU, {@code "type:index"} otherwise, as PyTorch prints devices. */
    @Override
    public String toString() {
        return type.equals("cpu") && index == 0 ? "cpu" : type + ":" + index;
    }
}
