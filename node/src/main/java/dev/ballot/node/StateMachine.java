package dev.ballot.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * What a library user plugs into Ballot: the replicated application. Every node applies the same
 * committed commands in the same order, so an implementation must be <b>deterministic</b>: its
 * result and its new state may depend only on its previous state and the command (no clock, no
 * randomness, no I/O that can differ between nodes).
 *
 * <p>Called from one thread only (the apply thread), never concurrently.
 */
public interface StateMachine {

    /**
     * Applies one committed command. The returned bytes go back to the client that proposed it
     * (on the node where it was proposed). A command the application rejects (e.g. a wrong type)
     * still gets applied: it must return an error result and leave the state unchanged, the same
     * way on every node. Throwing stops the node, since replicas would otherwise diverge.
     *
     * @param index   the command's log index (strictly increasing from call to call)
     * @param command the command as proposed
     */
    byte[] apply(long index, byte[] command);

    /** Writes the whole state, as of the last applied index, to {@code out}. */
    void writeSnapshot(OutputStream out) throws IOException;

    /** Replaces the whole state with one written by {@link #writeSnapshot}. */
    void restoreSnapshot(InputStream in) throws IOException;

    /**
     * The state as of the last applied index, taken now, on the apply thread, to be written out
     * later on another thread while commands go on being applied ({@link Snapshot#writeTo} must
     * then write what {@link #writeSnapshot} would have written now). The runtime takes one when
     * its log has grown past the snapshot threshold and closes it once written.
     *
     * <p>The default writes the whole state into memory at once, which pauses the node for as
     * long as that takes: a state machine that can should return a cheap point-in-time view (the
     * KV store does, in O(1)).
     */
    default Snapshot takeSnapshot() throws IOException {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        writeSnapshot(buf);
        return buf::writeTo;
    }

    /** Whether {@link #takeSnapshot} may be called now (a state machine may allow one at a time). */
    default boolean canTakeSnapshot() {
        return true;
    }

    /** A point-in-time state from {@link #takeSnapshot}. */
    @FunctionalInterface
    interface Snapshot extends AutoCloseable {
        /** Writes the state in the {@link #writeSnapshot} format; called once, on any thread. */
        void writeTo(OutputStream out) throws IOException;

        /** Releases the view (any thread). */
        @Override
        default void close() {}
    }
}
