package dev.balboa.app;

import dev.balboa.api.Tensor;
import dev.balboa.nn.data.Idx;
import dev.balboa.spi.DType;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds and loads Fashion-MNIST: a directory given with {@code --data}, else the Debian package
 * {@code dataset-fashion-mnist} (installed on demand where apt-get can run), else the small
 * subset shipped inside this module (3,000 training and 1,000 test images).
 */
final class FashionMnist {
    /** Where the Debian package puts the files. */
    static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** The class names, by label. */
    static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
            "Sneaker", "Bag", "Ankle boot");
    /** Mean and standard deviation of the training pixels scaled to [0, 1]. */
    static final double MEAN = 0.2860, STD = 0.3530;
    private static final String SUBSET = "fashion-mnist-subset/";

    /**
     * The four tensors of the data set and where they came from.
     *
     * @param trainImages uint8 [N, 28, 28]
     * @param trainLabels uint8 [N]
     * @param testImages  uint8 [M, 28, 28]
     * @param testLabels  uint8 [M]
     * @param source      a description of the location
     */
    record Data(Tensor trainImages, Tensor trainLabels, Tensor testImages, Tensor testLabels, String source) {}

    private FashionMnist() {}

    /** Loads from {@code dir} when given, else from the Debian package (installing it if allowed), else the shipped subset. */
    static Data load(Path dir, boolean install, PrintStream log) throws IOException {
        if (dir != null) {
            if (!Files.isDirectory(dir)) throw new IOException("--data " + dir + " is not a directory");
            return fromDirectory(dir);
        }
        if (!complete(DEBIAN_DIR) && install) tryInstall(log);
        if (complete(DEBIAN_DIR)) return fromDirectory(DEBIAN_DIR);
        log.println("Fashion-MNIST is not installed (Debian package dataset-fashion-mnist); using the shipped subset "
                + "of 3,000 training and 1,000 test images");
        return new Data(resource("train-images-idx3-ubyte.gz"), resource("train-labels-idx1-ubyte.gz"),
                resource("t10k-images-idx3-ubyte.gz"), resource("t10k-labels-idx1-ubyte.gz"), "shipped subset");
    }

    private static boolean complete(Path dir) {
        for (String f : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                "t10k-labels-idx1-ubyte.gz")) {
            if (!Files.isRegularFile(dir.resolve(f))) return false;
        }
        return true;
    }

    private static void tryInstall(PrintStream log) {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path aptGet = Path.of("/usr/bin/apt-get");
        if (!root || !Files.isExecutable(aptGet)) return;
        log.println("installing the Debian package dataset-fashion-mnist ...");
        try {
            Process p = new ProcessBuilder(aptGet.toString(), "install", "-y", "-q", "dataset-fashion-mnist")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                log.println("apt-get did not finish in 10 minutes");
            } else if (p.exitValue() != 0) {
                log.println("apt-get install failed with status " + p.exitValue());
            }
        } catch (IOException e) {
            log.println("apt-get could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Data fromDirectory(Path dir) throws IOException {
        return new Data(Idx.read(find(dir, "train-images-idx3-ubyte")), Idx.read(find(dir, "train-labels-idx1-ubyte")),
                Idx.read(find(dir, "t10k-images-idx3-ubyte")), Idx.read(find(dir, "t10k-labels-idx1-ubyte")), dir.toString());
    }

    private static Path find(Path dir, String name) throws IOException {
        for (String candidate : List.of(name + ".gz", name)) {
            if (Files.isRegularFile(dir.resolve(candidate))) return dir.resolve(candidate);
        }
        throw new IOException("no " + name + "(.gz) in " + dir);
    }

    private static Tensor resource(String name) throws IOException {
        try (InputStream in = FashionMnist.class.getResourceAsStream(SUBSET + name)) {
            if (in == null) throw new IOException("the shipped subset lacks " + name);
            return Idx.parse(in.readAllBytes(), SUBSET + name, Idx.DEFAULT_MAX_BYTES);
        }
    }

    /** uint8 images [N, 28, 28] as normalised float32 [N, 1, 28, 28]. */
    static Tensor normalise(Tensor images) {
        return images.to(DType.FLOAT32).div(255.0).sub(MEAN).div(STD).unsqueeze(1);
    }
}
