package dev.ballot.raft;

/**
 * What a snapshot covers (paper §7): every entry up to {@code lastIncludedIndex}, whose term was
 * {@code lastIncludedTerm}. The engine knows snapshots by this alone; their bytes are the runtime's.
 */
public record SnapshotMetadata(long lastIncludedIndex, long lastIncludedTerm) {

    public SnapshotMetadata {
        if (lastIncludedIndex < 1 || lastIncludedTerm < 1) {
            throw new IllegalArgumentException("a snapshot covers an index >= 1 of a term >= 1, got "
                    + lastIncludedIndex + "@" + lastIncludedTerm);
        }
    }
}
