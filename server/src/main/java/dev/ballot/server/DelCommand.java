package dev.ballot.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code ballot del KEY}: deletes a key; prints how many keys were deleted (0 or 1). */
@Command(name = "del", mixinStandardHelpOptions = true,
        description = {"Deletes KEY; prints the number of keys deleted (0 if it did not exist).",
                "Exit codes: 0 done, 2 usage, 3 cluster unavailable (nothing deleted), 4 error or outcome unknown."})
public final class DelCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClientOptions options;

    @Parameters(index = "0", paramLabel = "KEY")
    private String key;

    @Override
    public Integer call() throws InterruptedException {
        return KvRequest.run(spec, options, "DELETE", key, null, false, (r, out, err) -> {
            if (r.status() != 200) return KvRequest.failed(spec, r, err);
            JsonNode deleted;
            try {
                deleted = JSON.readTree(r.body()).get("deleted");
            } catch (IOException e) {
                deleted = null;
                err.println("ballot del: " + r.node() + " answered 200 with a body that is not JSON: " + e.getMessage());
            }
            if (deleted == null || !deleted.canConvertToLong()) {
                err.println("ballot del: the delete was done, but the answer had no \"deleted\" count: "
                        + ErrorBody.describe(r.body()));
                return ExitCodes.FAILED;
            }
            out.println(deleted.asLong());
            return ExitCodes.OK;
        });
    }
}
