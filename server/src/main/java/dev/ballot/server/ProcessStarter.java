package dev.ballot.server;

import java.io.IOException;

/** Starts a child process; a seam so the cluster launcher can be tested without starting JVMs. */
@FunctionalInterface
public interface ProcessStarter {

    Process start(ProcessBuilder builder) throws IOException;
}
