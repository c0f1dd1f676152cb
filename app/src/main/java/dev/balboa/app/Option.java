package dev.balboa.app;

/**
 * One command-line option, {@code --name VALUE} (or {@code --name=VALUE}) when it takes a value,
 * {@code --name} when it is a flag.
 *
 * @param name         the long name without dashes, e.g. {@code seed}
 * @param shortName    a one-letter alias without the dash, or 0 for none
 * @param valueName    how help shows the value ({@code N}, {@code LIST}), or null for a flag
 * @param defaultValue the value used when the option is absent, or null
 * @param help         one line of help
 */
record Option(String name, char shortName, String valueName, String defaultValue, String help) {

    /** An option that takes a value. */
    static Option value(String name, String valueName, String defaultValue, String help) {
        return new Option(name, (char) 0, valueName, defaultValue, help);
    }

    /** A flag (an option without a value). */
    static Option flag(String name, String help) {
        return new Option(name, (char) 0, null, null, help);
    }

    /** Whether the option takes a value. */
    boolean takesValue() { return valueName != null; }

    /** How help shows the option, e.g. {@code --seed N} or {@code -h, --help}. */
    String synopsis() {
        String s = (shortName != 0 ? "-" + shortName + ", " : "") + "--" + name;
        return takesValue() ? s + " " + valueName : s;
    }
}
