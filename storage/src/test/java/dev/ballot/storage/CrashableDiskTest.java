package dev.ballot.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fault injector itself: if it did not lose what it should, the crash tests would prove nothing. */
class CrashableDiskTest {

    private static final Path DIR = Path.of("/d");
    private static final Path FILE = DIR.resolve("f");
    private static final int IMAGES = 400;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    private static void write(DiskFile f, String s, long pos) throws IOException {
        f.write(ByteBuffer.wrap(bytes(s)), pos);
    }

    /** Content of FILE in a crash image, or null if it is gone. */
    private static String afterCrash(CrashableDisk disk, Random random) throws IOException {
        CrashableDisk after = disk.crash(random);
        return after.exists(FILE) ? str(after.contents(FILE)) : null;
    }

    private static CrashableDisk diskWithDurableEmptyFile() throws IOException {
        CrashableDisk disk = new CrashableDisk();
        disk.createDirectories(DIR);
        disk.open(FILE, true).close();
        disk.syncDirectory(DIR);
        return disk;
    }

    @Test
    void readsSeeEverythingWrittenBeforeAnyForce() throws IOException {
        CrashableDisk disk = diskWithDurableEmptyFile();
        try (DiskFile f = disk.open(FILE, false)) {
            write(f, "hello", 0);
            write(f, "!", 7); // leaves a gap of zeros
            f.truncate(6);
            assertThat(f.size()).isEqualTo(6);
            ByteBuffer buf = ByteBuffer.allocate(10);
            assertThat(f.read(buf, 0)).isEqualTo(6);
            assertThat(buf.flip()).isEqualTo(ByteBuffer.wrap(new byte[] {'h', 'e', 'l', 'l', 'o', 0}));
        }
        assertThat(disk.list(DIR)).containsExactly("f");
    }

    @Test
    void forcedContentSurvivesEveryCrash() throws IOException {
        CrashableDisk disk = diskWithDurableEmptyFile();
        try (DiskFile f = disk.open(FILE, false)) {
            write(f, "abc", 0);
            write(f, "def", 3);
            f.force();
        }
        Random random = new Random(1);
        for (int i = 0; i < IMAGES; i++) assertThat(afterCrash(disk, random)).isEqualTo("abcdef");
    }

    @Test
    void unforcedWritesSurviveAsAPrefixPossiblyTornNeverOutOfOrder() throws IOException {
        CrashableDisk disk = diskWithDurableEmptyFile();
        try (DiskFile f = disk.open(FILE, false)) {
            write(f, "aaaa", 0);
            f.force();
            write(f, "bbbb", 4);
            write(f, "cccc", 8);
        }
        Set<String> seen = new HashSet<>();
        Random random = new Random(2);
        for (int i = 0; i < IMAGES; i++) {
            String s = afterCrash(disk, random);
            assertThat(s).startsWith("aaaa");
            // a prefix of the writes: aaaa, then some b's (a torn write), then c's only after all four b's
            assertThat(s).matches("aaaa(b{0,3}\\x00*|bbbb(c{0,3}\\x00*|cccc))");
            if (s.contains("\0")) assertThat(s.length()).as("zero tail covers exactly the torn write").isIn(8, 12);
            seen.add(s.replace('\0', '0'));
        }
        assertThat(seen).as("lost, torn, torn with zeros, partly kept and fully kept all happen")
                .contains("aaaa", "aaaabbbb", "aaaabbbbcccc")
                .anyMatch(s -> s.matches("aaaab{1,3}"))
                .anyMatch(s -> s.matches("aaaab{1,3}0+"));
    }

    @Test
    void anUnforcedTruncationMayBeLostButNotReordered() throws IOException {
        CrashableDisk disk = diskWithDurableEmptyFile();
        try (DiskFile f = disk.open(FILE, false)) {
            write(f, "aaaabbbb", 0);
            f.force();
            f.truncate(4);
            write(f, "cc", 4);
        }
        Set<String> seen = new HashSet<>();
        Random random = new Random(3);
        for (int i = 0; i < IMAGES; i++) seen.add(afterCrash(disk, random).replace('\0', '0'));
        // never "aaaaccbb": the write cannot reach the disk without the truncation before it
        assertThat(seen).containsExactlyInAnyOrder("aaaabbbb", "aaaa", "aaaac", "aaaac0", "aaaacc");
    }

    @Test
    void aCreatedFileNeedsADirectorySyncToSurvive() throws IOException {
        CrashableDisk disk = new CrashableDisk();
        disk.createDirectories(DIR);
        try (DiskFile f = disk.open(FILE, true)) {
            write(f, "x", 0);
            f.force();
        }
        Set<String> seen = new HashSet<>();
        Random random = new Random(4);
        for (int i = 0; i < IMAGES; i++) seen.add(String.valueOf(afterCrash(disk, random)));
        assertThat(seen).containsExactlyInAnyOrder("null", "x");

        disk.syncDirectory(DIR);
        for (int i = 0; i < IMAGES; i++) assertThat(afterCrash(disk, random)).isEqualTo("x");
    }

    @Test
    void anUnsyncedRenameMayOrMayNotSurviveButTheFileIsNeverLostOrDoubled() throws IOException {
        CrashableDisk disk = new CrashableDisk();
        disk.createDirectories(DIR);
        Path tmp = DIR.resolve("f.tmp");
        try (DiskFile f = disk.open(FILE, true)) {
            write(f, "old", 0);
            f.force();
        }
        try (DiskFile f = disk.open(tmp, true)) {
            write(f, "new", 0);
            f.force();
        }
        disk.syncDirectory(DIR);
        disk.rename(tmp, FILE);
        assertThat(disk.list(DIR)).containsExactly("f");

        Set<String> seen = new HashSet<>();
        Random random = new Random(5);
        for (int i = 0; i < IMAGES; i++) {
            CrashableDisk after = disk.crash(random);
            String content = str(after.contents(FILE));
            assertThat(after.list(DIR)).isEqualTo(content.equals("old") ? java.util.List.of("f", "f.tmp") : java.util.List.of("f"));
            seen.add(content);
        }
        assertThat(seen).containsExactlyInAnyOrder("old", "new");

        disk.syncDirectory(DIR);
        for (int i = 0; i < IMAGES; i++) assertThat(afterCrash(disk, random)).isEqualTo("new");
    }

    @Test
    void anUnsyncedDeleteMayBeUndone() throws IOException {
        CrashableDisk disk = diskWithDurableEmptyFile();
        disk.delete(FILE);
        disk.delete(FILE); // deleting what is not there is fine
        assertThat(disk.exists(FILE)).isFalse();
        Set<String> seen = new HashSet<>();
        Random random = new Random(6);
        for (int i = 0; i < IMAGES; i++) seen.add(String.valueOf(afterCrash(disk, random)));
        assertThat(seen).containsExactlyInAnyOrder("null", "");
    }

    @Test
    void namespaceOperationsSurviveInOrder() throws IOException {
        CrashableDisk disk = new CrashableDisk();
        disk.createDirectories(DIR);
        for (String n : new String[] {"a", "b", "c", "d"}) disk.open(DIR.resolve(n), true).close();
        Set<java.util.List<String>> seen = new HashSet<>();
        Random random = new Random(7);
        for (int i = 0; i < IMAGES; i++) seen.add(disk.crash(random).list(DIR));
        assertThat(seen).containsExactlyInAnyOrder(
                java.util.List.of(), java.util.List.of("a"), java.util.List.of("a", "b"),
                java.util.List.of("a", "b", "c"), java.util.List.of("a", "b", "c", "d"));
    }

    @Test
    void directoryCreationIsDurableByDefaultAndPendingInStrictMode() throws IOException {
        Random random = new Random(8);
        CrashableDisk lenient = new CrashableDisk();
        lenient.createDirectories(DIR.resolve("sub"));
        for (int i = 0; i < 50; i++) assertThat(lenient.crash(random).exists(DIR.resolve("sub"))).isTrue();

        CrashableDisk strict = new CrashableDisk(false);
        strict.createDirectories(DIR.resolve("sub"));
        Set<Boolean> seen = new HashSet<>();
        for (int i = 0; i < IMAGES; i++) seen.add(strict.crash(random).exists(DIR.resolve("sub")));
        assertThat(seen).containsExactlyInAnyOrder(true, false);
        strict.syncDirectory(Path.of("/"));
        strict.syncDirectory(DIR);
        for (int i = 0; i < 50; i++) assertThat(strict.crash(random).exists(DIR.resolve("sub"))).isTrue();
    }

    @Test
    void aFileOpenedAfterItsUnlinkIsGoneAfterACrashAndTheHandleKeepsWorkingUntilThen() throws IOException {
        CrashableDisk disk = diskWithDurableEmptyFile();
        try (DiskFile f = disk.open(FILE, false)) {
            disk.delete(FILE);
            disk.syncDirectory(DIR);
            write(f, "ghost", 0);
            f.force();
            assertThat(f.size()).isEqualTo(5);
        }
        assertThat(disk.crash(new Random(9)).exists(FILE)).isFalse();
    }

    @Test
    void missingFilesAndDirectoriesAreErrors() throws IOException {
        CrashableDisk disk = new CrashableDisk();
        assertThatThrownBy(() -> disk.open(FILE, true)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> disk.list(DIR)).isInstanceOf(NoSuchFileException.class);
        disk.createDirectories(DIR);
        assertThatThrownBy(() -> disk.open(FILE, false)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> disk.rename(FILE, DIR.resolve("g"))).isInstanceOf(NoSuchFileException.class);
        disk.open(FILE, true).close();
        assertThatThrownBy(() -> disk.rename(FILE, Path.of("/elsewhere/g"))).hasMessageContaining("within one directory");
        DiskFile closed = disk.open(FILE, false);
        closed.close();
        assertThatThrownBy(closed::size).hasMessageContaining("closed");
    }

    @Test
    void injectedFailureHitsExactlyTheNthOperationAndTheDiskCarriesOn() throws IOException {
        CrashableDisk disk = diskWithDurableEmptyFile();
        long n = disk.operationCount();
        disk.failOperation(n + 2);
        DiskFile f = disk.open(FILE, false);                 // n + 1
        assertThatThrownBy(() -> write(f, "x", 0))            // n + 2
                .isInstanceOf(IOException.class).hasMessageContaining("injected failure (operation " + (n + 2));
        write(f, "y", 0);                                     // n + 3
        disk.failNext(CrashableDisk.Op.FORCE);
        write(f, "z", 1);
        assertThatThrownBy(f::force).hasMessageContaining("FORCE");
        f.force();
        assertThat(disk.forceCount()).isEqualTo(1);
        assertThat(str(disk.contents(FILE))).isEqualTo("yz");
        assertThat(disk.isCrashed()).isFalse();
    }

    @Test
    void afterPowerLossEveryOperationFailsAndTheImageHoldsOnlyWhatWasDurable() throws IOException {
        CrashableDisk disk = diskWithDurableEmptyFile();
        DiskFile f = disk.open(FILE, false);
        write(f, "kept", 0);
        f.force();
        disk.crashAtOperation(disk.operationCount() + 2);
        write(f, "lost?", 4);
        assertThatThrownBy(f::force).hasMessageContaining("power loss");
        assertThatThrownBy(() -> disk.list(DIR)).hasMessageContaining("power loss");
        assertThat(disk.isCrashed()).isTrue();
        Random random = new Random(10);
        for (int i = 0; i < 50; i++) assertThat(afterCrash(disk, random)).startsWith("kept");
        CrashableDisk after = disk.crash(random);
        assertThat(after.isCrashed()).isFalse();
        assertThat(after.list(DIR)).containsExactly("f");
    }

    @Test
    void aCrashImageIsIndependentOfTheDiskItCameFrom() throws IOException {
        CrashableDisk disk = diskWithDurableEmptyFile();
        CrashableDisk after = disk.crash(new Random(11));
        try (DiskFile f = after.open(FILE, false)) {
            write(f, "after", 0);
            f.force();
        }
        assertThat(disk.contents(FILE)).isEmpty();
        assertThat(str(after.contents(FILE))).isEqualTo("after");
    }
}
