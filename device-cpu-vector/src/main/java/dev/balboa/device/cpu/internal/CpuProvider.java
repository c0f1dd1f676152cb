package dev.balboa.device.cpu.internal;

import dev.balboa.spi.Availability;
import dev.balboa.spi.Backend;
import dev.balboa.spi.DeviceProvider;
import java.util.List;

/** Provides the Vector API CPU device. Probing checks that {@code jdk.incubator.vector} is usable. */
public final class CpuProvider implements DeviceProvider {

    @Override
    public String type() { return "cpu"; }

    @Override
    public int priority() { return 100; }

    @Override
    public Availability probe() {
        try {
            int lanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
            return Availability.yes("Vector API, " + lanes + " float lanes, " + Parallel.threads() + " threads");
        } catch (Throwable t) {
            return Availability.no("Vector API unavailable: " + t);
        }
    }

    @Override
    public List<? extends Backend> open() {
        return List.of(CpuBackend.INSTANCE);
    }
}
