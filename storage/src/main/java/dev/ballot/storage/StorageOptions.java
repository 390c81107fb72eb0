package dev.ballot.storage;

/**
 * Storage settings.
 *
 * @param segmentBytes      a segment is closed and a new one started once it reaches this size (default 64 MiB)
 * @param durability        {@link Durability#FSYNC} (default, safe) or {@link Durability#NONE} (unsafe)
 * @param snapshotsRetained how many snapshot files to keep (default 2)
 * @param preallocate       extend log segment files with zeros ahead of the records (default true): each
 *                          fsync then no longer commits a new file size through the file system's journal
 */
public record StorageOptions(long segmentBytes, Durability durability, int snapshotsRetained, boolean preallocate) {

    public static final StorageOptions DEFAULTS = new StorageOptions(SegmentedLog.DEFAULT_SEGMENT_BYTES,
            Durability.FSYNC, SnapshotStore.DEFAULT_RETAIN, true);

    public StorageOptions {
        if (segmentBytes < 4096) throw new IllegalArgumentException("segmentBytes must be >= 4096, was " + segmentBytes);
        if (durability == null) throw new IllegalArgumentException("durability must be FSYNC or NONE");
        if (snapshotsRetained < 1) {
            throw new IllegalArgumentException("snapshotsRetained must be >= 1, was " + snapshotsRetained);
        }
    }

    public StorageOptions withSegmentBytes(long n) {
        return new StorageOptions(n, durability, snapshotsRetained, preallocate);
    }

    public StorageOptions withDurability(Durability d) {
        return new StorageOptions(segmentBytes, d, snapshotsRetained, preallocate);
    }

    public StorageOptions withSnapshotsRetained(int n) {
        return new StorageOptions(segmentBytes, durability, n, preallocate);
    }

    public StorageOptions withPreallocate(boolean p) {
        return new StorageOptions(segmentBytes, durability, snapshotsRetained, p);
    }
}
