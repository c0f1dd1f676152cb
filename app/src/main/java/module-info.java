/**
 * The {@code balboa} command line: {@code demo}, {@code devices} and the later training and
 * inference commands. Devices are found at run time, so the CPU device (or any other plugin)
 * only has to be on the module path or in the runtime image.
 */
module dev.balboa.app {
    requires dev.balboa.api;
}
