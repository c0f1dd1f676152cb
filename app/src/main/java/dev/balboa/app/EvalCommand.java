package dev.balboa.app;

import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import dev.balboa.nn.io.Checkpoint;
import dev.balboa.spi.DType;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code balboa eval}: loads a checkpoint and reports test accuracy, overall and per class. */
final class EvalCommand implements Command {

    @Override
    public String name() { return "eval"; }

    @Override
    public String summary() { return "evaluate a checkpoint on the Fashion-MNIST test set"; }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("checkpoint", "FILE", "checkpoints/fashion-cnn.safetensors", "checkpoint written by train"),
                Option.value("data", "DIR", null, "directory with the Fashion-MNIST IDX files"),
                Option.flag("no-install", "do not try to install the data set package"));
    }

    @Override
    public int run(Args args, Context ctx) throws Exception {
        args.expectNoPositional();
        FashionCnn model = load(Path.of(args.get("checkpoint")));
        FashionMnist.Data data = FashionMnist.load(args.has("data") ? Path.of(args.get("data")) : null,
                !args.flag("no-install"), ctx.err());
        Tensor x = FashionMnist.normalise(data.testImages()), y = data.testLabels().to(DType.INT64);
        long[] correct = new long[10], count = new long[10];
        model.eval();
        try (var g = Grad.inference()) {
            for (long i = 0; i < x.size(0); i += 1000) {
                long len = Math.min(1000, x.size(0) - i);
                long[] pred = model.forward(x.narrow(0, i, len)).argmax(1, false).toLongArray();
                long[] truth = y.narrow(0, i, len).toLongArray();
                for (int k = 0; k < pred.length; k++) {
                    count[(int) truth[k]]++;
                    if (pred[k] == truth[k]) correct[(int) truth[k]]++;
                }
            }
        }
        long c = 0, n = 0;
        for (int k = 0; k < 10; k++) {
            c += correct[k];
            n += count[k];
            ctx.out().printf(Locale.ROOT, "  %-12s %6.2f%% (%d/%d)%n", FashionMnist.CLASSES.get(k),
                    count[k] == 0 ? 0 : 100.0 * correct[k] / count[k], correct[k], count[k]);
        }
        ctx.out().printf(Locale.ROOT, "test accuracy: %.4f (%d/%d, %s)%n", n == 0 ? 0 : (double) c / n, c, n, data.source());
        return 0;
    }

    /** The model stored in a checkpoint written by {@code train}. */
    static FashionCnn load(Path path) throws java.io.IOException {
        Checkpoint c = Checkpoint.load(path);
        FashionCnn model = new FashionCnn();
        model.loadStateDict(c.model(), true);
        return model;
    }
}
