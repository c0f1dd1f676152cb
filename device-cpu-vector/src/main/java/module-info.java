/**
 * Balboa's CPU device: kernels written with the Vector API, a shared intra-op thread pool
 * (size: system property {@code balboa.cpu.threads}, default the number of cores) and a
 * packed, cache-blocked GEMM. Discovered through {@link dev.balboa.spi.DeviceProvider}.
 */
module dev.balboa.device.cpu {
    requires dev.balboa.spi;
    requires jdk.incubator.vector;
    requires org.slf4j;

    provides dev.balboa.spi.DeviceProvider with dev.balboa.device.cpu.internal.CpuProvider;
}
