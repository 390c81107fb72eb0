package dev.ballot.storage;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a snapshot covers: every entry up to {@code lastIndex} (whose term was {@code lastTerm}),
 * and the cluster configuration as of that index.
 */
public record SnapshotMeta(long lastIndex, long lastTerm, Set<Long> voters) {
    public SnapshotMeta {
        if (lastIndex < 1 || lastTerm < 1) {
            throw new IllegalArgumentException("a snapshot covers index >= 1 in term >= 1, got " + lastIndex + "@" + lastTerm);
        }
        voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
    }
}
