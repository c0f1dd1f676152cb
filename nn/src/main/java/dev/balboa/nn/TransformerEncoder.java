package dev.balboa.nn;

import dev.balboa.api.Tensor;
import java.util.function.Supplier;

/**
 * A stack of {@link TransformerEncoderLayer}s ({@code torch.nn.TransformerEncoder}) with an
 * optional final layer norm, named {@code layers.0 ...} and {@code norm} as in PyTorch. Each layer
 * comes from the factory and so has its own initial weights (PyTorch deep-copies one layer, so
 * its layers start equal; load a state dict to reproduce that).
 */
public class TransformerEncoder extends Module {
    private final ModuleList layers;
    private final LayerNorm norm;

    /** {@code numLayers} layers made by {@code layer}, and a final {@code norm} (may be null). */
    public TransformerEncoder(Supplier<TransformerEncoderLayer> layer, int numLayers, LayerNorm norm) {
        if (numLayers < 1) throw new IllegalArgumentException("TransformerEncoder: num_layers must be at least 1, got " + numLayers);
        layers = registerModule("layers", new ModuleList());
        for (int i = 0; i < numLayers; i++) layers.add(layer.get());
        this.norm = norm == null ? null : registerModule("norm", norm);
    }

    /** The stack applied to {@code src} without masks. */
    @Override
    public Tensor forward(Tensor src) { return forward(src, null, null); }

    /** The stack applied to {@code src}, every layer with the same {@code mask} and {@code srcKeyPaddingMask} (either may be null). */
    public Tensor forward(Tensor src, Tensor mask, Tensor srcKeyPaddingMask) {
        Tensor x = src;
        for (Module m : layers) x = ((TransformerEncoderLayer) m).forward(x, mask, srcKeyPaddingMask);
        return norm == null ? x : norm.forward(x);
    }

    /** The number of layers. */
    public int numLayers() { return layers.size(); }

    /** The i-th layer. */
    public TransformerEncoderLayer layer(int i) { return (TransformerEncoderLayer) layers.get(i); }
}
