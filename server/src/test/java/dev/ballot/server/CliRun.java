package dev.ballot.server;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the ballot command tree in-process with captured output. */
record CliRun(int exitCode, String out, String err) {

    static CliRun run(NodeStarter nodes, ProcessStarter processes, String... args) {
        CommandLine cli = BallotCli.newCommandLine(nodes, processes);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** For commands that must not start anything. */
    static CliRun run(String... args) {
        return run(config -> {
            throw new AssertionError("no node should be started, got " + config);
        }, pb -> {
            throw new AssertionError("no process should be started: " + pb.command());
        }, args);
    }
}
