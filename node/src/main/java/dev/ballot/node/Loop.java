package dev.ballot.node;

/**
 * The thread a node runs to completion on, as the runtime sees it: run a task there, run a task
 * every tick, run hooks at the end of a turn, read the clock. {@link NodeLoop} is the production
 * loop (a Netty event loop); the simulator supplies one driven by virtual time, so that it runs
 * the production runtime itself and replaces only this seam, the transport and the disk.
 *
 * <p>Everything except {@link #execute} and {@link #inLoop} must be called on the loop.
 */
public interface Loop {

    /** True when called on the loop. */
    boolean inLoop();

    /**
     * Runs {@code task} on the loop: at once if called there, else later; false if the loop has
     * stopped and the task will never run.
     */
    boolean execute(Runnable task);

    /** Runs {@code task} on the loop every {@code periodNanos}, from one period from now. */
    Repeating every(long periodNanos, Runnable task);

    /** Adds a hook run at the end of every turn that asked for it, in the order added. */
    void atEndOfTurn(Runnable hook);

    /** Asks for the end-of-turn hooks to run once everything read in this turn is handled. */
    void endTurnSoon();

    /** A monotonic clock in nanoseconds (only differences mean anything). */
    long nanoTime();

    /** A task run by {@link #every}. */
    interface Repeating {
        /** No more runs after this one (a run already started finishes). */
        void cancel();
    }
}
