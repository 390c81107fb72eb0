package dev.ballot.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** Runs the clients of one load run to the end and merges what they measured. */
public final class LoadRun {

    private LoadRun() {}

    public static LoadResult run(LoadOptions options) throws InterruptedException {
        Schedule schedule = Schedule.startingNow(options);
        RequestBudget budget = options.requests() > 0 ? new RequestBudget(options.requests()) : null;
        List<LoadClient> clients = new ArrayList<>(options.clients());
        List<Thread> threads = new ArrayList<>(options.clients());
        for (int i = 0; i < options.clients(); i++) {
            LoadClient client = new LoadClient(i, options, schedule, budget);
            clients.add(client);
            threads.add(Thread.ofPlatform().name("load-client-" + i).daemon().start(client));
        }
        try {
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            threads.forEach(Thread::interrupt);
            throw e;
        }
        return merge(options, schedule, clients);
    }

    private static LoadResult merge(LoadOptions options, Schedule schedule, List<LoadClient> clients) {
        Histogram latency = new Histogram(3);
        Map<String, Long> errors = new TreeMap<>();
        Map<String, Long> failures = new TreeMap<>();
        long lost = 0;
        long lastReply = schedule.measureStartNanos();
        for (LoadClient client : clients) {
            ClientStats stats = client.stats();
            latency.add(stats.latencyMicros);
            stats.errorsByKind.forEach((kind, n) -> errors.merge(kind, n, Long::sum));
            stats.connectionFailures.forEach((reason, n) -> failures.merge(reason, n, Long::sum));
            lost += stats.lostCommands;
            if (stats.lastReplyNanos != 0 && stats.lastReplyNanos - lastReply > 0) {
                lastReply = stats.lastReplyNanos;
            }
        }
        // A --requests run may end before the window does: rate it over the time it really took.
        long windowEnd = options.requests() > 0 && lastReply - schedule.endNanos() < 0
                ? lastReply : schedule.endNanos();
        double seconds = (windowEnd - schedule.measureStartNanos()) / 1e9;
        return new LoadResult(options, latency.getTotalCount(), errors, failures, lost, seconds, latency);
    }
}
