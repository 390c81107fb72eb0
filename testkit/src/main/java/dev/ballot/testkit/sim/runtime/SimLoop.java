package dev.ballot.testkit.sim.runtime;

import dev.ballot.node.Loop;
import dev.ballot.node.TurnEnd;

/**
 * One incarnation of a node's loop in virtual time: the production {@link Loop} contract, with
 * every task an event of the {@link Scheduler}. A task queued from outside the loop runs as its
 * own turn, behind everything already queued for now; the end of a turn follows the production
 * rules ({@link TurnEnd}). When the node crashes the loop dies: nothing queued for it runs any
 * more, exactly as a killed process runs nothing. A paused loop (a stopped process) runs nothing
 * until it resumes, then everything that came meanwhile, in order, timers included.
 */
final class SimLoop implements Loop {

    private final Scheduler scheduler;
    private final TurnEnd turnEnd;
    private boolean alive = true;
    private boolean running;
    private long pausedUntil;

    SimLoop(Scheduler scheduler) {
        this.scheduler = scheduler;
        this.turnEnd = new TurnEnd(this::queue, () -> {});
    }

    boolean alive() {
        return alive;
    }

    /** The process died: no task of this loop runs again. */
    void kill() {
        alive = false;
    }

    /** The process is stopped (SIGSTOP) until {@code until}: nothing of it runs before, then all in order. */
    void pauseUntil(long until) {
        pausedUntil = Math.max(pausedUntil, until);
    }

    /**
     * Runs {@code task} as a turn of this loop now (a scheduler event that belongs to this node),
     * or, while the process is paused, when it resumes (in the order the turns came).
     */
    void turn(Runnable task) {
        if (!alive) return;
        if (!running && scheduler.now() < pausedUntil) {
            scheduler.at(pausedUntil, () -> turn(task));
            return;
        }
        inspect(task);
    }

    /** Runs {@code task} on this loop now, paused or not: for the simulation's own checks, which change nothing. */
    void inspect(Runnable task) {
        if (!alive) return;
        if (running) {
            task.run();
            return;
        }
        running = true;
        try {
            task.run();
        } finally {
            running = false;
        }
    }

    private void queue(Runnable task) {
        scheduler.after(0, () -> turn(task));
    }

    @Override
    public boolean inLoop() {
        return running;
    }

    @Override
    public boolean execute(Runnable task) {
        if (!alive) return false;
        if (running) {
            task.run();
        } else {
            queue(task);
        }
        return true;
    }

    @Override
    public Repeating every(long periodNanos, Runnable task) {
        boolean[] cancelled = new boolean[1];
        Runnable[] next = new Runnable[1];
        long[] due = {scheduler.now() + periodNanos};
        next[0] = () -> turn(() -> {
            if (cancelled[0]) return;
            task.run();
            due[0] += periodNanos; // fixed rate, like the production loop's scheduler
            scheduler.at(due[0], next[0]);
        });
        scheduler.at(due[0], next[0]);
        return () -> cancelled[0] = true;
    }

    @Override
    public void atEndOfTurn(Runnable hook) {
        turnEnd.add(hook);
    }

    @Override
    public void endTurnSoon() {
        turnEnd.soon();
    }

    @Override
    public long nanoTime() {
        return scheduler.now();
    }
}
