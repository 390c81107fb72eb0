package dev.ballot.testkit.lin;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Checks a history file from the command line:
 * {@code java -cp ... dev.ballot.testkit.lin.CheckMain --model register|kv [--budget-seconds N] FILE}.
 */
public final class CheckMain {

    static final int DEFAULT_BUDGET_SECONDS = 60;

    static final String USAGE = """
            usage: CheckMain --model register|kv [--budget-seconds N] FILE

            Checks the client history in FILE for linearizability and prints the verdict with an
            explanation. FILE is a Jepsen log (jepsen.util lines) when its name ends with .log, else
            one edn map a line ({:process 0, :type :invoke, :f :write, :key "k", :value "1", :time 5}).

              --model register   read / write / cas per key (a register starts absent)
              --model kv         get / put / append per key (an absent key reads "")
              --budget-seconds N time allowed for the search (default %d); then the verdict is unknown

            exit status: 0 linearizable, 1 not linearizable, 3 unknown (budget ran out),
            2 bad arguments or an unreadable / malformed file.
            """.formatted(DEFAULT_BUDGET_SECONDS);

    /** Parsed command-line options. */
    record Args(Model model, long budgetSeconds, Path file, boolean help) {}

    private CheckMain() {}

    public static void main(String[] argv) {
        System.exit(run(argv, System.out, System.err));
    }

    /** Runs the command line; returns the exit status. */
    static int run(String[] argv, PrintStream out, PrintStream err) {
        Args args;
        try {
            args = parse(argv);
        } catch (IllegalArgumentException e) {
            err.println("CheckMain: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        if (args.help()) {
            out.print(USAGE);
            return 0;
        }
        CheckResult result;
        try {
            List<Event> history = args.file().getFileName().toString().endsWith(".log")
                    ? HistoryFiles.readJepsenLog(args.file())
                    : HistoryFiles.readEdn(args.file());
            result = LinearizabilityChecker.check(history, args.model(), Duration.ofSeconds(args.budgetSeconds()));
        } catch (IOException | IllegalArgumentException e) {
            err.println("CheckMain: cannot check " + args.file() + ": " + e.getMessage());
            return 2;
        }
        out.println(result.explanation());
        return switch (result.verdict()) {
            case LINEARIZABLE -> 0;
            case NOT_LINEARIZABLE -> 1;
            case UNKNOWN -> 3;
        };
    }

    static Args parse(String[] argv) {
        Model model = null;
        long budgetSeconds = DEFAULT_BUDGET_SECONDS;
        Path file = null;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            switch (a) {
                case "--help", "-h" -> {
                    return new Args(null, 0, null, true);
                }
                case "--model" -> model = switch (value(argv, ++i, a)) {
                    case "register" -> Model.register();
                    case "kv" -> Model.keyValue();
                    default -> throw new IllegalArgumentException("--model must be register or kv, got '" + argv[i] + "'");
                };
                case "--budget-seconds" -> {
                    String v = value(argv, ++i, a);
                    try {
                        budgetSeconds = Long.parseLong(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--budget-seconds needs whole seconds, got '" + v + "'");
                    }
                    if (budgetSeconds < 0) throw new IllegalArgumentException("--budget-seconds must not be negative");
                }
                default -> {
                    if (a.startsWith("-")) throw new IllegalArgumentException("unknown option '" + a + "'");
                    if (file != null) {
                        throw new IllegalArgumentException("one FILE only, got '" + file + "' and '" + a + "'");
                    }
                    file = Path.of(a);
                }
            }
        }
        if (model == null) throw new IllegalArgumentException("--model is required");
        if (file == null) throw new IllegalArgumentException("FILE is required");
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no such file: " + file);
        return new Args(model, budgetSeconds, file, false);
    }

    private static String value(String[] argv, int i, String option) {
        if (i >= argv.length) throw new IllegalArgumentException(option + " needs a value");
        return argv[i];
    }
}
