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

    /** The highest applied index; any thread. */
    long appliedIndex();

    /** Fails the reads still waiting and stops; entries not yet applied are dropped. */
    void stop();

    /** Applies committed entry {@code e}, which must come right after {@code applied}; its result, or null. */
    static byte[] applyNext(StateMachine stateMachine, long applied, Entry e) {
        if (e.index() != applied + 1) {
            throw new IllegalStateException("apply out of order: got index " + e.index() + " after " + applied);
        }
        return e.type() == EntryType.COMMAND ? stateMachine.apply(e.index(), e.data()) : null;
    }
}
