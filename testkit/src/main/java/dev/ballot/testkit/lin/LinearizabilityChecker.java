package dev.ballot.testkit.lin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks a client history for linearizability (Wing–Gong / Lowe, split per key).
 *
 * <p>Keys are independent (P-compositionality: a history is linearizable if and only if each key's
 * sub-history is), so each key is searched on its own by a {@link WglSearch}, smallest first. The
 * budget is shared in two passes: first each key may use an equal share of what is left (time a
 * small key does not use goes to the next ones), then the keys that ran out resume with whatever
 * remains (from the start: a paused search would hold on to its memo). Once a key is found not
 * linearizable, larger keys are not checked: the verdict is known and the smallest failing key is
 * the one reported. A key whose memo outgrows a quarter of the heap is given up as undecided.
 */
public final class LinearizabilityChecker {

    /** Centuries: no deadline in practice, and {@code nanoTime() + this} cannot overflow. */
    private static final Duration UNLIMITED = Duration.ofNanos(Long.MAX_VALUE / 4);

    private LinearizabilityChecker() {}

    /** One key's search and how it ended. */
    record KeyCheck(String key, WglSearch search) {
        int size() {
            return search.operationCount();
        }
    }

    /**
     * @param history events in the order they happened (times ascending)
     * @param budget  time allowed for the whole check; when it runs out the verdict is UNKNOWN
     * @throws IllegalArgumentException when the history is not well formed (an outcome without an
     *                                  invoke, an operation the model does not have, ...)
     */
    public static CheckResult check(List<Event> history, Model model, Duration budget) {
        return check(history, model, budget, Runtime.getRuntime().maxMemory() / 4);
    }

    /** As {@link #check(List, Model, Duration)}, with the memory one key's search may use for its memo. */
    static CheckResult check(List<Event> history, Model model, Duration budget, long memoLimitBytes) {
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(budget, "budget");
        long start = System.nanoTime();
        long deadline = start + saturatedNanos(budget);
        Map<String, List<Operation>> byKey = OperationPairing.operationsByKey(history, model);
        List<KeyCheck> keys = new ArrayList<>(byKey.size());
        byKey.forEach((key, ops) -> keys.add(new KeyCheck(key, new WglSearch(ops, model, memoLimitBytes))));
        keys.sort(Comparator.comparingInt(KeyCheck::size).thenComparing(KeyCheck::key));

        KeyCheck failing = null;
        for (int i = 0; i < keys.size() && failing == null; i++) {
            long now = System.nanoTime();
            long share = Math.max(0, deadline - now) / (keys.size() - i);
            WglSearch search = keys.get(i).search();
            WglSearch.Status status = search.run(now + share);
            if (status == WglSearch.Status.NOT_LINEARIZABLE) failing = keys.get(i);
            if (status == WglSearch.Status.RUNNING && i < keys.size() - 1) search.restart();
        }
        for (KeyCheck k : keys) {
            if (k == failing) break; // keys after the failing one are larger; their verdict no longer matters
            boolean undecided = k.search().status() == WglSearch.Status.RUNNING;
            if (undecided && k.search().run(deadline) == WglSearch.Status.NOT_LINEARIZABLE) {
                failing = k;
                break;
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return Explanation.of(keys, failing, model, budget, took);
    }

    private static long saturatedNanos(Duration budget) {
        if (budget.isNegative()) return 0;
        return budget.compareTo(UNLIMITED) > 0 ? UNLIMITED.toNanos() : budget.toNanos();
    }
}
