package dev.ballot.node;

import dev.ballot.raft.Entry;
import dev.ballot.raft.EntryType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * The apply thread: applies committed entries to the {@link StateMachine} in log order, exactly
 * once, completes the writes proposed on this node, and serves linearizable reads once the
 * applied index has reached their read index. Only this thread touches the state machine.
 *
 * <p>The raft loop registers a proposal before it hands over the Ready that can commit it; both
 * travel through the same queue, so a registration is always seen before its entry is applied.
 */
final class ApplyLoop {

    private static final Logger log = LoggerFactory.getLogger(ApplyLoop.class);

    private sealed interface Task {}

    /** A write proposed as entry (index, term), to complete when that index is applied. */
    record Proposal(long index, long term, PendingWrite write) {}

    private record Register(List<Proposal> proposals) implements Task {}

    private record Apply(List<Entry> entries, long leaderHint) implements Task {}

    private record ReadAt(long index, PendingRead<?> read) implements Task {}

    private record Stop() implements Task {}

    private record Registered(long term, PendingWrite write) {}

    private record WaitingRead(long index, PendingRead<?> read) {}

    private final StateMachine stateMachine;
    private final Consumer<Throwable> onFatal;
    private final Inbox<Task> tasks = new Inbox<>();
    private final Map<Long, Registered> registered = new HashMap<>();
    private final PriorityQueue<WaitingRead> reads =
            new PriorityQueue<>((a, b) -> Long.compare(a.index(), b.index()));
    private final Thread thread;
    private volatile long appliedIndex;

    ApplyLoop(StateMachine stateMachine, long appliedIndex, String threadName, Consumer<Throwable> onFatal) {
        this.stateMachine = stateMachine;
        this.appliedIndex = appliedIndex;
        this.onFatal = onFatal;
        this.thread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    long appliedIndex() {
        return appliedIndex;
    }

    /**
     * Writes proposed since the last call; each completes when its index is applied. One task per
     * raft loop turn rather than one per write: every queue hand-off may wake this thread.
     */
    void register(List<Proposal> proposals) {
        tasks.add(new Register(List.copyOf(proposals)));
    }

    /** Committed entries, in order, each handed over exactly once. */
    void apply(List<Entry> committed, long leaderHint) {
        tasks.add(new Apply(committed, leaderHint));
    }

    /** Serve {@code read} once everything up to {@code index} is applied. */
    void readAt(long index, PendingRead<?> read) {
        tasks.add(new ReadAt(index, read));
    }

    /** Finishes the queued work, fails what is still waiting, and stops the thread. */
    void stop() throws InterruptedException {
        tasks.add(new Stop());
        thread.join();
    }

    private void run() {
        List<Task> batch = new ArrayList<>();
        try {
            while (true) {
                batch.clear();
                batch.add(tasks.take());
                tasks.drainTo(batch);
                for (Task t : batch) {
                    switch (t) {
                        case Register r -> {
                            for (Proposal p : r.proposals()) {
                                registered.put(p.index(), new Registered(p.term(), p.write()));
                            }
                        }
                        case Apply a -> applyAll(a.entries(), a.leaderHint());
                        case ReadAt r -> reads.add(new WaitingRead(r.index(), r.read()));
                        case Stop s -> {
                            failRemaining();
                            return;
                        }
                    }
                }
                serveReads();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failRemaining();
        } catch (RuntimeException | Error e) {
            log.error("the state machine failed at index {}; stopping the node so replicas cannot diverge",
                    appliedIndex + 1, e);
            failRemaining();
            onFatal.accept(e);
        }
    }

    private void applyAll(List<Entry> entries, long leaderHint) {
        for (Entry e : entries) {
            if (e.index() != appliedIndex + 1) {
                throw new IllegalStateException("apply out of order: got index " + e.index() + " after "
                        + appliedIndex);
            }
            byte[] result = e.type() == EntryType.COMMAND ? stateMachine.apply(e.index(), e.data()) : null;
            appliedIndex = e.index();
            Registered r = registered.remove(e.index());
            if (r != null) {
                if (r.term() == e.term()) {
                    r.write().complete(result);
                } else {
                    r.write().lost(leaderHint);
                }
            }
        }
    }

    private void serveReads() {
        while (!reads.isEmpty() && reads.peek().index() <= appliedIndex) {
            reads.poll().read().serve();
        }
    }

    private void failRemaining() {
        for (Registered r : registered.values()) {
            r.write().fail(RequestFailure.Kind.SHUTDOWN, 0, "the node stopped before the write was applied");
        }
        registered.clear();
        for (WaitingRead r : reads) {
            r.read().fail(RequestFailure.Kind.SHUTDOWN, 0, "the node stopped before the read was served");
        }
        reads.clear();
        List<Task> rest = new ArrayList<>();
        tasks.drainTo(rest);
        for (Task t : rest) {
            switch (t) {
                case Register r -> r.proposals().forEach(p ->
                        p.write().fail(RequestFailure.Kind.SHUTDOWN, 0, "the node stopped"));
                case ReadAt r -> r.read().fail(RequestFailure.Kind.SHUTDOWN, 0, "the node stopped");
                case Apply a -> { }
                case Stop s -> { }
            }
        }
    }
}
