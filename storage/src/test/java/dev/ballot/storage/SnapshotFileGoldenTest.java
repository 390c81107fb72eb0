package dev.ballot.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden bytes of the snapshot file ({@link SnapshotStore}, docs/storage-format.md, "Snapshot"),
 * derived by hand from the spec. If one of these fails, the file format changed: that needs a new
 * format version ({@link FileFormat#VERSION}) and a way to read the old files, never an edit of the
 * expected bytes.
 */
class SnapshotFileGoldenTest {

    private static final SnapshotMeta META = new SnapshotMeta(1000, 7, Set.of(5L, 1L, 2L));
    private static final byte[] DATA = "abc".getBytes(StandardCharsets.US_ASCII);

    /** Every byte before the checksum, field by field as the spec lists them. */
    private static final String PREFIX = ""
            + "42534e50"                            // magic "BSNP"
            + "0001"                                // u16 format version 1
            + "0000"                                // u16 flags
            + "00000000000003e8"                    // u64 lastIndex 1000
            + "0000000000000007"                    // u64 lastTerm 7
            + "00000003"                            // u32 voter count
            + "00000000"                            // u32 reserved
            + "0000000000000001"                    // voter 1
            + "0000000000000002"                    // voter 2 (ascending, whatever order the set had)
            + "0000000000000005"                    // voter 5
            + "616263"                              // data "abc"
            + "0000000000000003";                   // u64 data length

    @TempDir
    Path dir;

    /** The whole file: {@link #PREFIX} then the CRC32C of it, computed here rather than copied from the output. */
    private static byte[] golden(String prefixHex) {
        byte[] prefix = HexFormat.of().parseHex(prefixHex);
        CRC32C crc = new CRC32C();
        crc.update(prefix);
        return ByteBuffer.allocate(prefix.length + 4).put(prefix).putInt((int) crc.getValue()).array();
    }

    private SnapshotStore store(Path snapshots) {
        return new SnapshotStore(new RealDisk(), snapshots, 2);
    }

    @Test
    void aSavedSnapshotIsExactlyTheBytesTheSpecDescribes() throws IOException {
        Path snapshots = dir.resolve("snapshots");
        store(snapshots).save(META, out -> out.write(DATA));

        Path file = snapshots.resolve("snapshot-00000000000000001000-00000000000000000007.snap");
        assertThat(file).as("named snapshot-<index 20 digits>-<term 20 digits>.snap").exists();
        assertThat(SnapshotStore.fileName(1000, 7)).isEqualTo(file.getFileName().toString());
        byte[] expected = golden(PREFIX);
        assertThat(expected).hasSize(32 + 3 * 8 + 3 + 12);
        assertThat(HexFormat.of().formatHex(Files.readAllBytes(file))).isEqualTo(HexFormat.of().formatHex(expected));
        try (var names = Files.list(snapshots)) {
            assertThat(names.map(p -> p.getFileName().toString())).as("no temp file left").containsExactly(file.getFileName().toString());
        }
    }

    @Test
    void theGoldenBytesReadBackAsTheSameMetaAndData() throws IOException {
        Path snapshots = dir.resolve("fresh");
        Files.createDirectories(snapshots);
        Files.write(snapshots.resolve(SnapshotStore.fileName(1000, 7)), golden(PREFIX));

        SnapshotStore store = store(snapshots);
        assertThat(store.latest()).contains(META);
        assertThat(store.latest().orElseThrow().voters()).containsExactly(1L, 2L, 5L);
        try (InputStream in = store.openData(META)) {
            assertThat(in.readAllBytes()).isEqualTo(DATA);
        }
        List<SnapshotStore.Listing> listing = store.listNewestFirst();
        assertThat(listing).singleElement().satisfies(l -> {
            assertThat(l.valid()).isTrue();
            assertThat(l.meta()).isEqualTo(META);
            assertThat(l.lastIndex()).isEqualTo(1000);
            assertThat(l.lastTerm()).isEqualTo(7);
        });
        assertThat(store.sizeOf(META)).isEqualTo(golden(PREFIX).length);
    }

    @Test
    void aFileOfANewerFormatVersionIsRefusedNamingTheVersion() throws IOException {
        // Version 2, checksum recomputed: only the version is wrong with this file.
        Path snapshots = dir.resolve("newer");
        Files.createDirectories(snapshots);
        Path file = snapshots.resolve(SnapshotStore.fileName(1000, 7));
        Files.write(file, golden(PREFIX.replaceFirst("^42534e500001", "42534e500002")));

        SnapshotStore store = store(snapshots);
        assertThatThrownBy(store::latest)
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("snapshot format version 2")
                .hasMessageContaining("newer than this build understands (1)");
        assertThat(store.listNewestFirst()).singleElement().satisfies(l -> {
            assertThat(l.valid()).isFalse();
            assertThat(l.lastIndex()).as("taken from the name").isEqualTo(1000);
            assertThat(l.damage()).contains("format version 2");
        });
        assertThat(file).as("a newer file is refused, not deleted").exists();
    }

    @Test
    void aFileWithVersionZeroOrAnotherMagicIsRefused() throws IOException {
        Path zero = dir.resolve("zero");
        Files.createDirectories(zero);
        Files.write(zero.resolve(SnapshotStore.fileName(1000, 7)), golden(PREFIX.replaceFirst("^42534e500001", "42534e500000")));
        assertThatThrownBy(() -> store(zero).latest())
                .isInstanceOf(StorageException.class).hasMessageContaining("invalid snapshot format version 0");

        Path other = dir.resolve("other");
        Files.createDirectories(other);
        Files.write(other.resolve(SnapshotStore.fileName(1000, 7)), golden(PREFIX.replaceFirst("^42534e50", "424c4f47")));
        assertThatThrownBy(() -> store(other).latest())
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("is not a Ballot snapshot file (magic 0x424c4f47, expected 0x42534e50)");
    }
}
