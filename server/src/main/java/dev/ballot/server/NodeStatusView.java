package dev.ballot.server;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/** The JSON of {@code GET /v1/status}; unknown fields are ignored so the server may add more. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeStatusView(long id, String role, long term, Long leaderId, long commitIndex, long appliedIndex,
                             long firstLogIndex, long lastLogIndex, List<Long> members, Snapshot snapshot) {

    /** The node's newest snapshot, as {@code /v1/status} reports it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Snapshot(long snapshotIndex, long snapshotTerm, long sizeBytes, long ageSeconds) {}

    /** The last index of the node's newest snapshot; 0 if none (or an older server that does not say). */
    public long snapshotIndex() {
        return snapshot == null ? 0 : snapshot.snapshotIndex();
    }

    /** The leader's id, or 0 when the node knows none. */
    public long leader() {
        return leaderId == null ? 0 : leaderId;
    }
}
