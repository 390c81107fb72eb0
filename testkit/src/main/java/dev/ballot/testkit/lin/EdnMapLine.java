package dev.ballot.testkit.lin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses one line holding a flat edn map, {@code {:k v, :k v}}, whose values are strings, keywords,
 * integers or nil: the subset of edn that histories use. Commas are whitespace, as in edn.
 */
final class EdnMapLine {

    /** A parsed value; {@code text} is the string's content, the keyword without its colon, or the digits. */
    record Value(Kind kind, String text) {
        enum Kind { STRING, KEYWORD, INTEGER, NIL }

        static final Value NIL = new Value(Kind.NIL, null);
    }

    private final String line;
    private int pos;

    private EdnMapLine(String line) {
        this.line = line;
    }

    /**
     * @return the map's entries, keys without their colon, in order
     * @throws IllegalArgumentException saying what is wrong and at which column (1-based)
     */
    static Map<String, Value> parse(String line) {
        return new EdnMapLine(line).map();
    }

    private Map<String, Value> map() {
        skipSpace();
        expect('{');
        Map<String, Value> entries = new LinkedHashMap<>();
        while (true) {
            skipSpace();
            if (peek() == '}') {
                pos++;
                break;
            }
            if (peek() != ':') throw error("expected a keyword or '}'");
            String key = keyword();
            skipSpace();
            if (entries.put(key, value()) != null) throw error("duplicate key :" + key);
        }
        skipSpace();
        if (pos < line.length()) throw error("unexpected text after the map");
        return entries;
    }

    private Value value() {
        char c = peek();
        if (c == '"') return new Value(Value.Kind.STRING, string());
        if (c == ':') return new Value(Value.Kind.KEYWORD, keyword());
        if (c == '-' || Character.isDigit(c)) {
            int start = pos;
            pos++;
            while (pos < line.length() && Character.isDigit(line.charAt(pos))) pos++;
            String digits = line.substring(start, pos);
            if (digits.equals("-") || !atTokenEnd()) throw error("malformed integer");
            return new Value(Value.Kind.INTEGER, digits);
        }
        if (line.startsWith("nil", pos)) {
            pos += 3;
            if (!atTokenEnd()) throw error("malformed value");
            return Value.NIL;
        }
        throw error("expected a string, keyword, integer or nil");
    }

    private String keyword() {
        expect(':');
        int start = pos;
        while (pos < line.length() && !isDelimiter(line.charAt(pos))) pos++;
        if (pos == start) throw error("empty keyword");
        return line.substring(start, pos);
    }

    private String string() {
        expect('"');
        StringBuilder s = new StringBuilder();
        while (true) {
            if (pos >= line.length()) throw error("unterminated string");
            char c = line.charAt(pos++);
            if (c == '"') return s.toString();
            if (c != '\\') {
                s.append(c);
                continue;
            }
            if (pos >= line.length()) throw error("unterminated string");
            char escaped = line.charAt(pos++);
            switch (escaped) {
                case '"', '\\' -> s.append(escaped);
                case 'n' -> s.append('\n');
                case 't' -> s.append('\t');
                case 'r' -> s.append('\r');
                case 'b' -> s.append('\b');
                case 'f' -> s.append('\f');
                case 'u' -> {
                    String hex = line.substring(pos, Math.min(pos + 4, line.length()));
                    if (hex.length() != 4 || !hex.chars().allMatch(h -> Character.digit(h, 16) >= 0)) {
                        throw error("malformed \\u escape '\\u" + hex + "'");
                    }
                    s.append((char) Integer.parseInt(hex, 16));
                    pos += 4;
                }
                default -> throw error("unknown escape \\" + escaped);
            }
        }
    }

    /** Writes {@code s} as an edn string literal that {@link #string} reads back unchanged. */
    static String quote(String s) {
        StringBuilder q = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                case '\r' -> q.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) q.append(String.format("\\u%04x", (int) c));
                    else q.append(c);
                }
            }
        }
        return q.append('"').toString();
    }

    /** Whether {@code name} can be written as a keyword and read back as the same name. */
    static boolean isKeywordName(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            if (isDelimiter(name.charAt(i)) || name.charAt(i) == '"') return false;
        }
        return true;
    }

    private static boolean isDelimiter(char c) {
        return Character.isWhitespace(c) || c == ',' || c == '}' || c == '{';
    }

    private boolean atTokenEnd() {
        return pos >= line.length() || isDelimiter(line.charAt(pos));
    }

    private void skipSpace() {
        while (pos < line.length() && (Character.isWhitespace(line.charAt(pos)) || line.charAt(pos) == ',')) pos++;
    }

    private char peek() {
        if (pos >= line.length()) throw error("unexpected end of line");
        return line.charAt(pos);
    }

    private void expect(char c) {
        if (peek() != c) throw error("expected '" + c + "'");
        pos++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at column " + (pos + 1));
    }
}
