/**
 * Balboa's JMH benchmarks: device kernels through the SPI (matmul, convolution, elementwise,
 * reductions) and tensor-level costs (softmax, per-op dispatch, an MLP training step). Packaged
 * as bench/target/benchmarks.jar; see bench/README.md.
 */
module dev.balboa.bench {
    requires dev.balboa.api;
    requires dev.balboa.autograd;
    requires jmh.core;

    uses dev.balboa.spi.DeviceProvider;

    opens dev.balboa.bench to jmh.core;
}
