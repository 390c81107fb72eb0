package dev.ballot.testkit.lin;

/**
 * One operation of one key, paired from its INVOKE and its outcome (see {@link OperationPairing}).
 *
 * @param id           the operation's index among its key's operations (its bit in the search)
 * @param process      the client that ran it
 * @param f            the operation's name
 * @param key          its key
 * @param value        the value written / appended / read, or the new value of a cas
 * @param expected     the expected value of a cas, else null
 * @param outcome      how it ended
 * @param invokeTime   when it was invoked
 * @param completeTime when its outcome arrived; {@link #NEVER} for an indeterminate operation
 */
public record Operation(int id, int process, String f, String key, String value, String expected, Outcome outcome,
                        long invokeTime, long completeTime) {

    /** The completion time of an operation whose effect is unknown: it may take effect at any time after invoke. */
    public static final long NEVER = Long.MAX_VALUE;

    /** How an operation ended, as far as the checker cares. */
    public enum Outcome {
        /** OK: took effect once between invoke and completion, with the recorded result. */
        OK,
        /** A definite failure that still says something (a cas that did not find its expected value). */
        FAILED,
        /** INFO or no completion: took effect at some time after invoke, or never. */
        INDETERMINATE
    }

    /** Whether the search must linearize this operation (an indeterminate one may be left out). */
    public boolean mustTakeEffect() {
        return outcome != Outcome.INDETERMINATE;
    }

    /** One line a person can read: who did what, how it ended, when. */
    @Override
    public String toString() {
        String what = switch (f) {
            case "cas" -> "cas " + quote(expected) + " -> " + quote(value);
            case "read", "get" -> f + " -> " + quote(value);
            default -> f + " " + quote(value);
        };
        String ended = switch (outcome) {
            case OK -> "ok";
            case FAILED -> "fail";
            case INDETERMINATE -> "info";
        };
        String completed = completeTime == NEVER ? "outcome unknown" : "completed " + completeTime;
        return "process " + process + ": " + what + " [" + ended + "] invoked " + invokeTime + ", " + completed;
    }

    static String quote(String s) {
        return s == null ? "nil" : '"' + s + '"';
    }
}
