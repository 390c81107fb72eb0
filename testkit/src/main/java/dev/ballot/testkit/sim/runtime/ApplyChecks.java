package dev.ballot.testkit.sim.runtime;

import dev.ballot.raft.EntryType;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * What each node incarnation's state machine was given ({@link RecordingStateMachine}), checked
 * after every event against the committed log: every committed command, in log order, once (the
 * state machine starts empty at boot and re-applies the log), never past the node's commit index,
 * each the very entry committed at its index, and already on the node's disk when applied; and no
 * client command committed twice (the simulated clients send each command once, with a unique
 * value: a second copy in the log is a retry gone wrong).
 */
final class ApplyChecks {

    private final LongFunction<CommittedEntry> committed;
    /** Per node: every command up to this index was applied by its current incarnation. */
    private final Map<Long, Long> appliedUpTo = new HashMap<>();
    private long restores;

    /** State machines restored from a snapshot (at boot, or installed from a leader). */
    long restores() {
        return restores;
    }

    /** Index of each command in the committed log (its bytes, one char per byte). */
    private final Map<String, Long> commandIndex = new HashMap<>();

    /** @param committed the entry committed at an index, or null if none is known to be */
    ApplyChecks(LongFunction<CommittedEntry> committed) {
        this.committed = committed;
    }

    /** Index {@code index} is known committed for the first time, holding {@code e}. */
    void newlyCommitted(long index, CommittedEntry e) {
        if (e.type() != EntryType.COMMAND) return;
        Long first = commandIndex.putIfAbsent(new String(e.data(), StandardCharsets.ISO_8859_1), index);
        if (first != null) {
            throw new RuntimeViolation("exactly once", "the command committed at index " + first
                    + " is committed again at index " + index + ": " + printable(e.data()));
        }
    }

    /** The node booted: its state machine is empty. */
    void newIncarnation(long node) {
        appliedUpTo.put(node, 0L);
    }

    /**
     * After an event: {@code applied} is what the node's state machine got since the last check;
     * {@code commitIndex} and {@code appliedIndex} what the node reports now. Every index up to the
     * commit index must be known to {@code committed} by now.
     */
    void check(long node, List<RecordingStateMachine.Applied> applied, long commitIndex, long appliedIndex) {
        long upTo = appliedUpTo.getOrDefault(node, 0L);
        // After a restore the state holds a committed prefix up to an index not known here: the next
        // application, or the applied index reported, says where it ended. What the snapshot held
        // is checked by the final digests and the linearizability check.
        boolean restored = false;
        for (RecordingStateMachine.Applied a : applied) {
            if (a.restore()) {
                restored = true;
                restores++;
                continue;
            }
            if (a.index() <= upTo) {
                throw new RuntimeViolation("applied twice", "node " + node + " applied index " + a.index()
                        + " after applying up to " + upTo);
            }
            if (a.index() > commitIndex) {
                throw new RuntimeViolation("applied past commit", "node " + node + " applied index " + a.index()
                        + " with commit index " + commitIndex);
            }
            if (!restored) noCommandsBetween(node, upTo, a.index());
            restored = false;
            CommittedEntry c = committed.apply(a.index());
            if (c == null || c.type() != EntryType.COMMAND || !Arrays.equals(c.data(), a.command())) {
                throw new RuntimeViolation("state machine safety", "node " + node + " applied a command at index "
                        + a.index() + " that is not the entry committed there");
            }
            if (a.durableTerm() != c.term()) {
                throw new RuntimeViolation("apply before persist", "node " + node + " applied index " + a.index()
                        + " while its disk held " + (a.durableTerm() == 0 ? "no entry" : "term " + a.durableTerm())
                        + " there");
            }
            upTo = a.index();
        }
        if (appliedIndex > upTo) {
            if (!restored) noCommandsBetween(node, upTo, appliedIndex + 1);
            upTo = appliedIndex;
        }
        appliedUpTo.put(node, upTo);
    }

    private static String printable(byte[] data) {
        StringBuilder sb = new StringBuilder();
        for (byte b : data) sb.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        return sb.toString();
    }

    /** Nothing between {@code after} and {@code before} (both exclusive) is a command the node skipped. */
    private void noCommandsBetween(long node, long after, long before) {
        for (long i = after + 1; i < before; i++) {
            CommittedEntry c = committed.apply(i);
            if (c != null && c.type() == EntryType.COMMAND) {
                throw new RuntimeViolation("applied out of order", "node " + node + " did not apply the command"
                        + " committed at index " + i + " before going past it");
            }
        }
    }
}
