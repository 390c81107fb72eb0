package dev.ballot.bench.load;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One closed-loop client: its own connection; sends {@code pipeline} commands, reads as many
 * replies, records each reply's latency (batch sent to that reply read), and repeats until the
 * schedule or the request budget ends. A failed connection is counted and re-opened.
 */
final class LoadClient implements Runnable {
    /** The error kind counted for a reply of the wrong type (for example an integer to a SET). */
    static final String UNEXPECTED_REPLY = "UNEXPECTED_REPLY";

    private static final Logger log = LoggerFactory.getLogger(LoadClient.class);
    private static final long RECONNECT_BACKOFF_NANOS = 100_000_000L;
    private static final int BUFFER_BYTES = 64 * 1024;
    /**
     * Keys look like redis-benchmark's with -r: "key:" and 12 digits, so every key has 16 bytes; a
     * larger {@code --key-size} pads the number with more leading zeros.
     */
    private static final int KEY_DIGITS = 12;
    private static final byte[] CRLF = {'\r', '\n'};

    private final int index;
    private final LoadOptions options;
    private final Schedule schedule;
    private final RequestBudget budget;
    private final ClientStats stats = new ClientStats();
    private final SplittableRandom random;
    private final byte[] key;
    private final byte[] setPrefix;
    private final byte[] getPrefix;
    private final byte[] valueHeader;
    private final byte[] value;
    private final boolean[] isGet;

    private Socket socket;
    private OutputStream out;
    private RespReplyReader reader;
    /** Replies read so far in the current batch: what a failure mid-batch did not lose. */
    private int lastAnswered;

    /** @param budget null unless the run is bounded by {@code --requests} */
    LoadClient(int index, LoadOptions options, Schedule schedule, RequestBudget budget) {
        this.index = index;
        this.options = options;
        this.schedule = schedule;
        this.budget = budget;
        // Distinct, reproducible streams per client: the seed names the run, the index the client.
        this.random = new SplittableRandom(options.seed() * 1_000_003L + index);
        this.key = keyTemplate(options.keySize());
        this.setPrefix = ("*3\r\n$3\r\nSET\r\n$" + key.length + "\r\n").getBytes(US_ASCII);
        this.getPrefix = ("*2\r\n$3\r\nGET\r\n$" + key.length + "\r\n").getBytes(US_ASCII);
        this.valueHeader = ("\r\n$" + options.valueSize() + "\r\n").getBytes(US_ASCII);
        this.value = new byte[options.valueSize()];
        Arrays.fill(value, (byte) 'x');
        this.isGet = new boolean[options.pipeline()];
    }

    /** "key:" followed by zeros, {@code size} bytes in all; the last {@value #KEY_DIGITS} become the key number. */
    static byte[] keyTemplate(int size) {
        byte[] k = new byte[size];
        java.util.Arrays.fill(k, (byte) '0');
        System.arraycopy("key:".getBytes(US_ASCII), 0, k, 0, 4);
        return k;
    }

    ClientStats stats() {
        return stats;
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly();
        }
    }

    private void loop() throws InterruptedException {
        while (true) {
            long now = System.nanoTime();
            if (schedule.isOver(now)) {
                return;
            }
            if (socket == null && !connect()) {
                backOff();
                continue;
            }
            boolean measured = schedule.isMeasuring(now);
            int commands = options.pipeline();
            if (measured && budget != null) {
                commands = budget.claim(commands);
                if (commands == 0) {
                    return;
                }
            }
            try {
                sendBatch(commands);
            } catch (IOException e) {
                connectionFailed(e);
                if (measured) {
                    stats.lostCommands += commands - lastAnswered;
                }
                backOff();
            }
        }
    }

    private void sendBatch(int commands) throws IOException {
        lastAnswered = 0;
        long sent = System.nanoTime();
        for (int i = 0; i < commands; i++) {
            isGet[i] = options.readRatio() > 0 && random.nextDouble() < options.readRatio();
            writeCommand(isGet[i], random.nextInt(options.keys()));
        }
        out.flush();
        for (int i = 0; i < commands; i++) {
            Reply reply = reader.read();
            long received = System.nanoTime();
            lastAnswered = i + 1;
            if (schedule.counts(sent, received)) {
                stats.latencyMicros.recordValue((received - sent + 999) / 1000);
                stats.lastReplyNanos = received;
                classify(reply, isGet[i]);
            }
        }
    }

    private void writeCommand(boolean get, int keyNumber) throws IOException {
        int n = keyNumber;
        for (int i = key.length - 1; i >= key.length - KEY_DIGITS; i--) {
            key[i] = (byte) ('0' + n % 10);
            n /= 10;
        }
        if (get) {
            out.write(getPrefix);
            out.write(key);
            out.write(CRLF);
        } else {
            out.write(setPrefix);
            out.write(key);
            out.write(valueHeader);
            out.write(value);
            out.write(CRLF);
        }
    }

    private void classify(Reply reply, boolean get) {
        switch (reply) {
            case Reply.Error error -> stats.countError(error.kind());
            case Reply.Bulk bulk when get -> { }
            case Reply.Simple simple when !get && simple.text().equals("OK") -> { }
            default -> stats.countError(UNEXPECTED_REPLY);
        }
    }

    private boolean connect() {
        int port = options.portOf(index);
        Socket s = new Socket();
        try {
            int timeoutMillis = (int) options.timeout().toMillis();
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(options.host(), port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            socket = s;
            out = new BufferedOutputStream(s.getOutputStream(), BUFFER_BYTES);
            reader = new RespReplyReader(new BufferedInputStream(s.getInputStream(), BUFFER_BYTES));
            return true;
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            connectionFailed(e);
            return false;
        }
    }

    private void connectionFailed(IOException e) {
        String reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        log.debug("client {} to port {}: {}", index, options.portOf(index), reason, e);
        stats.countConnectionFailure(reason);
        closeQuietly();
    }

    /** Pauses before reconnecting, so a dead server is not hammered; never past the end of the run. */
    private void backOff() throws InterruptedException {
        long left = schedule.endNanos() - System.nanoTime();
        long pause = Math.min(RECONNECT_BACKOFF_NANOS, Math.max(0, left));
        Thread.sleep(pause / 1_000_000, (int) (pause % 1_000_000));
    }

    private void closeQuietly() {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("client {}: close failed", index, e);
        }
        socket = null;
        out = null;
        reader = null;
    }
}
