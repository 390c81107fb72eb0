package dev.ballot.server;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Asks nodes for {@code /v1/status}, all at once, each bounded by a timeout. */
final class StatusFetcher {

    /** One node's status, or why it has none ({@code problem} set, {@code status} null). */
    record Result(NodeAddress node, NodeStatusView status, String problem) {
        boolean up() {
            return status != null;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Duration timeout;

    StatusFetcher(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    Result fetch(NodeAddress node) {
        return fetchAll(List.of(node)).get(0);
    }

    List<Result> fetchAll(List<NodeAddress> nodes) {
        List<CompletableFuture<Result>> futures = new ArrayList<>();
        for (NodeAddress node : nodes) {
            HttpRequest request = HttpRequest.newBuilder(node.uri("/v1/status")).timeout(timeout).GET().build();
            futures.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                    .handle((response, error) -> toResult(node, response, error)));
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }

    private static Result toResult(NodeAddress node, HttpResponse<byte[]> response, Throwable error) {
        if (error != null) {
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            String why = cause instanceof java.net.ConnectException ? "connection refused" : cause.toString();
            return new Result(node, null, why);
        }
        if (response.statusCode() != 200) {
            return new Result(node, null, "HTTP " + response.statusCode() + " " + ErrorBody.describe(response.body()));
        }
        try {
            return new Result(node, JSON.readValue(response.body(), NodeStatusView.class), null);
        } catch (IOException e) {
            return new Result(node, null, "unreadable status: " + e.getMessage());
        }
    }
}
