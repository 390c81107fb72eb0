package dev.ballot.testkit.lin;

import java.time.Duration;
import java.util.List;

/** Checks a client history for linearizability (Wing–Gong / Lowe, split per key). */
public final class LinearizabilityChecker {

    private LinearizabilityChecker() {}

    /**
     * @param history events in the order they happened (times ascending)
     * @param budget  time allowed for the whole check; when it runs out the verdict is UNKNOWN
     */
    public static CheckResult check(List<Event> history, Model model, Duration budget) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
