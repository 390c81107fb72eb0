package dev.ballot.testkit.lin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The memo of a {@link WglSearch}: every configuration it has entered, a configuration being the
 * set of operations linearized so far and the model state they lead to.
 *
 * <p>The set is kept in two parts: the definite operations and the indeterminate ones (which may
 * also never take effect). A configuration is redundant not only when it was entered before, but
 * also when an entered one had the same state, the same definite operations and a subset of its
 * indeterminate ones: whatever completes the larger one completes the smaller one too, leaving the
 * extra indeterminate operations out. Without this, every pending indeterminate operation would
 * double the configurations to explore.
 *
 * <p>Operations are numbered in invoke order, so a linearized set is nearly always all operations
 * up to some point plus a few beyond: it is stored as where the full words end and the words after
 * that up to the last non-zero one ({@link #compact}), a few longs instead of one bit per operation.
 */
final class VisitedConfigurations {

    /** Rough JVM sizes, to keep the memo within a memory budget: headers, references, map nodes. */
    private static final long BYTES_PER_KEY = 160;
    private static final long BYTES_PER_SET = 32;

    /** Definite operations linearized (compact) and the state; the array is a private copy that never changes. */
    private record Key(long[] definite, String state, int hash) {
        Key(long[] definite, String state) {
            this(definite, state, 31 * Arrays.hashCode(definite) + Objects.hashCode(state));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && hash == k.hash && Arrays.equals(definite, k.definite)
                    && Objects.equals(state, k.state);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** For each key, the minimal sets of indeterminate operations entered with it. */
    private final Map<Key, List<long[]>> entered = new HashMap<>();
    private long approximateBytes;

    /**
     * Records a configuration about to be entered.
     *
     * @return false when it is redundant (see the class comment): the search need not enter it
     */
    boolean enter(long[] definiteBits, long[] indeterminateBits, String state) {
        long[] definite = compact(definiteBits);
        long[] indeterminate = indeterminateBits.clone();
        Key key = new Key(definite, state);
        List<long[]> sets = entered.get(key);
        if (sets == null) {
            sets = new ArrayList<>(1);
            entered.put(key, sets);
            approximateBytes += BYTES_PER_KEY + 8L * definite.length;
        } else {
            for (long[] set : sets) {
                if (isSubset(set, indeterminate)) return false;
            }
            int before = sets.size();
            sets.removeIf(set -> isSubset(indeterminate, set)); // now redundant themselves
            approximateBytes -= (before - sets.size()) * (BYTES_PER_SET + 8L * indeterminate.length);
        }
        sets.add(indeterminate);
        approximateBytes += BYTES_PER_SET + 8L * indeterminate.length;
        return true;
    }

    /**
     * {@code bits} without its leading all-ones words and trailing zero words: the index of the first
     * word that is not all ones, then the words from there to the last non-zero one. Two bit sets of
     * the same length are equal exactly when their compact forms are.
     */
    static long[] compact(long[] bits) {
        int first = 0;
        while (first < bits.length && bits[first] == -1L) first++;
        int end = bits.length;
        while (end > first && bits[end - 1] == 0) end--;
        long[] compact = new long[1 + end - first];
        compact[0] = first;
        System.arraycopy(bits, first, compact, 1, end - first);
        return compact;
    }

    /** An estimate of the memory the memo holds. */
    long approximateBytes() {
        return approximateBytes;
    }

    private static boolean isSubset(long[] a, long[] b) {
        for (int i = 0; i < a.length; i++) {
            if ((a[i] & ~b[i]) != 0) return false;
        }
        return true;
    }
}
