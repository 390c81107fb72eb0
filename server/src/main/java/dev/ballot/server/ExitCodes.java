package dev.ballot.server;

/** The exit codes of every {@code ballot} command; docs/cli.md lists them for users. */
public final class ExitCodes {

    /** The command did what was asked. */
    public static final int OK = 0;
    /** {@code get}: the key does not exist (like grep: no match). */
    public static final int NOT_FOUND = 1;
    /** {@code server}/{@code cluster start}: could not start or a node stopped on its own (same value as NOT_FOUND; picocli's code for an unexpected error). */
    public static final int FAILURE = 1;
    /** A flag, argument, setting or config file is wrong; nothing was done. */
    public static final int USAGE = 2;
    /** No node could be reached, or none had a leader within the retry budget. */
    public static final int UNAVAILABLE = 3;
    /** A node answered with an error (e.g. value too large), or a write's outcome is unknown. */
    public static final int FAILED = 4;

    private ExitCodes() {}
}
