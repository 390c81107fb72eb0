package dev.ballot.bench.peers;

import java.util.List;
import java.util.Locale;

/** A small hand-written SVG: grouped bars of writes/s, one group per K, one bar per system. */
public final class SvgChart {

    private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};
    private static final int WIDTH = 1100;
    private static final int HEIGHT = 480;
    private static final int LEFT = 80;
    private static final int RIGHT = 330;
    private static final int TOP = 60;
    private static final int BOTTOM = 60;

    private SvgChart() {
    }

    public static String render(String title, String subtitle, List<Integer> ks, List<SystemResult> systems) {
        double max = 0;
        for (SystemResult s : systems) {
            for (KResult r : s.results()) max = Math.max(max, r.writesPerSecond());
        }
        double top = niceCeiling(max);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"12\">\n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(svg, LEFT, 24, 16, "start", "bold", title);
        text(svg, LEFT, 42, 11, "start", "normal", subtitle);
        // y axis and grid
        for (int i = 0; i <= 5; i++) {
            double v = top * i / 5;
            double y = TOP + plotH - plotH * i / 5.0;
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", LEFT, y, LEFT + plotW, y));
            text(svg, LEFT - 6, y + 4, 11, "end", "normal", compact(v));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"18\" y=\"%d\" font-size=\"12\" transform=\"rotate(-90 18 %d)\" "
                + "text-anchor=\"middle\">writes/s</text>\n", TOP + plotH / 2, TOP + plotH / 2));
        int groups = Math.max(1, ks.size());
        double groupW = (double) plotW / groups;
        double barW = groupW * 0.8 / Math.max(1, systems.size());
        for (int g = 0; g < ks.size(); g++) {
            int k = ks.get(g);
            double gx = LEFT + g * groupW + groupW * 0.1;
            for (int s = 0; s < systems.size(); s++) {
                KResult r = find(systems.get(s), k);
                double x = gx + s * barW;
                if (r == null) {
                    text(svg, x + barW / 2, TOP + plotH - 4, 9, "middle", "normal", "n/a");
                    continue;
                }
                double h = top == 0 ? 0 : plotH * r.writesPerSecond() / top;
                svg.append(String.format(Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s K=%d: %.0f writes/s</title></rect>\n",
                        x, TOP + plotH - h, barW - 2, h, COLORS[s % COLORS.length], escape(systems.get(s).system()), k,
                        r.writesPerSecond()));
                text(svg, x + (barW - 2) / 2, TOP + plotH - h - 3, 9, "middle", "normal", compact(r.writesPerSecond()));
            }
            text(svg, LEFT + g * groupW + groupW / 2, TOP + plotH + 20, 12, "middle", "normal", "K = " + k);
        }
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n",
                LEFT, TOP + plotH, LEFT + plotW, TOP + plotH));
        for (int s = 0; s < systems.size(); s++) {
            int y = TOP + 10 + s * 20;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>\n",
                    LEFT + plotW + 16, y, COLORS[s % COLORS.length]));
            text(svg, LEFT + plotW + 34, y + 10, 12, "start", "normal", systems.get(s).label());
        }
        text(svg, LEFT, HEIGHT - 14, 10, "start", "normal",
                "K = writes in flight (closed loop on the leader); higher is better. Latency percentiles: results.csv");
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static KResult find(SystemResult s, int k) {
        for (KResult r : s.results()) if (r.k() == k) return r;
        return null;
    }

    private static void text(StringBuilder svg, double x, double y, int size, String anchor, String weight, String s) {
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\" font-weight=\"%s\">%s</text>\n",
                x, y, size, anchor, weight, escape(s)));
    }

    static String compact(double v) {
        if (v >= 1_000_000) return String.format(Locale.ROOT, "%.1fM", v / 1e6);
        if (v >= 10_000) return String.format(Locale.ROOT, "%.0fk", v / 1e3);
        if (v >= 1_000) return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        return String.format(Locale.ROOT, "%.0f", v);
    }

    private static double niceCeiling(double v) {
        if (v <= 0) return 1;
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (step * magnitude >= v) return step * magnitude;
        }
        return 10 * magnitude;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
