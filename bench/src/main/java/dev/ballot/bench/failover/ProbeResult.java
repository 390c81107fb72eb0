package dev.ballot.bench.failover;

/**
 * One probe write: a {@code SET} sent to node {@code node} at {@code sentNanos} and answered (or
 * failed) at {@code doneNanos}, both {@link System#nanoTime()} of the benchmark's JVM.
 *
 * @param detail for {@link Outcome#ERROR} the error's kind ({@code TRYAGAIN}, {@code UNKNOWN}, ...),
 *               for {@link Outcome#FAILED} why the connection failed; empty for {@link Outcome#OK}
 */
public record ProbeResult(long node, long sentNanos, long doneNanos, Outcome outcome, String detail) {

    public enum Outcome {
        /** {@code +OK}: the write was committed and applied. */
        OK,
        /** An error reply; the write may or may not have happened, depending on the kind. */
        ERROR,
        /** No reply: refused, reset, closed, timed out. */
        FAILED
    }

    public ProbeResult {
        if (doneNanos - sentNanos < 0) {
            throw new IllegalArgumentException("done before sent: " + sentNanos + " > " + doneNanos);
        }
        detail = detail == null ? "" : detail;
    }

    public static ProbeResult ok(long node, long sentNanos, long doneNanos) {
        return new ProbeResult(node, sentNanos, doneNanos, Outcome.OK, "");
    }

    /** How the report counts it: {@code OK}, the error kind, or {@code no reply (reason)}. */
    public String label() {
        return switch (outcome) {
            case OK -> "OK";
            case ERROR -> detail.isEmpty() ? "error" : detail;
            case FAILED -> "no reply (" + detail + ")";
        };
    }
}
