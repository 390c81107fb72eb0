package dev.ballot.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClientCommandsTest {

    private final List<FakeNode> nodes = new ArrayList<>();

    private FakeNode node() throws IOException {
        FakeNode n = new FakeNode();
        nodes.add(n);
        return n;
    }

    @AfterEach
    void stop() {
        nodes.forEach(FakeNode::close);
    }

    /** An address where nothing listens: a port that was just free. */
    private static String deadAddress() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + s.getLocalPort();
        }
    }

    private static String status(long id, String role, long leader) {
        return "{\"id\":" + id + ",\"role\":\"" + role + "\",\"term\":7,\"leaderId\":" + leader
                + ",\"commitIndex\":42,\"appliedIndex\":41,\"firstLogIndex\":1,\"lastLogIndex\":43,"
                + "\"members\":[1,2,3],\"somethingNew\":true}";
    }

    @Test
    void statusShowsEveryNodeAndWhichAreDown() throws IOException {
        FakeNode a = node().answer(200, status(1, "leader", 1));
        FakeNode b = node().answer(200, status(2, "follower", 1));
        String dead = deadAddress();
        CliRun r = CliRun.run("status", "--nodes", a.address() + "," + b.address() + "," + dead);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("NODE").contains("ROLE").contains("COMMIT");
        assertThat(lines.get(1).split("\\s+")).containsExactly(a.address().toString(), "1", "leader", "7", "1", "42",
                "41", "1..43", "-");
        assertThat(lines.get(2).split("\\s+")).containsExactly(b.address().toString(), "2", "follower", "7", "1",
                "42", "41", "1..43", "-");
        assertThat(lines.get(3)).startsWith(dead).contains("down (connection refused)");
        assertThat(a.received()).extracting(FakeNode.Received::rawPath).containsExactly("/v1/status");
    }

    @Test
    void statusShowsTheNewestSnapshot() throws IOException {
        FakeNode a = node().answer(200, status(1, "leader", 1).replace("\"somethingNew\":true",
                "\"snapshot\":{\"snapshotIndex\":40,\"snapshotTerm\":7,\"sizeBytes\":99,\"ageSeconds\":3}"));
        CliRun r = CliRun.run("status", "--nodes", a.address().toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out().lines().toList().get(1).split("\\s+")).endsWith("1..43", "40");
    }

    @Test
    void adminSnapshotAsksEveryNodeAndPrintsWhatEachHolds() throws IOException {
        FakeNode a = node().answer(200, "{\"snapshotIndex\":40,\"snapshotTerm\":7,\"sizeBytes\":1234,\"ageSeconds\":0}");
        FakeNode b = node().answer(500, "{\"error\":\"internal error\",\"message\":\"disk full\"}");
        CliRun r = CliRun.run("admin", "snapshot", "--nodes", a.address() + "," + b.address());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.FAILURE);
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(1).split("\\s+")).containsExactly(a.address().toString(), "40", "7", "1234");
        assertThat(lines.get(2)).startsWith(b.address().toString()).contains("failed (HTTP 500").contains("disk full");
        assertThat(a.received()).containsExactly(new FakeNode.Received("POST", "/v1/admin/snapshot", ""));
    }

    @Test
    void adminSnapshotWithEveryNodeDownExitsUnavailable() throws IOException {
        CliRun r = CliRun.run("admin", "snapshot", "--nodes", deadAddress());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(r.out()).contains("failed (connection refused)");
    }

    @Test
    void statusWithEveryNodeDownExitsUnavailable() throws IOException {
        CliRun r = CliRun.run("status", "--nodes", deadAddress());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(r.out()).contains("down");
    }

    @Test
    void statusShowsANodeAnsweringAnErrorAsDown() throws IOException {
        FakeNode a = node().answer(500, "{\"error\":\"INTERNAL\",\"message\":\"disk on fire\"}");
        CliRun r = CliRun.run("status", "--nodes", a.address().toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(r.out()).contains("down (HTTP 500 INTERNAL: disk on fire)");
    }

    @Test
    void putSendsTheValueToTheEscapedKeyAndPrintsOk() throws IOException {
        FakeNode a = node().answer(200, "{\"ok\":true}");
        CliRun r = CliRun.run("put", "--node", a.address().toString(), "a/b c", "héllo");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).isEqualTo("OK" + System.lineSeparator());
        assertThat(a.received()).containsExactly(new FakeNode.Received("PUT", "/v1/kv/a%2Fb%20c", "héllo"));
    }

    @Test
    void getPrintsTheValue() throws IOException {
        FakeNode a = node().answer(200, "the value");
        CliRun r = CliRun.run("get", "--node", a.address().toString(), "k");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).isEqualTo("the value" + System.lineSeparator());
        assertThat(a.received()).extracting(FakeNode.Received::method).containsExactly("GET");
    }

    @Test
    void getOfAMissingKeyPrintsNilAndExitsOne() throws IOException {
        FakeNode a = node().answer(404, "{\"error\":\"NOT_FOUND\",\"message\":\"no such key\"}");
        CliRun r = CliRun.run("get", "--node", a.address().toString(), "k");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.out()).isEqualTo("(nil)" + System.lineSeparator());
    }

    @Test
    void delPrintsHowManyWereDeleted() throws IOException {
        FakeNode a = node().answer(200, "{\"deleted\":1}");
        CliRun r = CliRun.run("del", "--node", a.address().toString(), "k");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).isEqualTo("1" + System.lineSeparator());
        assertThat(a.received()).containsExactly(new FakeNode.Received("DELETE", "/v1/kv/k", ""));
    }

    @Test
    void noLeaderIsRetriedUntilTheClusterAnswers() throws IOException {
        FakeNode a = node().answer503("0").answer503("0").answer(200, "{\"ok\":true}");
        CliRun r = CliRun.run("put", "--node", a.address().toString(), "k", "v");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("OK");
        assertThat(a.received()).hasSize(3);
    }

    @Test
    void aBusyNodeSendsTheRequestToTheNextNode() throws IOException {
        FakeNode busy = node().answer(429, "{\"error\":\"BUSY\",\"message\":\"too many requests\"}");
        FakeNode ok = node().answer(200, "v");
        CliRun r = CliRun.run("get", "--node", busy.address() + "," + ok.address(), "k");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("v");
        assertThat(busy.received()).hasSize(1);
        assertThat(ok.received()).hasSize(1);
    }

    @Test
    void anUnreachableNodeIsSkipped() throws IOException {
        FakeNode ok = node().answer(200, "{\"ok\":true}");
        CliRun r = CliRun.run("put", "--node", deadAddress() + "," + ok.address(), "k", "v");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(ok.received()).hasSize(1);
    }

    @Test
    void anUnreachableClusterExitsThree() throws IOException {
        CliRun r = CliRun.run("get", "--node", deadAddress(), "--timeout-ms", "300", "k");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(r.err()).contains("cluster unavailable").contains("cannot connect");
    }

    @Test
    void aClusterWithoutLeaderExitsThreeOnceTheBudgetIsSpent() throws IOException {
        FakeNode a = node().answer503("0");
        CliRun r = CliRun.run("put", "--node", a.address().toString(), "--timeout-ms", "500", "k", "v");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(r.err()).contains("503").contains("no leader yet");
        assertThat(a.received().size()).isGreaterThan(1);
    }

    @Test
    void aRejectedRequestExitsFourWithTheServersMessage() throws IOException {
        FakeNode a = node().answer(400, "{\"error\":\"TOO_LARGE\",\"message\":\"value is 2000000 bytes, limit 1048576\"}");
        CliRun r = CliRun.run("put", "--node", a.address().toString(), "k", "v");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).contains("400").contains("TOO_LARGE: value is 2000000 bytes");
        assertThat(a.received()).hasSize(1);
    }

    @Test
    void aBadNodeAddressIsAUsageError() {
        CliRun r = CliRun.run("get", "--node", "localhost", "k");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--node").contains("host:port");
    }

    @Test
    void aMissingArgumentIsAUsageError() {
        CliRun r = CliRun.run("put", "k");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("VALUE");
    }
}
