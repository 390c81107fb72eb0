package dev.ballot.testkit.lin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a history of events into operations, one list per key, keeping only what constrains the
 * search: an OK is a definite operation; a FAIL of a cas is definite too (the register did not hold
 * the expected value); a FAIL of anything else did not happen and is dropped; INFO, or an invoke
 * never completed, is indeterminate; a read whose result is unknown constrains nothing and is dropped.
 */
final class OperationPairing {

    private OperationPairing() {}

    /** An invoke waiting for its outcome. */
    private record Pending(int eventIndex, Event invoke) {}

    /**
     * @return operations per key, keys in order of first appearance, operations in invoke order
     * @throws IllegalArgumentException when an outcome has no pending invoke of its process, names another
     *                                  operation than its invoke, or names an operation the model lacks
     */
    static Map<String, List<Operation>> operationsByKey(List<Event> history, Model model) {
        Map<String, List<Operation>> byKey = new LinkedHashMap<>();
        Map<Integer, Pending> pendingByProcess = new HashMap<>();
        for (int i = 0; i < history.size(); i++) {
            Event event = history.get(i);
            if (event.f() == null || event.type() == null) {
                throw new IllegalArgumentException("event " + i + " (" + event + "): has no operation name or no type");
            }
            model.isRead(event.f()); // rejects an operation the model does not have
            if (event.type() == EventType.INVOKE) {
                Pending earlier = pendingByProcess.put(event.process(), new Pending(i, event));
                // A process that invokes again without an outcome never learnt how its last operation ended.
                if (earlier != null) addIndeterminate(byKey, earlier.invoke(), model);
                continue;
            }
            Pending pending = pendingByProcess.remove(event.process());
            if (pending == null) {
                throw new IllegalArgumentException("event " + i + " (" + event + "): process " + event.process()
                        + " has no invoke waiting for this " + event.type());
            }
            Event invoke = pending.invoke();
            if (!invoke.f().equals(event.f())) {
                throw new IllegalArgumentException("event " + i + " (" + event + "): completes a " + event.f()
                        + " but process " + event.process() + " invoked a " + invoke.f()
                        + " (event " + pending.eventIndex() + ")");
            }
            if (event.time() < invoke.time()) {
                throw new IllegalArgumentException("event " + i + " (" + event + "): completes at " + event.time()
                        + ", before its invoke at " + invoke.time());
            }
            boolean read = model.isRead(event.f());
            switch (event.type()) {
                case OK -> add(byKey, invoke, read ? event.value() : firstNonNull(invoke.value(), event.value()),
                        firstNonNull(invoke.expected(), event.expected()), Operation.Outcome.OK, event.time());
                case FAIL -> {
                    if (event.f().equals("cas")) {
                        add(byKey, invoke, firstNonNull(invoke.value(), event.value()),
                                firstNonNull(invoke.expected(), event.expected()), Operation.Outcome.FAILED, event.time());
                    }
                }
                case INFO -> addIndeterminate(byKey, invoke, model);
                default -> throw new IllegalStateException("unexpected " + event.type());
            }
        }
        for (Pending pending : pendingByProcess.values()) addIndeterminate(byKey, pending.invoke(), model);
        byKey.values().forEach(OperationPairing::sortAndNumber);
        return byKey;
    }

    private static void addIndeterminate(Map<String, List<Operation>> byKey, Event invoke, Model model) {
        if (model.isRead(invoke.f())) return; // a read whose result is unknown constrains nothing
        add(byKey, invoke, invoke.value(), invoke.expected(), Operation.Outcome.INDETERMINATE, Operation.NEVER);
    }

    private static void add(Map<String, List<Operation>> byKey, Event invoke, String value, String expected,
                            Operation.Outcome outcome, long completeTime) {
        String key = invoke.key() == null ? "" : invoke.key();
        byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(new Operation(-1, invoke.process(), invoke.f(), key, value,
                expected, outcome, invoke.time(), completeTime));
    }

    /** Operations are collected in completion order; the search wants them numbered in invoke order. */
    private static void sortAndNumber(List<Operation> ops) {
        ops.sort((a, b) -> Long.compare(a.invokeTime(), b.invokeTime()));
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            ops.set(i, new Operation(i, op.process(), op.f(), op.key(), op.value(), op.expected(), op.outcome(),
                    op.invokeTime(), op.completeTime()));
        }
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
