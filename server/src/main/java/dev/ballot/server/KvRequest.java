package dev.ballot.server;

import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;

/**
 * Runs one key-value request for a client command and maps what happened to an exit code:
 * the outcome-specific part (what to print for which status) is the {@code onAnswer} callback.
 */
final class KvRequest {

    /** What to print and return for a node's answer (anything but 503/429). */
    @FunctionalInterface
    interface OnAnswer {
        int handle(ClusterClient.Response response, PrintWriter out, PrintWriter err);
    }

    private KvRequest() {}

    static int run(CommandSpec spec, ClientOptions options, String method, String key, byte[] body, boolean isRead,
                   OnAnswer onAnswer) throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (key.isEmpty()) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "KEY is empty");
        ClusterClient client;
        try {
            client = options.client();
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        try {
            ClusterClient.Response r = client.send(method, KeyPath.of(key), body, isRead);
            return onAnswer.handle(r, out, err);
        } catch (ClusterUnavailableException e) {
            err.println("ballot " + spec.name() + ": cluster unavailable: " + e.getMessage());
            return ExitCodes.UNAVAILABLE;
        } catch (OutcomeUnknownException e) {
            err.println("ballot " + spec.name() + ": outcome unknown: " + e.getMessage());
            return ExitCodes.FAILED;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The answer for any status the command does not expect: a failure, with the node's error. */
    static int failed(CommandSpec spec, ClusterClient.Response r, PrintWriter err) {
        err.println("ballot " + spec.name() + ": " + r.node() + " answered " + r.status() + " "
                + ErrorBody.describe(r.body()));
        return ExitCodes.FAILED;
    }
}
