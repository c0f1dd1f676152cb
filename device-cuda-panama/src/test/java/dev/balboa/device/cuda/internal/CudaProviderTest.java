package dev.balboa.device.cuda.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.balboa.api.Devices;
import dev.balboa.spi.Availability;
import dev.balboa.spi.Device;
import dev.balboa.spi.DeviceProvider;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Discovery: the provider is found, explains why it cannot run, and leaves the CPU device alone. */
class CudaProviderTest {

    private static boolean systemDriverPresent() {
        try {
            SymbolLookup.libraryLookup("libcuda.so.1", Arena.global());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Test
    void serviceLoaderFindsTheCudaProvider() {
        assertTrue(ServiceLoader.load(DeviceProvider.class).stream().anyMatch(p -> p.type().equals(CudaProvider.class.getName())
                || p.get().type().equals("cuda")), "no cuda DeviceProvider through META-INF/services");
    }

    @Test
    void withoutADriverTheProviderIsUnavailableAndSaysWhy() {
        assumeTrue(!systemDriverPresent(), "this machine has libcuda.so.1: the no-driver case cannot be observed here");
        assumeTrue(System.getProperty(CudaProvider.DRIVER_PROPERTY) == null, "balboa.cuda.driver is set");
        Availability a = new CudaProvider().probe();
        assertFalse(a.available());
        assertEquals("libcuda.so.1 not found", a.reason());
    }

    @Test
    void aMissingOrForeignLibraryIsReportedNotThrown() {
        Availability missing = new CudaProvider(Path.of("/nonexistent/libcuda.so.1")).probe();
        assertFalse(missing.available());
        assertEquals("/nonexistent/libcuda.so.1 not found", missing.reason());
        // libm loads but exports no driver functions.
        Availability foreign = new CudaProvider(Path.of("libm.so.6")).probe();
        assertFalse(foreign.available());
        assertTrue(foreign.reason().contains("cuInit") || foreign.reason().contains("not found"), foreign.reason());
    }

    @Test
    void theCpuDeviceIsUnaffected() {
        assumeTrue(!systemDriverPresent(), "this machine has libcuda.so.1");
        String described = Devices.describe();
        assertTrue(described.contains("cuda"), described);
        assertTrue(described.contains("libcuda.so.1 not found"), described);
        assertTrue(Devices.isAvailable(Device.CPU), described);
        assertEquals(Device.CPU, Devices.defaultDevice());
        assertFalse(Devices.isAvailable(new Device("cuda", 0)), described);
    }

    @Test
    void theEmulatorIsFoundAsACudaDevice() throws Exception {
        CudaProvider p = new CudaProvider(NativeTools.emulator());
        Availability a = p.probe();
        assertTrue(a.available(), a.reason());
        assertTrue(a.reason().contains("emulator"), a.reason());
        assertEquals(new Device("cuda", 0), p.open().get(0).device());
    }

    @Test
    void gpuTestsAreSkippedWithTheProbesReason() {
        assumeTrue(!systemDriverPresent(), "this machine has libcuda.so.1");
        assumeTrue(System.getProperty(CudaProvider.DRIVER_PROPERTY) == null, "balboa.cuda.driver is set");
        var r = RequiresGpu.Condition.evaluate();
        assertTrue(r.isDisabled());
        assertEquals("needs a GPU: libcuda.so.1 not found", r.getReason().orElseThrow());
    }
}
