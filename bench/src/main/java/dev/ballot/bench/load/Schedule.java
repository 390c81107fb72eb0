package dev.ballot.bench.load;

/**
 * The time window of a run, in {@link System#nanoTime()} units: warm-up until
 * {@code measureStartNanos}, measurement until {@code endNanos}. Times are compared by
 * subtraction, as nanoTime requires.
 */
record Schedule(long measureStartNanos, long endNanos) {

    static Schedule startingNow(LoadOptions options) {
        long start = System.nanoTime() + options.warmup().toNanos();
        return new Schedule(start, start + options.duration().toNanos());
    }

    boolean isOver(long nowNanos) {
        return nowNanos - endNanos >= 0;
    }

    boolean isMeasuring(long nowNanos) {
        return nowNanos - measureStartNanos >= 0;
    }

    /** A reply counts if its command was sent after the warm-up and it arrived within the window. */
    boolean counts(long sentNanos, long replyNanos) {
        return isMeasuring(sentNanos) && replyNanos - endNanos <= 0;
    }
}
