package dev.ballot.testkit.sim;

/** Totals over many randomized runs (not thread-safe: merge results from one thread). */
public final class SoakSummary {

    private long runs;
    private long events;
    private long millis;
    private long elections;
    private long committed;
    private long accepted;
    private long acked;
    private long faults;
    private long crashes;
    private long persistCrashes;
    private long pipelinedReadies;
    private long compactions;
    private long snapshotsInstalled;
    private long messages;
    private long reads;
    private final long[] bySize = new long[8];

    public void add(RunResult r) {
        runs++;
        events += r.events();
        millis += r.millis();
        elections += r.elections();
        committed += r.committed();
        accepted += r.accepted();
        acked += r.acked();
        faults += r.faults();
        crashes += r.crashes();
        persistCrashes += r.persistCrashes();
        pipelinedReadies += r.pipelinedReadies();
        compactions += r.compactions();
        snapshotsInstalled += r.snapshotsInstalled();
        messages += r.messages();
        reads += r.reads();
        if (r.nodes() < bySize.length) bySize[r.nodes()]++;
    }

    public long runs() {
        return runs;
    }

    public long events() {
        return events;
    }

    public long elections() {
        return elections;
    }

    public long committed() {
        return committed;
    }

    public long acked() {
        return acked;
    }

    public long faults() {
        return faults;
    }

    public long crashes() {
        return crashes;
    }

    public long persistCrashes() {
        return persistCrashes;
    }

    /** Readies taken while an earlier one was still being persisted (pipelined storage writes). */
    public long pipelinedReadies() {
        return pipelinedReadies;
    }

    /** Linearizable reads released and checked. */
    public long reads() {
        return reads;
    }

    /** Snapshots sent by a leader and installed by a follower. */
    public long snapshotsInstalled() {
        return snapshotsInstalled;
    }

    /** Runs with a cluster of {@code size} nodes. */
    public long runsWithSize(int size) {
        return size < bySize.length ? bySize[size] : 0;
    }

    public String render(long wallMillis) {
        return String.format("""
                runs:        %,d (3 nodes: %,d, 5 nodes: %,d, 7 nodes: %,d)
                events:      %,d (%,d virtual seconds)
                elections:   %,d
                commits:     %,d entries committed; %,d proposals accepted, %,d acknowledged
                reads:       %,d released and checked
                faults:      %,d injected, %,d crashes (%,d during persist)
                pipelining:  %,d Readies taken while an earlier one was being persisted
                snapshots:   %,d taken (log compacted), %,d sent by a leader and installed
                messages:    %,d
                wall time:   %.1f s (%,.0f runs/s)""",
                runs, bySize[3], bySize[5], bySize[7], events, millis / 1000, elections, committed, accepted, acked,
                reads, faults, crashes, persistCrashes, pipelinedReadies, compactions, snapshotsInstalled, messages,
                wallMillis / 1000.0,
                wallMillis == 0 ? 0.0 : runs * 1000.0 / wallMillis);
    }
}
