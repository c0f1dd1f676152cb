/**
 * Balboa's CUDA device: bindings to the CUDA driver API through the Foreign Function and Memory
 * API (no JNI, no CUDA runtime library), kernels shipped as PTX and loaded by the driver, and a
 * caching allocator for device memory. Discovered through {@link dev.balboa.spi.DeviceProvider}
 * as type {@code "cuda"}; probing never throws and says why the device cannot run (for example
 * "libcuda.so.1 not found").
 *
 * <p>The module calls native code: run with {@code --enable-native-access=dev.balboa.device.cuda}
 * (or {@code ALL-UNNAMED} on the class path). The system property {@code balboa.cuda.driver}
 * names a driver library to load instead of {@code libcuda.so.1} (the tests point it at a
 * driver emulator).
 */
module dev.balboa.device.cuda {
    requires dev.balboa.spi;
    requires org.slf4j;

    provides dev.balboa.spi.DeviceProvider with dev.balboa.device.cuda.internal.CudaProvider;
}
