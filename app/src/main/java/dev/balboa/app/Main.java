package dev.balboa.app;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code balboa} command line. {@code balboa [global options] [command] [options]}; the
 * command defaults to {@code train}. Global options may come before or after the command.
 */
public final class Main {

    /** The command run when none is named. */
    static final String DEFAULT_COMMAND = "train";

    static final List<Option> GLOBAL_OPTIONS = List.of(
            Option.value("devices", "LIST", null,
                    "choose device providers, e.g. cpu,reference or -cuda (sets balboa.devices)"),
            Option.value("threads", "N", null, "CPU device threads (sets balboa.cpu.threads)"),
            Option.flag("stacktrace", "print the stack trace of a failure"),
            Option.flag("version", "print the version and exit"),
            new Option("help", 'h', null, null, "show help and exit"));

    private final Map<String, Command> commands = new LinkedHashMap<>();
    private final PrintStream out;
    private final PrintStream err;

    /** A command line that writes to the given streams. */
    Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        for (Command c : List.of(new TrainCommand(), new EvalCommand(), new PredictCommand(), new DemoCommand(),
                new DevicesCommand(), new BenchCommand())) commands.put(c.name(), c);
    }

    /** Runs {@code balboa} and exits with its status. */
    public static void main(String[] args) {
        int status = new Main(System.out, System.err).run(args);
        System.out.flush();
        System.exit(status);
    }

    /** Runs one command line and returns the exit status: 0 success, 1 failure, 2 usage error. */
    int run(String... argv) {
        List<String> tokens = new ArrayList<>(Arrays.asList(argv));
        boolean stacktrace = tokens.contains("--stacktrace");
        try {
            // Leading global options, then the command name, then everything else.
            int i = 0;
            while (i < tokens.size() && isGlobal(tokens.get(i))) i += globalArity(tokens.get(i));
            List<String> globals = new ArrayList<>(tokens.subList(0, Math.min(i, tokens.size())));
            String name = DEFAULT_COMMAND;
            boolean named = i < tokens.size() && !tokens.get(i).startsWith("-");
            if (named) name = tokens.get(i++);
            List<String> rest = new ArrayList<>(globals);
            rest.addAll(tokens.subList(Math.min(i, tokens.size()), tokens.size()));

            if (name.equals("help")) {
                List<String> topic = rest.stream().filter(t -> !t.startsWith("-")).toList();
                if (topic.isEmpty()) out.print(usage());
                else out.print(usage(command(topic.getFirst())));
                return 0;
            }
            Command command = command(name);
            List<Option> options = new ArrayList<>(command.options());
            options.addAll(GLOBAL_OPTIONS);
            Args args = Args.parse(name, options, rest);
            if (args.flag("help")) {
                out.print(named ? usage(command) : usage());
                return 0;
            }
            if (args.flag("version")) {
                out.println("balboa " + version());
                return 0;
            }
            applyGlobals(args);
            return command.run(args, new Command.Context(out, err, args.flag("stacktrace")));
        } catch (UsageException e) {
            err.println("balboa: " + e.getMessage());
            err.println(e.command() == null ? "Run 'balboa --help' for usage."
                    : "Run 'balboa " + e.command() + " --help' for usage.");
            return 2;
        } catch (Exception | LinkageError | AssertionError e) {
            err.println("balboa: " + describe(e));
            if (stacktrace) e.printStackTrace(err);
            else err.println("(run with --stacktrace for details)");
            return 1;
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + m;
    }

    private static boolean isGlobal(String token) {
        String key = token.contains("=") ? token.substring(0, token.indexOf('=')) : token;
        for (Option o : GLOBAL_OPTIONS) {
            if (key.equals("--" + o.name()) || (o.shortName() != 0 && key.equals("-" + o.shortName()))) return true;
        }
        return false;
    }

    private static int globalArity(String token) {
        if (token.contains("=")) return 1;
        for (Option o : GLOBAL_OPTIONS) {
            if (token.equals("--" + o.name()) || (o.shortName() != 0 && token.equals("-" + o.shortName()))) {
                return o.takesValue() ? 2 : 1;
            }
        }
        return 1;
    }

    private Command command(String name) throws UsageException {
        Command c = commands.get(name);
        if (c != null) return c;
        String hint = "";
        for (String known : commands.keySet()) {
            if (Args.distance(name, known) <= 2) hint = " (did you mean '" + known + "'?)";
        }
        throw new UsageException(null, "unknown command '" + name + "'" + hint + "; commands: " + String.join(", ", commands.keySet()));
    }

    /** Sets the system properties the global options stand for, before any device is touched. */
    private static void applyGlobals(Args args) throws UsageException {
        if (args.has("devices")) System.setProperty("balboa.devices", args.get("devices"));
        if (args.has("threads")) System.setProperty("balboa.cpu.threads", Integer.toString(args.getInt("threads", 1, 4096)));
    }

    /** The version of this module, or {@code dev} when it was not packaged with one. */
    static String version() {
        var descriptor = Main.class.getModule().getDescriptor();
        return descriptor == null ? "dev" : descriptor.rawVersion().orElse("dev");
    }

    /** The top-level help. */
    String usage() {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: balboa [global options] [command] [options]\n\n");
        sb.append("Balboa runs tensors, autograd and pluggable devices on Java 25.\n\n");
        sb.append("Commands:\n");
        for (Command c : commands.values()) {
            String dflt = c.name().equals(DEFAULT_COMMAND) ? " (default)" : "";
            sb.append(String.format(Locale.ROOT, "  %-10s %s%s%n", c.name(), c.summary(), dflt));
        }
        sb.append(String.format(Locale.ROOT, "  %-10s %s%n", "help", "show help for a command: balboa help <command>"));
        sb.append("\nGlobal options:\n");
        appendOptions(sb, GLOBAL_OPTIONS);
        sb.append("\nJVM options go in BALBOA_JAVA_OPTS, e.g. BALBOA_JAVA_OPTS=-Dbalboa.devices=cpu,reference\n");
        sb.append("Run 'balboa <command> --help' for a command's options.\n");
        return sb.toString();
    }

    /** The help of one command. */
    String usage(Command c) {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: balboa ").append(c.name()).append(' ').append(c.synopsis()).append("\n\n");
        sb.append(c.summary().substring(0, 1).toUpperCase(Locale.ROOT)).append(c.summary().substring(1)).append(".\n");
        if (!c.description().isEmpty()) sb.append('\n').append(c.description()).append('\n');
        if (!c.options().isEmpty()) {
            sb.append("\nOptions:\n");
            appendOptions(sb, c.options());
        }
        sb.append("\nGlobal options:\n");
        appendOptions(sb, GLOBAL_OPTIONS);
        return sb.toString();
    }

    private static void appendOptions(StringBuilder sb, List<Option> options) {
        for (Option o : options) {
            String dflt = o.defaultValue() == null ? "" : " (default " + o.defaultValue() + ")";
            sb.append(String.format(Locale.ROOT, "  %-18s %s%s%n", o.synopsis(), o.help(), dflt));
        }
    }
}
