package dev.ballot.node;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The end of a turn of a {@link Loop}, shared by the production loop and the simulator's, so both
 * run the same rules: the first request of a turn queues one end-of-turn task behind what is already
 * queued; that task runs every hook, and again (up to {@link #MAX_ROUNDS} rounds) while a hook asked
 * for more; work still asked for after that gets a new task, so I/O can come in first.
 *
 * <p>Loop only (not thread-safe).
 */
public final class TurnEnd {

    /** Hooks may produce work for each other (an applied write lets a connection send its next command). */
    static final int MAX_ROUNDS = 8;

    private final Consumer<Runnable> queue;
    private final Runnable afterHooks;
    private final List<Runnable> hooks = new ArrayList<>();
    private boolean scheduled;
    private boolean running;
    private boolean workAgain;

    /**
     * @param queue      puts a task at the back of the loop's queue
     * @param afterHooks runs once after the hooks of every end of turn (the production loop flushes)
     */
    public TurnEnd(Consumer<Runnable> queue, Runnable afterHooks) {
        this.queue = queue;
        this.afterHooks = afterHooks;
    }

    /** See {@link Loop#atEndOfTurn}. */
    public void add(Runnable hook) {
        hooks.add(hook);
    }

    /** See {@link Loop#endTurnSoon}. */
    public void soon() {
        if (running) {
            workAgain = true;
            return;
        }
        if (scheduled) return;
        scheduled = true;
        queue.accept(this::run);
    }

    private void run() {
        scheduled = false;
        running = true;
        workAgain = true;
        try {
            for (int round = 0; round < MAX_ROUNDS && workAgain; round++) {
                workAgain = false;
                for (Runnable hook : hooks) hook.run();
            }
        } finally {
            running = false;
        }
        if (workAgain) soon(); // still more: let I/O in first, then carry on
        afterHooks.run();
    }
}
