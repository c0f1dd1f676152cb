package dev.balboa.app;

/** A mistake on the command line; {@link Main} prints its message with a hint and exits with status 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The command whose usage the user should read, or null for the top-level usage. */
    private final String command;

    UsageException(String command, String message) {
        super(message);
        this.command = command;
    }

    /** The command the mistake belongs to, or null. */
    String command() { return command; }
}
