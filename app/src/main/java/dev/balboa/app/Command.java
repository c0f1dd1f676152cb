package dev.balboa.app;

import java.io.PrintStream;
import java.util.List;

/** One subcommand of {@code balboa} ({@code demo}, {@code devices}, ...): its name, help and action. */
interface Command {

    /**
     * Where a command writes.
     *
     * @param out        results
     * @param err        diagnostics
     * @param stacktrace whether failures print their stack trace
     */
    record Context(PrintStream out, PrintStream err, boolean stacktrace) {}

    /** The name typed on the command line. */
    String name();

    /** One line for the command list. */
    String summary();

    /** The arguments after the command name in the usage line, e.g. {@code [options]}. */
    default String synopsis() { return "[options]"; }

    /** A few lines of description for {@code balboa <command> --help}, or empty. */
    default String description() { return ""; }

    /** The options the command takes (the global options are added by {@link Main}). */
    List<Option> options();

    /** Runs the command and returns the process exit status. */
    int run(Args args, Context context) throws Exception;
}
