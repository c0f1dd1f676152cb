package dev.balboa.app;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar for an epoch: batches done, running loss, images per second and the
 * time left. On a terminal it redraws in place; otherwise it prints a line every tenth of the epoch.
 */
final class Progress {
    private final PrintStream out;
    private final String label;
    private final int total;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private int lastDecile = -1;

    Progress(PrintStream out, String label, int total) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.terminal = System.console() != null && System.getenv("CI") == null;
    }

    /** Reports that {@code done} batches ({@code images} images) are finished with the given mean loss. */
    void update(int done, long images, double loss) {
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = images / Math.max(seconds, 1e-9);
        double eta = done == 0 ? 0 : seconds * (total - done) / done;
        int width = 30, filled = (int) ((long) width * done / Math.max(total, 1));
        String bar = "=".repeat(filled) + (filled < width ? ">" : "") + " ".repeat(Math.max(0, width - filled - 1));
        String line = String.format(Locale.ROOT, "%s [%s] %d/%d loss %.4f %,.0f img/s ETA %s", label, bar, done, total, loss,
                rate, clock(eta));
        if (terminal) {
            out.print("\r" + line);
            if (done == total) out.println();
            out.flush();
        } else {
            int decile = (int) (10L * done / Math.max(total, 1));
            if (decile != lastDecile || done == total) {
                lastDecile = decile;
                out.println(line);
            }
        }
    }

    /** Seconds since the bar was created. */
    double seconds() { return (System.nanoTime() - start) / 1e9; }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
