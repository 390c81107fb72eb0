package dev.ballot.testkit.sim;

import dev.ballot.raft.Entry;
import dev.ballot.raft.HardState;
import dev.ballot.raft.Message;
import dev.ballot.raft.ReadState;
import dev.ballot.raft.Ready;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Stable 64-bit hashes for the simulator: per-log prefix hashes (Log Matching), the trace digest
 * and seed derivation. Unlike {@code Object.hashCode} of records holding enums, these do not
 * depend on identity hashes, so they are equal across JVM runs.
 */
final class Hashing {

    private Hashing() {}

    /** Mixes {@code value} into {@code hash} (a murmur3-style finaliser over an xor). */
    static long mix(long hash, long value) {
        long x = hash ^ (value * 0x9E3779B97F4A7C15L);
        x ^= x >>> 33;
        x *= 0xFF51AFD7ED558CCDL;
        x ^= x >>> 33;
        x *= 0xC4CEB9FE1A85EC53L;
        x ^= x >>> 33;
        return x;
    }

    static long mix(long hash, long a, long b) {
        return mix(mix(hash, a), b);
    }

    /** A hash of everything in an entry. */
    static long entry(Entry e) {
        long h = mix(mix(0x5EED, e.index()), e.term());
        h = mix(h, e.type().ordinal());
        return mix(h, Arrays.hashCode(e.data()));
    }

    /** A hash of a message: its type, addresses, term and the fields that steer the receiver. */
    static long message(Message m) {
        long h = mix(mix(mix(17, m.from()), m.to()), m.term());
        return switch (m) {
            case Message.RequestVote v -> mix(mix(mix(mix(h, 1), v.lastLogIndex()), v.lastLogTerm()), v.preVote() ? 1 : 0);
            case Message.RequestVoteResponse v -> mix(mix(mix(h, 2), v.voteGranted() ? 1 : 0), v.preVote() ? 1 : 0);
            case Message.AppendEntries a -> mix(mix(mix(mix(mix(h, 3), a.prevLogIndex()), a.prevLogTerm()),
                    a.leaderCommit()), entries(a.entries()));
            case Message.AppendEntriesResponse r -> mix(mix(mix(mix(mix(mix(h, 4), r.success() ? 1 : 0),
                    r.matchIndex()), r.rejectedIndex()), r.conflictTerm()), r.conflictIndex());
            case Message.Heartbeat b -> mix(mix(mix(h, 5), b.commit()), b.context());
            case Message.HeartbeatResponse r -> mix(mix(h, 6), r.context());
            case Message.InstallSnapshot s -> mix(mix(mix(h, 7), s.lastIncludedIndex()), s.lastIncludedTerm());
        };
    }

    private static long entries(List<Entry> entries) {
        long h = entries.size();
        for (Entry e : entries) h = mix(h, entry(e));
        return h;
    }

    /**
     * The messages of a Ready in a canonical order (by receiver, stable): the engine's order may
     * follow the iteration order of hash-salted collections, which differs between JVM runs.
     */
    static List<Message> canonicalOrder(List<Message> messages) {
        if (messages.size() < 2) return messages;
        List<Message> sorted = new ArrayList<>(messages);
        sorted.sort(Comparator.comparingLong(Message::to));
        return sorted;
    }

    /** A hash of a Ready (its messages in canonical order). */
    static long ready(Ready r) {
        long h = r.role().ordinal();
        HardState hs = r.hardState();
        if (hs != null) h = mix(mix(h, hs.currentTerm(), hs.votedFor()), hs.commitIndex());
        for (Entry e : r.entries()) h = mix(h, entry(e));
        for (Message m : canonicalOrder(r.messages())) h = mix(h, message(m));
        for (Entry e : r.committedEntries()) h = mix(h, e.index());
        for (ReadState s : r.readStates()) h = mix(h, s.context(), s.index());
        return h;
    }
}
