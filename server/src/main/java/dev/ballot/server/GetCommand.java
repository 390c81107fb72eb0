package dev.ballot.server;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** {@code ballot get KEY}: prints the value, or {@code (nil)} and exits 1 when the key is missing. */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = {"Prints the value of KEY (a linearizable read through the leader).",
                "Exit codes: 0 found, 1 not found (prints (nil)), 2 usage, 3 cluster unavailable, 4 error."})
public final class GetCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClientOptions options;

    @Parameters(index = "0", paramLabel = "KEY")
    private String key;

    @Override
    public Integer call() throws InterruptedException {
        return KvRequest.run(spec, options, "GET", key, null, true, (r, out, err) -> switch (r.status()) {
            case 200 -> {
                out.println(new String(r.body(), StandardCharsets.UTF_8));
                yield ExitCodes.OK;
            }
            case 404 -> {
                out.println("(nil)");
                yield ExitCodes.NOT_FOUND;
            }
            default -> KvRequest.failed(spec, r, err);
        });
    }
}
