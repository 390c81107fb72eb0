package dev.ballot.node.wire;

import dev.ballot.raft.Message;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Random mutations of valid bodies either decode to a message (which then re-encodes to the
 * same bytes) or fail with a WireFormatException: never another exception, never an OOM.
 */
class MessageCodecFuzzTest {

    /** Small, so that mutated lengths often land beyond it. */
    private final MessageCodec codec = new MessageCodec(64 * 1024);

    @Test
    void mutatedBodiesFailOnlyWithWireFormatException() {
        RandomMessages gen = new RandomMessages(42);
        Random random = gen.random();
        int decoded = 0;
        int rejected = 0;
        for (int i = 0; i < 20_000; i++) {
            Message m = gen.next();
            if (codec.encodedSize(m) > codec.maxFrameSize()) continue;
            byte[] body = mutate(codec.encode(m), random);
            try {
                Message result = codec.decode(body);
                assertThat(codec.encode(result)).as("re-encoding of %s", result).isEqualTo(body);
                decoded++;
            } catch (WireFormatException e) {
                assertThat(e.getMessage()).isNotBlank();
                rejected++;
            } catch (Throwable t) {
                fail("mutation %d of %s threw %s; body %s", i, m, t,
                        java.util.HexFormat.of().formatHex(body, 0, Math.min(body.length, 200)), t);
            }
        }
        assertThat(decoded).isPositive();
        assertThat(rejected).isPositive();
    }

    @Test
    void randomBytesFailOnlyWithWireFormatException() {
        Random random = new Random(43);
        for (int i = 0; i < 20_000; i++) {
            byte[] body = new byte[random.nextInt(100)];
            random.nextBytes(body);
            if (body.length > 0 && random.nextBoolean()) body[0] = 1; // get past the version check
            if (body.length > 1 && random.nextBoolean()) body[1] = (byte) (1 + random.nextInt(6));
            try {
                codec.decode(body);
            } catch (WireFormatException expected) {
                // fine
            } catch (Throwable t) {
                fail("random body %s threw %s", java.util.HexFormat.of().formatHex(body), t);
            }
        }
    }

    static byte[] mutate(byte[] body, Random random) {
        byte[] b = body.clone();
        switch (random.nextInt(6)) {
            case 0 -> { // flip bits
                int flips = 1 + random.nextInt(3);
                for (int f = 0; f < flips && b.length > 0; f++) {
                    b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> { // set a byte to an interesting value
                if (b.length > 0) b[random.nextInt(b.length)] = (byte) new int[]{0, 1, 2, 0x7f, 0x80, 0xff}[random.nextInt(6)];
            }
            case 2 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1)); // truncate
            case 3 -> { // append garbage
                b = Arrays.copyOf(b, b.length + 1 + random.nextInt(30));
                for (int k = body.length; k < b.length; k++) b[k] = (byte) random.nextInt();
            }
            case 4 -> { // overwrite 4 bytes with a large or negative u32 (hits counts and lengths)
                if (b.length >= 4) {
                    int at = random.nextInt(b.length - 3);
                    int v = new int[]{-1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x01000000, 65536}[random.nextInt(5)];
                    b[at] = (byte) (v >>> 24);
                    b[at + 1] = (byte) (v >>> 16);
                    b[at + 2] = (byte) (v >>> 8);
                    b[at + 3] = (byte) v;
                }
            }
            default -> { // delete a range
                if (b.length > 0) {
                    int from = random.nextInt(b.length);
                    int to = from + random.nextInt(b.length - from + 1);
                    byte[] cut = new byte[b.length - (to - from)];
                    System.arraycopy(b, 0, cut, 0, from);
                    System.arraycopy(b, to, cut, from, b.length - to);
                    b = cut;
                }
            }
        }
        return b;
    }
}
