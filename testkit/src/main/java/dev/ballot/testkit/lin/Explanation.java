package dev.ballot.testkit.lin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Renders the outcome of a check as a {@link CheckResult} a person can read. */
final class Explanation {

    /** The end of a long prefix is what matters: it leads to the operation that cannot follow. */
    static final int PREFIX_SHOWN = 50;

    private Explanation() {}

    static CheckResult of(List<LinearizabilityChecker.KeyCheck> keys, LinearizabilityChecker.KeyCheck failing, Model model,
                          Duration budget, Duration took) {
        int operations = keys.stream().mapToInt(LinearizabilityChecker.KeyCheck::size).sum();
        List<LinearizabilityChecker.KeyCheck> undecided = keys.stream()
                .filter(k -> k.search().status() == WglSearch.Status.RUNNING
                        || k.search().status() == WglSearch.Status.TOO_BIG).toList();
        String summary = operations + " operation(s) on " + keys.size() + " key(s), " + model.name() + " model, checked in "
                + took.toMillis() + " ms";
        if (failing != null) return notLinearizable(failing, model, summary);
        if (!undecided.isEmpty()) {
            StringBuilder text = new StringBuilder("UNKNOWN: " + undecided.size() + " of " + keys.size()
                    + " key(s) could not be decided within the budget of " + budget.toMillis() + " ms (" + summary + "):\n");
            for (var k : undecided) {
                text.append("  key ").append(Operation.quote(k.key())).append(": ").append(k.size())
                        .append(" operation(s), ").append(k.search().steps()).append(" search steps, ")
                        .append(k.search().status() == WglSearch.Status.TOO_BIG
                                ? "gave up: its memo outgrew the memory allowed (a quarter of the heap)"
                                : "ran out of time")
                        .append('\n');
            }
            text.append("The other keys are linearizable. Give the check more time (or heap) to decide.");
            return new CheckResult(Verdict.UNKNOWN, null, List.of(), text.toString());
        }
        return new CheckResult(Verdict.LINEARIZABLE, null, List.of(), "LINEARIZABLE: " + summary);
    }

    private static CheckResult notLinearizable(LinearizabilityChecker.KeyCheck failing, Model model, String summary) {
        WglSearch.DeepestPoint at = failing.search().deepest();
        List<String> involved = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        text.append("NOT LINEARIZABLE: key ").append(Operation.quote(failing.key())).append(" (").append(failing.size())
                .append(" operation(s)) has no linearization (").append(summary)
                .append("; this is the failing key with the fewest operations).\n");
        List<Operation> prefix = at.prefix();
        text.append("The longest linearizable prefix found has ").append(prefix.size()).append(" operation(s)");
        if (prefix.isEmpty()) {
            text.append(".\n");
        } else {
            int first = Math.max(0, prefix.size() - PREFIX_SHOWN);
            text.append(first == 0 ? "" : " (the first " + first + " not shown)").append(", in this order:\n");
            for (int i = first; i < prefix.size(); i++) {
                text.append(String.format("  %4d. %s%n", i + 1, prefix.get(i)));
            }
        }
        text.append("after which the state is ").append(model.describe(at.state())).append(".\n");
        text.append("Next, this operation had to take effect, since it completed before anything else pending:\n");
        text.append("        ").append(at.overdue()).append('\n');
        text.append("but none of the operations that could come first leads to a linearization:\n");
        for (int i = 0; i < at.pending().size(); i++) {
            Operation op = at.pending().get(i);
            String why = at.allowedInState().get(i)
                    ? "possible in this state, but every way on from it fails"
                    : "impossible in this state";
            involved.add(op + "  -- " + why);
            text.append("        ").append(op).append("  -- ").append(why).append('\n');
        }
        text.append("(times are those of the history; for files without times, line numbers)");
        return new CheckResult(Verdict.NOT_LINEARIZABLE, failing.key(), List.copyOf(involved), text.toString());
    }
}
