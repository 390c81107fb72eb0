package dev.ballot.server;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Sends one HTTP request to a cluster, trying its nodes in turn. Moves on to the next node when a
 * node cannot be connected to, has no leader (503) or is busy (429): those requests were not
 * proposed, so resending is safe. After a full round without an answer it waits (the largest
 * Retry-After seen, else a short back-off) and goes round again, until the budget is spent.
 * A request that was sent but got no answer is resent only if it is a read.
 */
public final class ClusterClient {

    /** A node's answer: its HTTP status and body. */
    public record Response(NodeAddress node, int status, byte[] body) {}

    private static final Duration BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(5);

    private final List<NodeAddress> nodes;
    private final Duration budget;
    private final HttpClient http;

    public ClusterClient(List<NodeAddress> nodes, Duration budget) {
        if (nodes.isEmpty()) throw new IllegalArgumentException("no nodes to talk to");
        this.nodes = List.copyOf(nodes);
        this.budget = budget;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    /**
     * @param body      the request body, or null for none
     * @param isRead    true if resending after a lost answer cannot change anything
     */
    public Response send(String method, String path, byte[] body, boolean isRead)
            throws ClusterUnavailableException, OutcomeUnknownException, InterruptedException {
        long deadline = System.nanoTime() + budget.toNanos();
        String lastProblem = "no attempt made";
        Duration roundWait = BACKOFF;
        for (int attempt = 0; ; attempt++) {
            NodeAddress node = nodes.get(attempt % nodes.size());
            long remaining = deadline - System.nanoTime();
            HttpRequest request = HttpRequest.newBuilder(node.uri(path))
                    .timeout(Duration.ofNanos(Math.max(remaining, Duration.ofMillis(100).toNanos())))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            try {
                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                if (status != 503 && status != 429) return new Response(node, status, response.body());
                lastProblem = node + " answered " + status + " " + ErrorBody.describe(response.body());
                roundWait = max(roundWait, retryAfter(response).orElse(BACKOFF));
            } catch (ConnectException | HttpConnectTimeoutException e) {
                lastProblem = "cannot connect to " + node + " (" + (e.getMessage() == null ? "connection refused"
                        : e.getMessage()) + ")";
            } catch (IOException e) {
                if (!isRead) {
                    throw new OutcomeUnknownException(method + " " + path + " was sent to " + node
                            + " but no answer came (" + e + "); it may or may not have been applied", e);
                }
                lastProblem = node + " did not answer (" + e + ")";
            }
            boolean roundDone = (attempt + 1) % nodes.size() == 0;
            long wait = roundDone ? roundWait.toNanos() : 0;
            if (System.nanoTime() + wait >= deadline) {
                throw new ClusterUnavailableException("no node could serve " + method + " " + path + " within "
                        + budget.toMillis() + " ms; last: " + lastProblem);
            }
            if (roundDone) {
                // A back-off between rounds, not synchronisation: the cluster needs time to elect a leader.
                Thread.sleep(Duration.ofNanos(wait));
                roundWait = BACKOFF;
            }
        }
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                long seconds = Long.parseLong(v.strip());
                return Optional.of(seconds <= 0 ? Duration.ZERO : min(Duration.ofSeconds(seconds), MAX_RETRY_AFTER));
            } catch (NumberFormatException e) {
                return Optional.empty(); // an HTTP date; fall back to the default back-off
            }
        });
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
