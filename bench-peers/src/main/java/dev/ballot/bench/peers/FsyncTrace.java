package dev.ballot.bench.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the sync calls of one system's child JVM from an strace log written with
 * {@code strace -f -y -e trace=fsync,fdatasync,msync,sync_file_range,...}: per measured window
 * (between the {@link FsyncMarker} fsyncs of each K), per node (by the {@code node-<n>/} part of
 * the file's path) and per file (digits folded to {@code #}, so segments add up).
 */
public final class FsyncTrace {

    /** Calls that make data durable; {@code sync_file_range} does not (it starts write-back only). */
    static final List<String> DURABLE = List.of("fsync", "fdatasync", "msync");
    public static final String TRACED = "fsync,fdatasync,msync,sync_file_range,syncfs,sync";

    // "1234 fdatasync(45</tmp/x/node-1/log/1.seg>) = 0" or "... <unfinished ...>"; resumed lines don't match.
    private static final Pattern CALL = Pattern.compile("^(?:\\[pid\\s+)?\\d+\\]?\\s+(fsync|fdatasync|msync|sync_file_range|syncfs|sync)\\((.*)$");
    private static final Pattern FD_PATH = Pattern.compile("^\\d+<([^>]*)>");
    private static final Pattern NODE = Pattern.compile("/node-(\\d+)/(.*)$");

    /**
     * The calls inside one window.
     *
     * @param perNode node number -> durable calls (fsync, fdatasync, msync) on that node's files
     * @param perFile "node-<n>/<file> <call>" -> count, every call
     * @param other   calls on files outside the node directories, or with no file (msync, sync)
     */
    public record Window(int k, Map<Integer, Long> perNode, Map<String, Long> perFile, Map<String, Long> other) {
    }

    private FsyncTrace() {
    }

    /** One window per K whose begin and end markers both appear in {@code straceLog}. */
    public static Map<Integer, Window> parse(Path straceLog, List<Integer> ks) throws IOException {
        Map<Integer, Window> windows = new LinkedHashMap<>();
        Window open = null;
        try (BufferedReader r = Files.newBufferedReader(straceLog, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                Matcher m = CALL.matcher(line);
                if (!m.find()) continue;
                String call = m.group(1);
                Matcher fd = FD_PATH.matcher(m.group(2));
                String path = fd.find() ? fd.group(1) : null;
                if (path != null && path.contains(FsyncMarker.PREFIX)) {
                    String marker = path.substring(path.indexOf(FsyncMarker.PREFIX) + FsyncMarker.PREFIX.length());
                    for (int k : ks) {
                        if (marker.equals(FsyncMarker.begin(k))) {
                            open = new Window(k, new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
                        } else if (marker.equals(FsyncMarker.end(k)) && open != null && open.k() == k) {
                            windows.put(k, open);
                            open = null;
                        }
                    }
                    continue;
                }
                if (open == null) continue;
                Matcher node = path == null ? null : NODE.matcher(path);
                if (node != null && node.find()) {
                    int n = Integer.parseInt(node.group(1));
                    String file = "node-" + n + "/" + node.group(2).replaceAll("\\d+", "#");
                    open.perFile().merge(file + " " + call, 1L, Long::sum);
                    if (DURABLE.contains(call)) open.perNode().merge(n, 1L, Long::sum);
                } else {
                    open.other().merge((path == null ? "(no file)" : path.replaceAll("\\d+", "#")) + " " + call,
                            1L, Long::sum);
                }
            }
        }
        return windows;
    }
}
