package dev.balboa.nn.models;

import dev.balboa.nn.BatchNorm2d;
import dev.balboa.nn.Conv2d;
import dev.balboa.nn.Init;
import dev.balboa.nn.Linear;
import dev.balboa.nn.Module;

/** The weight initialisations the vision models apply after construction, one per family. */
final class VisionInit {
    private VisionInit() {}

    /**
     * Convolutions: kaiming normal with fan_out and the ReLU gain, bias zero; batch norm:
     * weight 1, bias 0; linear layers: N(0, {@code linearStd}) and bias 0 when
     * {@code linearStd} is positive, otherwise their default initialisation is kept.
     */
    static void apply(Module root, double linearStd) {
        root.apply(m -> {
            switch (m) {
                case Conv2d c -> {
                    Init.kaimingNormal_(c.weight(), 0, Init.FanMode.FAN_OUT, "relu");
                    if (c.bias() != null) Init.zeros_(c.bias());
                }
                case BatchNorm2d bn -> {
                    Init.ones_(bn.weight());
                    Init.zeros_(bn.bias());
                }
                case Linear l when linearStd > 0 -> {
                    Init.normal_(l.weight(), 0, linearStd);
                    if (l.bias() != null) Init.zeros_(l.bias());
                }
                default -> { }
            }
        });
    }
}
