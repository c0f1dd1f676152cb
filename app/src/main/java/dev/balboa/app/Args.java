package dev.balboa.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed arguments of one command: option values (with defaults) and positional arguments.
 * Accepts {@code --name value}, {@code --name=value}, {@code -x value}, flags, and {@code --}
 * to end the options.
 */
final class Args {
    private final String command;
    private final Map<String, Option> declared;
    private final Map<String, String> values;
    private final List<String> positional;

    private Args(String command, Map<String, Option> declared, Map<String, String> values, List<String> positional) {
        this.command = command;
        this.declared = declared;
        this.values = values;
        this.positional = positional;
    }

    /** Parses {@code tokens} against the options a command declares. */
    static Args parse(String command, List<Option> options, List<String> tokens) throws UsageException {
        Map<String, Option> byName = new LinkedHashMap<>();
        for (Option o : options) {
            byName.put("--" + o.name(), o);
            if (o.shortName() != 0) byName.put("-" + o.shortName(), o);
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (optionsEnded || !token.startsWith("-") || token.equals("-")) {
                positional.add(token);
                continue;
            }
            if (token.equals("--")) {
                optionsEnded = true;
                continue;
            }
            String key = token;
            String inline = null;
            int eq = token.indexOf('=');
            if (token.startsWith("--") && eq > 0) {
                key = token.substring(0, eq);
                inline = token.substring(eq + 1);
            }
            Option o = byName.get(key);
            if (o == null) throw new UsageException(command, "unknown option '" + key + "'" + suggestion(key, byName));
            if (o.takesValue()) {
                String v = inline;
                if (v == null) {
                    if (i + 1 >= tokens.size()) throw new UsageException(command, "option --" + o.name() + " needs a value (" + o.valueName() + ")");
                    v = tokens.get(++i);
                }
                values.put(o.name(), v);
            } else {
                if (inline != null) throw new UsageException(command, "option --" + o.name() + " takes no value");
                values.put(o.name(), "true");
            }
        }
        Map<String, Option> declared = new LinkedHashMap<>();
        for (Option o : options) declared.put(o.name(), o);
        return new Args(command, declared, values, List.copyOf(positional));
    }

    private static String suggestion(String key, Map<String, Option> byName) {
        String best = null;
        int bestDistance = 3;
        for (String name : byName.keySet()) {
            int d = distance(key, name);
            if (d < bestDistance) {
                bestDistance = d;
                best = name;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    /** Levenshtein distance, for "did you mean" hints. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private Option option(String name) {
        Option o = declared.get(name);
        if (o == null) throw new IllegalArgumentException("option --" + name + " is not declared by '" + command + "'");
        return o;
    }

    /** Whether the option was given on the command line. */
    boolean has(String name) {
        option(name);
        return values.containsKey(name);
    }

    /** Whether a flag was given. */
    boolean flag(String name) {
        return has(name);
    }

    /** The option's value, its default when absent, or null. */
    String get(String name) {
        Option o = option(name);
        return values.getOrDefault(name, o.defaultValue());
    }

    /** The option's value as an int in [{@code min}, {@code max}]. */
    int getInt(String name, int min, int max) throws UsageException {
        return (int) getLong(name, min, max);
    }

    /** The option's value as a long in [{@code min}, {@code max}]. */
    long getLong(String name, long min, long max) throws UsageException {
        String v = get(name);
        if (v == null) throw new UsageException(command, "option --" + name + " is required");
        long x;
        try {
            x = Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException(command, "option --" + name + " expects an integer, got '" + v + "'");
        }
        if (x < min || x > max) {
            throw new UsageException(command, "option --" + name + " must be between " + min + " and " + max + ", got " + x);
        }
        return x;
    }

    /** The positional arguments, in order. */
    List<String> positional() { return positional; }

    /** Fails when the command received positional arguments it does not take. */
    void expectNoPositional() throws UsageException {
        if (!positional.isEmpty()) throw new UsageException(command, "unexpected argument '" + positional.getFirst() + "'");
    }
}
