package dev.ballot.server;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table with left-aligned columns as wide as their widest cell. */
final class Table {

    private final List<List<String>> rows = new ArrayList<>();

    Table(String... header) {
        rows.add(List.of(header));
    }

    Table row(String... cells) {
        if (cells.length != rows.get(0).size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, header " + rows.get(0).size());
        }
        rows.add(List.of(cells));
        return this;
    }

    void print(PrintWriter out) {
        int columns = rows.get(0).size();
        int[] width = new int[columns];
        for (List<String> r : rows) {
            for (int c = 0; c < columns; c++) width[c] = Math.max(width[c], r.get(c).length());
        }
        for (List<String> r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                sb.append(r.get(c));
                if (c < columns - 1) sb.append(" ".repeat(width[c] - r.get(c).length() + 2));
            }
            out.println(sb.toString().stripTrailing());
        }
        out.flush();
    }
}
