package dev.ballot.node;

import dev.ballot.raft.Entry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Applies on a thread of its own, so a slow state machine never holds up the node loop (elections,
 * heartbeats, other clients). The cost: two thread hand-offs per batch of commits (to the apply
 * thread, and the results back to the loop, which answers the clients), and reads are served on the
 * apply thread. Chosen with {@link RaftServerConfig#withApplyOnOwnThread}.
 */
final class ExecutorApplier implements Applier {

    private static final Logger log = LoggerFactory.getLogger(ExecutorApplier.class);

    private record WaitingRead(long index, PendingRead<?> read) {}

    private record Applied(Entry entry, byte[] result) {}

    private final StateMachine stateMachine;
    private final Proposals proposals;
    private final Loop loop;
    private final Consumer<Throwable> onFatal;
    private final ExecutorService thread;
    /** Touched by the apply thread only. */
    private final PriorityQueue<WaitingRead> reads = new PriorityQueue<>((a, b) -> Long.compare(a.index(), b.index()));
    private volatile long appliedIndex;
    private volatile boolean failed;

    ExecutorApplier(StateMachine stateMachine, Proposals proposals, long appliedIndex, Loop loop,
                    String threadName, Consumer<Throwable> onFatal) {
        this.stateMachine = stateMachine;
        this.proposals = proposals;
        this.appliedIndex = appliedIndex;
        this.loop = loop;
        this.onFatal = onFatal;
        this.thread = Executors.newSingleThreadExecutor(Thread.ofPlatform().name(threadName).daemon(true).factory());
    }

    @Override
    public void apply(List<Entry> committed, long leaderHint) {
        if (committed.isEmpty()) return;
        submit(() -> {
            List<Applied> results = new ArrayList<>(committed.size());
            long applied = appliedIndex;
            for (Entry e : committed) {
                byte[] result = Applier.applyNext(stateMachine, applied, e);
                applied = e.index();
                appliedIndex = applied;
                results.add(new Applied(e, result));
            }
            loop.execute(() -> {
                for (Applied a : results) proposals.applied(a.entry(), a.result(), leaderHint);
            });
            serveReads();
        });
    }

    @Override
    public void readAt(long index, PendingRead<?> read) {
        submit(() -> {
            reads.add(new WaitingRead(index, read));
            serveReads();
        });
    }

    @Override
    public void readNow(PendingRead<?> read) {
        submit(read::serve);
    }

    private void serveReads() {
        while (!reads.isEmpty() && reads.peek().index() <= appliedIndex) {
            reads.poll().read().serve();
        }
    }

    private void submit(Runnable task) {
        try {
            thread.execute(() -> {
                if (failed) return;
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    failed = true;
                    log.error("the state machine failed after index {}; stopping the node so replicas cannot diverge",
                            appliedIndex, e);
                    onFatal.accept(e);
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("the apply thread has stopped; dropping work", e);
        }
    }

    @Override
    public void takeSnapshot(SnapshotTaken taken) {
        submit(() -> {
            long index = appliedIndex;
            StateMachine.Snapshot s = Applier.take(stateMachine, index);
            loop.execute(() -> taken.taken(index, s));
        });
    }

    @Override
    public void restore(long index, SnapshotSource source) {
        submit(() -> {
            Applier.restoreFrom(stateMachine, index, source);
            appliedIndex = index;
            serveReads();
        });
    }

    @Override
    public long appliedIndex() {
        return appliedIndex;
    }

    @Override
    public void stop() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("the apply thread did not finish within 5 s");
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (WaitingRead r : reads) {
            r.read().fail(RequestFailure.Kind.SHUTDOWN, 0, "the node stopped before the read was served");
        }
        reads.clear();
    }
}
