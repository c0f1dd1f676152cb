package dev.balboa.nn.data;

import dev.balboa.api.Tensor;
import dev.balboa.nn.io.internal.AtomicFiles;
import dev.balboa.nn.io.internal.BoundedFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes NumPy's {@code .npz} archives: a zip file of {@code .npy} files, one per named
 * array ({@code numpy.savez} stores them, {@code numpy.savez_compressed} deflates them). Names
 * are the entry names without the {@code .npy} suffix. Reading bounds the whole file, each
 * entry's decompressed size and the number of entries.
 */
public final class Npz {
    /** The default limit on the file and on the total decompressed size. */
    public static final long DEFAULT_MAX_BYTES = Npy.DEFAULT_MAX_BYTES;
    /** The most entries accepted. */
    public static final int MAX_ENTRIES = 100_000;

    private Npz() {}

    /** Reads every array of the {@code .npz} file at {@code path}, in archive order. */
    public static Map<String, Tensor> read(Path path) throws IOException {
        return parse(BoundedFiles.readAll(path, DEFAULT_MAX_BYTES), path.toString(), DEFAULT_MAX_BYTES);
    }

    /** Parses {@code .npz} bytes, refusing more than {@code maxBytes} of decompressed data. */
    public static Map<String, Tensor> parse(byte[] bytes, String source, long maxBytes) throws IOException {
        if (bytes.length < 4 || bytes[0] != 'P' || bytes[1] != 'K') throw new IOException(source + ": not a valid .npz file: wrong magic (expected a zip archive, PK)");
        int declared = centralDirectoryEntries(bytes, source);
        Map<String, Tensor> out = new LinkedHashMap<>();
        long total = 0;
        try (ZipInputStream zin = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            ZipEntry e;
            while ((e = zin.getNextEntry()) != null) {
                if (out.size() >= MAX_ENTRIES) throw new IOException(source + ": more than " + MAX_ENTRIES + " entries");
                String name = e.getName();
                String where = source + "[" + name + "]";
                byte[] data = BoundedFiles.readAll(zin, maxBytes - total, where);
                total += data.length;
                if (!name.endsWith(".npy")) throw new IOException(source + ": not a valid .npz file: entry '" + name + "' is not a .npy file");
                String key = name.substring(0, name.length() - 4);
                if (out.containsKey(key)) throw new IOException(source + ": not a valid .npz file: duplicate entry '" + name + "'");
                out.put(key, Npy.parse(data, where));
            }
        } catch (ZipException | java.io.EOFException ex) {
            throw new IOException(source + ": not a valid .npz file: corrupt or truncated zip data: " + ex.getMessage(), ex);
        }
        if (declared >= 0 && declared != out.size()) {
            throw new IOException(source + ": not a valid .npz file: the central directory lists " + declared
                    + " entries but " + out.size() + " were found");
        }
        return out;
    }

    /**
     * The entry count of the end-of-central-directory record (-1 when it says to look in the
     * zip64 record), or an exception when the record is missing, as in a truncated archive.
     */
    private static int centralDirectoryEntries(byte[] b, String source) throws IOException {
        int min = Math.max(0, b.length - 22 - 0xffff);
        for (int at = b.length - 22; at >= min; at--) {
            if (b[at] == 'P' && b[at + 1] == 'K' && b[at + 2] == 5 && b[at + 3] == 6) {
                int commentLen = (b[at + 20] & 0xff) | (b[at + 21] & 0xff) << 8;
                if (at + 22 + commentLen != b.length) continue;
                int count = (b[at + 10] & 0xff) | (b[at + 11] & 0xff) << 8;
                return count == 0xffff ? -1 : count;
            }
        }
        throw new IOException(source + ": not a valid .npz file: no end-of-central-directory record (truncated archive?)");
    }

    /** The bytes of a {@code .npz} archive of {@code arrays}, stored ({@code savez}) or deflated ({@code savez_compressed}). */
    public static byte[] toBytes(Map<String, Tensor> arrays, boolean compressed) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipOutputStream zos = new ZipOutputStream(bos)) {
            for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
                if (e.getKey() == null || e.getKey().isEmpty()) throw new IllegalArgumentException("Npz: array names must be non-empty");
                byte[] npy = Npy.toBytes(e.getValue());
                ZipEntry z = new ZipEntry(e.getKey() + ".npy");
                if (compressed) {
                    z.setMethod(ZipEntry.DEFLATED);
                } else {
                    CRC32 crc = new CRC32();
                    crc.update(npy);
                    z.setMethod(ZipEntry.STORED);
                    z.setSize(npy.length);
                    z.setCompressedSize(npy.length);
                    z.setCrc(crc.getValue());
                }
                zos.putNextEntry(z);
                zos.write(npy);
                zos.closeEntry();
            }
        }
        return bos.toByteArray();
    }

    /** Writes {@code arrays} as a {@code .npz} file, atomically. */
    public static void write(Path path, Map<String, Tensor> arrays, boolean compressed) throws IOException {
        byte[] bytes = toBytes(arrays, compressed);
        AtomicFiles.write(path, ch -> AtomicFiles.writeFully(ch, ByteBuffer.wrap(bytes)));
    }
}
