package dev.ballot.testkit.chaos;

/**
 * An operation a workload client is about to run, in the vocabulary of
 * {@link dev.ballot.testkit.lin.Event}: {@code f} is read/write/cas or get/put/append.
 *
 * @param value    the value written, appended or swapped in; null for reads
 * @param expected the expected value of a cas; null otherwise
 */
public record Op(String f, String key, String value, String expected) {

    public static Op read(String f, String key) {
        return new Op(f, key, null, null);
    }

    public boolean isRead() {
        return f.equals("read") || f.equals("get");
    }
}
