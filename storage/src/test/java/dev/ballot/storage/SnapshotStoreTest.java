package dev.ballot.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Snapshot files round-trip on the real file system, whatever their size and however they are read. */
class SnapshotStoreTest {

    @TempDir
    Path dir;

    private SnapshotStore store() {
        return new SnapshotStore(new RealDisk(), dir.resolve("snapshots"), 2);
    }

    private SnapshotMeta saved(byte[] data, int chunk) {
        SnapshotMeta meta = new SnapshotMeta(1000, 7, Set.of(1L, 2L, 5L));
        store().save(meta, out -> {
            for (int off = 0; off < data.length; off += chunk) out.write(data, off, Math.min(chunk, data.length - off));
        });
        assertThat(store().latest()).contains(meta);
        return meta;
    }

    /** Sizes around InputStream's 16 KiB read buffer and the writer's 64 KiB buffer. */
    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 16_383, 16_384, 16_385, 65_536 - 60, 65_536, 65_537, 200_000})
    void dataReadBackWithReadAllBytesIsWhatWasWritten(int size) throws IOException {
        byte[] data = TestEntries.payload(size, 3, size);
        SnapshotMeta meta = saved(data, 4096);
        try (InputStream in = store().openData(meta)) {
            assertThat(in.readAllBytes()).hasSize(size).isEqualTo(data);
        }
    }

    @Test
    void dataReadBackByteByByteAndInOddChunksIsWhatWasWritten() throws IOException {
        byte[] data = TestEntries.payload(9, 9, 70_000);
        SnapshotMeta meta = saved(data, 1);
        ByteArrayOutputStream single = new ByteArrayOutputStream();
        try (InputStream in = store().openData(meta)) {
            for (int b = in.read(); b >= 0; b = in.read()) single.write(b);
        }
        assertThat(single.toByteArray()).isEqualTo(data);
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        try (InputStream in = store().openData(meta)) {
            byte[] buf = new byte[777];
            for (int n = in.read(buf, 0, buf.length); n >= 0; n = in.read(buf, 0, buf.length)) chunks.write(buf, 0, n);
        }
        assertThat(chunks.toByteArray()).isEqualTo(data);
    }

    @Test
    void aZeroLengthReadIsNotEndOfStream() throws IOException {
        SnapshotMeta meta = saved(new byte[] {1, 2, 3}, 3);
        try (InputStream in = store().openData(meta)) {
            assertThat(in.read(new byte[8], 0, 0)).as("InputStream contract: no bytes requested, 0 returned").isZero();
            assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
        }
    }
}
