package dev.balboa.nn.data;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Every reader rejects malformed input with a clear IOException: never an OutOfMemoryError, a hang or a silent partial read. */
class MalformedInputTest {
    interface Reader {
        Object read(byte[] b) throws IOException;
    }

    private static IOException rejects(Reader r, byte[] b, String... fragments) {
        IOException e = assertThrows(IOException.class, () -> r.read(b));
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
        return e;
    }

    private static void everyTruncationFails(Reader r, byte[] full, String what) {
        for (int len = 0; len < full.length; len++) {
            byte[] cut = Arrays.copyOf(full, len);
            try {
                Object v = r.read(cut);
                throw new AssertionError(what + " truncated to " + len + " of " + full.length + " bytes was accepted: " + v);
            } catch (IOException expected) {
                assertTrue(expected.getMessage().contains(what), expected.getMessage());
            }
        }
    }

    private static Reader idx() { return b -> Idx.parse(b, "x.idx", Idx.DEFAULT_MAX_BYTES); }

    private static Reader npy() { return b -> Npy.parse(b, "x.npy"); }

    private static Reader npz() { return b -> Npz.parse(b, "x.npz", Npz.DEFAULT_MAX_BYTES); }

    @Test
    void idxTruncatedAtEveryOffset() throws Exception {
        everyTruncationFails(idx(), Fixtures.bytes("images-idx3-ubyte"), "x.idx");
        everyTruncationFails(idx(), Fixtures.bytes("images-idx3-ubyte.gz"), "x.idx");
        everyTruncationFails(idx(), Fixtures.bytes("floats-idx2-float"), "x.idx");
    }

    private static byte[] idxHeader(int code, int... dims) {
        ByteBuffer bb = ByteBuffer.allocate(4 + 4 * dims.length).order(ByteOrder.BIG_ENDIAN);
        bb.put((byte) 0).put((byte) 0).put((byte) code).put((byte) dims.length);
        for (int d : dims) bb.putInt(d);
        return bb.array();
    }

    @Test
    void idxBadHeaders() throws Exception {
        rejects(idx(), new byte[] {1, 0, 8, 1, 0, 0, 0, 0}, "wrong magic");
        rejects(idx(), idxHeader(0x0A, 1), "unknown type code 0x0a");
        rejects(idx(), idxHeader(0x08, -5), "negative");
        rejects(idx(), idxHeader(0x08, 60000, 28, 28), "truncated data", "47040000");
        rejects(idx(), idxHeader(0x0D, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE), "elements");
        byte[] extra = Arrays.copyOf(idxHeader(0x08, 2), 8 + 3);
        rejects(idx(), extra, "trailing data");
        byte[] rank = new byte[] {0, 0, 8, (byte) 200};
        rejects(idx(), rank, "rank 200");
    }

    @Test
    void idxGzipBombIsCapped() throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(idxHeader(0x08, 1 << 24));
            gz.write(new byte[1 << 24]);
        }
        IOException e = assertThrows(IOException.class, () -> Idx.parse(bos.toByteArray(), "bomb.gz", 1 << 20));
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
        rejects(idx(), new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0}, "gzip");
    }

    @Test
    void npyTruncatedAtEveryOffset() {
        for (String f : new String[] {"f4_2x3.npy", "v2_f4_2x5.npy", "v3_f4_2x5.npy", "fortran_i4_2x3x4.npy", "f8_scalar.npy"}) {
            everyTruncationFails(npy(), Fixtures.bytes(f), "x.npy");
        }
    }

    private static byte[] npyWith(String header, int version, int declaredLen, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        int pre = version == 1 ? 10 : 12;
        ByteBuffer bb = ByteBuffer.allocate(pre + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        if (version == 1) bb.putShort((short) declaredLen);
        else bb.putInt(declaredLen);
        bb.put(h);
        return bb.array();
    }

    @Test
    void npyBadHeaders() throws Exception {
        String ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n";
        Npy.parse(fixLen(npyWith(ok, 1, ok.length(), 8)), "ok"); // the helper builds valid files when asked
        byte[] wrongMagic = npyWith(ok, 1, ok.length(), 8);
        wrongMagic[1] = 'X';
        rejects(npy(), wrongMagic, "wrong magic");
        rejects(npy(), npyWith(ok, 1, 60000, 8), "larger than the");
        rejects(npy(), npyWith(ok, 2, Integer.MAX_VALUE, 8), "larger than the limit");
        rejects(npy(), npyWith(ok, 2, -1, 8), "larger than the limit");
        rejects(npy(), npyWith(ok, 4, ok.length(), 8), "unsupported format version 4.0");
        rejects(npy(), fixLen(npyWith(ok.replace("(2,)", "(-2,)"), 1, 0, 8)), "non-negative");
        rejects(npy(), fixLen(npyWith(ok.replace("(2,)", "(4294967296, 4294967296)"), 1, 0, 8)), "elements");
        rejects(npy(), fixLen(npyWith(ok.replace("(2,)", "(99999999999999999999999,)"), 1, 0, 8)), "invalid integer");
        rejects(npy(), fixLen(npyWith(ok.replace("(2,)", "(3,)"), 1, 0, 8)), "truncated data", "needs 12 bytes");
        rejects(npy(), fixLen(npyWith(ok.replace("<f4", "<c8"), 1, 0, 8)), "unsupported dtype '<c8'");
        rejects(npy(), fixLen(npyWith("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", 1, 0, 8)), "structured");
        rejects(npy(), fixLen(npyWith("{'descr': '<f4', 'shape': (2,)", 1, 0, 8)), "malformed header");
        rejects(npy(), fixLen(npyWith("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", 1, 0, 8)), "duplicate key");
        rejects(npy(), fixLen(npyWith("(".repeat(5000), 1, 0, 8)), "malformed header");
    }

    /** Sets the declared header length of a version-1 file to the real one. */
    private static byte[] fixLen(byte[] b) {
        // the header runs from byte 10 to the data; the data is the trailing 8 bytes
        int len = b.length - 10 - 8;
        b[8] = (byte) len;
        b[9] = (byte) (len >>> 8);
        return b;
    }

    @Test
    void npzTruncatedAtEveryOffset() {
        everyTruncationFails(npz(), Fixtures.bytes("stored.npz"), "x.npz");
        everyTruncationFails(npz(), Fixtures.bytes("deflated.npz"), "x.npz");
    }

    @Test
    void npzOtherDamage() throws Exception {
        rejects(npz(), "not a zip at all".getBytes(StandardCharsets.US_ASCII), "wrong magic");
        byte[] b = Fixtures.bytes("deflated.npz");
        byte[] flipped = b.clone();
        for (int i = 60; i < 100 && i < b.length; i++) flipped[i] ^= 0x5a;
        rejects(npz(), flipped, "x.npz");
    }

    @Test
    void csvErrorsNameLineAndColumn() {
        Csv.Options o = Csv.Options.defaults();
        Reader csv = b -> Csv.parse(new String(b, StandardCharsets.UTF_8), o, "x.csv");
        rejects(csv, "1,2\n3\n".getBytes(StandardCharsets.UTF_8), "line 2 has 1 fields, expected 2");
        rejects(csv, "1,2\n3,abc\n".getBytes(StandardCharsets.UTF_8), "line 2, column 2", "abc");
        rejects(csv, "1,\"2\n".getBytes(StandardCharsets.UTF_8), "unterminated quoted field");
        rejects(csv, "1,\"2\"x\n".getBytes(StandardCharsets.UTF_8), "after a closing quote");
        rejects(csv, "1,2\"3\n".getBytes(StandardCharsets.UTF_8), "quote inside an unquoted field");
        rejects(csv, "1,0x10\n".getBytes(StandardCharsets.UTF_8), "is not a number");
        rejects(csv, "1,2f\n".getBytes(StandardCharsets.UTF_8), "is not a number");
    }
}
