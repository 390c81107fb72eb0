package dev.ballot.testkit.chaos;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them on a command line: {@code 500ms}, {@code 60s}, {@code 2m}, {@code 1h}. */
final class DurationText {

    private static final Pattern FORM = Pattern.compile("(\\d+)(ms|s|m|h)");

    private DurationText() {}

    static Duration parse(String text) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) throw new IllegalArgumentException("bad duration '" + text + "': write e.g. 500ms, 60s, 2m or 1h");
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
