package dev.balboa.app;

import dev.balboa.api.Generator;
import dev.balboa.api.Grad;
import dev.balboa.api.Tensor;
import dev.balboa.nn.Loss;
import dev.balboa.nn.data.Batch;
import dev.balboa.nn.data.DataLoader;
import dev.balboa.nn.data.TensorDataset;
import dev.balboa.nn.io.Checkpoint;
import dev.balboa.nn.optim.Adam;
import dev.balboa.nn.optim.CosineAnnealingLR;
import dev.balboa.nn.optim.LRScheduler;
import dev.balboa.nn.optim.Optimizer;
import dev.balboa.spi.DType;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code balboa train}: trains {@link FashionCnn} on Fashion-MNIST with Adam (learning rate
 * annealed per step on a cosine from {@code --lr} to 0 unless {@code --schedule constant}), showing a progress
 * bar per epoch, evaluating test accuracy after each epoch and writing a checkpoint atomically.
 */
final class TrainCommand implements Command {

    @Override
    public String name() { return "train"; }

    @Override
    public String summary() { return "train the Fashion-MNIST CNN and write a checkpoint"; }

    @Override
    public String description() {
        return "Data: --data DIR with the four IDX files (raw or .gz), else /usr/share/datasets/fashion-mnist\n"
                + "(the Debian package dataset-fashion-mnist, installed with apt-get when run as root), else a\n"
                + "subset of 3,000 training and 1,000 test images shipped with Balboa. Prints one summary line\n"
                + "per epoch and saves model, optimizer, epoch and generator state to --checkpoint.";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("data", "DIR", null, "directory with the Fashion-MNIST IDX files"),
                Option.value("epochs", "N", "2", "training epochs"),
                Option.value("batch", "N", "64", "batch size"),
                Option.value("lr", "X", "0.002", "Adam learning rate (the peak of the schedule)"),
                Option.value("schedule", "NAME", "cosine", "learning rate over the run: cosine (annealed to 0 by the last step) or constant"),
                Option.value("seed", "N", "0", "seed of initialisation and shuffling"),
                Option.value("workers", "N", "1", "data-loading threads"),
                Option.value("limit", "N", null, "use only the first N training images"),
                Option.value("checkpoint", "FILE", "checkpoints/fashion-cnn.safetensors", "where to save the checkpoint"),
                Option.flag("no-install", "do not try to install the data set package"));
    }

    @Override
    public int run(Args args, Context ctx) throws Exception {
        args.expectNoPositional();
        int epochs = args.getInt("epochs", 1, 1000), batch = args.getInt("batch", 1, 65536);
        int workers = args.getInt("workers", 0, 64);
        long seed = args.getLong("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        double lr = Double.parseDouble(args.get("lr"));
        String schedule = args.get("schedule");
        if (!schedule.equals("cosine") && !schedule.equals("constant")) {
            throw new UsageException("train", "option --schedule must be cosine or constant, got '" + schedule + "'");
        }
        Path checkpoint = Path.of(args.get("checkpoint"));

        FashionMnist.Data data = FashionMnist.load(args.has("data") ? Path.of(args.get("data")) : null,
                !args.flag("no-install"), ctx.err());
        Tensor xtr = FashionMnist.normalise(data.trainImages()), ytr = data.trainLabels().to(DType.INT64);
        if (args.has("limit")) {
            long n = Math.min(args.getLong("limit", 1, Integer.MAX_VALUE), xtr.size(0));
            xtr = xtr.narrow(0, 0, n).contiguous();
            ytr = ytr.narrow(0, 0, n).contiguous();
        }
        Tensor xte = FashionMnist.normalise(data.testImages()), yte = data.testLabels().to(DType.INT64);
        ctx.out().printf(Locale.ROOT, "data: %s (%,d training, %,d test images)%n", data.source(), xtr.size(0), xte.size(0));

        Generator.manualSeed(seed);
        FashionCnn model = new FashionCnn();
        ctx.out().println(model);
        Optimizer opt = new Adam(model.parameters(), new Adam.Options().lr(lr));
        Generator shuffle = new Generator(seed + 1);
        long step = 0;
        try (DataLoader<List<Tensor>, Batch> loader = DataLoader.builder(new TensorDataset(xtr, ytr))
                .batchSize(batch).shuffle(true).generator(shuffle).workers(workers).build()) {
            long totalSteps = (long) epochs * loader.numBatches();
            LRScheduler scheduler = schedule.equals("cosine")
                    ? new CosineAnnealingLR(opt, (int) Math.min(Integer.MAX_VALUE, totalSteps), 0.0) : null;
            for (int epoch = 1; epoch <= epochs; epoch++) {
                model.train();
                Progress bar = new Progress(ctx.out(), String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs), loader.numBatches());
                double lossSum = 0;
                long images = 0;
                int done = 0;
                for (Batch b : loader) {
                    Tensor x = b.get(0), y = b.get(1);
                    Tensor loss = Loss.crossEntropy(model.forward(x), y);
                    opt.zeroGrad(true);
                    loss.backward();
                    opt.step();
                    if (scheduler != null) scheduler.step();
                    step++;
                    long n = x.size(0);
                    lossSum += loss.item() * n;
                    images += n;
                    bar.update(++done, images, lossSum / images);
                }
                double seconds = bar.seconds();
                double accuracy = accuracy(model, xte, yte);
                ctx.out().printf(Locale.ROOT,
                        "{\"epoch\": %d, \"train_seconds\": %.2f, \"images_per_s\": %.1f, \"loss\": %.4f, \"test_accuracy\": %.4f}%n",
                        epoch, seconds, images / seconds, lossSum / images, accuracy);
                Optimizer.FlatState flat = Optimizer.flatten(opt.stateDict());
                Path parent = checkpoint.toAbsolutePath().getParent();
                if (parent != null) java.nio.file.Files.createDirectories(parent);
                Checkpoint.Builder ck = Checkpoint.builder();
                if (scheduler != null) ck.scheduler(scheduler.stateDict());
                ck.model(model).optimizer(flat.tensors(), flat.meta()).epoch(epoch).step(step)
                        .generator("shuffle", shuffle).metadata("test_accuracy", accuracy).metadata("model", "FashionCnn")
                        .build().save(checkpoint);
                ctx.out().println("checkpoint: " + checkpoint);
            }
        }
        return 0;
    }

    /** Fraction of correctly classified images, evaluated in batches of 1000 without recording gradients. */
    static double accuracy(FashionCnn model, Tensor images, Tensor labels) {
        model.eval();
        long correct = 0, n = images.size(0);
        try (var g = Grad.inference()) {
            for (long i = 0; i < n; i += 1000) {
                long len = Math.min(1000, n - i);
                Tensor pred = model.forward(images.narrow(0, i, len)).argmax(1, false);
                correct += pred.eq(labels.narrow(0, i, len)).sum().itemLong();
            }
        }
        return n == 0 ? 0 : (double) correct / n;
    }
}
