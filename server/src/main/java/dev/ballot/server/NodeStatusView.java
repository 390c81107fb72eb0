package dev.ballot.server;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/** The JSON of {@code GET /v1/status}; unknown fields are ignored so the server may add more. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeStatusView(long id, String role, long term, Long leaderId, long commitIndex, long appliedIndex,
                             long firstLogIndex, long lastLogIndex, List<Long> members) {

    /** The leader's id, or 0 when the node knows none. */
    public long leader() {
        return leaderId == null ? 0 : leaderId;
    }
}
