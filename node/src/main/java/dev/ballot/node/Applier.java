package dev.ballot.node;

import dev.ballot.raft.Entry;
import dev.ballot.raft.EntryType;

import java.util.List;

/**
 * Feeds committed entries to the {@link StateMachine} in log order, exactly once, and serves
 * linearizable reads once the applied index reaches their read index. Called on the node loop.
 * {@link InlineApplier} (the default) applies on the loop itself; {@link ExecutorApplier} on a
 * thread of its own, for state machines too slow to run on the loop (docs/runtime.md).
 */
interface Applier {

    /** Applies {@code committed} (in order, each once); results go to {@link Proposals#applied}. */
    void apply(List<Entry> committed, long leaderHint);

    /** Serves {@code read} once everything up to {@code index} is applied. */
    void readAt(long index, PendingRead<?> read);

    /** Runs {@code query} against the state as it is now (not linearizable). */
    void readNow(PendingRead<?> read);

    /**
     * Takes a point-in-time snapshot of the state machine once everything handed to {@link #apply}
     * so far is applied, and gives it, with the index it holds, to {@code taken} on the node loop.
     * Gives null if the state machine cannot take one now ({@link StateMachine#canTakeSnapshot}).
     */
    void takeSnapshot(SnapshotTaken taken);

    /**
     * Replaces the state with a snapshot holding every entry up to {@code index}, after everything
     * handed to {@link #apply} so far; entries handed later follow it. Reads waiting for an index
     * it covers are then served.
     */
    void restore(long index, SnapshotSource source);

    /** The highest applied index; any thread. */
    long appliedIndex();

    /** Fails the reads still waiting and stops; entries not yet applied are dropped. */
    void stop();

    /** Receives a snapshot taken by {@link #takeSnapshot}. */
    interface SnapshotTaken {
        void taken(long index, StateMachine.Snapshot snapshot);
    }

    /** Opens the bytes of a snapshot to restore (the caller closes them). */
    interface SnapshotSource {
        java.io.InputStream open() throws java.io.IOException;
    }

    /** Restores {@code stateMachine} from {@code source}; an unreadable snapshot stops the node. */
    static void restoreFrom(StateMachine stateMachine, long index, SnapshotSource source) {
        try (java.io.InputStream in = source.open()) {
            stateMachine.restoreSnapshot(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot restore the state machine from the snapshot up to index "
                    + index, e);
        }
    }

    /** Takes a snapshot if the state machine can; null if not now. */
    static StateMachine.Snapshot take(StateMachine stateMachine, long index) {
        if (!stateMachine.canTakeSnapshot()) return null;
        try {
            return stateMachine.takeSnapshot();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot take a snapshot of the state machine at index " + index, e);
        }
    }

    /** Applies committed entry {@code e}, which must come right after {@code applied}; its result, or null. */
    static byte[] applyNext(StateMachine stateMachine, long applied, Entry e) {
        if (e.index() != applied + 1) {
            throw new IllegalStateException("apply out of order: got index " + e.index() + " after " + applied);
        }
        return e.type() == EntryType.COMMAND ? stateMachine.apply(e.index(), e.data()) : null;
    }
}
