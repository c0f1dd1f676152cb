package dev.balboa.spi;

import java.util.List;

/**
 * The service a device plugin provides ({@code provides dev.balboa.spi.DeviceProvider with ...}).
 * Construction and {@link #probe()} must be cheap and must never throw; {@link #open()} does the
 * heavy work (loading native libraries, creating contexts) and may throw.
 */
public interface DeviceProvider {

    /** The device type this provider serves, e.g. {@code "cpu"}; the same for every backend it opens. */
    String type();

    /**
     * Priority among providers of the same type: the registry uses the highest available one.
     * The default is 0; a reference or fallback implementation should return a negative number.
     */
    default int priority() { return 0; }

    /** Whether this provider can run on this machine, and why not. Never throws. */
    Availability probe();

    /** Opens the backends of this provider, one per device index, in index order. */
    List<? extends Backend> open() throws Exception;
}
