package dev.balboa.nn.models;

import dev.balboa.nn.BatchNorm2d;
import dev.balboa.nn.Conv2d;
import dev.balboa.nn.ReLU6;
import dev.balboa.nn.Sequential;

/**
 * A convolution without bias, batch norm and ReLU6, registered as {@code 0, 1, 2} like
 * torchvision's {@code Conv2dNormActivation}; the padding {@code (kernel - 1) / 2} keeps the
 * size at stride 1.
 */
public class ConvNormActivation extends Sequential {
    /** The block from {@code in} to {@code out} channels. */
    public ConvNormActivation(int in, int out, int kernelSize, int stride, int groups) {
        super(Conv2d.builder(in, out, kernelSize).stride(stride).padding((kernelSize - 1) / 2).groups(groups).bias(false).build(),
                new BatchNorm2d(out), new ReLU6());
    }
}
