package dev.ballot.testkit.chaos;

import dev.ballot.testkit.lin.Event;
import dev.ballot.testkit.lin.EventType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * "Every acknowledged write is present", checked directly on the final values (read on the healed
 * cluster), independently of the linearizability checker's budget:
 * <ul>
 *   <li>register: a key reads absent only if no write or cas on it was acknowledged, and otherwise
 *       holds a value some write or cas (not certainly failed) wrote;</li>
 *   <li>multi-key: each key's tokens all come from puts/appends that did not certainly fail, and
 *       the token of every acknowledged append is there, unless a put on the key (not certainly
 *       failed) may have been ordered after it: it completed after the append was invoked, or its
 *       outcome is unknown (then it may have taken effect at any time after its invocation).</li>
 * </ul>
 * The checker also sees the final reads, so it enforces the finer ordering (no stale final value).
 */
public final class AcknowledgedWritesCheck {

    static final String NAME = "acknowledged writes present";

    private AcknowledgedWritesCheck() {}

    /** @param finalValues each key's final value (register: null = absent; multi-key: "" = absent) */
    public static CheckOutcome check(String workload, List<Event> history, Map<String, String> finalValues) {
        List<CompletedOp> ops = CompletedOp.pair(history);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> entry : finalValues.entrySet()) {
            List<CompletedOp> writes = ops.stream().filter(op -> op.key().equals(entry.getKey()) && op.mayHaveWritten()).toList();
            if (workload.equals("register")) {
                checkRegister(entry.getKey(), entry.getValue(), writes, problems);
            } else {
                checkAppends(entry.getKey(), entry.getValue(), writes, problems);
            }
        }
        int acknowledged = (int) ops.stream().filter(op -> op.outcome() == EventType.OK && !CompletedOp.isRead(op.f())).count();
        if (problems.isEmpty()) {
            return CheckOutcome.pass(NAME, acknowledged + " acknowledged writes, " + finalValues.size() + " keys read after healing");
        }
        return CheckOutcome.fail(NAME, String.join("; ", problems));
    }

    private static void checkRegister(String key, String value, List<CompletedOp> writes, List<String> problems) {
        if (value == null) {
            writes.stream().filter(op -> op.outcome() == EventType.OK).findFirst().ifPresent(op ->
                    problems.add(key + " reads absent after the acknowledged " + op.f() + " of " + op.value()));
            return;
        }
        if (writes.stream().noneMatch(op -> value.equals(op.value()))) {
            problems.add(key + " holds " + value + ", which no write or cas on it wrote");
        }
    }

    private static void checkAppends(String key, String value, List<CompletedOp> writes, List<String> problems) {
        Set<String> present = new HashSet<>(Arrays.asList(value.split(MultiKeyWorkload.SEPARATOR)));
        present.remove("");
        Set<String> written = new HashSet<>();
        for (CompletedOp op : writes) written.add(strip(op.value()));
        for (String token : present) {
            if (!written.contains(token)) problems.add(key + " holds token " + token + ", which no put or append on it wrote");
        }
        for (CompletedOp append : writes) {
            if (!append.f().equals("append") || append.outcome() != EventType.OK || present.contains(strip(append.value()))) continue;
            // An indeterminate put may take effect long after its client gave up on it: after the append too.
            boolean overwritable = writes.stream().anyMatch(op -> op.f().equals("put")
                    && (op.outcome() == EventType.INFO || op.completedAt() > append.invokedAt()));
            if (!overwritable) problems.add(key + " lost the acknowledged append " + append.value());
        }
    }

    private static String strip(String token) {
        return token.endsWith(MultiKeyWorkload.SEPARATOR) ? token.substring(0, token.length() - MultiKeyWorkload.SEPARATOR.length()) : token;
    }
}
