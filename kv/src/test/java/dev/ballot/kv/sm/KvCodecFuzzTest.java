package dev.ballot.kv.sm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random mutations of valid encodings: decoders throw nothing but KvFormatException, apply never throws. */
class KvCodecFuzzTest {

    private static byte[] mutate(byte[] valid, Random random) {
        byte[] b = valid.clone();
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            switch (random.nextInt(6)) {
                case 0 -> { // flip a byte
                    if (b.length > 0) {
                        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                    }
                }
                case 1 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1)); // truncate
                case 2 -> { // extend
                    b = Arrays.copyOf(b, b.length + 1 + random.nextInt(8));
                    b[b.length - 1] = (byte) random.nextInt(256);
                }
                case 3 -> { // a huge or boundary length somewhere
                    if (b.length >= 6) {
                        int at = 2 + random.nextInt(b.length - 5);
                        int v = List.of(0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 0, 1, b.length).get(random.nextInt(6));
                        b[at] = (byte) (v >>> 24);
                        b[at + 1] = (byte) (v >>> 16);
                        b[at + 2] = (byte) (v >>> 8);
                        b[at + 3] = (byte) v;
                    }
                }
                case 4 -> { // duplicate a slice
                    if (b.length > 2) {
                        int from = random.nextInt(b.length);
                        int to = from + random.nextInt(b.length - from);
                        byte[] slice = Arrays.copyOfRange(b, from, to);
                        byte[] grown = Arrays.copyOf(b, b.length + slice.length);
                        System.arraycopy(slice, 0, grown, b.length, slice.length);
                        b = grown;
                    }
                }
                default -> { // a random opcode or type
                    if (b.length > 1) {
                        b[1] = (byte) random.nextInt(12);
                    }
                }
            }
        }
        return b;
    }

    @Test
    void mutatedCommandsOnlyEverFailWithKvFormatExceptionAndApplyNeverThrows() {
        Random random = new Random(42);
        RandomCommands commands = new RandomCommands(43);
        KvStateMachine sm = new KvStateMachine(new KvLimits(8, 64));
        int rejected = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] bad = mutate(KvCodec.encode(commands.next()), random);
            KvCommand decoded = null;
            try {
                decoded = KvCodec.decodeCommand(bad);
            } catch (KvFormatException e) {
                rejected++;
                assertThat(e.getMessage()).isNotBlank();
            } catch (RuntimeException | Error e) {
                fail("decodeCommand threw " + e + " for " + Arrays.toString(bad), e);
            }
            if (decoded != null) {
                assertThat(KvCodec.encode(decoded)).as("a decoded command re-encodes to the same bytes").isEqualTo(bad);
            }
            byte[] reply = sm.apply(i + 1, bad);
            KvCodec.decodeResult(reply); // always a valid result
        }
        assertThat(rejected).isGreaterThan(10_000);
    }

    @Test
    void mutatedResultsOnlyEverFailWithKvFormatException() {
        Random random = new Random(44);
        RandomCommands commands = new RandomCommands(45);
        KvStateMachine sm = new KvStateMachine(new KvLimits(8, 64));
        for (int i = 0; i < 50_000; i++) {
            byte[] bad = mutate(sm.apply(i + 1, KvCodec.encode(commands.next())), random);
            KvResult decoded = null;
            try {
                decoded = KvCodec.decodeResult(bad);
            } catch (KvFormatException e) {
                assertThat(e.getMessage()).isNotBlank();
            } catch (RuntimeException | Error e) {
                fail("decodeResult threw " + e + " for " + Arrays.toString(bad), e);
            }
            if (decoded != null) {
                assertThat(KvCodec.encode(decoded)).as("a decoded result re-encodes to the same bytes").isEqualTo(bad);
            }
        }
    }

    @Test
    void randomBytesNeverBreakApply() {
        Random random = new Random(46);
        KvStateMachine sm = new KvStateMachine();
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[random.nextInt(40)];
            random.nextBytes(junk);
            if (junk.length > 0 && random.nextBoolean()) {
                junk[0] = 1; // get past the version check more often
            }
            assertThat(KvCodec.decodeResult(sm.apply(i + 1, junk))).isNotNull();
        }
    }
}
