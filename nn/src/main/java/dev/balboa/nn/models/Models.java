package dev.balboa.nn.models;

import dev.balboa.nn.Module;
import java.util.List;
import java.util.Locale;

/**
 * Builds the vision models by torchvision's names:
 * <pre>{@code
 * Module net = Models.create("resnet18", 10);
 * }</pre>
 */
public final class Models {
    private static final List<String> NAMES = List.of(
            "alexnet", "vgg11", "vgg13", "vgg16", "vgg19", "vgg11_bn", "vgg13_bn", "vgg16_bn", "vgg19_bn",
            "resnet18", "resnet34", "resnet50", "mobilenet_v2");

    private Models() {}

    /** The names {@link #create} accepts. */
    public static List<String> names() { return NAMES; }

    /** A freshly initialised model with {@code numClasses} outputs; the name is case-insensitive. */
    public static Module create(String name, int numClasses) {
        if (numClasses <= 0) throw new IllegalArgumentException("Models.create: numClasses must be positive, got " + numClasses);
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "alexnet" -> new AlexNet(numClasses);
            case "vgg11" -> new VGG(VGG.Config.A, false, numClasses);
            case "vgg13" -> new VGG(VGG.Config.B, false, numClasses);
            case "vgg16" -> new VGG(VGG.Config.D, false, numClasses);
            case "vgg19" -> new VGG(VGG.Config.E, false, numClasses);
            case "vgg11_bn" -> new VGG(VGG.Config.A, true, numClasses);
            case "vgg13_bn" -> new VGG(VGG.Config.B, true, numClasses);
            case "vgg16_bn" -> new VGG(VGG.Config.D, true, numClasses);
            case "vgg19_bn" -> new VGG(VGG.Config.E, true, numClasses);
            case "resnet18" -> ResNet.resnet18(numClasses);
            case "resnet34" -> ResNet.resnet34(numClasses);
            case "resnet50" -> ResNet.resnet50(numClasses);
            case "mobilenet_v2" -> new MobileNetV2(numClasses);
            default -> throw new IllegalArgumentException("Models.create: unknown model '" + name + "'; known: " + NAMES);
        };
    }
}
