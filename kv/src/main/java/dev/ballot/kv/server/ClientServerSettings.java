package dev.ballot.kv.server;

import dev.ballot.kv.KvNodeConfig;
import dev.ballot.kv.sm.KvLimits;

import java.util.Objects;

/**
 * What one client-facing server (RESP or HTTP) needs to start.
 *
 * @param host                     interface to bind
 * @param port                     port to bind (0 = pick a free one; see the server's {@code address()})
 * @param limits                   key and value size limits, checked before a command is executed
 * @param maxRequestBytes          largest request (RESP command, HTTP body) accepted
 * @param maxInFlightPerConnection commands one connection may have queued or executing at once;
 *                                 beyond it the server stops reading from that connection
 */
public record ClientServerSettings(String host, int port, KvLimits limits, int maxRequestBytes,
                                   int maxInFlightPerConnection) {

    public static final int DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION = 1024;

    public ClientServerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(limits, "limits");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (maxRequestBytes < 1024) {
            throw new IllegalArgumentException("max request bytes must be >= 1024, was " + maxRequestBytes);
        }
        if (maxInFlightPerConnection < 1) {
            throw new IllegalArgumentException("max in-flight per connection must be >= 1, was " + maxInFlightPerConnection);
        }
    }

    /** The RESP server's settings from a node's configuration. */
    public static ClientServerSettings resp(KvNodeConfig config) {
        return new ClientServerSettings(config.clientHost(), config.redisPort(), config.limits(),
                config.maxRequestBytes(), DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION);
    }

    /** The HTTP server's settings from a node's configuration. */
    public static ClientServerSettings http(KvNodeConfig config) {
        return new ClientServerSettings(config.clientHost(), config.httpPort(), config.limits(),
                config.maxRequestBytes(), DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION);
    }

    public ClientServerSettings withPort(int p) {
        return new ClientServerSettings(host, p, limits, maxRequestBytes, maxInFlightPerConnection);
    }

    public ClientServerSettings withLimits(KvLimits l) {
        return new ClientServerSettings(host, port, l, maxRequestBytes, maxInFlightPerConnection);
    }

    public ClientServerSettings withMaxRequestBytes(int n) {
        return new ClientServerSettings(host, port, limits, n, maxInFlightPerConnection);
    }

    public ClientServerSettings withMaxInFlightPerConnection(int n) {
        return new ClientServerSettings(host, port, limits, maxRequestBytes, n);
    }
}
