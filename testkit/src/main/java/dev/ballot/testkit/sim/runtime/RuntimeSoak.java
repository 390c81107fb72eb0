package dev.ballot.testkit.sim.runtime;

import java.util.Locale;

/** Totals over the passed runs of a full-runtime soak. */
final class RuntimeSoak {

    private long runs;
    private long operations;
    private long acknowledged;
    private long unknown;
    private long faults;
    private long elections;
    private long events;
    private long linUnknown;
    private long restores;

    void add(RuntimeRunResult r) {
        runs++;
        operations += r.operations();
        acknowledged += r.acknowledged();
        unknown += r.unknown();
        faults += r.faults();
        elections += r.elections();
        events += r.events();
        if (r.linearizabilityUnknown()) linUnknown++;
        restores += r.snapshotRestores();
    }

    long runs() {
        return runs;
    }

    String render(long wallMillis) {
        double seconds = Math.max(wallMillis, 1) / 1000.0;
        return String.format(Locale.ROOT, "%,d runs in %.1f s (%.1f runs/s): %,d client operations (%,d acknowledged, "
                + "%,d unknown outcome), %,d faults, %,d elections, %,d events, %,d snapshot restores; linearizability "
                + "not decided within the budget in %,d run(s)", runs, seconds, runs / seconds, operations, acknowledged,
                unknown, faults, elections, events, restores, linUnknown);
    }
}
