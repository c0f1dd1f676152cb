package dev.balboa.nn.io.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON (RFC 8259) reader and writer for file headers and checkpoint metadata. Objects
 * become {@link LinkedHashMap}s (in file order, duplicate keys rejected), arrays {@link List}s,
 * integers without fraction or exponent {@link Long}s, other numbers {@link Double}s. Nesting is
 * limited so that hostile input cannot overflow the stack.
 */
public final class Json {
    /** The deepest nesting of arrays and objects accepted. */
    public static final int MAX_DEPTH = 256;

    private final String s;
    private final String source;
    private int i;

    private Json(String s, String source) {
        this.s = s;
        this.source = source;
    }

    /** Parses {@code text}; errors name {@code source} (a file name) and the character offset. */
    public static Object parse(String text, String source) {
        Json j = new Json(text, source);
        Object v = j.value(0);
        j.ws();
        if (j.i != text.length()) throw j.error("unexpected characters after the JSON value");
        return v;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(source + ": malformed JSON: " + what + " at offset " + i);
    }

    private void ws() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
            i++;
        }
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
        ws();
        if (i >= s.length()) throw error("unexpected end of input");
        char c = s.charAt(i);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, i)) throw error("invalid literal");
        i += word.length();
        return v;
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> out = new LinkedHashMap<>();
        i++;
        ws();
        if (i < s.length() && s.charAt(i) == '}') {
            i++;
            return out;
        }
        while (true) {
            ws();
            if (i >= s.length() || s.charAt(i) != '"') throw error("expected a string key");
            int at = i;
            String key = string();
            ws();
            if (i >= s.length() || s.charAt(i) != ':') throw error("expected ':'");
            i++;
            Object v = value(depth + 1);
            if (out.containsKey(key)) {
                i = at;
                throw error("duplicate key \"" + key + "\"");
            }
            out.put(key, v);
            ws();
            if (i >= s.length()) throw error("unterminated object");
            char c = s.charAt(i++);
            if (c == '}') return out;
            if (c != ',') throw error("expected ',' or '}'");
        }
    }

    private List<Object> array(int depth) {
        List<Object> out = new ArrayList<>();
        i++;
        ws();
        if (i < s.length() && s.charAt(i) == ']') {
            i++;
            return out;
        }
        while (true) {
            out.add(value(depth + 1));
            ws();
            if (i >= s.length()) throw error("unterminated array");
            char c = s.charAt(i++);
            if (c == ']') return out;
            if (c != ',') throw error("expected ',' or ']'");
        }
    }

    private String string() {
        i++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (i >= s.length()) throw error("unterminated string");
            char c = s.charAt(i++);
            if (c == '"') return sb.toString();
            if (c < 0x20) throw error("control character in string");
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (i >= s.length()) throw error("unterminated escape");
            char e = s.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (i + 4 > s.length()) throw error("truncated \\u escape");
                    int cp = 0;
                    for (int k = 0; k < 4; k++) {
                        int d = Character.digit(s.charAt(i++), 16);
                        if (d < 0) throw error("invalid \\u escape");
                        cp = cp * 16 + d;
                    }
                    sb.append((char) cp);
                }
                default -> throw error("invalid escape '\\" + e + "'");
            }
        }
    }

    private Object number() {
        int start = i;
        if (s.charAt(i) == '-') i++;
        if (i >= s.length()) throw error("truncated number");
        if (s.charAt(i) == '0') i++;
        else if (!digits()) throw error("invalid number");
        boolean integral = true;
        if (i < s.length() && s.charAt(i) == '.') {
            i++;
            integral = false;
            if (!digits()) throw error("invalid number: digits expected after '.'");
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            integral = false;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
            if (!digits()) throw error("invalid number: digits expected in the exponent");
        }
        String text = s.substring(start, i);
        if (integral) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException ex) {
                i = start;
                throw error("integer out of the 64-bit range: " + text);
            }
        }
        return Double.parseDouble(text);
    }

    private boolean digits() {
        int start = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
        return i > start;
    }

    /**
     * Writes {@code value} (maps with string keys, lists, strings, numbers, booleans, null) as
     * compact JSON. Non-finite numbers have no JSON form and are rejected.
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, "", 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, String path, int depth) {
        if (depth > MAX_DEPTH) throw new IllegalArgumentException("JSON value nested deeper than " + MAX_DEPTH + " at " + path);
        switch (v) {
            case null -> sb.append("null");
            case String str -> quote(sb, str);
            case Boolean b -> sb.append(b);
            case Long l -> sb.append(l);
            case Integer n -> sb.append(n);
            case Short n -> sb.append(n);
            case Byte n -> sb.append(n);
            case Double d -> {
                if (!Double.isFinite(d)) throw new IllegalArgumentException("JSON cannot hold the non-finite number " + d + " at " + path);
                sb.append(d);
            }
            case Float f -> {
                if (!Float.isFinite(f)) throw new IllegalArgumentException("JSON cannot hold the non-finite number " + f + " at " + path);
                sb.append(f);
            }
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!(e.getKey() instanceof String k)) {
                        throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey() + " at " + path);
                    }
                    if (!first) sb.append(',');
                    first = false;
                    quote(sb, k);
                    sb.append(':');
                    write(sb, e.getValue(), path + "/" + k, depth + 1);
                }
                sb.append('}');
            }
            case List<?> l -> {
                sb.append('[');
                for (int k = 0; k < l.size(); k++) {
                    if (k > 0) sb.append(',');
                    write(sb, l.get(k), path + "/" + k, depth + 1);
                }
                sb.append(']');
            }
            default -> throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON at "
                    + (path.isEmpty() ? "/" : path) + " (use maps, lists, strings, numbers, booleans or null)");
        }
    }

    private static void quote(StringBuilder sb, String str) {
        sb.append('"');
        for (int k = 0; k < str.length(); k++) {
            char c = str.charAt(k);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
