/** Balboa's gradient engine: records ops as a dispatch layer and runs backward. */
module dev.balboa.autograd {
    requires transitive dev.balboa.api;
}
