package dev.ballot.testkit.lin;

import java.util.List;

/**
 * The checker's answer for a whole history.
 *
 * @param verdict     NOT_LINEARIZABLE if any key is; else UNKNOWN if any key is; else LINEARIZABLE
 * @param failingKey  for NOT_LINEARIZABLE: the failing key with the fewest operations, else null
 * @param involved    for NOT_LINEARIZABLE: the operations (of the failing key) that could not be
 *                    linearized, rendered one a line; else empty
 * @param explanation a human-readable account (which key, which operations, the last linearizable
 *                    prefix); for LINEARIZABLE a one-line summary
 */
public record CheckResult(Verdict verdict, String failingKey, List<String> involved, String explanation) {
}
