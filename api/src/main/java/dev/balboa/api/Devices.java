package dev.balboa.api;

import dev.balboa.spi.Availability;
import dev.balboa.spi.Backend;
import dev.balboa.spi.Device;
import dev.balboa.spi.DeviceProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of devices found at run time through {@link ServiceLoader}: which providers were
 * found, which can run here, and the backend that runs each {@link Device}.
 *
 * <p>Discovery survives broken providers (a provider that fails to load or to probe is listed
 * with its reason and skipped). The system property {@code balboa.devices} chooses providers: a
 * comma-separated list of device types or provider class names to use ({@code cpu,cuda}), and/or
 * entries prefixed with {@code -} to exclude ({@code -cuda}). Providers are opened lazily, the
 * first time one of their devices is used.
 */
public final class Devices {
    private static final Logger LOG = LoggerFactory.getLogger(Devices.class);

    /**
     * One provider as discovery saw it.
     *
     * @param type      device type it serves ("cpu"), or "?" when it could not even be loaded
     * @param provider  the provider's class name
     * @param priority  its priority among providers of the same type
     * @param status    "active", "standby" (a higher-priority provider serves the type),
     *                  "unavailable", "excluded" or "broken"
     * @param reason    what its probe said, or why it was skipped
     */
    public record ProviderInfo(String type, String provider, int priority, String status, String reason) {}

    private static final class Entry {
        final DeviceProvider provider;
        final ProviderInfo info;
        List<? extends Backend> backends; // opened lazily
        String openFailure;

        Entry(DeviceProvider provider, ProviderInfo info) {
            this.provider = provider;
            this.info = info;
        }
    }

    private static volatile Registry registry;

    private record Registry(Map<String, Entry> active, List<ProviderInfo> all) {}

    private Devices() {}

    private static Registry registry() {
        Registry r = registry;
        if (r == null) {
            synchronized (Devices.class) {
                r = registry;
                if (r == null) registry = r = discover();
            }
        }
        return r;
    }

    private static Registry discover() {
        String selection = System.getProperty("balboa.devices", "").trim();
        Set<String> include = Arrays.stream(selection.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty() && !s.startsWith("-")).collect(Collectors.toSet());
        Set<String> exclude = Arrays.stream(selection.split(",")).map(String::trim)
                .filter(s -> s.startsWith("-")).map(s -> s.substring(1)).collect(Collectors.toSet());
        List<Entry> candidates = new ArrayList<>();
        List<ProviderInfo> all = new ArrayList<>();
        ServiceLoader<DeviceProvider> loader = ServiceLoader.load(DeviceProvider.class, Devices.class.getClassLoader());
        for (ServiceLoader.Provider<DeviceProvider> p : (Iterable<ServiceLoader.Provider<DeviceProvider>>) loader.stream()::iterator) {
            String cls;
            try {
                cls = p.type().getName();
            } catch (Throwable t) {
                all.add(new ProviderInfo("?", "?", 0, "broken", "cannot load provider class: " + t));
                LOG.warn("balboa: a device provider could not be loaded: {}", t.toString());
                continue;
            }
            DeviceProvider provider;
            String type;
            int priority;
            Availability availability;
            try {
                provider = p.get();
                type = provider.type();
                priority = provider.priority();
                availability = provider.probe();
                if (availability == null) availability = Availability.no("probe() returned null");
            } catch (Throwable t) {
                all.add(new ProviderInfo("?", cls, 0, "broken", "failed during discovery: " + t));
                LOG.warn("balboa: device provider {} failed during discovery: {}", cls, t.toString());
                continue;
            }
            boolean selected = (include.isEmpty() || include.contains(type) || include.contains(cls))
                    && !exclude.contains(type) && !exclude.contains(cls);
            if (!selected) {
                all.add(new ProviderInfo(type, cls, priority, "excluded", "excluded by -Dbalboa.devices=" + selection));
            } else if (!availability.available()) {
                all.add(new ProviderInfo(type, cls, priority, "unavailable", availability.reason()));
                LOG.debug("balboa: device provider {} ({}) unavailable: {}", cls, type, availability.reason());
            } else {
                candidates.add(new Entry(provider, new ProviderInfo(type, cls, priority, "active", availability.reason())));
            }
        }
        candidates.sort(Comparator.comparingInt((Entry e) -> -e.info.priority()));
        Map<String, Entry> active = new LinkedHashMap<>();
        for (Entry e : candidates) {
            Entry winner = active.get(e.info.type());
            if (winner == null) {
                active.put(e.info.type(), e);
                all.add(e.info);
            } else {
                all.add(new ProviderInfo(e.info.type(), e.info.provider(), e.info.priority(), "standby",
                        "provider " + winner.info.provider() + " has higher priority for '" + e.info.type() + "'"));
            }
        }
        return new Registry(active, List.copyOf(all));
    }

    /** Every provider discovery found, with its status and reason. */
    public static List<ProviderInfo> providers() {
        return registry().all();
    }

    /** The device types that have an active provider, e.g. {@code [cpu, reference]}. */
    public static List<String> types() {
        return List.copyOf(registry().active().keySet());
    }

    /** Whether {@code device} can be used here (its provider is active, opens, and has that index). */
    public static boolean isAvailable(Device device) {
        Entry e = registry().active().get(device.type());
        if (e == null) return false;
        List<? extends Backend> b = open(e, false);
        return b != null && device.index() < b.size();
    }

    /** All devices that can be used here, opening their providers. */
    public static List<Device> list() {
        List<Device> out = new ArrayList<>();
        for (Entry e : registry().active().values()) {
            List<? extends Backend> b = open(e, false);
            if (b != null) for (Backend be : b) out.add(be.device());
        }
        return out;
    }

    /** The device tensors are created on when none is given: {@code cpu} when present, else the first available one. */
    public static Device defaultDevice() {
        Device d = DEFAULT;
        if (d == null) {
            Registry r = registry();
            if (r.active().containsKey("cpu")) d = Device.CPU;
            else if (!r.active().isEmpty()) d = new Device(r.active().keySet().iterator().next(), 0);
            else throw new IllegalStateException("balboa: no device provider is available on the module path or class path\n" + describe());
            DEFAULT = d;
        }
        return d;
    }

    private static volatile Device DEFAULT;

    /** The backend that runs {@code device}; throws an exception that explains what was found when it is not available. */
    public static Backend backend(Device device) {
        Entry e = registry().active().get(device.type());
        if (e == null) {
            throw new IllegalArgumentException("device '" + device + "' is not available: " + whyNot(device.type())
                    + "; available types: " + types());
        }
        List<? extends Backend> b = open(e, true);
        if (device.index() >= b.size()) {
            throw new IllegalArgumentException("device '" + device + "' is not available: provider "
                    + e.info.provider() + " has " + b.size() + " device(s) of type '" + device.type() + "'");
        }
        return b.get(device.index());
    }

    private static String whyNot(String type) {
        for (ProviderInfo p : registry().all()) {
            if (p.type().equals(type)) return "provider " + p.provider() + " is " + p.status() + " (" + p.reason() + ")";
        }
        return "no provider for type '" + type + "' was found";
    }

    private static List<? extends Backend> open(Entry e, boolean throwOnFailure) {
        synchronized (e) {
            if (e.backends == null && e.openFailure == null) {
                try {
                    e.backends = List.copyOf(e.provider.open());
                    LOG.debug("balboa: opened {} ({} device(s))", e.info.provider(), e.backends.size());
                } catch (Throwable t) {
                    e.openFailure = t.toString();
                    LOG.warn("balboa: device provider {} failed to open: {}", e.info.provider(), t.toString());
                }
            }
            if (e.backends == null && throwOnFailure) {
                throw new IllegalStateException("device type '" + e.info.type() + "': provider " + e.info.provider()
                        + " failed to open: " + e.openFailure);
            }
            return e.backends;
        }
    }

    /**
     * A human-readable report of discovery: each provider with its status and reason, and each
     * opened device with its description.
     */
    public static String describe() {
        Registry r = registry();
        StringBuilder sb = new StringBuilder("Balboa devices\n");
        for (ProviderInfo p : r.all()) {
            sb.append(String.format("  %-10s %-11s %s (priority %d): %s%n", p.type(), p.status(), p.provider(), p.priority(), p.reason()));
            Entry e = r.active().get(p.type());
            if (e != null && e.info == p) {
                List<? extends Backend> b = open(e, false);
                if (b == null) sb.append("             failed to open: ").append(e.openFailure).append('\n');
                else for (Backend be : b) sb.append("             ").append(be.device()).append(": ").append(be.description()).append('\n');
            }
        }
        if (r.all().isEmpty()) sb.append("  (no device providers found)\n");
        return sb.toString();
    }
}
