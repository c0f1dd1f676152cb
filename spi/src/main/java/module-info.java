/**
 * The device contract of Balboa: what a device plugin implements ({@link dev.balboa.spi.DeviceProvider},
 * {@link dev.balboa.spi.Backend}, {@link dev.balboa.spi.Buffer}) and the closed set of primitive
 * ops ({@link dev.balboa.spi.Op}) it must run.
 */
module dev.balboa.spi {
    exports dev.balboa.spi;
}
