package dev.ballot.bench.load;

import java.time.Duration;
import java.util.List;

/**
 * The parameters of one load run. Checked on construction: a bad value is an
 * {@link IllegalArgumentException} naming the option, before any connection is made.
 *
 * @param requests if &gt; 0, stop after this many measured commands in total (then
 *                 {@code duration} is ignored); 0 means run for {@code duration}
 * @param timeout  connect and read timeout of each client connection
 * @param keySize  bytes per key: "key:" and the key number, zero-padded on the left
 */
public record LoadOptions(
        String host,
        List<Integer> ports,
        int clients,
        int pipeline,
        int valueSize,
        double readRatio,
        int keys,
        Duration duration,
        Duration warmup,
        long seed,
        long requests,
        Duration timeout,
        int keySize) {

    /** The key size of {@code redis-benchmark -r}: "key:" and 12 digits. */
    public static final int DEFAULT_KEY_SIZE = 16;

    /** As the canonical constructor, with {@link #DEFAULT_KEY_SIZE}-byte keys. */
    public LoadOptions(String host, List<Integer> ports, int clients, int pipeline, int valueSize, double readRatio,
                       int keys, Duration duration, Duration warmup, long seed, long requests, Duration timeout) {
        this(host, ports, clients, pipeline, valueSize, readRatio, keys, duration, warmup, seed, requests, timeout,
                DEFAULT_KEY_SIZE);
    }

    public LoadOptions {
        ports = List.copyOf(ports);
        require(host != null && !host.isBlank(), "--host must not be empty");
        require(!ports.isEmpty(), "--ports needs at least one port");
        for (int port : ports) {
            require(port > 0 && port < 65536, "--ports: " + port + " is not a TCP port (1..65535)");
        }
        require(clients > 0, "--clients must be > 0, got " + clients);
        require(pipeline > 0, "--pipeline must be > 0, got " + pipeline);
        require(valueSize >= 0, "--value-size must be >= 0, got " + valueSize);
        require(readRatio >= 0 && readRatio <= 1, "--read-ratio must be in 0..1, got " + readRatio);
        require(keys > 0, "--keys must be > 0, got " + keys);
        require(!duration.isNegative() && (requests > 0 || !duration.isZero()),
                "--duration must be > 0 seconds, got " + duration.toMillis() / 1000.0);
        require(!warmup.isNegative(), "--warmup must be >= 0 seconds");
        require(requests >= 0, "--requests must be >= 0, got " + requests);
        require(timeout.toMillis() > 0, "--timeout-ms must be > 0");
        require(keySize >= DEFAULT_KEY_SIZE && keySize <= 1 << 20,
                "--key-size must be " + DEFAULT_KEY_SIZE + ".." + (1 << 20) + " bytes, got " + keySize);
    }

    /** The defaults of the command line: 127.0.0.1:6401, 50 clients, SET only, 100-byte values. */
    public static LoadOptions defaults() {
        return new LoadOptions("127.0.0.1", List.of(6401), 50, 1, 100, 0.0, 100_000,
                Duration.ofSeconds(10), Duration.ofSeconds(2), 1L, 0L, Duration.ofSeconds(5));
    }

    /** The port client number {@code client} connects to: clients are spread round-robin. */
    public int portOf(int client) {
        return ports.get(client % ports.size());
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
