package dev.balboa.autograd.internal;

/** A gradient edge: which input slot of which node a gradient flows into. */
record Edge(Node node, int inputNr) {}
