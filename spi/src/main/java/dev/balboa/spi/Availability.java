package dev.balboa.spi;

import java.util.Objects;

/**
 * What a {@link DeviceProvider#probe()} found: whether the provider can run here and, if not, why.
 *
 * @param available true when {@link DeviceProvider#open()} is expected to succeed
 * @param reason    a short human-readable explanation ("libcuda.so.1 not found"), never null
 */
public record Availability(boolean available, String reason) {
    public Availability {
        Objects.requireNonNull(reason, "reason");
    }

    /** The provider can run here. */
    public static Availability yes(String detail) { return new Availability(true, detail); }

    /** The provider cannot run here, for the given reason. */
    public static Availability no(String reason) { return new Availability(false, reason); }
}
