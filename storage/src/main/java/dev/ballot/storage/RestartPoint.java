package dev.ballot.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a restarting node resumes: the newest snapshot that verifies, and the log after it.
 * Chosen by {@link #choose}, which never starts a node with silently missing data:
 * <ul>
 *   <li>The newest valid snapshot that the log continues (holds its last entry with its term)
 *       is taken as it is.</li>
 *   <li>If the log does not reach the newest valid snapshot, or holds another entry at its
 *       index, an install of that snapshot was cut short (the snapshot is made durable before the
 *       log is reset): the log is reset to start right after it ({@link SegmentedLog#restore}).</li>
 *   <li>A damaged newer snapshot is skipped for an older one only if the log still holds every
 *       entry from right after the older one up to the damaged one's index: the state it covered
 *       is then rebuilt by replaying the log. Otherwise, and if the log starts after the snapshot
 *       taken (entries in between are gone), starting fails loudly, saying what is missing.</li>
 * </ul>
 *
 * @param snapshot the snapshot to restore the state machine from, or empty to replay the log from index 1
 * @param skipped  damaged snapshots passed over, newest first, each with why
 */
public record RestartPoint(Optional<SnapshotMeta> snapshot, List<String> skipped) {

    private static final Logger log = LoggerFactory.getLogger(RestartPoint.class);

    public RestartPoint {
        skipped = List.copyOf(skipped);
    }

    /** Chooses the restart point and, after a cut-short install, resets {@code segments} to follow the snapshot. */
    public static RestartPoint choose(SnapshotStore snapshots, SegmentedLog segments) {
        List<String> skipped = new ArrayList<>();
        long damagedUpTo = 0; // the highest index a damaged newer snapshot covered
        for (SnapshotStore.Listing l : snapshots.listNewestFirst()) {
            if (!l.valid()) {
                skipped.add(l.name() + ": " + l.damage());
                damagedUpTo = Math.max(damagedUpTo, l.lastIndex());
                log.warn("skipping damaged snapshot {}: {}", l.name(), l.damage());
                continue;
            }
            SnapshotMeta meta = l.meta();
            checkNoGap(segments, meta.lastIndex(), "snapshot " + l.name(), skipped);
            if (damagedUpTo > meta.lastIndex()) {
                checkCovers(segments, meta, damagedUpTo, skipped);
            } else if (!continues(segments, meta)) {
                log.info("the log does not continue snapshot {} (log [{}, {}]): an install was cut short; resetting it",
                        l.name(), segments.firstIndex(), segments.lastIndex());
                segments.restore(meta.lastIndex(), meta.lastTerm());
            }
            return new RestartPoint(Optional.of(meta), skipped);
        }
        checkNoGap(segments, 0, "the empty state (no valid snapshot)", skipped);
        if (damagedUpTo > 0 && segments.lastIndex() < damagedUpTo) {
            throw missing("every snapshot is damaged and the log ends at " + segments.lastIndex()
                    + ", before index " + damagedUpTo + " that the newest damaged one covered", skipped);
        }
        return new RestartPoint(Optional.empty(), skipped);
    }

    private static boolean continues(SegmentedLog segments, SnapshotMeta meta) {
        long i = meta.lastIndex();
        return i >= segments.firstIndex() - 1 && i <= segments.lastIndex() && segments.term(i) == meta.lastTerm();
    }

    /** The log may not start after {@code index} + 1: the entries in between would be in no file. */
    private static void checkNoGap(SegmentedLog segments, long index, String base, List<String> skipped) {
        if (segments.firstIndex() > index + 1) {
            throw missing("the log starts at index " + segments.firstIndex() + " but " + base + " covers only up to "
                    + index + ": entries " + (index + 1) + ".." + (segments.firstIndex() - 1) + " are in no file", skipped);
        }
    }

    /** Falling back past damaged snapshots: the log must rebuild what they covered. */
    private static void checkCovers(SegmentedLog segments, SnapshotMeta meta, long damagedUpTo, List<String> skipped) {
        if (!continues(segments, meta)) {
            throw missing("falling back to snapshot " + meta.lastIndex() + "@" + meta.lastTerm()
                    + ", the log (" + segments.firstIndex() + ".." + segments.lastIndex() + ") does not continue it", skipped);
        }
        if (segments.lastIndex() < damagedUpTo) {
            throw missing("falling back to snapshot " + meta.lastIndex() + "@" + meta.lastTerm() + ", the log ends at "
                    + segments.lastIndex() + ", before index " + damagedUpTo + " that the damaged one covered", skipped);
        }
        log.warn("restarting from the older snapshot {}@{}; the log replays what the damaged one covered",
                meta.lastIndex(), meta.lastTerm());
    }

    private static StorageException missing(String what, List<String> skipped) {
        return new StorageException("cannot restart without losing data: " + what
                + (skipped.isEmpty() ? "" : " (damaged: " + String.join("; ", skipped) + ")")
                + ". The node does not start: restore its data directory from a backup.");
    }
}
