package dev.ballot.server.it;

import dev.ballot.server.BallotCli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@code BallotCli} command running as a child JVM, its stdout and stderr collected as they come
 * (for commands that keep running, like {@code cluster start}). Closing it kills it and every
 * process it started.
 */
final class ChildProcess implements ProcessDiagnostics {

    private final Process process;
    private final List<String> output = new ArrayList<>();
    private final List<Path> extraLogs;
    private final Thread reader;

    private ChildProcess(Process process, List<Path> extraLogs) {
        this.process = process;
        this.extraLogs = List.copyOf(extraLogs);
        this.reader = Thread.ofPlatform().daemon().name("output-of-" + process.pid()).start(this::readOutput);
    }

    /** Starts {@code java -cp <this class path> BallotCli ARGS}; {@code extraLogs} are shown on failure too. */
    static ChildProcess ballot(List<String> args, List<Path> extraLogs) {
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), BallotCli.class.getName()));
        cmd.addAll(args);
        try {
            return new ChildProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start(), extraLogs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (output) {
                    output.add(line);
                }
            }
        } catch (IOException e) {
            synchronized (output) {
                output.add("(reading the output failed: " + e + ")");
            }
        }
    }

    Process process() {
        return process;
    }

    /** Everything printed so far. */
    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** The whole output, once the process has exited and its output is read to the end. */
    String outputAfterExit() throws InterruptedException {
        process.waitFor();
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return output();
    }

    @Override
    public String diagnostics() {
        StringBuilder sb = new StringBuilder("---- output of pid " + process.pid() + " ----\n").append(output()).append('\n');
        for (Path log : extraLogs) {
            sb.append("---- last lines of ").append(log).append(" ----\n");
            try {
                List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of("(no log)");
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> sb.append(l).append('\n'));
            } catch (IOException e) {
                sb.append("(cannot read: ").append(e).append(")\n");
            }
        }
        return sb.toString();
    }

    /** SIGKILL to the process and all its descendants, then waits for them. */
    @Override
    public void close() {
        List<ProcessHandle> all = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : all) {
            h.onExit().orTimeout(15, TimeUnit.SECONDS).join();
        }
    }
}
