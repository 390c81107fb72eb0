package dev.ballot.node;

import dev.ballot.raft.Entry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The writes proposed on this node, by log index, waiting for their entry to be applied. An entry
 * answers the write registered at its index only if it has the term the write was proposed in;
 * otherwise another leader's entry took that place and the write was never applied.
 *
 * <p>A replaced write hears so as soon as this node learns of it, not when the index is applied
 * (nor at the request timeout): when the log is overwritten at its index, or when this node
 * proposes something else there in a later term. Owned by the node loop.
 */
final class Proposals {

    private record Registered(long term, PendingWrite write) {}

    private final Map<Long, Registered> byIndex = new HashMap<>();

    /** {@code write} was proposed as entry (index, term). */
    void register(long index, long term, PendingWrite write, long leaderHint) {
        Registered earlier = byIndex.put(index, new Registered(term, write));
        if (earlier != null) earlier.write().lost(leaderHint); // this node wrote another entry at that index
    }

    /** Entries about to be written to this node's log: any registered write they replace is lost. */
    void logWritten(List<Entry> entries, long leaderHint) {
        if (byIndex.isEmpty()) return;
        for (Entry e : entries) {
            Registered r = byIndex.get(e.index());
            if (r != null && r.term() != e.term()) {
                byIndex.remove(e.index());
                r.write().lost(leaderHint);
            }
        }
    }

    /** Entry {@code e} was applied with {@code result}: answers the write registered at its index, if any. */
    void applied(Entry e, byte[] result, long leaderHint) {
        if (byIndex.isEmpty()) return;
        Registered r = byIndex.remove(e.index());
        if (r == null) return;
        if (r.term() == e.term()) r.write().complete(result); else r.write().lost(leaderHint);
    }

    /**
     * The state machine was replaced by a snapshot up to {@code index}: the writes registered at
     * or below it will never see their entry applied here, so their outcome is unknown (the
     * snapshot may or may not hold them).
     */
    void coveredBySnapshot(long index) {
        var it = byIndex.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getKey() <= index) {
                e.getValue().write().fail(RequestFailure.Kind.UNKNOWN_OUTCOME, 0,
                        "replaced by a snapshot from the leader before its entry was applied here");
                it.remove();
            }
        }
    }

    int size() {
        return byIndex.size();
    }

    /** The node stops: every registered write's outcome is unknown. */
    void failAll(String why) {
        for (Registered r : byIndex.values()) r.write().fail(RequestFailure.Kind.SHUTDOWN, 0, why);
        byIndex.clear();
    }
}
