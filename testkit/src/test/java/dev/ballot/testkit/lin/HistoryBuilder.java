package dev.ballot.testkit.lin;

import java.util.ArrayList;
import java.util.List;

/** Writes small histories for tests: each event happens one time unit after the previous one. */
final class HistoryBuilder {

    private final List<Event> events = new ArrayList<>();
    private String key = "";
    private long time;

    /** The key of the events that follow. */
    HistoryBuilder key(String key) {
        this.key = key;
        return this;
    }

    HistoryBuilder invoke(int process, String f, String value) {
        return add(process, EventType.INVOKE, f, value, null);
    }

    HistoryBuilder invokeCas(int process, String expected, String value) {
        return add(process, EventType.INVOKE, "cas", value, expected);
    }

    HistoryBuilder ok(int process, String f, String value) {
        return add(process, EventType.OK, f, value, null);
    }

    HistoryBuilder fail(int process, String f) {
        return add(process, EventType.FAIL, f, null, null);
    }

    HistoryBuilder info(int process, String f) {
        return add(process, EventType.INFO, f, null, null);
    }

    /** A whole operation, invoked and completed OK before the next event. */
    HistoryBuilder op(int process, String f, String value) {
        return invoke(process, f, f.equals("read") || f.equals("get") ? null : value).ok(process, f, value);
    }

    List<Event> build() {
        return List.copyOf(events);
    }

    private HistoryBuilder add(int process, EventType type, String f, String value, String expected) {
        events.add(new Event(process, type, f, key, value, expected, ++time));
        return this;
    }
}
