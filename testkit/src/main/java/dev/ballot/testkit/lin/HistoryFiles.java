package dev.ballot.testkit.lin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Histories on disk. Our own recordings use the edn-like one-map-a-line format of
 * {@code testdata/linearizability/kv-append}, plus {@code :expected} for cas and {@code :time}:
 * {@code {:process 0, :type :invoke, :f :cas, :key "k1", :expected "1", :value "4", :time 123}}.
 *
 * <p>Where a file has no times, an event's time is its line number: lines are in real-time order.
 * Blank lines are skipped, and so are events of Jepsen's {@code :nemesis} (it injects faults, it is
 * not a client). A malformed line fails the read with an {@link IOException} naming the file and line.
 */
public final class HistoryFiles {

    private static final String JEPSEN_MARKER = "jepsen.util - ";

    private HistoryFiles() {}

    /** Reads an edn-like history (ours or the kv-append test data). */
    public static List<Event> readEdn(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Event> events = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            try {
                Event event = ednEvent(EdnMapLine.parse(line), i + 1);
                if (event != null) events.add(event);
            } catch (IllegalArgumentException e) {
                throw malformed(file, i + 1, e.getMessage(), line);
            }
        }
        return events;
    }

    /** Writes {@code history} in the format {@link #readEdn} reads. */
    public static void writeEdn(List<Event> history, Path file) throws IOException {
        StringBuilder out = new StringBuilder();
        for (Event e : history) {
            if (e.f() == null || !EdnMapLine.isKeywordName(e.f())) {
                throw new IllegalArgumentException("operation name '" + e.f() + "' cannot be an edn keyword: " + e);
            }
            out.append("{:process ").append(e.process())
                    .append(", :type :").append(e.type().name().toLowerCase(Locale.ROOT))
                    .append(", :f :").append(e.f())
                    .append(", :key ").append(ednString(e.key()));
            if (e.expected() != null) out.append(", :expected ").append(ednString(e.expected()));
            out.append(", :value ").append(ednString(e.value()))
                    .append(", :time ").append(e.time())
                    .append("}\n");
        }
        Files.writeString(file, out, StandardCharsets.UTF_8);
    }

    /** Reads a Jepsen log of a single register (testdata/linearizability/etcd-jepsen); every event's key is "". */
    public static List<Event> readJepsenLog(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Event> events = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int marker = line.indexOf(JEPSEN_MARKER);
            if (marker < 0) {
                if (line.isBlank()) continue;
                throw malformed(file, i + 1, "not a jepsen.util line", line);
            }
            try {
                Event event = jepsenEvent(line.substring(marker + JEPSEN_MARKER.length()).strip(), i + 1);
                if (event != null) events.add(event);
            } catch (IllegalArgumentException e) {
                throw malformed(file, i + 1, e.getMessage(), line);
            }
        }
        return events;
    }

    private static Event ednEvent(Map<String, EdnMapLine.Value> map, long lineNumber) {
        EdnMapLine.Value process = required(map, "process");
        if (process.kind() == EdnMapLine.Value.Kind.KEYWORD && process.text().equals("nemesis")) return null;
        EdnMapLine.Value time = map.get("time");
        return new Event(
                integer("process", process),
                type(keyword("type", required(map, "type"))),
                keyword("f", required(map, "f")),
                map.containsKey("key") ? text(map.get("key")) : "",
                map.containsKey("value") ? text(map.get("value")) : null,
                map.containsKey("expected") ? text(map.get("expected")) : null,
                time == null ? lineNumber : integerValue("time", time));
    }

    /** {@code PROCESS :TYPE :F VALUE}, whitespace-separated; VALUE may be {@code [A B]} (cas), nil or a keyword. */
    private static Event jepsenEvent(String fields, long lineNumber) {
        String[] parts = fields.split("\\s+", 4);
        if (parts.length < 4) throw new IllegalArgumentException("expected PROCESS :TYPE :F VALUE");
        if (parts[0].equals(":nemesis")) return null;
        int process;
        try {
            process = Integer.parseInt(parts[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("process '" + parts[0] + "' is not an integer");
        }
        EventType type = type(jepsenKeyword("type", parts[1]));
        String f = jepsenKeyword("f", parts[2]);
        String raw = parts[3].strip();
        String expected = null;
        String value;
        if (raw.startsWith("[")) {
            if (!raw.endsWith("]")) throw new IllegalArgumentException("unterminated '[' in value '" + raw + "'");
            String[] pair = raw.substring(1, raw.length() - 1).strip().split("\\s+");
            if (pair.length != 2) throw new IllegalArgumentException("expected [EXPECTED NEW], got '" + raw + "'");
            expected = jepsenValue(pair[0]);
            value = jepsenValue(pair[1]);
        } else {
            value = jepsenValue(raw);
        }
        return new Event(process, type, f, "", value, expected, lineNumber);
    }

    /** nil is absent; a keyword (such as {@code :timed-out}) is an error reason, not a value. */
    private static String jepsenValue(String token) {
        return token.equals("nil") || token.startsWith(":") ? null : token;
    }

    private static String jepsenKeyword(String field, String token) {
        if (token.length() < 2 || token.charAt(0) != ':') {
            throw new IllegalArgumentException(field + " '" + token + "' is not a keyword");
        }
        return token.substring(1);
    }

    private static EventType type(String name) {
        return switch (name) {
            case "invoke" -> EventType.INVOKE;
            case "ok" -> EventType.OK;
            case "fail" -> EventType.FAIL;
            case "info" -> EventType.INFO;
            default -> throw new IllegalArgumentException("type :" + name + " is not one of :invoke, :ok, :fail, :info");
        };
    }

    private static EdnMapLine.Value required(Map<String, EdnMapLine.Value> map, String key) {
        EdnMapLine.Value v = map.get(key);
        if (v == null) throw new IllegalArgumentException("missing :" + key);
        return v;
    }

    private static String keyword(String key, EdnMapLine.Value v) {
        if (v.kind() != EdnMapLine.Value.Kind.KEYWORD) throw new IllegalArgumentException(":" + key + " must be a keyword");
        return v.text();
    }

    private static long integerValue(String key, EdnMapLine.Value v) {
        if (v.kind() != EdnMapLine.Value.Kind.INTEGER) throw new IllegalArgumentException(":" + key + " must be an integer");
        try {
            return Long.parseLong(v.text());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(":" + key + " " + v.text() + " is out of range");
        }
    }

    private static int integer(String key, EdnMapLine.Value v) {
        long n = integerValue(key, v);
        if (n != (int) n) throw new IllegalArgumentException(":" + key + " " + n + " is out of range");
        return (int) n;
    }

    /** A string as is, an integer as its digits; nil and keywords (error reasons such as :timed-out) as null. */
    private static String text(EdnMapLine.Value v) {
        return switch (v.kind()) {
            case STRING, INTEGER -> v.text();
            case KEYWORD, NIL -> null;
        };
    }

    private static String ednString(String s) {
        return s == null ? "nil" : EdnMapLine.quote(s);
    }

    private static IOException malformed(Path file, int lineNumber, String what, String line) {
        String shown = line.length() > 200 ? line.substring(0, 200) + "..." : line;
        return new IOException(file + ":" + lineNumber + ": " + what + ": " + shown);
    }
}
