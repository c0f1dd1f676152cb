/** safetensors files and atomic training checkpoints. */
package dev.balboa.nn.io;
