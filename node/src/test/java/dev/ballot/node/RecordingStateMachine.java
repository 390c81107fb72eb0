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

    @Override
    public void writeSnapshot(OutputStream out) throws IOException {
        throw new IOException("snapshots are not used by these tests");
    }

    @Override
    public void restoreSnapshot(InputStream in) throws IOException {
        throw new IOException("snapshots are not used by these tests");
    }
}
