/** Balboa's neural-network library: modules, layers, losses, optimizers, data and checkpoints. */
module dev.balboa.nn {
    requires transitive dev.balboa.api;
}
