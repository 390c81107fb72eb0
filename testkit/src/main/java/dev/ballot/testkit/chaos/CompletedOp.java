package dev.ballot.testkit.chaos;

import dev.ballot.testkit.lin.Event;
import dev.ballot.testkit.lin.EventType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An operation of a history with its invocation and outcome paired up. An operation never
 * completed counts as INFO that completes at {@link Long#MAX_VALUE} (it may take effect any time).
 *
 * @param value the invocation's value (written / appended / swapped in); for an OK read, the value read
 */
record CompletedOp(int process, String f, String key, String value, String expected, EventType outcome,
                   long invokedAt, long completedAt) {

    static List<CompletedOp> pair(List<Event> history) {
        List<CompletedOp> ops = new ArrayList<>();
        Map<Integer, Event> open = new HashMap<>();
        for (Event e : history) {
            if (e.type() == EventType.INVOKE) {
                Event previous = open.put(e.process(), e);
                if (previous != null) throw new IllegalArgumentException("process " + e.process() + " invoked twice without an outcome: " + e);
                continue;
            }
            Event invoke = open.remove(e.process());
            if (invoke == null) throw new IllegalArgumentException("an outcome without an invocation: " + e);
            String value = e.type() == EventType.OK && isRead(invoke.f()) ? e.value() : invoke.value();
            ops.add(new CompletedOp(e.process(), invoke.f(), invoke.key(), value, invoke.expected(), e.type(), invoke.time(), e.time()));
        }
        for (Event invoke : open.values()) {
            ops.add(new CompletedOp(invoke.process(), invoke.f(), invoke.key(), invoke.value(), invoke.expected(),
                    EventType.INFO, invoke.time(), Long.MAX_VALUE));
        }
        return ops;
    }

    static boolean isRead(String f) {
        return f.equals("read") || f.equals("get");
    }

    /** May this operation have changed its key (a write that did not certainly fail)? */
    boolean mayHaveWritten() {
        return !isRead(f) && outcome != EventType.FAIL;
    }
}
