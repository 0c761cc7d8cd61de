package dev.rig.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The part of LogQL the Loki stand-in serves: a log query made of a stream selector
 * {@code {name="v", name=~"re", name!="v", name!~"re"}} and zero or more line filters
 * {@code |= "s"}, {@code != "s"}, {@code |~ "re"}, {@code !~ "re"}. Label regexes are anchored at both ends
 * and let {@code .} match newlines, as Prometheus matchers do; line-filter regexes match anywhere in the line.
 * Strings are double-quoted (escapes {@code \" \\ \n \r \t \\uXXXX}) or back-quoted raw. Metric queries, parser and
 * formatting stages, {@code or} in filters and pattern filters are refused as unsupported; Java's regex dialect stands
 * in for Go's RE2.
 */
final class LogQuery {
    /** A query the stand-in refuses; the message is what it answers with its 400. */
    static final class Invalid extends IllegalArgumentException {
        Invalid(String message) {
            super(message);
        }
    }

    private enum MatchOp {
        EQUAL, NOT_EQUAL, REGEX, NOT_REGEX
    }

    private record LabelMatcher(String name, MatchOp op, String value, Pattern regex) {
        boolean matchesValue(String v) {
            return switch (op) {
                case EQUAL -> v.equals(value);
                case NOT_EQUAL -> !v.equals(value);
                case REGEX -> regex.matcher(v).matches();
                case NOT_REGEX -> !regex.matcher(v).matches();
            };
        }
    }

    private record LineFilter(boolean keepMatching, String text, Pattern regex) {
        boolean keeps(String line) {
            boolean found = regex != null ? regex.matcher(line).find() : line.contains(text);
            return found == keepMatching;
        }
    }

    private final List<LabelMatcher> matchers;
    private final List<LineFilter> filters;

    private LogQuery(List<LabelMatcher> matchers, List<LineFilter> filters) {
        this.matchers = matchers;
        this.filters = filters;
    }

    static LogQuery parse(String query) {
        return new Parser(query).query();
    }

    /** Whether a stream with these labels is selected; a label it lacks counts as the empty value. */
    boolean selects(Map<String, String> labels) {
        return matchers.stream().allMatch(m -> m.matchesValue(labels.getOrDefault(m.name(), "")));
    }

    boolean keeps(String line) {
        return filters.stream().allMatch(f -> f.keeps(line));
    }

    private static final class Parser {
        private final String src;
        private int pos;

        Parser(String src) {
            this.src = src;
        }

        LogQuery query() {
            skipSpace();
            if (!consume("{")) {
                if (pos < src.length() && Character.isLetter(src.charAt(pos))) {
                    throw new Invalid("unsupported by the stand-in: metric queries such as " + src.strip()
                            + "; it serves log queries, a stream selector and line filters");
                }
                throw parseError("a log query starts with a stream selector {...}");
            }
            List<LabelMatcher> matchers = new ArrayList<>();
            skipSpace();
            if (!consume("}")) {
                do {
                    matchers.add(matcher());
                    skipSpace();
                } while (consume(","));
                if (!consume("}")) throw parseError("expected , or } in the stream selector");
            }
            boolean selective = matchers.stream().anyMatch(m -> (m.op() == MatchOp.EQUAL || m.op() == MatchOp.REGEX) && !m.matchesValue(""));
            if (!selective) {
                throw new Invalid("queries require at least one regexp or equality matcher that does not have an empty-compatible value."
                        + " For instance, app=~\".*\" does not meet this requirement, but app=~\".+\" will");
            }
            List<LineFilter> filters = new ArrayList<>();
            for (skipSpace(); pos < src.length(); skipSpace()) filters.add(lineFilter());
            return new LogQuery(List.copyOf(matchers), List.copyOf(filters));
        }

        private LabelMatcher matcher() {
            skipSpace();
            int start = pos;
            while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) pos++;
            String name = src.substring(start, pos);
            if (!name.matches("[a-zA-Z_][a-zA-Z0-9_]*")) throw parseError("expected a label name");
            skipSpace();
            MatchOp op;
            if (consume("=~")) op = MatchOp.REGEX;
            else if (consume("!~")) op = MatchOp.NOT_REGEX;
            else if (consume("!=")) op = MatchOp.NOT_EQUAL;
            else if (consume("=")) op = MatchOp.EQUAL;
            else throw parseError("expected =, !=, =~ or !~ after " + name);
            skipSpace();
            String value = string();
            boolean regex = op == MatchOp.REGEX || op == MatchOp.NOT_REGEX;
            return new LabelMatcher(name, op, value, regex ? compile(value, Pattern.DOTALL) : null);
        }

        private LineFilter lineFilter() {
            boolean keepMatching;
            boolean regex;
            if (consume("|=")) { keepMatching = true; regex = false; }
            else if (consume("!=")) { keepMatching = false; regex = false; }
            else if (consume("|~")) { keepMatching = true; regex = true; }
            else if (consume("!~")) { keepMatching = false; regex = true; }
            else {
                throw new Invalid("unsupported by the stand-in: \"" + src.substring(pos).strip()
                        + "\" after the stream selector; it serves only the line filters |= != |~ !~");
            }
            skipSpace();
            String text = string();
            return new LineFilter(keepMatching, text, regex ? compile(text, 0) : null);
        }

        private String string() {
            if (consume("`")) {
                int end = src.indexOf('`', pos);
                if (end < 0) throw parseError("unterminated raw string");
                String raw = src.substring(pos, end);
                pos = end + 1;
                return raw;
            }
            if (!consume("\"")) throw parseError("expected a quoted string");
            StringBuilder out = new StringBuilder();
            while (pos < src.length()) {
                char c = src.charAt(pos++);
                if (c == '"') return out.toString();
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (pos >= src.length()) break;
                char e = src.charAt(pos++);
                switch (e) {
                    case '"', '\\' -> out.append(e);
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > src.length() || !src.substring(pos, pos + 4).matches("[0-9a-fA-F]{4}")) throw parseError("bad \\u escape");
                        out.append((char) Integer.parseInt(src.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> throw parseError("unsupported escape \\" + e);
                }
            }
            throw parseError("unterminated string");
        }

        private Pattern compile(String regex, int flags) {
            try {
                return Pattern.compile(regex, flags);
            } catch (PatternSyntaxException e) {
                throw parseError("invalid regex " + regex + ": " + e.getDescription());
            }
        }

        private boolean consume(String token) {
            if (!src.startsWith(token, pos)) return false;
            pos += token.length();
            return true;
        }

        private void skipSpace() {
            while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) pos++;
        }

        private Invalid parseError(String what) {
            return new Invalid("parse error at line 1, col " + (pos + 1) + ": " + what);
        }
    }
}
