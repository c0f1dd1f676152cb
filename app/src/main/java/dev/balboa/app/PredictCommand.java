package dev.balboa.app;

import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import dev.balboa.nn.data.Idx;
import dev.balboa.spi.DType;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code balboa predict}: classifies images with a checkpoint. Images come from an IDX file
 * ({@code --images}, uint8 [N, 28, 28] or one [28, 28] image) or, by default, the test set, whose
 * labels are then printed beside the predictions.
 */
final class PredictCommand implements Command {

    @Override
    public String name() { return "predict"; }

    @Override
    public String summary() { return "classify images with a checkpoint"; }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("checkpoint", "FILE", "checkpoints/fashion-cnn.safetensors", "checkpoint written by train"),
                Option.value("images", "FILE", null, "IDX file of 28x28 uint8 images (default: the test set)"),
                Option.value("data", "DIR", null, "directory with the Fashion-MNIST IDX files"),
                Option.value("first", "N", "0", "index of the first image"),
                Option.value("count", "N", "10", "number of images"),
                Option.flag("no-install", "do not try to install the data set package"));
    }

    @Override
    public int run(Args args, Context ctx) throws Exception {
        args.expectNoPositional();
        FashionCnn model = EvalCommand.load(Path.of(args.get("checkpoint")));
        Tensor images, labels = null;
        if (args.has("images")) {
            images = Idx.read(Path.of(args.get("images")));
            if (images.dim() == 2) images = images.unsqueeze(0);
        } else {
            FashionMnist.Data data = FashionMnist.load(args.has("data") ? Path.of(args.get("data")) : null,
                    !args.flag("no-install"), ctx.err());
            images = data.testImages();
            labels = data.testLabels().to(DType.INT64);
        }
        if (images.dim() != 3 || images.size(1) != 28 || images.size(2) != 28) {
            throw new IllegalArgumentException("predict: expected 28x28 images, got shape " + java.util.Arrays.toString(images.shape()));
        }
        long first = args.getLong("first", 0, images.size(0) - 1);
        long count = Math.min(args.getLong("count", 1, Integer.MAX_VALUE), images.size(0) - first);
        Tensor probs;
        model.eval();
        try (var g = Grad.inference()) {
            probs = model.forward(FashionMnist.normalise(images.narrow(0, first, count))).softmax(1);
        }
        float[] p = probs.toFloatArray();
        long[] truth = labels == null ? null : labels.narrow(0, first, count).toLongArray();
        for (int i = 0; i < count; i++) {
            int best = 0;
            for (int k = 1; k < 10; k++) if (p[i * 10 + k] > p[i * 10 + best]) best = k;
            String t = truth == null ? "" : "  (label: " + FashionMnist.CLASSES.get((int) truth[i]) + ")";
            ctx.out().printf(Locale.ROOT, "image %d: %s %.1f%%%s%n", first + i, FashionMnist.CLASSES.get(best), 100 * p[i * 10 + best], t);
        }
        return 0;
    }
}
