package dev.ballot.server;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** A node's HTTP address as given to the client commands: {@code host:port} or {@code [ipv6]:port}. */
public record NodeAddress(String host, int port) {

    /** The local cluster that {@code ballot cluster start} runs with its default ports. */
    public static final int LOCAL_HTTP_PORT_BASE = 8401;

    public NodeAddress {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("the host is empty");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " is not in 1..65535");
    }

    public static NodeAddress parse(String text) {
        String t = text.strip();
        String host;
        String port;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0 || close + 1 >= t.length() || t.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("'" + text + "' is not [ipv6]:port");
            }
            host = t.substring(1, close);
            port = t.substring(close + 2);
        } else {
            int colon = t.lastIndexOf(':');
            if (colon < 0 || t.indexOf(':') != colon) {
                throw new IllegalArgumentException("'" + text + "' is not host:port (write IPv6 as [addr]:port)");
            }
            host = t.substring(0, colon);
            port = t.substring(colon + 1);
        }
        try {
            return new NodeAddress(host, Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("in '" + text + "', port '" + port + "' is not a number", e);
        }
    }

    /** {@code 127.0.0.1:8401 .. 127.0.0.1:(8400+n)}. */
    public static List<NodeAddress> localCluster(int n) {
        List<NodeAddress> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) nodes.add(new NodeAddress("127.0.0.1", LOCAL_HTTP_PORT_BASE + i));
        return nodes;
    }

    public URI uri(String path) {
        return URI.create("http://" + this + path);
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }

    /** Lets picocli report a bad address as a usage error naming the option. */
    public static final class Converter implements ITypeConverter<NodeAddress> {
        @Override
        public NodeAddress convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
