package dev.balboa.nn.io.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Reads whole files and streams with a cap on their size, so hostile input cannot exhaust memory. */
public final class BoundedFiles {
    private BoundedFiles() {}

    /** The contents of {@code path}, or an exception when it is larger than {@code maxBytes}. */
    public static byte[] readAll(Path path, long maxBytes) throws IOException {
        long size = Files.size(path);
        long cap = Math.min(maxBytes, RawTensors.MAX_ELEMENTS);
        if (size > cap) throw new IOException(path + ": the file is " + size + " bytes, more than the limit of " + cap + " bytes");
        try (InputStream in = Files.newInputStream(path)) {
            return readAll(in, cap, path.toString());
        }
    }

    /** Whether {@code bytes} start with the gzip magic {@code 1f 8b}. */
    public static boolean isGzip(byte[] bytes) {
        return bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
    }

    /** The decompressed contents of gzip {@code bytes}, at most {@code maxBytes} of them. */
    public static byte[] gunzip(byte[] bytes, long maxBytes, String source) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return readAll(in, Math.min(maxBytes, RawTensors.MAX_ELEMENTS), source + " (gzip)");
        } catch (ZipException | EOFException e) {
            throw new IOException(source + ": corrupt or truncated gzip data: " + e.getMessage(), e);
        }
    }

    /**
     * Everything {@code in} yields, at most {@code maxBytes}; the buffer grows with the data
     * actually read, never with a size claimed by the input.
     */
    public static byte[] readAll(InputStream in, long maxBytes, String source) throws IOException {
        byte[] buf = new byte[8192];
        int n = 0;
        while (true) {
            if (n == buf.length) {
                if (n >= maxBytes) {
                    if (in.read() < 0) return buf;
                    throw new IOException(source + ": more than the limit of " + maxBytes + " bytes");
                }
                buf = Arrays.copyOf(buf, (int) Math.min(maxBytes, (long) buf.length * 2));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) return n == buf.length ? buf : Arrays.copyOf(buf, n);
            n += r;
        }
    }
}
