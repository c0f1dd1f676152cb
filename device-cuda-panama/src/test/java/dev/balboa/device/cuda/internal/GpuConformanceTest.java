package dev.balboa.device.cuda.internal;

import dev.balboa.spi.Backend;
import dev.balboa.spi.DType;
import dev.balboa.spi.Op;
import dev.balboa.tck.DeviceConformanceKit;
import java.util.Set;

/**
 * The device conformance kit on a real GPU through {@code libcuda.so.1} (the provider's default
 * driver, with cuBLAS when it is installed). Skipped with the reason when there is no driver or no
 * device; see {@link RequiresGpu}.
 */
@RequiresGpu
class GpuConformanceTest extends DeviceConformanceKit {
    private static Backend backend;

    @Override
    protected Backend backend() {
        synchronized (GpuConformanceTest.class) {
            if (backend == null) backend = new CudaProvider().open().get(0);
            return backend;
        }
    }

    @Override
    protected boolean supports(Op op, Set<DType> dtypes) { return CudaBackend.supports(op, dtypes); }
}
