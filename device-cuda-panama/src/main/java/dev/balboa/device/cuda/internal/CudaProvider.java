package dev.balboa.device.cuda.internal;

import dev.balboa.device.cuda.internal.driver.CudaDriver;
import dev.balboa.device.cuda.internal.driver.CudaException;
import dev.balboa.device.cuda.internal.driver.Cublas;
import dev.balboa.spi.Availability;
import dev.balboa.spi.Backend;
import dev.balboa.spi.DeviceProvider;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provides the {@code "cuda"} device through the CUDA driver API. Construction does nothing;
 * {@link #probe()} loads the driver library ({@code libcuda.so.1}, or the file named by the system
 * property {@value #DRIVER_PROPERTY}), calls {@code cuInit(0)} and counts devices, and reports
 * why the device cannot run instead of throwing. {@link #open()} opens one backend per device.
 */
public final class CudaProvider implements DeviceProvider {
    /** System property naming a driver library file to load instead of {@code libcuda.so.1}. */
    public static final String DRIVER_PROPERTY = "balboa.cuda.driver";

    private static final Logger LOG = LoggerFactory.getLogger(CudaProvider.class);

    private final Path driverPath;
    private final boolean explicitPath;
    private volatile CudaDriver driver;
    private volatile List<CudaBackend> backends;

    /** The provider ServiceLoader creates: the driver is chosen by {@value #DRIVER_PROPERTY} or is libcuda.so.1. */
    public CudaProvider() {
        this.driverPath = null;
        this.explicitPath = false;
    }

    /** A provider bound to the given driver library (tests use the driver emulator this way). */
    public CudaProvider(Path driverLibrary) {
        this.driverPath = driverLibrary;
        this.explicitPath = true;
    }

    @Override
    public String type() { return "cuda"; }

    @Override
    public int priority() { return 100; }

    private Path library() {
        if (explicitPath) return driverPath;
        String p = System.getProperty(DRIVER_PROPERTY, "").trim();
        return p.isEmpty() ? null : Path.of(p);
    }

    private static String name(Path library) { return library == null ? "libcuda.so.1" : library.toString(); }

    private synchronized CudaDriver driver() {
        if (driver == null) {
            CudaDriver d = CudaDriver.load(library());
            d.init(0);
            driver = d;
        }
        return driver;
    }

    @Override
    public Availability probe() {
        Availability a;
        try {
            CudaDriver d = driver();
            int count = d.deviceGetCount();
            if (count <= 0) {
                a = Availability.no("no CUDA device (cuDeviceGetCount returned 0)");
            } else {
                int dev = d.deviceGet(0);
                a = Availability.yes(count + " device" + (count == 1 ? "" : "s") + ", cuda:0 " + d.deviceGetName(dev)
                        + ", driver " + d.library());
            }
        } catch (IllegalArgumentException e) {
            a = Availability.no(name(library()) + " not found");
        } catch (UnsatisfiedLinkError e) {
            a = Availability.no(name(library()) + " is not a usable CUDA driver: " + e.getMessage());
        } catch (CudaException e) {
            a = Availability.no(e.code() == CudaException.NO_DEVICE ? "no CUDA device: " + e.getMessage() : e.getMessage());
        } catch (IllegalCallerException e) {
            a = Availability.no("native access is not enabled: run with --enable-native-access=dev.balboa.device.cuda ("
                    + e.getMessage() + ")");
        } catch (Throwable t) {
            a = Availability.no("probing the CUDA driver failed: " + t);
        }
        if (LOG.isDebugEnabled()) LOG.debug("cuda probe: {}", a.reason());
        return a;
    }

    /**
     * cuBLAS for the backends, or null. With libcuda.so.1 it is looked for as {@link Cublas#load}
     * says; with another driver library (the emulator) only when {@value Cublas#LIBRARY_PROPERTY}
     * names one explicitly, since a real cuBLAS cannot run on an emulated driver.
     */
    private Cublas cublas() {
        boolean explicit = !System.getProperty(Cublas.LIBRARY_PROPERTY, "").isBlank();
        if (library() != null && !explicit) {
            cublasNote = "cuBLAS not used with driver " + library() + " (set -D" + Cublas.LIBRARY_PROPERTY + ")";
        } else {
            List<String> why = new ArrayList<>();
            Cublas c = Cublas.load(Arena.global(), why).orElse(null);
            cublasNote = c != null ? "cuBLAS " + c.library() : "no cuBLAS (" + String.join("; ", why) + "): own matmul kernels";
            if (LOG.isDebugEnabled()) LOG.debug("cuda: {}", cublasNote);
            return c;
        }
        if (LOG.isDebugEnabled()) LOG.debug("cuda: {}", cublasNote);
        return null;
    }

    private volatile String cublasNote = "cuBLAS not probed yet";

    /** Whether cuBLAS is used for matmul, and why not when it is not (after {@link #open}). */
    public String cublasStatus() { return cublasNote; }

    @Override
    public synchronized List<? extends Backend> open() {
        if (backends == null) {
            CudaDriver d = driver();
            int count = d.deviceGetCount();
            Cublas blas = cublas();
            List<CudaBackend> list = new ArrayList<>();
            for (int i = 0; i < count; i++) list.add(new CudaBackend(d, i, blas));
            backends = List.copyOf(list);
        }
        return backends;
    }
}
