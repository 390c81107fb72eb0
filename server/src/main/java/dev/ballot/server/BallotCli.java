package dev.ballot.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** The {@code ballot} command: run a node, run a local cluster, talk to a cluster. */
@Command(name = "ballot", mixinStandardHelpOptions = true, version = "ballot 0.1.0-SNAPSHOT",
        synopsisSubcommandLabel = "COMMAND",
        description = "Ballot: a Raft-replicated key-value store speaking Redis (RESP) and HTTP/JSON.")
public final class BallotCli implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(newCommandLine(KvNodeHandle::start, ProcessBuilder::start).execute(args));
    }

    /** The whole command tree, with the given ways of starting a node and a child process. */
    public static CommandLine newCommandLine(NodeStarter nodes, ProcessStarter processes) {
        CommandLine cli = new CommandLine(new BallotCli())
                .addSubcommand(new ServerCommand(nodes))
                .addSubcommand(new CommandLine(new ClusterCommand())
                        .addSubcommand(new ClusterStartCommand(processes)))
                .addSubcommand(new StatusCommand())
                .addSubcommand(new CommandLine(new AdminCommand())
                        .addSubcommand(new AdminSnapshotCommand()))
                .addSubcommand(new PutCommand())
                .addSubcommand(new GetCommand())
                .addSubcommand(new DelCommand());
        cli.setParameterExceptionHandler(BallotCli::usageError);
        cli.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            err.println("ballot " + cmd.getCommandName() + ": failed: " + e);
            e.printStackTrace(err);
            err.flush();
            return ExitCodes.FAILURE;
        });
        return cli;
    }

    /** A short message naming what is wrong and where to look, instead of the whole usage text. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
        err.flush();
        return ExitCodes.USAGE;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.USAGE;
    }
}
