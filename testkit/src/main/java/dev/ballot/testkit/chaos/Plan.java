package dev.ballot.testkit.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A nemesis plan as text: steps separated by commas, each {@code action[:arg]@time}, where time
 * is {@code 500ms}, {@code 2s}, {@code 1.5s} or {@code 1m} after the run's start. Example:
 * {@code kill-leader@2s,restart@6s,partition-ring@8s,heal@12s,loss:0.3@14s,clear@18s}.
 * Actions: see {@link FaultAction}. Steps run in time order (equal times in the order written).
 */
public final class Plan {

    private static final Pattern STEP = Pattern.compile("([a-z-]+)(?::([^@]+))?@(\\d+(?:\\.\\d+)?)(ms|s|m)");

    private Plan() {}

    public static List<Step> parse(String text) {
        List<Step> steps = new ArrayList<>();
        for (String part : text.split(",")) {
            String item = part.strip();
            if (item.isEmpty()) continue;
            Matcher m = STEP.matcher(item);
            if (!m.matches()) {
                throw new IllegalArgumentException("bad plan step '" + item + "': write action[:arg]@time, e.g. kill@2s or loss:0.3@1500ms");
            }
            FaultAction action = FaultAction.byPlanName(m.group(1));
            steps.add(new Step(parseTime(m.group(3), m.group(4)), action, m.group(2)));
        }
        if (steps.isEmpty()) throw new IllegalArgumentException("the plan has no steps");
        steps.sort(Comparator.comparingLong(Step::atMillis));
        return steps;
    }

    /** The plan as text that {@link #parse} reads back to the same steps. */
    public static String format(List<Step> steps) {
        StringBuilder text = new StringBuilder();
        for (Step step : steps) {
            if (!text.isEmpty()) text.append(',');
            text.append(step);
        }
        return text.toString();
    }

    static String formatTime(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    private static long parseTime(String number, String unit) {
        double value = Double.parseDouble(number);
        double millis = switch (unit) {
            case "ms" -> value;
            case "s" -> value * 1000;
            case "m" -> value * 60_000;
            default -> throw new IllegalArgumentException("unknown time unit " + unit);
        };
        return Math.round(millis);
    }
}
