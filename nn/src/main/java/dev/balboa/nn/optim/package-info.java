/** Optimizers with parameter groups and state dicts, gradient clipping, and learning-rate schedules. */
package dev.balboa.nn.optim;
