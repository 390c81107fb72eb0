package dev.ballot.testkit.chaos;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Applies a plan's steps at their times (relative to the run's start) until the plan ends or the run stops. */
final class NemesisRunner implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(NemesisRunner.class);

    private final Nemesis nemesis;
    private final List<Step> steps;
    private final long originNanos;
    private final CountDownLatch stopped;
    private final NemesisLog nemesisLog;

    NemesisRunner(Nemesis nemesis, List<Step> steps, long originNanos, CountDownLatch stopped, NemesisLog nemesisLog) {
        this.nemesis = nemesis;
        this.steps = List.copyOf(steps);
        this.originNanos = originNanos;
        this.stopped = stopped;
        this.nemesisLog = nemesisLog;
    }

    @Override
    public void run() {
        try {
            for (Step step : steps) {
                long wait = originNanos + step.at().toNanos() - System.nanoTime();
                // Waiting on the stop latch (not sleeping) so the end of the run interrupts the wait at once.
                if (wait > 0 && stopped.await(wait, TimeUnit.NANOSECONDS)) return;
                if (stopped.getCount() == 0) return;
                try {
                    nemesis.apply(step);
                } catch (RuntimeException e) {
                    log.error("nemesis step {} failed", step, e);
                    nemesisLog.line(System.nanoTime() - originNanos, step + " FAILED: " + e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
