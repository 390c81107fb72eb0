package dev.ballot.testkit.chaos;

import dev.ballot.testkit.lin.Model;
import redis.clients.jedis.Jedis;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** What the clients do: which operations, how they are sent, and the model they are checked against. */
public interface Workload {

    /** The workload's name on the command line ({@code register}, {@code multi-key}). */
    String name();

    List<String> keys();

    /** The next operation of a client. Thread-safe: every client calls it with its own random. */
    Op next(SplittableRandom random);

    /**
     * Sends {@code op} and returns the value to record with an OK (the value read, or the op's own
     * value). Throws {@link CasRejected} for a cas the server refused, any other exception when no
     * reply or an error reply came.
     */
    String execute(Jedis jedis, Op op);

    /** The final read of {@code key}, appended to the history after healing. */
    Op finalRead(String key);

    /** The sequential specification to check the history against. */
    Model model();

    /** Thrown by {@link #execute} for a cas that replied 0: a definite FAIL. */
    final class CasRejected extends RuntimeException {
        public CasRejected() {
            super("cas replied 0: the register did not hold the expected value", null, false, false);
        }
    }

    /** Keys {@code prefix0 .. prefix(count-1)}, immutable; a count below 1 names the workload in the error. */
    static List<String> keyNames(String workload, String prefix, int count) {
        if (count < 1) throw new IllegalArgumentException("the " + workload + " workload needs at least 1 key, got " + count);
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }

    /** Builds the named workload over {@code keys} keys ({@code 0} = the workload's default). */
    static Workload named(String name, int keys) {
        return switch (name) {
            case "register" -> new RegisterWorkload(keys > 0 ? keys : RegisterWorkload.DEFAULT_KEYS);
            case "multi-key" -> new MultiKeyWorkload(keys > 0 ? keys : MultiKeyWorkload.DEFAULT_KEYS);
            default -> throw new IllegalArgumentException("unknown workload '" + name + "': use register or multi-key");
        };
    }
}
