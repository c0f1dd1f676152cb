package org.example.balboa.reference;

import dev.balboa.spi.Availability;
import dev.balboa.spi.Backend;
import dev.balboa.spi.DeviceProvider;
import java.util.List;

/**
 * Provides the "reference" device: a scalar, plain-Java implementation of every primitive op,
 * used as the oracle of the device conformance kit. It can always run and has the lowest priority.
 */
public final class ReferenceProvider implements DeviceProvider {

    /** The device type this provider serves. */
    public static final String TYPE = "reference";

    /** Creates the provider; cheap, as {@link DeviceProvider} requires. */
    public ReferenceProvider() {}

    @Override
    public String type() { return TYPE; }

    @Override
    public int priority() { return -100; }

    @Override
    public Availability probe() { return Availability.yes("plain Java, scalar, double precision"); }

    @Override
    public List<? extends Backend> open() { return List.of(new ReferenceBackend()); }
}
