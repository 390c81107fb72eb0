package dev.ballot.node;

/**
 * When a node snapshots its state machine and compacts its log, and how it sends a snapshot to a
 * follower (docs/snapshots.md). Every value is checked here, so a wrong setting fails at start-up
 * with a message that names it.
 *
 * @param entries         take a snapshot once this many entries were applied since the last one
 *                        (0: never by count); each node adds a random 0–25% per snapshot, so the
 *                        nodes of a cluster do not all write at once
 * @param bytes           take a snapshot once the entries applied since the last one hold this many
 *                        bytes (0: never by size)
 * @param catchUpEntries  entries kept in the log behind a new snapshot, so a follower that lags a
 *                        little catches up from the log rather than by a whole snapshot (the log
 *                        drops whole segments only, so it may keep more)
 * @param chunkBytes      bytes per snapshot chunk sent to a follower
 * @param chunksInFlight  chunks sent to a follower before it acknowledges the first (flow control)
 */
public record SnapshotPolicy(long entries, long bytes, long catchUpEntries, int chunkBytes, int chunksInFlight) {

    public static final long DEFAULT_ENTRIES = 100_000;
    public static final long DEFAULT_BYTES = 256L << 20;
    public static final long DEFAULT_CATCH_UP_ENTRIES = 5_000;
    public static final int DEFAULT_CHUNK_BYTES = 1 << 20;
    public static final int DEFAULT_CHUNKS_IN_FLIGHT = 4;

    /** 100,000 entries or 256 MiB of them, 5,000 kept for catch-up, 1 MiB chunks, 4 in flight. */
    public static final SnapshotPolicy DEFAULTS = new SnapshotPolicy(DEFAULT_ENTRIES, DEFAULT_BYTES,
            DEFAULT_CATCH_UP_ENTRIES, DEFAULT_CHUNK_BYTES, DEFAULT_CHUNKS_IN_FLIGHT);

    /** Never snapshots on its own ({@code ballot admin snapshot} still takes one). */
    public static final SnapshotPolicy MANUAL = new SnapshotPolicy(0, 0, DEFAULT_CATCH_UP_ENTRIES,
            DEFAULT_CHUNK_BYTES, DEFAULT_CHUNKS_IN_FLIGHT);

    public SnapshotPolicy {
        if (entries < 0) throw new IllegalArgumentException("snapshot entries must be >= 0 (0: never by count), was " + entries);
        if (bytes < 0) throw new IllegalArgumentException("snapshot bytes must be >= 0 (0: never by size), was " + bytes);
        if (catchUpEntries < 0) throw new IllegalArgumentException("catch-up entries must be >= 0, was " + catchUpEntries);
        if (chunkBytes < 1 || chunkBytes > (8 << 20)) {
            throw new IllegalArgumentException("snapshot chunk bytes must be in 1..8 MiB, was " + chunkBytes);
        }
        if (chunksInFlight < 1) throw new IllegalArgumentException("chunks in flight must be >= 1, was " + chunksInFlight);
    }

    /**
     * True once {@code entriesSince} entries holding {@code bytesSince} bytes call for a snapshot.
     * {@code stagger} (0 to 1) raises both thresholds by up to a quarter: each node draws its own,
     * so the nodes of a cluster, which apply the same entries, do not all snapshot at once.
     */
    boolean due(long entriesSince, long bytesSince, double stagger) {
        double factor = 1 + stagger / 4;
        return (entries > 0 && entriesSince >= (long) (entries * factor))
                || (bytes > 0 && bytesSince >= (long) (bytes * factor));
    }

    public SnapshotPolicy withThresholds(long entries, long bytes) {
        return new SnapshotPolicy(entries, bytes, catchUpEntries, chunkBytes, chunksInFlight);
    }

    public SnapshotPolicy withCatchUpEntries(long n) {
        return new SnapshotPolicy(entries, bytes, n, chunkBytes, chunksInFlight);
    }

    public SnapshotPolicy withChunks(int bytesPerChunk, int inFlight) {
        return new SnapshotPolicy(entries, bytes, catchUpEntries, bytesPerChunk, inFlight);
    }
}
