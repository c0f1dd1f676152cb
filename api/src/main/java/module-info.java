/**
 * Balboa's user API: {@link dev.balboa.api.Tensor}, device discovery ({@link dev.balboa.api.Devices}),
 * random generators, grad-mode scopes and the functional nn primitives. Devices are found at run
 * time through {@link dev.balboa.spi.DeviceProvider}; cross-cutting layers (autograd, tracing)
 * through {@link dev.balboa.api.dispatch.DispatchLayer}.
 */
module dev.balboa.api {
    requires transitive dev.balboa.spi;
    requires org.slf4j;

    exports dev.balboa.api;
    exports dev.balboa.api.dispatch;
    exports dev.balboa.api.engine to dev.balboa.autograd;

    uses dev.balboa.spi.DeviceProvider;
    uses dev.balboa.api.dispatch.DispatchLayer;
    uses dev.balboa.api.dispatch.AutogradEngine;
}
