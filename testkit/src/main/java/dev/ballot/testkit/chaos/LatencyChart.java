package dev.ballot.testkit.chaos;

import dev.ballot.testkit.lin.EventType;

import java.util.List;
import java.util.Locale;

/**
 * latency.svg: one point per operation (x = when it started, y = its latency on a log scale;
 * OK, FAIL and INFO in different colours) over shaded, labelled fault windows. Plain SVG text.
 */
public final class LatencyChart {

    private static final int WIDTH = 1200;
    private static final int HEIGHT = 520;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    /** Beyond this many points the chart draws every k-th one, to stay a reasonable file. */
    private static final int MAX_POINTS = 60_000;

    private LatencyChart() {}

    public static String render(String title, List<OpSample> samples, List<FaultWindow> windows, long durationNanos) {
        long duration = Math.max(durationNanos, 1);
        double maxMs = 1;
        for (OpSample s : samples) maxMs = Math.max(maxMs, s.latencyNanos() / 1e6);
        double minLog = -1; // 0.1 ms
        double maxLog = Math.ceil(Math.log10(maxMs));
        if (maxLog <= minLog) maxLog = minLog + 1;
        Scale scale = new Scale(duration, minLog, maxLog);

        StringBuilder svg = new StringBuilder();
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">\n",
                WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(svg, LEFT, 20, "start", "font-size=\"14\"", title);
        windows(svg, windows, scale);
        axes(svg, scale);
        points(svg, samples, scale);
        legend(svg);
        svg.append("</svg>\n");
        return svg.toString();
    }

    private record Scale(long durationNanos, double minLog, double maxLog) {
        double x(long nanos) {
            return LEFT + (WIDTH - LEFT - RIGHT) * Math.min(1.0, Math.max(0.0, (double) nanos / durationNanos));
        }

        double y(double millis) {
            double log = Math.log10(Math.max(millis, Math.pow(10, minLog)));
            return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (log - minLog) / (maxLog - minLog));
        }
    }

    private static void windows(StringBuilder svg, List<FaultWindow> windows, Scale scale) {
        int row = 0;
        for (FaultWindow w : windows) {
            double x0 = scale.x(w.startNanos());
            double x1 = Math.max(x0 + 1, scale.x(w.endNanos()));
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" fill-opacity=\"0.18\"><title>%s</title></rect>\n",
                    x0, TOP, x1 - x0, HEIGHT - TOP - BOTTOM, colour(w.family()), escape(w.label())));
            // Labels on three staggered rows so neighbouring windows do not overwrite each other.
            text(svg, x0 + 2, TOP + 12 + 12 * (row++ % 3), "start", "fill=\"" + colour(w.family()) + "\"", w.label());
        }
    }

    private static void axes(StringBuilder svg, Scale scale) {
        int bottom = HEIGHT - BOTTOM;
        svg.append(String.format(Locale.ROOT,
                "<path d=\"M%d %d V%d H%d\" stroke=\"black\" fill=\"none\"/>\n", LEFT, TOP, bottom, WIDTH - RIGHT));
        for (int decade = (int) scale.minLog(); decade <= scale.maxLog(); decade++) {
            double millis = Math.pow(10, decade);
            double y = scale.y(millis);
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", LEFT, y, WIDTH - RIGHT, y));
            text(svg, LEFT - 4, y + 4, "end", "", decade < 0 ? String.format(Locale.ROOT, "%.1f ms", millis)
                    : String.format(Locale.ROOT, "%.0f ms", millis));
        }
        double seconds = scale.durationNanos() / 1e9;
        double step = niceStep(seconds / 10);
        for (double s = 0; s <= seconds + 1e-9; s += step) {
            double x = scale.x((long) (s * 1e9));
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>\n", x, bottom, x, bottom + 4));
            text(svg, x, bottom + 16, "middle", "", trim(s) + " s");
        }
        text(svg, LEFT + (WIDTH - LEFT - RIGHT) / 2.0, HEIGHT - 12, "middle", "", "time since the start of the run (operation invoked)");
        text(svg, 14, TOP + (HEIGHT - TOP - BOTTOM) / 2.0, "middle",
                String.format(Locale.ROOT, "transform=\"rotate(-90 14 %.1f)\"", TOP + (HEIGHT - TOP - BOTTOM) / 2.0), "latency (log scale)");
    }

    private static void points(StringBuilder svg, List<OpSample> samples, Scale scale) {
        int stride = Math.max(1, (samples.size() + MAX_POINTS - 1) / MAX_POINTS);
        for (EventType outcome : List.of(EventType.OK, EventType.FAIL, EventType.INFO)) {
            svg.append("<g fill=\"").append(colour(outcome)).append("\">\n");
            for (int i = 0; i < samples.size(); i += stride) {
                OpSample s = samples.get(i);
                if (s.outcome() != outcome) continue;
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.5\"/>\n",
                        scale.x(s.startNanos()), scale.y(s.latencyNanos() / 1e6)));
            }
            svg.append("</g>\n");
        }
    }

    private static void legend(StringBuilder svg) {
        int x = WIDTH - RIGHT - 330;
        for (EventType outcome : List.of(EventType.OK, EventType.FAIL, EventType.INFO)) {
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"16\" r=\"4\" fill=\"%s\"/>\n", x, colour(outcome)));
            String name = switch (outcome) {
                case OK -> "ok";
                case FAIL -> "failed (no effect)";
                default -> "indeterminate";
            };
            text(svg, x + 8, 20, "start", "", name);
            x += 110;
        }
    }

    static String colour(EventType outcome) {
        return switch (outcome) {
            case OK -> "#1f77b4";
            case FAIL -> "#ff7f0e";
            default -> "#d62728";
        };
    }

    static String colour(FaultFamily family) {
        return switch (family) {
            case KILL -> "#d62728";
            case PAUSE -> "#9467bd";
            case PARTITION -> "#2ca02c";
            case LOSS -> "#8c564b";
            case DELAY -> "#e377c2";
        };
    }

    private static void text(StringBuilder svg, double x, double y, String anchor, String attributes, String content) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" %s>%s</text>\n",
                x, y, anchor, attributes, escape(content)));
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c < 0x20 && c != '\t' && c != '\n' ? ' ' : c);
            }
        }
        return out.toString();
    }

    private static double niceStep(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-3))));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (raw <= m * magnitude) return m * magnitude;
        }
        return 10 * magnitude;
    }

    private static String trim(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : String.format(Locale.ROOT, "%.1f", seconds);
    }
}
