package dev.ballot.storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Test helpers for {@link GroupCommitLog}. */
final class GroupCommitLogs {

    private GroupCommitLogs() {}

    /**
     * Closes a group-commit log even when its stop request gets lost. Works around a GroupCommitLog
     * bug (see GroupCommitLogTest#closeAfterAFailedBatchReturns): after a failure the storage
     * thread completes the failed futures and only then drains the queue, dropping everything in
     * it, a stop request included; a close() that lands in between waits forever. So if a close
     * has not finished soon, this queues another stop request, until the thread ends.
     */
    static void closeEvenIfTheStopRequestIsLost(GroupCommitLog gcl) {
        List<Thread> closers = new ArrayList<>();
        try {
            while (true) {
                Thread closer = Thread.ofPlatform().daemon().name("group-commit-closer").start(() -> {
                    try {
                        gcl.close();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                closers.add(closer);
                if (closer.join(Duration.ofMillis(50))) break;
                if (closers.size() > 1000) throw new AssertionError("the storage thread does not stop");
            }
            for (Thread t : closers) t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
