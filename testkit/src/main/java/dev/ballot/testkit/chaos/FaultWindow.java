package dev.ballot.testkit.chaos;

/**
 * A time during which a fault was in force, for the summary and the chart.
 *
 * @param endNanos when it ended (relative to the run's start)
 */
public record FaultWindow(FaultFamily family, String label, long startNanos, long endNanos) {}
