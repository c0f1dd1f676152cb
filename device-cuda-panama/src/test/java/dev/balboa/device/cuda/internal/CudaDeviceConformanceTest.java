package dev.balboa.device.cuda.internal;

import dev.balboa.spi.Backend;
import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import dev.balboa.tck.DeviceConformanceKit;
import java.util.Set;

/**
 * The device conformance kit on the CUDA backend, over the driver emulator: the kernels run on
 * the host, compiled from the same sources as the PTX. {@link #supports} defers to
 * {@link CudaBackend#supports}, which today admits every primitive op, so the whole kit runs.
 * Skipped without gcc.
 */
class CudaDeviceConformanceTest extends DeviceConformanceKit {
    private static Backend backend;

    @Override
    protected Backend backend() {
        synchronized (CudaDeviceConformanceTest.class) {
            if (backend == null) {
                try {
                    backend = new CudaProvider(NativeTools.emulator()).open().get(0);
                } catch (org.opentest4j.TestAbortedException e) {
                    throw e;
                } catch (Exception e) {
                    throw new AssertionError("opening the CUDA backend on the emulator failed: " + e, e);
                }
            }
            return backend;
        }
    }

    @Override
    protected boolean supports(Op op, Set<DType> dtypes) { return CudaBackend.supports(op, dtypes); }
}
