package dev.ballot.server.it;

/** Child processes a test started: what to print if the test fails, and how to kill them all. */
public interface ProcessDiagnostics extends AutoCloseable {

    /** The end of each process's log, for a failure report. */
    String diagnostics();

    /** Kills whatever is still running; must not throw for processes that already exited. */
    @Override
    void close();
}
