package dev.balboa.nn.io.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Atomic file replacement: the content goes to a temporary file in the target's directory, is
 * forced to the disk, and is renamed over the target with {@code ATOMIC_MOVE}; a reader sees
 * either the old file or the complete new one, never a partial write.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes the content of a file through a channel. */
    @FunctionalInterface
    public interface Body {
        /** Writes the whole content to {@code channel}. */
        void write(FileChannel channel) throws IOException;
    }

    /**
     * Replaces {@code target} atomically with what {@code body} writes. On any failure the
     * temporary file is removed and the target is left as it was. Throws an {@link IOException}
     * that says so when the file system cannot rename atomically.
     */
    public static void write(Path target, Body body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null) throw new IOException(target + ": has no parent directory to hold a temporary file");
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                body.write(ch);
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(target + ": the file system of " + dir
                        + " cannot rename atomically, so the file was not replaced (the write was not made)", e);
            }
            done = true;
            syncDirectory(dir);
        } finally {
            if (!done) Files.deleteIfExists(tmp);
        }
    }

    /** Writes all of {@code buf} to {@code ch}. */
    public static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }

    private static void syncDirectory(Path dir) {
        // makes the rename itself durable where the platform allows opening a directory
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not supported on this platform: the rename is still atomic, only its durability is weaker
        }
    }
}
