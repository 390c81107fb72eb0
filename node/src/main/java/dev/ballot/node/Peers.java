package dev.ballot.node;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The members of a cluster and their peer addresses, parsed from the form used on the command
 * line: {@code 1=127.0.0.1:7101,2=127.0.0.1:7102,3=[::1]:7103}. Every mistake is reported with
 * the setting's name and the offending part, so a person can fix it at once.
 */
public record Peers(SortedMap<Long, PeerAddress> members) {

    public Peers {
        if (members.isEmpty()) throw new IllegalArgumentException("a cluster needs at least one member");
        members = Collections.unmodifiableSortedMap(new TreeMap<>(members));
    }

    /**
     * Parses {@code id=host:port[,id=host:port...]}.
     *
     * @param setting the name to use in error messages (e.g. {@code --peers})
     * @throws IllegalArgumentException naming the setting and what is wrong
     */
    public static Peers parse(String setting, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(setting + " is empty; expected id=host:port[,id=host:port...], "
                    + "e.g. 1=127.0.0.1:7101,2=127.0.0.1:7102,3=127.0.0.1:7103");
        }
        TreeMap<Long, PeerAddress> members = new TreeMap<>();
        for (String part : text.split(",", -1)) {
            String item = part.strip();
            if (item.isEmpty()) throw new IllegalArgumentException(setting + ": empty member in '" + text + "'");
            int eq = item.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(setting + ": '" + item + "' is not id=host:port");
            }
            long id = parseId(setting, item, item.substring(0, eq).strip());
            PeerAddress address = parseAddress(setting, item, item.substring(eq + 1).strip());
            if (members.containsKey(id)) {
                throw new IllegalArgumentException(setting + ": node id " + id + " appears twice");
            }
            if (members.containsValue(address)) {
                throw new IllegalArgumentException(setting + ": address " + address + " is given to two nodes");
            }
            members.put(id, address);
        }
        return new Peers(members);
    }

    private static long parseId(String setting, String item, String id) {
        long value;
        try {
            value = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(setting + ": in '" + item + "', node id '" + id
                    + "' is not a number (ids are positive integers)");
        }
        if (value < 1) {
            throw new IllegalArgumentException(setting + ": in '" + item + "', node id " + value + " must be >= 1");
        }
        return value;
    }

    private static PeerAddress parseAddress(String setting, String item, String address) {
        String host;
        String port;
        if (address.startsWith("[")) { // [IPv6]:port
            int close = address.indexOf(']');
            if (close < 0 || close + 1 >= address.length() || address.charAt(close + 1) != ':') {
                throw new IllegalArgumentException(setting + ": in '" + item + "', '" + address
                        + "' is not [ipv6]:port");
            }
            host = address.substring(1, close);
            port = address.substring(close + 2);
        } else {
            int colon = address.lastIndexOf(':');
            if (colon < 0 || address.indexOf(':') != colon) {
                throw new IllegalArgumentException(setting + ": in '" + item + "', '" + address
                        + "' is not host:port (write IPv6 addresses as [addr]:port)");
            }
            host = address.substring(0, colon);
            port = address.substring(colon + 1);
        }
        if (host.isBlank()) throw new IllegalArgumentException(setting + ": in '" + item + "', the host is empty");
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(setting + ": in '" + item + "', port '" + port + "' is not a number");
        }
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException(setting + ": in '" + item + "', port " + p + " is not in 1..65535");
        }
        return new PeerAddress(host, p);
    }

    /** The member ids, ascending. */
    public Set<Long> ids() {
        return members.keySet();
    }

    public PeerAddress address(long id) {
        PeerAddress a = members.get(id);
        if (a == null) throw new IllegalArgumentException("node " + id + " is not a member " + members.keySet());
        return a;
    }

    /** Back to the command-line form. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Long, PeerAddress> e : members.entrySet()) {
            if (!sb.isEmpty()) sb.append(',');
            sb.append(e.getKey()).append('=').append(e.getValue());
        }
        return sb.toString();
    }
}
