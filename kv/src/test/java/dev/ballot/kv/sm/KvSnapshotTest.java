package dev.ballot.kv.sm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KvSnapshotTest {

    private static byte[] snapshot(KvStateMachine sm) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sm.writeSnapshot(out);
        return out.toByteArray();
    }

    private static KvStateMachine filled(long seed, int commands) {
        KvStateMachine sm = new KvStateMachine();
        RandomCommands random = new RandomCommands(seed);
        for (int i = 0; i < commands; i++) {
            sm.apply(random.next());
        }
        return sm;
    }

    @Test
    void aSnapshotTakenWhileCommandsGoOnHoldsTheStateOfItsMoment() throws Exception {
        KvStateMachine sm = filled(9, 3_000);
        KvStateMachine twin = filled(9, 3_000); // the same commands, never snapshotted
        byte[] expected = snapshot(sm);
        RandomCommands more = new RandomCommands(10);
        try (KvStateMachine.KvSnapshot s = sm.snapshot()) {
            assertThat(sm.snapshotReady()).as("one at a time").isFalse();
            assertThatThrownBy(sm::snapshot).isInstanceOf(IllegalStateException.class).hasMessageContaining("still open");
            java.util.concurrent.Future<byte[]> written;
            try (java.util.concurrent.ExecutorService writer = java.util.concurrent.Executors.newSingleThreadExecutor()) {
                written = writer.submit(() -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    s.writeTo(out);
                    return out.toByteArray();
                });
                for (int i = 0; i < 3_000; i++) { // applied while the snapshot is written
                    KvCommand c = more.next();
                    assertThat(sm.apply(c)).isEqualTo(twin.apply(c));
                }
            }
            assertThat(written.get()).as("the state of the snapshot's moment").isEqualTo(expected);
        }
        for (int i = 0; i < 3_000; i++) { // the changes made meanwhile are folded back as commands go on
            KvCommand c = more.next();
            assertThat(sm.apply(c)).isEqualTo(twin.apply(c));
        }
        assertThat(sm.digest()).isEqualTo(twin.digest());
        assertThat(sm.snapshotReady()).isTrue();
        try (KvStateMachine.KvSnapshot again = sm.snapshot()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            again.writeTo(out);
            assertThat(out.toByteArray()).isEqualTo(snapshot(twin));
        }
    }

    @Test
    void aSnapshotStaysWhatItWasWhenTheStateIsRestoredFromAnother() throws IOException {
        KvStateMachine sm = filled(11, 500);
        byte[] before = snapshot(sm);
        try (KvStateMachine.KvSnapshot s = sm.snapshot()) {
            sm.restoreSnapshot(new ByteArrayInputStream(snapshot(filled(12, 500))));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            s.writeTo(out);
            assertThat(out.toByteArray()).isEqualTo(before);
        }
        assertThat(sm.digest()).isEqualTo(filled(12, 500).digest());
        assertThat(sm.snapshotReady()).isTrue();
    }

    @Test
    void goldenBytesOfASmallSnapshot() throws IOException {
        KvStateMachine sm = new KvStateMachine();
        sm.apply(new KvCommand.Set(new byte[] {(byte) 0xFF}, new byte[0]));
        sm.apply(new KvCommand.Set(new byte[] {'a'}, new byte[] {'1'}));
        String hex = HexFormat.of().formatHex(snapshot(sm));
        assertThat(hex.substring(0, hex.length() - 8)).isEqualTo(
                "424b5653" + "0001" + "0000000000000002"
                        + "00000001" + "61" + "00000001" + "31"
                        + "00000001" + "ff" + "00000000");
    }

    @Test
    void roundTripRestoresTheSameStateAndBytes() throws IOException {
        KvStateMachine original = filled(7, 3_000);
        byte[] bytes = snapshot(original);
        KvStateMachine copy = new KvStateMachine();
        copy.apply(new KvCommand.Set("stale".getBytes(), "x".getBytes()));
        copy.restoreSnapshot(new ByteArrayInputStream(bytes));
        assertThat(copy.digest()).isEqualTo(original.digest());
        assertThat(snapshot(copy)).isEqualTo(bytes);
        assertThat(copy.apply(new KvCommand.Exists("stale".getBytes()))).isEqualTo(new KvResult.Integer(0));
        // and both keep evolving identically
        RandomCommands more = new RandomCommands(8);
        for (int i = 0; i < 500; i++) {
            KvCommand c = more.next();
            assertThat(copy.apply(c)).isEqualTo(original.apply(c));
        }
        assertThat(copy.digest()).isEqualTo(original.digest());
    }

    @Test
    void emptyStateRoundTrips() throws IOException {
        KvStateMachine empty = new KvStateMachine();
        KvStateMachine other = filled(3, 100);
        other.restoreSnapshot(new ByteArrayInputStream(snapshot(empty)));
        assertThat(other.size()).isZero();
        assertThat(other.digest()).isEqualTo(empty.digest());
    }

    private static void rejected(KvStateMachine target, byte[] bad, String messagePart) {
        String before = target.digest();
        assertThatThrownBy(() -> target.restoreSnapshot(new ByteArrayInputStream(bad)))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("invalid KV snapshot: ")
                .hasMessageContaining(messagePart);
        assertThat(target.digest()).as("a bad snapshot leaves the old state").isEqualTo(before);
    }

    @Test
    void everySingleBitFlipIsDetectedAndLeavesTheOldState() throws IOException {
        byte[] good = snapshot(filled(11, 60));
        KvStateMachine target = filled(12, 50);
        for (int i = 0; i < good.length; i++) {
            for (int bit = 0; bit < 8; bit += 3) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << bit);
                rejected(target, bad, "");
            }
        }
    }

    @Test
    void truncationAndTrailingBytesAreDetected() throws IOException {
        byte[] good = snapshot(filled(13, 60));
        KvStateMachine target = filled(14, 50);
        for (int len = 0; len < good.length; len++) {
            rejected(target, Arrays.copyOf(good, len), "");
        }
        rejected(target, Arrays.copyOf(good, 3), "truncated");
        rejected(target, Arrays.copyOf(good, good.length + 1), "trailing bytes");
    }

    @Test
    void clearMessages() throws IOException {
        KvStateMachine target = new KvStateMachine();
        byte[] good = snapshot(filled(15, 60));
        byte[] badMagic = good.clone();
        badMagic[0] = 'X';
        rejected(target, badMagic, "not a KV snapshot");
        byte[] badVersion = good.clone();
        badVersion[5] = 9;
        rejected(target, badVersion, "unsupported version 9");
        byte[] badCrc = good.clone();
        badCrc[badCrc.length - 1] ^= 1;
        rejected(target, badCrc, "checksum mismatch");
        byte[] hugeLength = HexFormat.of().parseHex("424b5653" + "0001" + "0000000000000001" + "7fffffff" + "61");
        rejected(target, hugeLength, "truncated in the key of pair 0");
    }
}
