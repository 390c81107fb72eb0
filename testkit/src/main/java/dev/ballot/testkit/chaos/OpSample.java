package dev.ballot.testkit.chaos;

import dev.ballot.testkit.lin.EventType;

/**
 * One completed client operation, for the latency chart and percentiles.
 *
 * @param f            the operation's name (read, write, cas, get, put, append)
 * @param startNanos   when it was invoked, relative to the run's start
 * @param latencyNanos how long until its outcome was known
 * @param outcome      OK, FAIL or INFO
 */
public record OpSample(String f, long startNanos, long latencyNanos, EventType outcome) {}
