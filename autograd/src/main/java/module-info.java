/**
 * Balboa's gradient engine: records every op as a dispatch layer while grad mode is on, and runs
 * backward (higher-order gradients, hooks, custom functions, anomaly detection, gradcheck).
 * Without this module on the module path, inference works and backward() says it is missing.
 */
module dev.balboa.autograd {
    requires transitive dev.balboa.api;

    exports dev.balboa.autograd;

    provides dev.balboa.api.dispatch.DispatchLayer with dev.balboa.autograd.internal.AutogradLayer;
    provides dev.balboa.api.dispatch.AutogradEngine with dev.balboa.autograd.internal.Engine;
}
