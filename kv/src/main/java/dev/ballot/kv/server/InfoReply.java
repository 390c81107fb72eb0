package dev.ballot.kv.server;

import dev.ballot.node.NodeStatus;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The text of {@code INFO [section ...]}: Redis's "# Section" / "field:value" format, with a
 * {@code Server} and a {@code Raft} section. An unknown section gives nothing, as in Redis.
 */
final class InfoReply {

    static final String BALLOT_VERSION = "0.1.0";

    private InfoReply() {}

    /** @param sections the requested section names (any case); empty, "all", "default" or "everything" for all */
    static String render(List<String> sections, NodeStatus status, int tcpPort, long uptimeSeconds) {
        boolean all = sections.isEmpty();
        boolean server = all;
        boolean raft = all;
        for (String s : sections) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "all", "default", "everything" -> {
                    server = true;
                    raft = true;
                }
                case "server" -> server = true;
                case "raft" -> raft = true;
                default -> { } // unknown sections are silently empty, as in Redis
            }
        }
        StringBuilder sb = new StringBuilder();
        if (server) {
            section(sb, "Server");
            line(sb, "ballot_version", BALLOT_VERSION);
            line(sb, "tcp_port", Integer.toString(tcpPort));
            line(sb, "uptime_in_seconds", Long.toString(uptimeSeconds));
        }
        if (raft) {
            section(sb, "Raft");
            line(sb, "node_id", Long.toString(status.id()));
            line(sb, "role", status.role().name().toLowerCase(Locale.ROOT));
            line(sb, "term", Long.toString(status.term()));
            line(sb, "leader_id", Long.toString(status.leaderId()));
            line(sb, "commit_index", Long.toString(status.commitIndex()));
            line(sb, "applied_index", Long.toString(status.appliedIndex()));
            line(sb, "first_log_index", Long.toString(status.firstLogIndex()));
            line(sb, "last_log_index", Long.toString(status.lastLogIndex()));
            line(sb, "snapshot_index", Long.toString(status.snapshot().index()));
            line(sb, "snapshot_term", Long.toString(status.snapshot().term()));
            line(sb, "snapshot_size_bytes", Long.toString(status.snapshot().sizeBytes()));
            line(sb, "snapshot_age_seconds", Long.toString(ageSeconds(status.snapshot(), System.currentTimeMillis())));
            line(sb, "members", status.members().stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        return sb.toString();
    }

    /** Seconds since the snapshot was written or installed; -1 if unknown (none, or found at start-up). */
    static long ageSeconds(NodeStatus.Snapshot snap, long nowMillis) {
        return snap.takenAtMillis() <= 0 ? -1 : Math.max(0, (nowMillis - snap.takenAtMillis()) / 1000);
    }

    private static void section(StringBuilder sb, String name) {
        if (!sb.isEmpty()) {
            sb.append("\r\n");
        }
        sb.append("# ").append(name).append("\r\n");
    }

    private static void line(StringBuilder sb, String field, String value) {
        sb.append(field).append(':').append(value).append("\r\n");
    }
}
