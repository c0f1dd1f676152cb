package dev.balboa.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.spi.Backend;
import dev.balboa.spi.DeviceProvider;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import org.example.balboa.reference.ReferenceProvider;
import org.junit.jupiter.api.Test;

/**
 * Device plugins are found by {@link ServiceLoader} alone, with no change to Balboa's code: on
 * the class path through {@code META-INF/services}, and on the module path through
 * {@code provides} in each plugin's module descriptor.
 */
class DeviceDiscoveryTest {

    private static Map<String, DeviceProvider> byType(Iterable<DeviceProvider> providers) {
        Map<String, DeviceProvider> found = new TreeMap<>();
        for (DeviceProvider p : providers) found.put(p.type(), p);
        return found;
    }

    @Test
    void classPathFindsCpuAndReferenceProviders() throws Exception {
        Map<String, DeviceProvider> found = byType(ServiceLoader.load(DeviceProvider.class));
        assertTrue(found.containsKey("cpu"), "cpu provider not found; found " + found.keySet());
        assertTrue(found.containsKey("reference"), "reference provider not found; found " + found.keySet());

        DeviceProvider ref = found.get("reference");
        assertEquals(-100, ref.priority());
        assertTrue(ref.probe().available(), ref.probe().reason());
        assertFalse(ref.getClass().getModule().isNamed(), "expected the class-path (META-INF/services) route");
        List<? extends Backend> backends = ref.open();
        assertEquals(1, backends.size());
        assertEquals("reference", backends.get(0).device().type());
        assertTrue(backends.get(0).dtypes().containsAll(Set.of(dev.balboa.spi.DType.values())));

        DeviceProvider cpu = found.get("cpu");
        assertTrue(cpu.probe().available(), cpu.probe().reason());
        assertTrue(cpu.priority() > ref.priority(), "the cpu device should outrank the reference device");
    }

    @Test
    void modulePathFindsReferenceProviderThroughItsModuleDescriptor() throws Exception {
        Path spi = location(DeviceProvider.class);
        Path plugin = location(ReferenceProvider.class);
        ModuleFinder finder = ModuleFinder.of(spi, plugin);
        // The plugin is a root like any application module; ServiceLoader then finds it through its "provides".
        Configuration cf = ModuleLayer.boot().configuration()
                .resolveAndBind(finder, ModuleFinder.of(), Set.of("dev.balboa.spi", "org.example.balboa.reference"));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
        assertTrue(layer.findModule("org.example.balboa.reference").isPresent(),
                "the plugin module was not resolved; modules: " + layer.modules());

        Class<?> service = layer.findLoader("dev.balboa.spi").loadClass("dev.balboa.spi.DeviceProvider");
        List<String> types = new ArrayList<>();
        for (Object p : ServiceLoader.load(layer, service)) {
            assertEquals("org.example.balboa.reference", p.getClass().getModule().getName());
            types.add((String) service.getMethod("type").invoke(p));
        }
        assertEquals(List.of("reference"), types);
    }

    private static Path location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
