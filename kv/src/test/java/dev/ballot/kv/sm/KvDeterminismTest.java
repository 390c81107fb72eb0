package dev.ballot.kv.sm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KvDeterminismTest {

    private static byte[] snapshot(KvStateMachine sm) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sm.writeSnapshot(out);
        return out.toByteArray();
    }

    @Test
    void twoReplicasApplyingTheSameCommandsEndIdentical() throws IOException {
        for (long seed = 1; seed <= 20; seed++) {
            KvLimits limits = seed % 2 == 0 ? KvLimits.DEFAULTS : new KvLimits(2, 16);
            KvStateMachine a = new KvStateMachine(limits);
            KvStateMachine b = new KvStateMachine(limits);
            RandomCommands commands = new RandomCommands(seed);
            Set<Class<?>> resultKinds = new HashSet<>();
            for (long index = 1; index <= 2_000; index++) {
                byte[] command = KvCodec.encode(commands.next());
                byte[] ra = a.apply(index, command);
                byte[] rb = b.apply(index, command);
                assertThat(rb).as("seed %d index %d", seed, index).isEqualTo(ra);
                resultKinds.add(KvCodec.decodeResult(ra).getClass());
            }
            assertThat(b.digest()).as("seed %d", seed).isEqualTo(a.digest());
            assertThat(snapshot(b)).isEqualTo(snapshot(a));
            assertThat(resultKinds).as("the generator reaches every result type").hasSize(6);
        }
    }

    @Test
    void differentHistoriesGiveDifferentDigests() {
        KvStateMachine a = new KvStateMachine();
        KvStateMachine b = new KvStateMachine();
        a.apply(new KvCommand.Set("k".getBytes(), "1".getBytes()));
        b.apply(new KvCommand.Set("k".getBytes(), "2".getBytes()));
        assertThat(a.digest()).isNotEqualTo(b.digest()).hasSize(64);
    }
}
