package dev.ballot.testkit.sim;

import dev.ballot.raft.Entry;
import dev.ballot.raft.ProposeResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tracks every proposal a leader accepted until its outcome is known. A proposal is
 * <b>acknowledged</b> when the proposing leader (the same incarnation) applies an entry with the
 * accepted index <em>and</em> term and the same data: that is when a real server would answer the
 * client "done". It is <b>lost</b> when that node applies a different entry at the index, and its
 * outcome is <b>unknown</b> when the node crashes first (the client never hears back).
 */
public final class Proposals {

    /** An accepted proposal. */
    public record Proposal(String command, long node, long index, long term) {}

    private record Pending(Proposal proposal, byte[] data, int incarnation) {}

    private final Map<Long, Map<Long, Pending>> pendingByNode = new HashMap<>();
    private final List<Proposal> acknowledged = new ArrayList<>();
    private long accepted;
    private long lost;
    private long unknown;

    void onAccepted(long node, int incarnation, byte[] data, ProposeResult.Accepted a) {
        accepted++;
        Proposal p = new Proposal(text(data), node, a.index(), a.term());
        Pending previous = pendingByNode.computeIfAbsent(node, k -> new HashMap<>())
                .put(a.index(), new Pending(p, data, incarnation));
        if (previous != null) unknown++; // the node re-used the index as leader of a later term
    }

    void onApplied(long node, int incarnation, Entry e) {
        Map<Long, Pending> pending = pendingByNode.get(node);
        if (pending == null || pending.isEmpty()) return;
        Pending p = pending.remove(e.index());
        if (p == null) return;
        if (p.incarnation() == incarnation && e.term() == p.proposal().term() && Arrays.equals(e.data(), p.data())) {
            acknowledged.add(p.proposal());
        } else {
            lost++;
        }
    }

    void onCrash(long node) {
        Map<Long, Pending> pending = pendingByNode.get(node);
        if (pending != null) {
            unknown += pending.size();
            pending.clear();
        }
    }

    /** A command's bytes as text (commands are ASCII in the simulator). */
    public static String text(byte[] data) {
        return new String(data, StandardCharsets.ISO_8859_1);
    }

    /** Proposals acknowledged so far, in acknowledgement order. */
    public List<Proposal> acknowledged() {
        return Collections.unmodifiableList(acknowledged);
    }

    /** Proposals accepted by a leader so far. */
    public long accepted() {
        return accepted;
    }

    /** Proposals known not to have been committed (another entry took their index). */
    public long lost() {
        return lost;
    }

    /** Proposals whose leader crashed (or re-used the index) before the outcome was known. */
    public long unknown() {
        return unknown;
    }

    /** Proposals still waiting for their outcome. */
    public long pending() {
        long n = 0;
        for (Map<Long, Pending> m : pendingByNode.values()) n += m.size();
        return n;
    }

    /** Outstanding proposals on one node. */
    public int pendingOn(long node) {
        Map<Long, Pending> m = pendingByNode.get(node);
        return m == null ? 0 : m.size();
    }
}
