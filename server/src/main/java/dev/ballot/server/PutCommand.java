package dev.ballot.server;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** {@code ballot put KEY VALUE}: sets a key; prints {@code OK} once the write is committed. */
@Command(name = "put", mixinStandardHelpOptions = true,
        description = {"Sets KEY to VALUE (UTF-8); prints OK once a majority has it.",
                "Exit codes: 0 done, 2 usage, 3 cluster unavailable (nothing written), 4 error or outcome unknown."})
public final class PutCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClientOptions options;

    @Parameters(index = "0", paramLabel = "KEY")
    private String key;

    @Parameters(index = "1", paramLabel = "VALUE")
    private String value;

    @Override
    public Integer call() throws InterruptedException {
        byte[] body = value.getBytes(StandardCharsets.UTF_8);
        return KvRequest.run(spec, options, "PUT", key, body, false, (r, out, err) -> {
            if (r.status() != 200) return KvRequest.failed(spec, r, err);
            out.println("OK");
            return ExitCodes.OK;
        });
    }
}
