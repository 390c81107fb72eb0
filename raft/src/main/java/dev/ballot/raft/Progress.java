package dev.ballot.raft;

/**
 * A leader's bookkeeping for one follower (paper Figure 2, "volatile state on leaders": nextIndex
 * and matchIndex), plus the flow-control state of etcd's raft:
 * <ul>
 *   <li>{@link State#PROBE}: we do not know where the logs agree; send one AppendEntries and wait
 *       for its answer (or a heartbeat answer) before sending another.</li>
 *   <li>{@link State#REPLICATE}: the logs agree up to matchIndex; stream entries optimistically,
 *       advancing nextIndex at send time, with at most {@code maxInflight} unacknowledged messages.</li>
 *   <li>{@link State#SNAPSHOT}: the entries the follower needs were compacted away; the runtime is
 *       sending it a snapshot covering at least {@code pendingSnapshot}. Nothing else is sent until
 *       the follower acknowledges an index the log still continues, or the runtime reports the
 *       transfer's end.</li>
 * </ul>
 */
public final class Progress {

    public enum State { PROBE, REPLICATE, SNAPSHOT }

    private final long peer;
    private long matchIndex;
    private long nextIndex;
    private State state = State.PROBE;
    private boolean probeSent;
    private boolean recentActive;
    /** Commit index last sent to this follower, so an idle follower learns a new commit once. */
    private long sentCommit;
    /** In SNAPSHOT: the index the snapshot asked for covers at least. */
    private long pendingSnapshot;
    private final Inflights inflights;

    Progress(long peer, long nextIndex, int maxInflight) {
        this.peer = peer;
        this.nextIndex = nextIndex;
        this.inflights = new Inflights(maxInflight);
    }

    long matchIndex() {
        return matchIndex;
    }

    long nextIndex() {
        return nextIndex;
    }

    State state() {
        return state;
    }

    boolean recentActive() {
        return recentActive;
    }

    void setRecentActive(boolean active) {
        recentActive = active;
    }

    long sentCommit() {
        return sentCommit;
    }

    long pendingSnapshot() {
        return pendingSnapshot;
    }

    /** Whether sending to this follower must wait. */
    boolean isPaused() {
        return switch (state) {
            case PROBE -> probeSent;
            case REPLICATE -> inflights.full();
            case SNAPSHOT -> true;
        };
    }

    void becomeProbe() {
        // Leaving SNAPSHOT: a snapshot that arrived covers up to pendingSnapshot, so probe after it.
        if (state == State.SNAPSHOT) nextIndex = Math.max(matchIndex + 1, pendingSnapshot + 1);
        state = State.PROBE;
        probeSent = false;
        pendingSnapshot = 0;
        inflights.reset();
    }

    void becomeReplicate() {
        state = State.REPLICATE;
        nextIndex = matchIndex + 1;
        pendingSnapshot = 0;
        inflights.reset();
    }

    /** The runtime was asked to send a snapshot covering at least {@code index}. */
    void becomeSnapshot(long index) {
        state = State.SNAPSHOT;
        pendingSnapshot = index;
        probeSent = false;
        inflights.reset();
    }

    /** The transfer was abandoned: probe again from matchIndex + 1 (which will ask for a snapshot again). */
    void snapshotFailed() {
        pendingSnapshot = 0;
        becomeProbe();
    }

    /** Records that an AppendEntries carrying entries up to {@code lastIndex} (or none) was sent. */
    void sent(long lastIndex, boolean hadEntries, long commit) {
        sentCommit = commit;
        if (state == State.REPLICATE) {
            if (hadEntries) {
                nextIndex = lastIndex + 1;
                inflights.add(lastIndex);
            }
        } else {
            probeSent = true;
        }
    }

    /** A success for {@code index}: returns true if it moved matchIndex forward. */
    boolean maybeUpdate(long index) {
        boolean updated = index > matchIndex;
        if (updated) {
            matchIndex = index;
            probeSent = false;
        }
        nextIndex = Math.max(nextIndex, index + 1);
        return updated;
    }

    /**
     * Rule (probe recovery): a success for exactly matchIndex moves nothing forward, but while
     * probing it still shows that the logs agree up to matchIndex, which is all a probe asks. So the
     * follower can go back to REPLICATE at once (as in etcd's raft) instead of staying paused until
     * the next heartbeat answer.
     */
    boolean probeMatchedAt(long index) {
        return state == State.PROBE && index == matchIndex;
    }

    /** Acknowledged up to {@code index}: free the matching in-flight messages. */
    void acknowledged(long index) {
        inflights.freeUpTo(index);
    }

    /**
     * A rejection of the AppendEntries whose prevLogIndex was {@code rejectedIndex}; {@code hintNext}
     * is where the follower's hint suggests to continue. Returns false if the rejection is stale
     * (an answer to an older message) and was ignored.
     */
    boolean maybeDecrTo(long rejectedIndex, long hintNext) {
        if (state == State.SNAPSHOT) return false; // an answer to an AppendEntries sent before the snapshot
        if (state == State.REPLICATE) {
            if (rejectedIndex <= matchIndex) return false; // stale: we already know more
            becomeProbe();
        } else if (rejectedIndex != nextIndex - 1) {
            return false; // stale: not the answer to our current probe
        }
        // Never below matchIndex + 1 (those entries match), never above the rejected position.
        nextIndex = Math.max(matchIndex + 1, Math.min(hintNext, rejectedIndex));
        probeSent = false;
        return true;
    }

    /** A heartbeat answer: the follower is alive, so resume a paused probe or free one slot. */
    void heartbeatAnswered() {
        recentActive = true;
        if (state == State.SNAPSHOT) return; // the transfer's end resumes sending, not a heartbeat
        if (state == State.PROBE) {
            probeSent = false;
        } else if (inflights.full()) {
            inflights.freeFirst();
        }
    }

    ProgressView view() {
        return new ProgressView(peer, matchIndex, nextIndex, state, inflights.count(), recentActive);
    }
}
