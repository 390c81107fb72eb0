package dev.ballot.server;

/** No node answered, or none had a leader, within the client's retry budget. */
public final class ClusterUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    public ClusterUnavailableException(String message) {
        super(message);
    }
}
