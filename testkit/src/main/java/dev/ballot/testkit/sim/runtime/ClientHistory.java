package dev.ballot.testkit.sim.runtime;

import dev.ballot.testkit.lin.Event;
import dev.ballot.testkit.lin.EventType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The clients' history as the linearizability checker reads it, in virtual time. Every operation
 * gets a process of its own (a pipelined connection has several operations open at once; the
 * checker's processes run one at a time), so a process id names one operation. Also counts
 * outcomes and remembers the acknowledged APPEND tokens for the acknowledged-writes check.
 */
final class ClientHistory {

    private final Scheduler scheduler;
    private final List<Event> events = new ArrayList<>();
    /** An acknowledged APPEND: its token, and the length the reply said the value had after it. */
    record AckedAppend(String token, long length) {}

    /** Acknowledged APPENDs per key. */
    private final Map<String, List<AckedAppend>> ackedAppends = new TreeMap<>();
    /** Who ran each process: "client C on node N". */
    private final List<String> origin = new ArrayList<>();
    private final java.util.BitSet dropped = new java.util.BitSet();
    private int processes;
    private long ok;
    private long failed;
    private long unknown;

    ClientHistory(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Records the invocation of {@code op} by {@code client} on {@code node}; returns its process id. */
    int invoke(Workload.Op op, int client, long node) {
        int process = processes++;
        origin.add("client " + client + " on node " + node);
        events.add(new Event(process, EventType.INVOKE, op.f(), op.key(), op.value(), op.expected(), scheduler.now()));
        return process;
    }

    void ok(int process, Workload.Op op, String value) {
        ok++;
        events.add(new Event(process, EventType.OK, op.f(), op.key(), value, op.expected(), scheduler.now()));
    }

    /** An APPEND was acknowledged; the reply said the value is {@code length} bytes long now. */
    void appended(int process, Workload.Op op, long length) {
        ok(process, op, op.value());
        ackedAppends.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(new AckedAppend(op.value(), length));
    }

    /**
     * Certainly had no effect, because the server refused it (TRYAGAIN, BUSY, TIMEOUT, SHUTDOWN).
     * Such an operation leaves the history: for a CAS, FAIL would tell the checker that the register
     * did not hold the expected value, which a refusal says nothing about.
     */
    void refused(int process, Workload.Op op) {
        failed++;
        dropped.set(process);
    }

    /** A CAS that found another value than the expected one: nothing changed. */
    void fail(int process, Workload.Op op) {
        failed++;
        events.add(new Event(process, EventType.FAIL, op.f(), op.key(), op.value(), op.expected(), scheduler.now()));
    }

    /** May or may not have taken effect. */
    void info(int process, Workload.Op op) {
        unknown++;
        events.add(new Event(process, EventType.INFO, op.f(), op.key(), op.value(), op.expected(), scheduler.now()));
    }

    /** SHA-256 of the whole history, as text: two runs of one seed must give the same. */
    String fingerprint() {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (Event e : events()) sha.update((e + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** "client C on node N" for {@code process}. */
    String origin(int process) {
        return origin.get(process);
    }

    /** The history for the checker: every operation but the refused ones. */
    List<Event> events() {
        return events.stream().filter(e -> !dropped.get(e.process())).toList();
    }

    Map<String, List<AckedAppend>> ackedAppends() {
        return ackedAppends;
    }

    long okCount() {
        return ok;
    }

    long failedCount() {
        return failed;
    }

    long unknownCount() {
        return unknown;
    }
}
