package dev.ballot.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A state machine for runtime tests: records every command in order and answers with
 * "index:command", so a test can tell which entry a result came from. Reads may come from any
 * thread through {@link #applied()} (copy under lock).
 */
final class RecordingStateMachine implements StateMachine {

    private final List<String> applied = new ArrayList<>();
    private long lastIndex;

    @Override
    public synchronized byte[] apply(long index, byte[] command) {
        if (index <= lastIndex) throw new IllegalStateException("index " + index + " applied after " + lastIndex);
        lastIndex = index;
        String c = new String(command, StandardCharsets.UTF_8);
        applied.add(c);
        return (index + ":" + c).getBytes(StandardCharsets.UTF_8);
    }

    synchronized List<String> applied() {
        return List.copyOf(applied);
    }

    synchronized long lastIndex() {
        return lastIndex;
    }

    /** Every command applied so far, with the last index. */
    @Override
    public synchronized void writeSnapshot(OutputStream out) throws IOException {
        java.io.DataOutputStream d = new java.io.DataOutputStream(out);
        d.writeLong(lastIndex);
        d.writeInt(applied.size());
        for (String c : applied) d.writeUTF(c);
        d.flush();
    }

    @Override
    public synchronized void restoreSnapshot(InputStream in) throws IOException {
        java.io.DataInputStream d = new java.io.DataInputStream(in);
        long index = d.readLong();
        int n = d.readInt();
        List<String> restored = new ArrayList<>(n);
        for (int i = 0; i < n; i++) restored.add(d.readUTF());
        if (d.read() != -1) throw new IOException("trailing bytes after the snapshot");
        applied.clear();
        applied.addAll(restored);
        lastIndex = index;
        restores++;
    }

    private int restores;

    /** Times the state was replaced by a snapshot (at start-up or from a leader). */
    synchronized int restores() {
        return restores;
    }
}
