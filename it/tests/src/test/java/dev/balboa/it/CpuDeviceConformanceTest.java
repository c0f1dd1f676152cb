package dev.balboa.it;

import dev.balboa.spi.Backend;
import dev.balboa.spi.DeviceProvider;
import dev.balboa.tck.DeviceConformanceKit;
import java.util.ServiceLoader;

/** Runs the conformance kit on Balboa's CPU device, found the way Balboa finds it: through {@link ServiceLoader}. */
class CpuDeviceConformanceTest extends DeviceConformanceKit {
    @Override
    protected Backend backend() {
        DeviceProvider cpu = ServiceLoader.load(DeviceProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.type().equals("cpu")).findFirst()
                .orElseThrow(() -> new AssertionError("no DeviceProvider of type cpu on the class path"));
        try {
            return cpu.open().get(0);
        } catch (Exception e) {
            throw new AssertionError("the cpu provider failed to open: " + e, e);
        }
    }
}
