/**
 * safetensors files ({@link dev.balboa.nn.io.SafeTensors}, validated and memory-mapped) and
 * atomic training checkpoints ({@link dev.balboa.nn.io.Checkpoint}).
 */
package dev.balboa.nn.io;
