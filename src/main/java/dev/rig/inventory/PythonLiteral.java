package dev.rig.inventory;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ansible's INI value typing: {@code ast.literal_eval(value)}, and the text itself when that fails.
 * Python literals: integers (decimal, 0x, 0o, 0b, with _), floats, quoted strings with escapes,
 * True/False/None, lists, tuples (as lists), dicts and sets. Anything else (yes, true, 007, a bare
 * word) stays the string it was written as, exactly as Ansible's ini plugin does.
 */
final class PythonLiteral {
    private final String text;
    private int at;

    private PythonLiteral(String text) {
        this.text = text;
    }

    /** The typed value of an INI value: a literal when the whole text is one, else the text. */
    static Object value(String written) {
        // literal_eval strips leading spaces and tabs only; eval mode allows trailing whitespace
        String body = written.replaceFirst("^[ \\t]+", "");
        PythonLiteral reader = new PythonLiteral(body);
        try {
            Object value = reader.expression();
            reader.skipSpace();
            return reader.at == body.length() ? value : written;
        } catch (NotALiteral e) {
            return written;
        }
    }

    private Object expression() {
        skipSpace();
        if (at >= text.length()) throw new NotALiteral();
        char c = text.charAt(at);
        if (c == '[') return sequence(']');
        if (c == '(') return tuple();
        if (c == '{') return mapOrSet();
        if (c == '\'' || c == '"') return string();
        if (c == '-' || c == '+') {
            at++;
            Object number = expression();
            if (number instanceof Integer || number instanceof Long || number instanceof BigInteger) {
                BigInteger n = new BigInteger(number.toString());
                return normalise(c == '-' ? n.negate() : n);
            }
            if (number instanceof Double d) return c == '-' ? -d : d;
            if (number instanceof Boolean b) return c == '-' ? -(b ? 1 : 0) : (b ? 1 : 0);
            throw new NotALiteral();
        }
        if (Character.isDigit(c) || c == '.') return number();
        String word = word();
        return switch (word) {
            case "True" -> Boolean.TRUE;
            case "False" -> Boolean.FALSE;
            case "None" -> null;
            default -> throw new NotALiteral();
        };
    }

    private List<Object> sequence(char close) {
        at++; // the opening bracket
        List<Object> items = new ArrayList<>();
        while (true) {
            skipSpace();
            if (peek() == close) {
                at++;
                return items;
            }
            items.add(expression());
            skipSpace();
            if (peek() == ',') at++;
            else if (peek() != close) throw new NotALiteral();
        }
    }

    private Object tuple() {
        int start = at;
        at++;
        skipSpace();
        if (peek() == ')') {
            at++;
            return List.of();
        }
        Object first = expression();
        skipSpace();
        if (peek() == ')') { // (x) is x, not a tuple
            at++;
            return first;
        }
        at = start;
        return sequence(')');
    }

    private Object mapOrSet() {
        at++;
        skipSpace();
        Map<Object, Object> map = new LinkedHashMap<>();
        if (peek() == '}') {
            at++;
            return map;
        }
        Object firstKey = expression();
        skipSpace();
        if (peek() != ':') { // a set
            Set<Object> set = new LinkedHashSet<>();
            set.add(firstKey);
            while (true) {
                skipSpace();
                if (peek() == ',') at++;
                else if (peek() != '}') throw new NotALiteral();
                skipSpace();
                if (peek() == '}') {
                    at++;
                    return new ArrayList<>(set);
                }
                set.add(expression());
            }
        }
        Object key = firstKey;
        while (true) {
            skipSpace();
            if (peek() != ':') throw new NotALiteral();
            at++;
            Object value = expression();
            if (key instanceof List<?>) throw new NotALiteral(); // unhashable
            map.put(key, value);
            skipSpace();
            if (peek() == ',') at++;
            else if (peek() != '}') throw new NotALiteral();
            skipSpace();
            if (peek() == '}') {
                at++;
                return map;
            }
            key = expression();
        }
    }

    private String string() {
        StringBuilder out = new StringBuilder();
        // Python joins adjacent string literals: 'a' "b" is 'ab'
        do {
            out.append(oneString());
            skipSpace();
        } while (at < text.length() && (peek() == '\'' || peek() == '"'));
        return out.toString();
    }

    private String oneString() {
        char quote = text.charAt(at);
        boolean triple = text.startsWith(String.valueOf(quote).repeat(3), at);
        String delimiter = triple ? String.valueOf(quote).repeat(3) : String.valueOf(quote);
        at += delimiter.length();
        StringBuilder out = new StringBuilder();
        while (true) {
            if (at >= text.length()) throw new NotALiteral();
            if (text.startsWith(delimiter, at)) {
                at += delimiter.length();
                return out.toString();
            }
            char c = text.charAt(at++);
            if (c == '\n' && !triple) throw new NotALiteral();
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (at >= text.length()) throw new NotALiteral();
            char e = text.charAt(at++);
            switch (e) {
                case '\n' -> { }
                case '\\', '\'', '"' -> out.append(e);
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'v' -> out.append('\u000b');
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    int end = at - 1;
                    while (end < text.length() && end < at + 2 && text.charAt(end) >= '0' && text.charAt(end) <= '7') end++;
                    out.append((char) Integer.parseInt(text.substring(at - 1, end), 8));
                    at = end;
                }
                case 'x' -> out.appendCodePoint(hex(2));
                case 'u' -> out.appendCodePoint(hex(4));
                case 'U' -> out.appendCodePoint(hex(8));
                default -> out.append('\\').append(e); // Python keeps unknown escapes as written
            }
        }
    }

    private int hex(int digits) {
        if (at + digits > text.length()) throw new NotALiteral();
        String hex = text.substring(at, at + digits);
        if (!hex.matches("[0-9a-fA-F]+")) throw new NotALiteral();
        at += digits;
        return Integer.parseInt(hex, 16);
    }

    private Object number() {
        int start = at;
        while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_' || text.charAt(at) == '.'
                || ((text.charAt(at) == '+' || text.charAt(at) == '-') && (text.charAt(at - 1) == 'e' || text.charAt(at - 1) == 'E')))) {
            at++;
        }
        String token = text.substring(start, at);
        if (token.contains("__") || token.endsWith("_") || token.contains("_.") || token.contains("._")) throw new NotALiteral();
        String digits = token.replace("_", "");
        String lower = digits.toLowerCase();
        try {
            if (lower.matches("0x[0-9a-f]+")) return normalise(new BigInteger(digits.substring(2), 16));
            if (lower.matches("0o[0-7]+")) return normalise(new BigInteger(digits.substring(2), 8));
            if (lower.matches("0b[01]+")) return normalise(new BigInteger(digits.substring(2), 2));
            if (lower.matches("0+|[1-9][0-9]*")) return normalise(new BigInteger(digits));
            if (lower.matches("([0-9]+\\.[0-9]*|\\.[0-9]+|[0-9]+)(e[+-]?[0-9]+)?") && (lower.contains(".") || lower.contains("e"))) {
                if (token.startsWith("_")) throw new NotALiteral();
                return Double.parseDouble(digits);
            }
        } catch (NumberFormatException e) {
            throw new NotALiteral();
        }
        throw new NotALiteral(); // 007, 1j, 12abc...
    }

    private static Object normalise(BigInteger n) {
        // the types SnakeYAML gives a YAML integer, so both formats' values compare equal
        if (n.bitLength() < 32) return n.intValue();
        return n.bitLength() < 64 ? (Object) n.longValue() : n;
    }

    private String word() {
        int start = at;
        while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) at++;
        return text.substring(start, at);
    }

    private char peek() {
        return at < text.length() ? text.charAt(at) : '\0';
    }

    private void skipSpace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) at++;
    }

    private static final class NotALiteral extends RuntimeException {
        NotALiteral() {
            super(null, null, false, false);
        }
    }
}
