/**
 * Balboa's neural-network library: {@link dev.balboa.nn.Module} and layers, losses, weight
 * initialisation, optimizers and learning-rate schedules, data loading and file formats,
 * checkpoints.
 */
module dev.balboa.nn {
    requires transitive dev.balboa.api;
    requires org.slf4j;

    exports dev.balboa.nn;
    exports dev.balboa.nn.optim;
    exports dev.balboa.nn.data;
    exports dev.balboa.nn.io;
    exports dev.balboa.nn.models;
}
