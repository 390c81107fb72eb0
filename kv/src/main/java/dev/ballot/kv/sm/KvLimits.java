package dev.ballot.kv.sm;

/**
 * Size limits the state machine enforces on every command: a command that breaks one gets an
 * error result and changes nothing. Must be the same on every node of a cluster (they are part of
 * the replicated semantics).
 *
 * @param maxKeyBytes   largest key, in bytes (default 1 KiB)
 * @param maxValueBytes largest stored value, in bytes (default 1 MiB); also bounds the result of
 *                      APPEND and INCRBY
 */
public record KvLimits(int maxKeyBytes, int maxValueBytes) {

    public static final int DEFAULT_MAX_KEY_BYTES = 1024;
    public static final int DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;
    public static final KvLimits DEFAULTS = new KvLimits(DEFAULT_MAX_KEY_BYTES, DEFAULT_MAX_VALUE_BYTES);

    public KvLimits {
        if (maxKeyBytes < 1) {
            throw new IllegalArgumentException("maxKeyBytes must be at least 1, got " + maxKeyBytes);
        }
        if (maxValueBytes < 0) {
            throw new IllegalArgumentException("maxValueBytes must not be negative, got " + maxValueBytes);
        }
    }
}
