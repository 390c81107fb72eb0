package dev.ballot.raft;

/**
 * A leader's bookkeeping for one follower (paper Figure 2, "volatile state on leaders": nextIndex
 * and matchIndex), plus the flow-control state of etcd's raft:
 * <ul>
 *   <li>{@link State#PROBE}: we do not know where the logs agree; send one AppendEntries and wait
 *       for its answer (or a heartbeat answer) before sending another.</li>
 *   <li>{@link State#REPLICATE}: the logs agree up to matchIndex; stream entries optimistically,
 *       advancing nextIndex at send time, with at most {@code maxInflight} unacknowledged messages.</li>
 * </ul>
 */
public final class Progress {

    public enum State { PROBE, REPLICATE }

    private final long peer;
    private long matchIndex;
    private long nextIndex;
    private State state = State.PROBE;
    private boolean probeSent;
    private boolean recentActive;
    /** Commit index last sent to this follower, so an idle follower learns a new commit once. */
    private long sentCommit;
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

    /** Whether sending to this follower must wait. */
    boolean isPaused() {
        return state == State.PROBE ? probeSent : inflights.full();
    }

    void becomeProbe() {
        state = State.PROBE;
        probeSent = false;
        inflights.reset();
    }

    void becomeReplicate() {
        state = State.REPLICATE;
        nextIndex = matchIndex + 1;
        inflights.reset();
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
