package dev.rig.convert;

import dev.rig.convert.Jinja.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Jinja2 parser for what Ansible projects write: templates (text, {{ }}, {% %}, {# #}, raw,
 * whitespace control with '-', trim_blocks) and expressions, following Jinja2's grammar and
 * operator precedence (jinja2/parser.py). Errors carry the 1-based line and column.
 */
public final class JinjaParser {
    enum Kind { NAME, STRING, INT, FLOAT, OP, END }

    record Tok(Kind kind, String text, Object value, Pos pos) {
        boolean is(String s) {
            return (kind == Kind.OP || kind == Kind.NAME) && text.equals(s);
        }
    }

    private static final String[] OPS = {"//", "**", "==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "%", "~",
            "(", ")", "[", "]", "{", "}", ",", ".", ":", "|", "="};
    private static final Set<String> COMPARE = Set.of("==", "!=", "<", "<=", ">", ">=");

    private final String src;
    private final int[] lineStarts;
    private final boolean trimBlocks;
    private int at;

    private JinjaParser(String src, boolean trimBlocks) {
        this.src = src;
        this.trimBlocks = trimBlocks;
        List<Integer> starts = new ArrayList<>(List.of(0));
        for (int i = 0; i < src.length(); i++) if (src.charAt(i) == '\n') starts.add(i + 1);
        lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A whole template. trimBlocks: the newline right after a block or comment tag is dropped (Ansible's template module does so by default). */
    public static List<Node> parseTemplate(String text, boolean trimBlocks) {
        JinjaParser p = new JinjaParser(text, trimBlocks);
        List<Object> items = p.scan();
        int[] i = {0};
        List<Node> body = p.block(items, i, Set.of());
        if (i[0] < items.size()) {
            TagItem t = (TagItem) items.get(i[0]);
            throw new JinjaSyntaxError(t.pos, "unexpected '" + t.name() + "'");
        }
        return body;
    }

    /** One bare expression (a when:, that:, or the inside of {{ }}). */
    public static Expr parseExpression(String text) {
        JinjaParser p = new JinjaParser(text, false);
        List<Tok> toks = p.tokenize(0, null);
        ExprParser e = new ExprParser(toks);
        Expr x = e.expression(true);
        e.expectEnd();
        return x;
    }

    /** True when a string holds Jinja2 syntax at all. */
    public static boolean isTemplated(String s) {
        return s.contains("{{") || s.contains("{%") || s.contains("{#");
    }

    Pos pos(int offset) {
        int lo = 0, hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= offset) lo = mid; else hi = mid - 1;
        }
        return new Pos(lo + 1, offset - lineStarts[lo] + 1);
    }

    // ---- template level ----

    private record TagItem(Pos pos, List<Tok> toks) {
        String name() {
            return toks.isEmpty() ? "" : toks.get(0).text;
        }
    }

    /** Splits the template into Text, Output, Comment and TagItem, applying whitespace control. */
    private List<Object> scan() {
        List<Object> out = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int textStart = 0;
        boolean lstripNext = false;
        at = 0;
        while (at < src.length()) {
            int open = nextOpen(at);
            String chunk = src.substring(at, open < 0 ? src.length() : open);
            if (lstripNext) chunk = chunk.stripLeading();
            lstripNext = false;
            text.append(chunk);
            if (open < 0) {
                at = src.length();
                break;
            }
            char kind = src.charAt(open + 1);
            int inner = open + 2;
            if (inner < src.length() && src.charAt(inner) == '-') {
                rstrip(text);
                inner++;
            } else if (inner < src.length() && src.charAt(inner) == '+') {
                inner++;
            }
            flushText(out, text, textStart);
            Pos tagPos = pos(open);
            if (kind == '#') {
                int close = src.indexOf("#}", inner);
                if (close < 0) throw new JinjaSyntaxError(tagPos, "comment not closed: missing '#}'");
                boolean strip = close > inner && src.charAt(close - 1) == '-';
                out.add(new Comment(tagPos, src.substring(inner, strip ? close - 1 : close)));
                at = close + 2;
                lstripNext = strip;
                if (!strip) skipBlockNewline();
            } else if (kind == '{') {
                List<Tok> toks = tokenize(inner, "}}");
                Tok end = toks.get(toks.size() - 1);
                lstripNext = end.text.startsWith("-");
                ExprParser e = new ExprParser(toks);
                if (toks.size() == 1) throw new JinjaSyntaxError(tagPos, "empty expression in '{{ }}'");
                Expr x = e.expression(true);
                e.expectEnd();
                out.add(new Output(tagPos, x));
            } else {
                List<Tok> toks = tokenize(inner, "%}");
                Tok end = toks.get(toks.size() - 1);
                boolean strip = end.text.startsWith("-");
                if (!toks.isEmpty() && toks.get(0).is("raw")) {
                    if (toks.size() != 2) throw new JinjaSyntaxError(tagPos, "'raw' takes no arguments");
                    if (strip) skipWhitespace(); else skipBlockNewline();
                    rawBody(out, text);
                    textStart = at;
                    continue;
                }
                out.add(new TagItem(tagPos, toks.subList(0, toks.size() - 1)));
                lstripNext = strip;
                if (!strip) skipBlockNewline();
            }
            textStart = at;
        }
        flushText(out, text, textStart);
        return out;
    }

    private void rawBody(List<Object> out, StringBuilder text) {
        int search = at;
        while (true) {
            int open = src.indexOf("{%", search);
            if (open < 0) throw new JinjaSyntaxError(pos(at), "'raw' not closed: missing '{% endraw %}'");
            int i = open + 2;
            boolean stripBefore = i < src.length() && src.charAt(i) == '-';
            if (stripBefore) i++;
            while (i < src.length() && Character.isWhitespace(src.charAt(i))) i++;
            if (!src.startsWith("endraw", i)) {
                search = open + 2;
                continue;
            }
            i += "endraw".length();
            while (i < src.length() && Character.isWhitespace(src.charAt(i))) i++;
            boolean stripAfter = src.startsWith("-%}", i);
            if (!stripAfter && !src.startsWith("%}", i)) {
                search = open + 2;
                continue;
            }
            int rawStart = at;
            String body = src.substring(at, open);
            if (stripBefore) body = body.stripTrailing();
            text.append(body);
            flushText(out, text, rawStart);
            at = i + (stripAfter ? 3 : 2);
            if (stripAfter) skipWhitespace(); else skipBlockNewline();
            return;
        }
    }

    private void skipWhitespace() {
        while (at < src.length() && Character.isWhitespace(src.charAt(at))) at++;
    }

    private void skipBlockNewline() {
        if (!trimBlocks) return;
        if (src.startsWith("\r\n", at)) at += 2;
        else if (at < src.length() && src.charAt(at) == '\n') at++;
    }

    private static void rstrip(StringBuilder b) {
        int n = b.length();
        while (n > 0 && Character.isWhitespace(b.charAt(n - 1))) n--;
        b.setLength(n);
    }

    private void flushText(List<Object> out, StringBuilder text, int start) {
        if (text.length() > 0) out.add(new Text(pos(Math.min(start, Math.max(0, src.length() - 1))), text.toString()));
        text.setLength(0);
    }

    private int nextOpen(int from) {
        for (int i = src.indexOf('{', from); i >= 0 && i + 1 < src.length(); i = src.indexOf('{', i + 1)) {
            char c = src.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') return i;
        }
        return -1;
    }

    /** Structures the flat items into nodes until one of the given tag names (left unconsumed). */
    private List<Node> block(List<Object> items, int[] i, Set<String> until) {
        List<Node> body = new ArrayList<>();
        while (i[0] < items.size()) {
            Object item = items.get(i[0]);
            if (item instanceof Node n) {
                body.add(n);
                i[0]++;
                continue;
            }
            TagItem tag = (TagItem) item;
            if (until.contains(tag.name())) return body;
            i[0]++;
            body.add(statement(tag, items, i));
        }
        if (!until.isEmpty()) {
            throw new JinjaSyntaxError(pos(src.length()), "unexpected end of template: expected one of " + String.join(", ", until));
        }
        return body;
    }

    private Node statement(TagItem tag, List<Object> items, int[] i) {
        ExprParser e = new ExprParser(withEnd(tag));
        Tok head = e.next();
        switch (head.kind == Kind.NAME ? head.text : "") {
            case "if": {
                List<Branch> branches = new ArrayList<>();
                Expr test = e.expression(true);
                e.expectEnd();
                List<Node> otherwise = List.of();
                Pos branchPos = tag.pos;
                while (true) {
                    List<Node> body = block(items, i, Set.of("elif", "else", "endif"));
                    branches.add(new Branch(branchPos, test, body));
                    TagItem t = (TagItem) items.get(i[0]++);
                    ExprParser te = new ExprParser(withEnd(t));
                    te.next();
                    if (t.name().equals("elif")) {
                        test = te.expression(true);
                        te.expectEnd();
                        branchPos = t.pos;
                        continue;
                    }
                    te.expectEnd();
                    if (t.name().equals("else")) {
                        otherwise = block(items, i, Set.of("endif"));
                        endTag(items, i);
                    }
                    break;
                }
                return new If(tag.pos, branches, otherwise);
            }
            case "for": {
                List<String> targets = new ArrayList<>();
                targets.add(e.name());
                while (e.peek().is(",")) {
                    e.next();
                    targets.add(e.name());
                }
                e.expect("in");
                Expr iter = e.expression(false);
                Expr filter = null;
                if (e.peek().is("if")) {
                    e.next();
                    filter = e.expression(false);
                }
                if (e.peek().is("recursive")) throw new JinjaSyntaxError(e.peek().pos, "recursive loops are not supported");
                e.expectEnd();
                List<Node> body = block(items, i, Set.of("else", "endfor"));
                List<Node> otherwise = List.of();
                TagItem t = (TagItem) items.get(i[0]++);
                if (t.name().equals("else")) {
                    otherwise = block(items, i, Set.of("endfor"));
                    endTag(items, i);
                }
                return new For(tag.pos, targets, iter, filter, body, otherwise);
            }
            case "set": {
                String name = e.name();
                if (e.peek().kind == Kind.END) {
                    List<Node> body = block(items, i, Set.of("endset"));
                    endTag(items, i);
                    return new SetBlock(tag.pos, name, body);
                }
                e.expect("=");
                Expr value = e.expression(true);
                e.expectEnd();
                return new Assign(tag.pos, name, value);
            }
            default:
                throw new JinjaSyntaxError(head.pos, "unsupported statement '" + head.text + "'");
        }
    }

    private static void endTag(List<Object> items, int[] i) {
        TagItem t = (TagItem) items.get(i[0]++);
        if (t.toks.size() != 1) throw new JinjaSyntaxError(t.toks.get(1).pos, "unexpected '" + t.toks.get(1).text + "' after '" + t.name() + "'");
    }

    private static List<Tok> withEnd(TagItem t) {
        List<Tok> l = new ArrayList<>(t.toks);
        Pos p = t.toks.isEmpty() ? t.pos : t.toks.get(t.toks.size() - 1).pos;
        l.add(new Tok(Kind.END, "", null, p));
        if (t.toks.isEmpty()) throw new JinjaSyntaxError(t.pos, "empty tag");
        return l;
    }

    // ---- tokens ----

    /** Tokens from offset to the end delimiter (null: end of text); the last token is END, whose text is the delimiter. at moves past it. */
    List<Tok> tokenize(int from, String end) {
        List<Tok> out = new ArrayList<>();
        int depth = 0;
        int i = from;
        while (true) {
            while (i < src.length() && Character.isWhitespace(src.charAt(i))) i++;
            if (i >= src.length()) {
                if (end != null) throw new JinjaSyntaxError(pos(Math.max(0, src.lastIndexOf('{', from) - 1)), "tag not closed: missing '" + end + "'");
                out.add(new Tok(Kind.END, "", null, pos(i)));
                at = i;
                return out;
            }
            if (end != null && depth == 0) {
                if (src.startsWith("-" + end, i) || src.startsWith(end, i)) {
                    String d = src.startsWith("-" + end, i) ? "-" + end : end;
                    out.add(new Tok(Kind.END, d, null, pos(i)));
                    at = i + d.length();
                    return out;
                }
            }
            char c = src.charAt(i);
            Pos p = pos(i);
            if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < src.length() && (Character.isLetterOrDigit(src.charAt(j)) || src.charAt(j) == '_')) j++;
                out.add(new Tok(Kind.NAME, src.substring(i, j), null, p));
                i = j;
            } else if (Character.isDigit(c)) {
                int j = i;
                while (j < src.length() && (Character.isDigit(src.charAt(j)) || src.charAt(j) == '_')) j++;
                boolean isFloat = false;
                if (j + 1 < src.length() && src.charAt(j) == '.' && Character.isDigit(src.charAt(j + 1))) {
                    isFloat = true;
                    j++;
                    while (j < src.length() && Character.isDigit(src.charAt(j))) j++;
                }
                if (j < src.length() && (src.charAt(j) == 'e' || src.charAt(j) == 'E')) {
                    int k = j + 1;
                    if (k < src.length() && (src.charAt(k) == '+' || src.charAt(k) == '-')) k++;
                    if (k < src.length() && Character.isDigit(src.charAt(k))) {
                        isFloat = true;
                        j = k;
                        while (j < src.length() && Character.isDigit(src.charAt(j))) j++;
                    }
                }
                String t = src.substring(i, j).replace("_", "");
                out.add(isFloat ? new Tok(Kind.FLOAT, t, Double.parseDouble(t), p) : new Tok(Kind.INT, t, Long.parseLong(t), p));
                i = j;
            } else if (c == '\'' || c == '"') {
                StringBuilder b = new StringBuilder();
                int j = i + 1;
                while (true) {
                    if (j >= src.length()) throw new JinjaSyntaxError(p, "string not closed");
                    char d = src.charAt(j);
                    if (d == c) break;
                    if (d == '\\' && j + 1 < src.length()) {
                        char n = src.charAt(++j);
                        switch (n) {
                            case 'n' -> b.append('\n');
                            case 't' -> b.append('\t');
                            case 'r' -> b.append('\r');
                            case '\\', '\'', '"' -> b.append(n);
                            case '\n' -> { }
                            default -> b.append('\\').append(n);
                        }
                    } else {
                        b.append(d);
                    }
                    j++;
                }
                out.add(new Tok(Kind.STRING, src.substring(i, j + 1), b.toString(), p));
                i = j + 1;
            } else {
                String op = null;
                for (String o : OPS) if (src.startsWith(o, i)) { op = o; break; }
                if (op == null) throw new JinjaSyntaxError(p, "unexpected character '" + c + "'");
                if (op.equals("(") || op.equals("[") || op.equals("{")) depth++;
                if (op.equals(")") || op.equals("]") || op.equals("}")) depth--;
                out.add(new Tok(Kind.OP, op, null, p));
                i += op.length();
            }
        }
    }

    // ---- expressions ----

    static final class ExprParser {
        private final List<Tok> toks;
        private int i;

        ExprParser(List<Tok> toks) {
            this.toks = toks;
        }

        Tok peek() {
            return toks.get(i);
        }

        Tok peek(int ahead) {
            return toks.get(Math.min(i + ahead, toks.size() - 1));
        }

        Tok next() {
            Tok t = toks.get(i);
            if (t.kind != Kind.END) i++;
            return t;
        }

        void expect(String s) {
            Tok t = next();
            if (!t.is(s)) throw new JinjaSyntaxError(t.pos, "expected '" + s + "', found " + describe(t));
        }

        String name() {
            Tok t = next();
            if (t.kind != Kind.NAME) throw new JinjaSyntaxError(t.pos, "expected a name, found " + describe(t));
            return t.text;
        }

        void expectEnd() {
            Tok t = peek();
            if (t.kind != Kind.END) throw new JinjaSyntaxError(t.pos, "unexpected " + describe(t));
        }

        static String describe(Tok t) {
            return t.kind == Kind.END ? "end of expression" : "'" + t.text + "'";
        }

        /** withCondExpr: inline if-else allowed (not in a for's iterable, as in Jinja). */
        Expr expression(boolean withCondExpr) {
            return withCondExpr ? condExpr() : or();
        }

        private Expr condExpr() {
            Expr x = or();
            while (peek().is("if")) {
                Pos p = next().pos;
                Expr test = or();
                Expr otherwise = null;
                if (peek().is("else")) {
                    next();
                    otherwise = condExpr();
                }
                x = new Cond(p, test, x, otherwise);
            }
            return x;
        }

        private Expr or() {
            Expr x = and();
            while (peek().is("or")) {
                Pos p = next().pos;
                x = new Binary(p, "or", x, and());
            }
            return x;
        }

        private Expr and() {
            Expr x = not();
            while (peek().is("and")) {
                Pos p = next().pos;
                x = new Binary(p, "and", x, not());
            }
            return x;
        }

        private Expr not() {
            if (peek().is("not")) {
                Pos p = next().pos;
                return new Unary(p, "not", not());
            }
            return compare();
        }

        private Expr compare() {
            Expr x = math1();
            Expr chain = null;
            while (true) {
                Tok t = peek();
                String op;
                if (t.kind == Kind.OP && COMPARE.contains(t.text)) {
                    next();
                    op = t.text;
                } else if (t.is("in")) {
                    next();
                    op = "in";
                } else if (t.is("not") && peek(1).is("in")) {
                    next();
                    next();
                    op = "not in";
                } else {
                    break;
                }
                Expr right = math1();
                Expr cmp = new Binary(t.pos, op, x, right);
                chain = chain == null ? cmp : new Binary(t.pos, "and", chain, cmp);
                x = right;
            }
            return chain == null ? x : chain;
        }

        private Expr math1() {
            Expr x = concat();
            while (peek().is("+") || peek().is("-")) {
                Tok t = next();
                x = new Binary(t.pos, t.text, x, concat());
            }
            return x;
        }

        private Expr concat() {
            Expr x = math2();
            while (peek().is("~")) {
                Tok t = next();
                x = new Binary(t.pos, "~", x, math2());
            }
            return x;
        }

        private Expr math2() {
            Expr x = pow();
            while (peek().is("*") || peek().is("/") || peek().is("//") || peek().is("%")) {
                Tok t = next();
                x = new Binary(t.pos, t.text, x, pow());
            }
            return x;
        }

        private Expr pow() {
            Expr x = unary(true);
            while (peek().is("**")) {
                Tok t = next();
                x = new Binary(t.pos, "**", x, unary(true));
            }
            return x;
        }

        private Expr unary(boolean withFilter) {
            Tok t = peek();
            Expr x;
            if (t.is("-") || t.is("+")) {
                next();
                x = new Unary(t.pos, t.text, unary(false));
            } else {
                x = postfix(primary());
            }
            return withFilter ? filterExpr(x) : x;
        }

        private Expr primary() {
            Tok t = next();
            switch (t.kind) {
                case STRING: {
                    StringBuilder b = new StringBuilder((String) t.value);
                    while (peek().kind == Kind.STRING) b.append((String) next().value); // adjacent literals join
                    return new Literal(t.pos, b.toString());
                }
                case INT:
                case FLOAT:
                    return new Literal(t.pos, t.value);
                case NAME:
                    switch (t.text) {
                        case "true", "True": return new Literal(t.pos, Boolean.TRUE);
                        case "false", "False": return new Literal(t.pos, Boolean.FALSE);
                        case "none", "None": return new Literal(t.pos, null);
                        default: return new Name(t.pos, t.text);
                    }
                case OP:
                    if (t.is("(")) {
                        if (peek().is(")")) throw new JinjaSyntaxError(peek().pos, "a tuple (a Python expression) has no rig equivalent");
                        Expr x = expression(true);
                        if (peek().is(",")) throw new JinjaSyntaxError(peek().pos, "a tuple (a Python expression) has no rig equivalent");
                        expect(")");
                        return x;
                    }
                    if (t.is("[")) {
                        List<Expr> items = new ArrayList<>();
                        while (!peek().is("]")) {
                            if (!items.isEmpty()) {
                                expect(",");
                                if (peek().is("]")) break;
                            }
                            items.add(expression(true));
                        }
                        expect("]");
                        return new ListLit(t.pos, items);
                    }
                    if (t.is("{")) {
                        List<Map.Entry<Expr, Expr>> entries = new ArrayList<>();
                        while (!peek().is("}")) {
                            if (!entries.isEmpty()) {
                                expect(",");
                                if (peek().is("}")) break;
                            }
                            Expr k = expression(true);
                            expect(":");
                            entries.add(Map.entry(k, expression(true)));
                        }
                        expect("}");
                        return new DictLit(t.pos, entries);
                    }
                    // fall through
                default:
                    throw new JinjaSyntaxError(t.pos, "unexpected " + describe(t));
            }
        }

        private Expr postfix(Expr x) {
            while (true) {
                Tok t = peek();
                if (t.is(".")) {
                    next();
                    Tok n = next();
                    if (n.kind == Kind.NAME) x = new Attr(t.pos, x, n.text);
                    else if (n.kind == Kind.INT) x = new Item(t.pos, x, new Literal(n.pos, n.value));
                    else throw new JinjaSyntaxError(n.pos, "expected a name after '.', found " + describe(n));
                } else if (t.is("[")) {
                    next();
                    Expr start = null, stop = null;
                    if (!peek().is(":")) start = expression(true);
                    if (peek().is(":")) {
                        next();
                        if (!peek().is("]")) stop = expression(true);
                        if (peek().is(":")) throw new JinjaSyntaxError(peek().pos, "slice steps are not supported");
                        expect("]");
                        x = new Slice(t.pos, x, start, stop);
                    } else {
                        expect("]");
                        x = new Item(t.pos, x, start);
                    }
                } else if (t.is("(")) {
                    next();
                    List<Expr> args = new ArrayList<>();
                    Map<String, Expr> kwargs = new LinkedHashMap<>();
                    arguments(args, kwargs);
                    x = new Call(t.pos, x, args, kwargs);
                } else {
                    return x;
                }
            }
        }

        /** After '(': positional and keyword arguments up to and including ')'. */
        private void arguments(List<Expr> args, Map<String, Expr> kwargs) {
            while (!peek().is(")")) {
                if (!args.isEmpty() || !kwargs.isEmpty()) {
                    expect(",");
                    if (peek().is(")")) break;
                }
                if (peek().kind == Kind.NAME && peek(1).is("=")) {
                    String k = next().text;
                    next();
                    kwargs.put(k, expression(true));
                } else {
                    if (!kwargs.isEmpty()) throw new JinjaSyntaxError(peek().pos, "positional argument after a keyword argument");
                    args.add(expression(true));
                }
            }
            expect(")");
        }

        private Expr filterExpr(Expr x) {
            while (true) {
                Tok t = peek();
                if (t.is("|")) {
                    next();
                    String name = dottedName();
                    List<Expr> args = new ArrayList<>();
                    Map<String, Expr> kwargs = new LinkedHashMap<>();
                    if (peek().is("(")) {
                        next();
                        arguments(args, kwargs);
                    }
                    x = new Filter(t.pos, x, name, args, kwargs);
                } else if (t.is("is")) {
                    next();
                    boolean negated = false;
                    if (peek().is("not")) {
                        next();
                        negated = true;
                    }
                    String name = dottedName();
                    List<Expr> args = new ArrayList<>();
                    if (peek().is("(")) {
                        next();
                        Map<String, Expr> kwargs = new LinkedHashMap<>();
                        arguments(args, kwargs);
                        if (!kwargs.isEmpty()) throw new JinjaSyntaxError(t.pos, "keyword arguments to a test are not supported");
                    } else if (startsPrimary(peek()) && !peek().is("else") && !peek().is("and") && !peek().is("or")
                            && !peek().is("if") && !peek().is("in") && !peek().is("not")) {
                        // 'x is divisibleby 3', 'x is sameas false': one argument without parentheses
                        args.add(postfix(primary()));
                    }
                    x = new IsTest(t.pos, x, name, args, negated);
                } else {
                    return x;
                }
            }
        }

        private static boolean startsPrimary(Tok t) {
            return t.kind == Kind.NAME || t.kind == Kind.STRING || t.kind == Kind.INT || t.kind == Kind.FLOAT || t.is("(") || t.is("[") || t.is("{");
        }

        /** A filter or test name, possibly collection-qualified (ansible.builtin.to_json). */
        private String dottedName() {
            StringBuilder b = new StringBuilder(name());
            while (peek().is(".") && peek(1).kind == Kind.NAME) {
                next();
                b.append('.').append(next().text);
            }
            return b.toString();
        }
    }
}
