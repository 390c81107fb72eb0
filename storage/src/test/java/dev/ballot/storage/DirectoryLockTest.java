package dev.ballot.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DirectoryLockTest {

    @TempDir
    Path tmp;

    private Path dataDir() {
        return tmp.resolve("data");
    }

    private Process child;

    @AfterEach
    void killChild() throws InterruptedException {
        if (child != null && child.isAlive()) {
            child.destroyForcibly();
            child.waitFor();
        }
    }

    /** A child JVM running {@link DirectoryLockHolder} on the data directory; returns its first line of output. */
    private String startChild() throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path stderr = tmp.resolve("child-" + System.nanoTime() + ".err");
        child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                DirectoryLockHolder.class.getName(), dataDir().toString())
                .redirectError(stderr.toFile())
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(45, TimeUnit.SECONDS);
        assertThat(line).as("child output; its stderr: %s", Files.exists(stderr) ? Files.readString(stderr) : "").isNotNull();
        return line;
    }

    private void killChildNow() throws InterruptedException {
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void theLockFileRecordsTheOwnersPid() throws Exception {
        try (DirectoryLock lock = DirectoryLock.acquire(dataDir())) {
            assertThat(Files.readString(dataDir().resolve(DirectoryLock.NAME)).trim())
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
    }

    @Test
    void aSecondAcquireInTheSameJvmFailsNamingTheDirectory() throws Exception {
        DirectoryLock first = DirectoryLock.acquire(dataDir());
        StorageException e = catchThrowableOfType(StorageException.class, () -> DirectoryLock.acquire(dataDir()).close());
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(dataDir().toString()).contains("in use");
        first.close();
        DirectoryLock.acquire(dataDir()).close(); // free again once released
    }

    @Test
    void aLockHeldByAnotherProcessIsRefusedNamingItsPidAndFreedWhenItDies() throws Exception {
        String line = startChild();
        assertThat(line).isEqualTo("LOCKED " + child.pid());

        StorageException e = catchThrowableOfType(StorageException.class, () -> DirectoryLock.acquire(dataDir()).close());
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(dataDir().toString()).contains("pid " + child.pid());

        killChildNow(); // SIGKILL: no chance to release anything; the OS drops the lock
        try (DirectoryLock lock = DirectoryLock.acquire(dataDir())) {
            assertThat(Files.readString(dataDir().resolve(DirectoryLock.NAME)).trim())
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
    }

    @Test
    void aFailedSecondAcquireInTheSameJvmDoesNotReleaseTheFirstHoldersLock() throws Exception {
        // POSIX record locks belong to the process and are dropped when *any* descriptor of the file
        // is closed; DirectoryLock.acquire closes its channel after a refused attempt.
        try (DirectoryLock held = DirectoryLock.acquire(dataDir())) {
            assertThat(catchThrowableOfType(StorageException.class, () -> DirectoryLock.acquire(dataDir()).close()))
                    .isNotNull();
            String line = startChild();
            assertThat(line).as("another process must still be locked out").startsWith("REFUSED")
                    .contains("pid " + ProcessHandle.current().pid());
        }
    }

    @Test
    void nodeStorageTakesTheLockSoASecondOpenFails() throws Exception {
        try (NodeStorage storage = NodeStorage.open(dataDir(), StorageOptions.DEFAULTS)) {
            assertThat(catchThrowableOfType(StorageException.class,
                    () -> NodeStorage.open(dataDir(), StorageOptions.DEFAULTS).close()))
                    .hasMessageContaining(dataDir().toString());
            assertThat(storage.log().lastIndex()).isZero();
        }
        NodeStorage.open(dataDir(), StorageOptions.DEFAULTS).close();
    }
}
