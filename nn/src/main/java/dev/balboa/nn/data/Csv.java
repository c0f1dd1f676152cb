package dev.balboa.nn.data;

import dev.balboa.api.Tensor;
import dev.balboa.nn.io.internal.AtomicFiles;
import dev.balboa.nn.io.internal.BoundedFiles;
import dev.balboa.nn.io.internal.RawTensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads and writes numeric CSV files as float32 tensors {@code [rows, columns]}. Fields follow
 * RFC 4180: separated by a delimiter, optionally enclosed in double quotes (inside which the
 * delimiter and line breaks are literal and {@code ""} is one quote), records ending in LF or
 * CRLF. Blank lines are skipped. Empty fields and {@code NA}, {@code N/A}, {@code NaN},
 * {@code nan}, {@code null} are missing values and read as NaN; {@code inf}, {@code Infinity}
 * (with a sign) are infinities. Every record must have as many fields as the first; errors name
 * the line and column.
 */
public final class Csv {
    /** The default limit on a file's size: 1 GiB. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    private Csv() {}

    /**
     * How to read a file.
     *
     * @param header    whether the first record holds column names
     * @param delimiter the field separator (not a quote, CR or LF)
     * @param maxBytes  the largest file accepted
     */
    public record Options(boolean header, char delimiter, long maxBytes) {
        /** Checks the delimiter. */
        public Options {
            if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
                throw new IllegalArgumentException("Csv: the delimiter cannot be a quote or a line break");
            }
        }

        /** Comma-separated, no header, {@link #DEFAULT_MAX_BYTES}. */
        public static Options defaults() { return new Options(false, ',', DEFAULT_MAX_BYTES); }

        /** These options with or without a header line. */
        public Options withHeader(boolean header) { return new Options(header, delimiter, maxBytes); }

        /** These options with another delimiter. */
        public Options withDelimiter(char delimiter) { return new Options(header, delimiter, maxBytes); }
    }

    /**
     * A parsed file.
     *
     * @param columns the column names (empty without a header)
     * @param values  the values, float32 {@code [rows, columns]}
     */
    public record Table(List<String> columns, Tensor values) {}

    /** Reads the file at {@code path} into a float32 tensor. */
    public static Tensor read(Path path, Options options) throws IOException { return readTable(path, options).values(); }

    /** Reads the file at {@code path} with its column names. */
    public static Table readTable(Path path, Options options) throws IOException {
        byte[] bytes = BoundedFiles.readAll(path, options.maxBytes());
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(path + ": not valid UTF-8 text");
        }
        return parse(text, options, path.toString());
    }

    /** Parses CSV {@code text}; {@code source} names it in errors. */
    public static Table parse(String text, Options options, String source) throws IOException {
        Parser p = new Parser(text, options.delimiter(), source);
        List<String> columns = List.of();
        if (options.header()) {
            List<String> h = p.record();
            if (h == null) throw new IOException(source + ": empty CSV file (expected a header line)");
            columns = List.copyOf(h);
        }
        int width = columns.isEmpty() ? -1 : columns.size();
        float[] values = new float[1024];
        int n = 0, rows = 0;
        List<String> rec;
        while ((rec = p.record()) != null) {
            if (width < 0) width = rec.size();
            if (rec.size() != width) {
                throw new IOException(source + ": line " + p.recordLine + " has " + rec.size() + " fields, expected " + width
                        + (options.header() ? " (the header's count)" : " (the first record's count)"));
            }
            if ((long) n + width > RawTensors.MAX_ELEMENTS) throw new IOException(source + ": more than " + RawTensors.MAX_ELEMENTS + " values");
            if (n + width > values.length) values = Arrays.copyOf(values, (int) Math.min(RawTensors.MAX_ELEMENTS, Math.max((long) n + width, 2L * values.length)));
            for (int c = 0; c < width; c++) values[n++] = number(rec.get(c), source, p.recordLine, c + 1);
            rows++;
        }
        if (width < 0) width = 0;
        return new Table(columns, Tensor.of(Arrays.copyOf(values, n), rows, width));
    }

    private static float number(String field, String source, int line, int column) throws IOException {
        String s = field.strip();
        switch (s) {
            case "", "NA", "N/A", "NaN", "nan", "NAN", "null" -> { return Float.NaN; }
            case "inf", "+inf", "Infinity", "+Infinity", "INF" -> { return Float.POSITIVE_INFINITY; }
            case "-inf", "-Infinity", "-INF" -> { return Float.NEGATIVE_INFINITY; }
            default -> { }
        }
        boolean ok = s.length() <= 64;
        for (int i = 0; ok && i < s.length(); i++) {
            char ch = s.charAt(i);
            ok = (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '+' || ch == 'e' || ch == 'E';
        }
        if (ok) {
            try {
                return Float.parseFloat(s);
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        String shown = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        throw new IOException(source + ": line " + line + ", column " + column + ": \"" + shown + "\" is not a number");
    }

    private static final class Parser {
        private final String s;
        private final char delim;
        private final String source;
        private int i;
        private int line = 1;
        int recordLine;

        Parser(String s, char delim, String source) {
            this.s = s.startsWith("\uFEFF") ? s.substring(1) : s;
            this.delim = delim;
            this.source = source;
        }

        /** The next non-blank record, or null at the end. */
        List<String> record() throws IOException {
            while (i < s.length() && (s.charAt(i) == '\n' || s.charAt(i) == '\r')) {
                if (s.charAt(i) == '\n') line++;
                i++;
            }
            if (i >= s.length()) return null;
            recordLine = line;
            List<String> fields = new ArrayList<>();
            while (true) {
                fields.add(field());
                if (i >= s.length()) return fields;
                char c = s.charAt(i);
                if (c == delim) {
                    i++;
                    if (i >= s.length()) { fields.add(""); return fields; }
                    continue;
                }
                // end of record: LF or CRLF
                if (c == '\r') i++;
                if (i < s.length() && s.charAt(i) == '\n') {
                    i++;
                    line++;
                }
                return fields;
            }
        }

        private String field() throws IOException {
            int start = i;
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t') && s.charAt(i) != delim) i++;
            if (i < s.length() && s.charAt(i) == '"') {
                int openLine = line;
                i++;
                StringBuilder sb = new StringBuilder();
                while (true) {
                    if (i >= s.length()) throw new IOException(source + ": line " + openLine + ": unterminated quoted field");
                    char c = s.charAt(i++);
                    if (c == '"') {
                        if (i < s.length() && s.charAt(i) == '"') {
                            sb.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        if (c == '\n') line++;
                        sb.append(c);
                    }
                }
                while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t') && s.charAt(i) != delim) i++;
                if (i < s.length() && s.charAt(i) != delim && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
                    throw new IOException(source + ": line " + line + ": unexpected character '" + s.charAt(i) + "' after a closing quote");
                }
                return sb.toString();
            }
            i = start;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == delim || c == '\n' || c == '\r') break;
                if (c == '"') throw new IOException(source + ": line " + line + ": a quote inside an unquoted field (quote the whole field)");
                i++;
            }
            return s.substring(start, i);
        }
    }

    /**
     * The CSV text of {@code values} (1-D as one column, or 2-D), with an optional header line
     * (null or empty for none); floats are written in the shortest form that reads back exactly,
     * NaN as {@code NaN}.
     */
    public static String format(Tensor values, List<String> columns, char delimiter) {
        if (values.dim() != 1 && values.dim() != 2) {
            throw new IllegalArgumentException("Csv: expected a 1-D or 2-D tensor, got shape " + Arrays.toString(values.shape()));
        }
        int rows = (int) values.size(0), cols = values.dim() == 1 ? 1 : (int) values.size(1);
        if (columns != null && !columns.isEmpty() && columns.size() != cols) {
            throw new IllegalArgumentException("Csv: " + columns.size() + " column names for " + cols + " columns");
        }
        boolean exact = values.dtype().isIntegral() || values.dtype() == dev.balboa.spi.DType.BOOL;
        StringBuilder sb = new StringBuilder();
        if (columns != null && !columns.isEmpty()) {
            for (int c = 0; c < cols; c++) {
                if (c > 0) sb.append(delimiter);
                sb.append(quote(columns.get(c), delimiter));
            }
            sb.append('\n');
        }
        long[] ints = exact ? values.toLongArray() : null;
        double[] dbl = exact ? null : values.toDoubleArray();
        boolean single = values.dtype() != dev.balboa.spi.DType.FLOAT64;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (c > 0) sb.append(delimiter);
                int k = r * cols + c;
                if (exact) sb.append(ints[k]);
                else if (single) sb.append(Float.toString((float) dbl[k]));
                else sb.append(Double.toString(dbl[k]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String quote(String name, char delimiter) {
        if (name.indexOf(delimiter) < 0 && name.indexOf('"') < 0 && name.indexOf('\n') < 0 && name.indexOf('\r') < 0) return name;
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** Writes {@code values} as a CSV file (see {@link #format}), atomically. */
    public static void write(Path path, Tensor values, List<String> columns, char delimiter) throws IOException {
        byte[] bytes = format(values, columns, delimiter).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(path, ch -> AtomicFiles.writeFully(ch, ByteBuffer.wrap(bytes)));
    }
}
