package dev.ballot.testkit.sim;

/** Reading option values of the simulator's command lines, with the error messages users see. */
public final class CliValues {

    private CliValues() {}

    /** The value after {@code option} at {@code argv[i]}. */
    public static String value(String[] argv, int i, String option) {
        if (i >= argv.length) throw new IllegalArgumentException(option + " needs a value");
        return argv[i];
    }

    public static long number(String option, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, got '" + value + "'");
        }
    }

    public static long positive(String option, String value) {
        long n = number(option, value);
        if (n < 1) throw new IllegalArgumentException(option + " must be >= 1, was " + n);
        return n;
    }
}
