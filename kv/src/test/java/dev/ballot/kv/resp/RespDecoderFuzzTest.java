package dev.ballot.kv.resp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random input never makes the decoder throw, only requests (and at most one final protocol error)
 * come out, nothing decoded or buffered exceeds the limits, and the result does not depend on how
 * the input is split into reads. Seeds are fixed, so failures reproduce.
 */
class RespDecoderFuzzTest {

    private static final RespLimits LIMITS = new RespLimits(64, 8, 48, 200);
    private static final byte[] ALPHABET =
            "*$\r\n\r\n0123456789-+ abcXYZ\"'\\x\t".getBytes(StandardCharsets.ISO_8859_1);

    /** Decodes {@code input} in random reads, checking the invariants after each read. */
    private static List<Object> decodeChecked(byte[] input, Random random, int maxChunk) {
        RespDecoder decoder = new RespDecoder(LIMITS);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        int bufferBound = Math.max(Math.max(LIMITS.maxInlineBytes(), LIMITS.maxBulkBytes()) + 2, 22);
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < input.length; ) {
            int n = Math.min(1 + random.nextInt(maxChunk), input.length - i);
            ch.writeInbound(Unpooled.wrappedBuffer(input, i, n)); // rethrows anything decode threw
            i += n;
            assertThat(decoder.bufferedBytes()).isLessThanOrEqualTo(bufferBound);
            for (Object o; (o = ch.readInbound()) != null; ) {
                out.add(o);
            }
        }
        ch.finishAndReleaseAll();
        checkOutput(out);
        return out;
    }

    private static void checkOutput(List<Object> out) {
        for (int i = 0; i < out.size(); i++) {
            Object o = out.get(i);
            if (o instanceof RespProtocolError) {
                assertThat(i).as("a protocol error is the last message").isEqualTo(out.size() - 1);
            } else {
                assertThat(o).isInstanceOf(RespRequest.class);
                RespRequest r = (RespRequest) o;
                assertThat(r.argCount()).isBetween(1, LIMITS.maxArgs());
                long total = 0;
                for (byte[] a : r.args()) {
                    assertThat(a.length).isLessThanOrEqualTo(Math.max(LIMITS.maxBulkBytes(), LIMITS.maxInlineBytes()));
                    total += a.length;
                }
                assertThat(total).isLessThanOrEqualTo(Math.max(LIMITS.maxRequestBytes(), LIMITS.maxInlineBytes()));
            }
        }
    }

    private static List<Object> decodeWhole(byte[] input) {
        return RespDecoderTest.decode(new RespDecoder(LIMITS), input, Integer.MAX_VALUE);
    }

    @Test
    void randomBytes() {
        Random random = new Random(0xBA11_07L);
        int errors = 0;
        int requests = 0;
        for (int run = 0; run < 3000; run++) {
            byte[] input = new byte[random.nextInt(300)];
            for (int i = 0; i < input.length; i++) {
                input[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : ALPHABET[random.nextInt(ALPHABET.length)];
            }
            if (run % 2 == 0 && input.length > 0) {
                input[0] = '*';
            }
            List<Object> whole = decodeWhole(input);
            checkOutput(whole);
            assertThat(decodeChecked(input, random, 1 + random.nextInt(40))).as("run %d", run).isEqualTo(whole);
            errors += (int) whole.stream().filter(RespProtocolError.class::isInstance).count();
            requests += (int) whole.stream().filter(RespRequest.class::isInstance).count();
        }
        // The fuzzing is not vacuous: it reaches both outcomes many times.
        assertThat(errors).isGreaterThan(500);
        assertThat(requests).isGreaterThan(500);
    }

    @Test
    void validPipelinesInRandomReads() {
        Random random = new Random(42);
        for (int run = 0; run < 1000; run++) {
            List<RespRequest> expected = new ArrayList<>();
            byte[] input = validPipeline(random, expected);
            assertThat(decodeChecked(input, random, 1 + random.nextInt(64))).as("run %d", run)
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void truncatedPipelinesYieldAPrefix() {
        Random random = new Random(7);
        for (int run = 0; run < 1000; run++) {
            List<RespRequest> expected = new ArrayList<>();
            byte[] input = validPipeline(random, expected);
            byte[] cut = Arrays.copyOf(input, random.nextInt(input.length + 1));
            List<Object> out = decodeChecked(cut, random, 1 + random.nextInt(64));
            assertThat(out).as("run %d", run).isEqualTo(List.copyOf(expected.subList(0, out.size())));
        }
    }

    @Test
    void mutatedPipelines() {
        Random random = new Random(1234);
        int errors = 0;
        int requests = 0;
        for (int run = 0; run < 3000; run++) {
            byte[] input = validPipeline(random, new ArrayList<>());
            ByteArrayOutputStream mutated = new ByteArrayOutputStream();
            mutated.writeBytes(input);
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                input = mutated.toByteArray();
                mutated.reset();
                int at = random.nextInt(input.length + 1);
                byte b = random.nextBoolean() ? (byte) random.nextInt(256) : ALPHABET[random.nextInt(ALPHABET.length)];
                switch (random.nextInt(4)) {
                    case 0 -> { // replace
                        mutated.write(input, 0, input.length);
                        if (at < input.length) {
                            byte[] copy = mutated.toByteArray();
                            copy[at] = b;
                            mutated.reset();
                            mutated.writeBytes(copy);
                        }
                    }
                    case 1 -> { // insert
                        mutated.write(input, 0, at);
                        mutated.write(b);
                        mutated.write(input, at, input.length - at);
                    }
                    case 2 -> { // delete
                        mutated.write(input, 0, at);
                        if (at < input.length) {
                            mutated.write(input, at + 1, input.length - at - 1);
                        }
                    }
                    default -> mutated.write(input, 0, at); // truncate
                }
            }
            byte[] fuzzed = mutated.toByteArray();
            List<Object> whole = decodeWhole(fuzzed);
            checkOutput(whole);
            assertThat(decodeChecked(fuzzed, random, 1 + random.nextInt(32))).as("run %d", run).isEqualTo(whole);
            errors += (int) whole.stream().filter(RespProtocolError.class::isInstance).count();
            requests += (int) whole.stream().filter(RespRequest.class::isInstance).count();
        }
        assertThat(errors).isGreaterThan(500);
        assertThat(requests).isGreaterThan(500);
    }

    /** A random pipeline of valid requests within {@link #LIMITS}; adds them to {@code expected}. */
    private static byte[] validPipeline(Random random, List<RespRequest> expected) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int requests = 1 + random.nextInt(6);
        for (int r = 0; r < requests; r++) {
            int argc = 1 + random.nextInt(LIMITS.maxArgs());
            if (random.nextInt(3) == 0) {
                // Inline: plain words, within the inline limit.
                List<String> words = new ArrayList<>();
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < Math.min(argc, 4); i++) {
                    String w = "w" + random.nextInt(1000);
                    words.add(w);
                    line.append(w).append(random.nextBoolean() ? " " : "  ");
                }
                out.writeBytes(line.append(random.nextBoolean() ? "\r\n" : "\n").toString()
                        .getBytes(StandardCharsets.US_ASCII));
                expected.add(RespRequest.of(words.toArray(String[]::new)));
            } else {
                byte[][] args = new byte[argc][];
                for (int i = 0; i < argc; i++) {
                    args[i] = new byte[random.nextInt(16)];
                    for (int j = 0; j < args[i].length; j++) {
                        args[i][j] = random.nextBoolean() ? (byte) random.nextInt(256) : ALPHABET[random.nextInt(ALPHABET.length)];
                    }
                }
                out.writeBytes(RespDecoderTest.multibulk(args));
                expected.add(new RespRequest(List.of(args)));
            }
        }
        return out.toByteArray();
    }
}
