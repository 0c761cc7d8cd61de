package dev.rig.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parser and checker for Grafana Alloy's configuration syntax, for tests of the Alloy configs the stack ships
 * (there is no alloy binary on the build machine to run {@code alloy validate}).
 *
 * <p>The grammar follows Alloy's own parser (syntax/parser in github.com/grafana/alloy and
 * https://grafana.com/docs/alloy/latest/get-started/syntax/): a file is a body of statements, each an attribute
 * {@code name = expr} or a block {@code a.b "label" { body }}; a newline ends a statement when it follows an
 * identifier, a literal, {@code )}, {@code ]} or {@code }}, which is why a multi-line list or object needs a comma
 * after its last element. Expressions: literals (numbers, {@code "strings"} with Go escapes, {@code `raw strings`},
 * true/false/null), lists, objects, references ({@code loki.write.central.receiver}), indexing, calls
 * ({@code sys.env("X")}), unary {@code ! -} and binary operators with Alloy's precedence.
 *
 * <p>{@link #check} then holds a parsed file against a table of the components a Docker-log shipper uses (their
 * arguments, required ones, nested blocks, exports, from each component's reference page) and resolves every
 * component reference against the components the file defines. Both report {@code line:column: problem}.
 */
public final class AlloySyntax {

    private AlloySyntax() {
    }

    // ------------------------------------------------------------------ tree

    public record Pos(int line, int column) {
        @Override
        public String toString() {
            return line + ":" + column;
        }
    }

    public sealed interface Expr permits Literal, Ident, Access, Index, Call, ListExpr, ObjectExpr, Unary, Binary {
        Pos pos();
    }

    /** kind: string, number, bool or null; text is the unescaped string, or the token as written. */
    public record Literal(String kind, String text, Pos pos) implements Expr {
    }

    public record Ident(String name, Pos pos) implements Expr {
    }

    public record Access(Expr target, String field, Pos pos) implements Expr {
    }

    public record Index(Expr target, Expr index, Pos pos) implements Expr {
    }

    public record Call(Expr function, List<Expr> args, Pos pos) implements Expr {
    }

    public record ListExpr(List<Expr> elements, Pos pos) implements Expr {
    }

    public record ObjectExpr(Map<String, Expr> fields, Pos pos) implements Expr {
    }

    public record Unary(String op, Expr operand, Pos pos) implements Expr {
    }

    public record Binary(String op, Expr left, Expr right, Pos pos) implements Expr {
    }

    public record Attribute(String name, Expr value, Pos pos) {
    }

    /** A block; {@code label} is null when it has none. */
    public record Block(String name, String label, List<Attribute> attributes, List<Block> blocks, Pos pos) {
        public Attribute attribute(String attr) {
            return attributes.stream().filter(a -> a.name.equals(attr)).findFirst().orElse(null);
        }

        public List<Block> blocks(String blockName) {
            return blocks.stream().filter(b -> b.name.equals(blockName)).toList();
        }

        String title() {
            return label == null ? name : name + " \"" + label + "\"";
        }
    }

    /** A parsed file: its top-level statements (Alloy accepts only blocks there; {@link #check} says so). */
    public record Config(List<Attribute> attributes, List<Block> blocks) {
        public Block component(String name, String label) {
            return blocks.stream().filter(b -> b.name.equals(name) && label.equals(b.label)).findFirst().orElse(null);
        }
    }

    /** A syntax error; the message starts with {@code line:column:}. */
    public static final class SyntaxError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Pos pos;

        SyntaxError(Pos pos, String problem) {
            super(pos + ": " + problem);
            this.pos = pos;
        }

        public int line() {
            return pos.line;
        }

        public int column() {
            return pos.column;
        }
    }

    // ------------------------------------------------------------------ scanner

    private enum T { IDENT, STRING, NUMBER, BOOL, NULL, OP, TERM, EOF }

    private record Tok(T type, String text, String value, Pos pos) {
        boolean is(String op) {
            return type == T.OP && text.equals(op);
        }

        String describe() {
            return switch (type) {
                case TERM -> "newline";
                case EOF -> "end of file";
                case STRING -> "string " + text;
                default -> "'" + text + "'";
            };
        }
    }

    private static final class Scanner {
        private final String src;
        private int i;
        private int line = 1;
        private int col = 1;
        private boolean insertTerm; // a newline here ends a statement

        Scanner(String src) {
            this.src = src;
        }

        List<Tok> all() {
            List<Tok> out = new ArrayList<>();
            Tok t;
            do {
                t = next();
                out.add(t);
            } while (t.type != T.EOF);
            return out;
        }

        private Pos here() {
            return new Pos(line, col);
        }

        private char peek(int ahead) {
            return i + ahead < src.length() ? src.charAt(i + ahead) : '\0';
        }

        private void advance() {
            if (src.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
            i++;
        }

        private Tok next() {
            // whitespace and comments; a newline (or a comment spanning one) after a value is a terminator
            while (i < src.length()) {
                char c = src.charAt(i);
                if (c == '\n') {
                    if (insertTerm) {
                        Pos p = here();
                        advance();
                        insertTerm = false;
                        return new Tok(T.TERM, "\n", null, p);
                    }
                    advance();
                } else if (c == ' ' || c == '\t' || c == '\r') {
                    advance();
                } else if (c == '/' && peek(1) == '/') {
                    while (i < src.length() && src.charAt(i) != '\n') {
                        advance();
                    }
                } else if (c == '/' && peek(1) == '*') {
                    Pos start = here();
                    int end = src.indexOf("*/", i + 2);
                    if (end < 0) {
                        throw new SyntaxError(start, "comment not terminated");
                    }
                    boolean spansLine = src.substring(i, end).indexOf('\n') >= 0;
                    while (i < end + 2) {
                        advance();
                    }
                    if (spansLine && insertTerm) {
                        insertTerm = false;
                        return new Tok(T.TERM, "\n", null, start);
                    }
                } else {
                    break;
                }
            }
            Pos p = here();
            if (i >= src.length()) {
                if (insertTerm) {
                    insertTerm = false;
                    return new Tok(T.TERM, "\n", null, p);
                }
                return new Tok(T.EOF, "", null, p);
            }
            char c = src.charAt(i);
            if (Character.isLetter(c) || c == '_') {
                int s = i;
                while (i < src.length() && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_')) {
                    advance();
                }
                String word = src.substring(s, i);
                insertTerm = true;
                return switch (word) {
                    case "true", "false" -> new Tok(T.BOOL, word, word, p);
                    case "null" -> new Tok(T.NULL, word, word, p);
                    default -> new Tok(T.IDENT, word, word, p);
                };
            }
            if (Character.isDigit(c) || (c == '.' && Character.isDigit(peek(1)))) {
                insertTerm = true;
                return number(p);
            }
            if (c == '"') {
                insertTerm = true;
                return quoted(p);
            }
            if (c == '`') {
                int end = src.indexOf('`', i + 1);
                if (end < 0) {
                    throw new SyntaxError(p, "raw string not terminated");
                }
                String text = src.substring(i, end + 1);
                while (i <= end) {
                    advance();
                }
                insertTerm = true;
                return new Tok(T.STRING, text, text.substring(1, text.length() - 1), p);
            }
            if (c == '\'') {
                throw new SyntaxError(p, "illegal single-quoted string; use double quotes");
            }
            for (String op : new String[] {"||", "&&", "==", "!=", "<=", ">="}) {
                if (src.startsWith(op, i)) {
                    advance();
                    advance();
                    insertTerm = false;
                    return new Tok(T.OP, op, null, p);
                }
            }
            if ("=<>+-*/%^!{}()[],.".indexOf(c) >= 0) {
                advance();
                insertTerm = c == ')' || c == ']' || c == '}';
                return new Tok(T.OP, String.valueOf(c), null, p);
            }
            if (c == '|' || c == '&') {
                throw new SyntaxError(p, "missing second " + c + " in " + c + c);
            }
            throw new SyntaxError(p, "illegal character '" + c + "'");
        }

        private Tok number(Pos p) {
            int s = i;
            while (Character.isDigit(peek(0))) {
                advance();
            }
            if (peek(0) == '.' && Character.isDigit(peek(1))) {
                advance();
                while (Character.isDigit(peek(0))) {
                    advance();
                }
            }
            if (peek(0) == 'e' || peek(0) == 'E') {
                advance();
                if (peek(0) == '+' || peek(0) == '-') {
                    advance();
                }
                if (!Character.isDigit(peek(0))) {
                    throw new SyntaxError(here(), "exponent has no digits");
                }
                while (Character.isDigit(peek(0))) {
                    advance();
                }
            }
            String text = src.substring(s, i);
            return new Tok(T.NUMBER, text, text, p);
        }

        private Tok quoted(Pos p) {
            int s = i;
            advance(); // opening quote
            StringBuilder value = new StringBuilder();
            while (true) {
                if (i >= src.length() || src.charAt(i) == '\n') {
                    throw new SyntaxError(p, "string literal not terminated");
                }
                char c = src.charAt(i);
                if (c == '"') {
                    advance();
                    break;
                }
                if (c != '\\') {
                    value.append(c);
                    advance();
                    continue;
                }
                Pos escape = here();
                advance();
                char e = peek(0);
                switch (e) {
                    case '\\', '"', '\'' -> value.append(e);
                    case 'a' -> value.append('\u0007');
                    case 'b' -> value.append('\b');
                    case 'f' -> value.append('\f');
                    case 'n' -> value.append('\n');
                    case 'r' -> value.append('\r');
                    case 't' -> value.append('\t');
                    case 'v' -> value.append('\u000b');
                    case 'x', 'u', 'U' -> {
                        int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                        String hex = src.substring(i + 1, Math.min(src.length(), i + 1 + n));
                        if (hex.length() < n || !hex.matches("[0-9a-fA-F]+")) {
                            throw new SyntaxError(escape, "escape sequence \\" + e + " needs " + n + " hex digits");
                        }
                        value.appendCodePoint(Integer.parseInt(hex, 16));
                        for (int k = 0; k < n; k++) {
                            advance();
                        }
                    }
                    default -> {
                        String oct = src.substring(i, Math.min(src.length(), i + 3));
                        if (!oct.matches("[0-7]{3}")) {
                            throw new SyntaxError(escape, "unknown escape sequence \\" + e);
                        }
                        value.append((char) Integer.parseInt(oct, 8));
                        advance();
                        advance();
                    }
                }
                advance();
            }
            return new Tok(T.STRING, src.substring(s, i), value.toString(), p);
        }
    }

    // ------------------------------------------------------------------ parser

    /** Parses Alloy source; throws {@link SyntaxError} (message {@code line:column: problem}) at the first error. */
    public static Config parse(String source) {
        Parser p = new Parser(new Scanner(source).all());
        List<Attribute> attrs = new ArrayList<>();
        List<Block> blocks = new ArrayList<>();
        p.body(attrs, blocks, null);
        return new Config(List.copyOf(attrs), List.copyOf(blocks));
    }

    private static final class Parser {
        private final List<Tok> toks;
        private int k;

        Parser(List<Tok> toks) {
            this.toks = toks;
        }

        private Tok tok() {
            return toks.get(k);
        }

        private Tok take() {
            return toks.get(k++);
        }

        private Tok expectOp(String op, String context) {
            if (!tok().is(op)) {
                throw new SyntaxError(tok().pos, "expected '" + op + "'" + context + ", got " + tok().describe());
            }
            return take();
        }

        /** Body = [ Statement { terminator Statement } ], up to '}' of {@code open} (or end of file when null). */
        void body(List<Attribute> attrs, List<Block> blocks, Block open) {
            while (true) {
                while (tok().type == T.TERM) {
                    take();
                }
                if (tok().type == T.EOF) {
                    if (open != null) {
                        throw new SyntaxError(open.pos, "block " + open.title() + " is never closed (missing '}')");
                    }
                    return;
                }
                if (open != null && tok().is("}")) {
                    return;
                }
                statement(attrs, blocks);
                if (open != null && tok().is("}")) {
                    return;
                }
                if (tok().type != T.TERM && tok().type != T.EOF) {
                    throw new SyntaxError(tok().pos, "expected newline after statement, got " + tok().describe());
                }
            }
        }

        /** Statement = identifier "=" Expression | identifier { "." identifier } [ string ] "{" Body "}" */
        private void statement(List<Attribute> attrs, List<Block> blocks) {
            Tok first = tok();
            if (first.type != T.IDENT) {
                throw new SyntaxError(first.pos, "expected attribute or block, got " + first.describe());
            }
            take();
            StringBuilder name = new StringBuilder(first.text);
            while (tok().is(".")) {
                take();
                Tok part = tok();
                if (part.type != T.IDENT) {
                    throw new SyntaxError(part.pos, "expected identifier after '.', got " + part.describe());
                }
                name.append('.').append(take().text);
            }
            if (tok().is("=")) {
                if (name.indexOf(".") >= 0) {
                    throw new SyntaxError(first.pos, "attribute name " + name + " can't contain '.'");
                }
                take();
                attrs.add(new Attribute(first.text, expression(), first.pos));
                return;
            }
            String label = null;
            if (tok().type == T.STRING) {
                Tok l = take();
                if (!l.text.startsWith("\"")) {
                    throw new SyntaxError(l.pos, "block label must be a double-quoted string");
                }
                if (!l.value.matches("[\\p{L}_][\\p{L}\\p{N}_]*")) {
                    throw new SyntaxError(l.pos, "block label " + l.text + " is not a valid identifier");
                }
                label = l.value;
            }
            if (!tok().is("{")) {
                throw new SyntaxError(tok().pos,
                        "expected '=' or '{' after " + name + ", got " + tok().describe());
            }
            take();
            List<Attribute> innerAttrs = new ArrayList<>();
            List<Block> innerBlocks = new ArrayList<>();
            Block open = new Block(name.toString(), label, innerAttrs, innerBlocks, first.pos);
            body(innerAttrs, innerBlocks, open);
            take(); // '}'
            blocks.add(new Block(open.name, label, List.copyOf(innerAttrs), List.copyOf(innerBlocks), first.pos));
        }

        // Expression = OrExpr; precedence low to high: || && (== != < <= > >=) (+ -) (* / %) ^ unary postfix
        private static final List<Set<String>> LEVELS = List.of(Set.of("||"), Set.of("&&"),
                Set.of("==", "!=", "<", "<=", ">", ">="), Set.of("+", "-"), Set.of("*", "/", "%"));

        Expr expression() {
            return binary(0);
        }

        private Expr binary(int level) {
            if (level == LEVELS.size()) {
                return power();
            }
            Expr left = binary(level + 1);
            while (tok().type == T.OP && LEVELS.get(level).contains(tok().text)) {
                Tok op = take();
                left = new Binary(op.text, left, binary(level + 1), op.pos);
            }
            return left;
        }

        private Expr power() {
            Expr base = unary();
            if (tok().is("^")) {
                Tok op = take();
                return new Binary("^", base, power(), op.pos); // right-associative
            }
            return base;
        }

        private Expr unary() {
            if (tok().is("!") || tok().is("-")) {
                Tok op = take();
                return new Unary(op.text, unary(), op.pos);
            }
            return postfix(primary());
        }

        private Expr postfix(Expr e) {
            while (true) {
                if (tok().is(".")) {
                    Tok dot = take();
                    if (tok().type != T.IDENT) {
                        throw new SyntaxError(tok().pos, "expected field name after '.', got " + tok().describe());
                    }
                    e = new Access(e, take().text, dot.pos);
                } else if (tok().is("[")) {
                    Tok b = take();
                    Expr idx = expression();
                    expectOp("]", " to close index");
                    e = new Index(e, idx, b.pos);
                } else if (tok().is("(")) {
                    Tok b = take();
                    List<Expr> args = list(")", "argument list");
                    e = new Call(e, args, b.pos);
                } else {
                    return e;
                }
            }
        }

        private Expr primary() {
            Tok t = tok();
            switch (t.type) {
                case IDENT:
                    take();
                    return new Ident(t.text, t.pos);
                case STRING:
                    take();
                    return new Literal("string", t.value, t.pos);
                case NUMBER:
                    take();
                    return new Literal("number", t.text, t.pos);
                case BOOL:
                    take();
                    return new Literal("bool", t.text, t.pos);
                case NULL:
                    take();
                    return new Literal("null", t.text, t.pos);
                default:
                    break;
            }
            if (t.is("(")) {
                take();
                Expr inner = expression();
                expectOp(")", " to close parenthesis");
                return inner;
            }
            if (t.is("[")) {
                take();
                return new ListExpr(list("]", "list"), t.pos);
            }
            if (t.is("{")) {
                take();
                Map<String, Expr> fields = new LinkedHashMap<>();
                while (!tok().is("}")) {
                    Tok key = tok();
                    if (key.type != T.IDENT && key.type != T.STRING) {
                        throw new SyntaxError(key.pos, "expected field name (string or identifier), got "
                                + key.describe());
                    }
                    take();
                    expectOp("=", " after object field name");
                    String name = key.type == T.STRING ? key.value : key.text;
                    if (fields.put(name, expression()) != null) {
                        throw new SyntaxError(key.pos, "field " + name + " appears twice in object");
                    }
                    if (tok().is("}")) {
                        break;
                    }
                    if (!tok().is(",")) {
                        throw new SyntaxError(tok().pos, "missing ',' in field list (got " + tok().describe() + ")");
                    }
                    take();
                }
                take();
                return new ObjectExpr(fields, t.pos);
            }
            throw new SyntaxError(t.pos, "expected expression, got " + t.describe());
        }

        /** ExpressionList = Expression { "," Expression } [ "," ], then {@code close}. */
        private List<Expr> list(String close, String what) {
            List<Expr> out = new ArrayList<>();
            while (!tok().is(close)) {
                out.add(expression());
                if (tok().is(close)) {
                    break;
                }
                if (!tok().is(",")) {
                    throw new SyntaxError(tok().pos, "missing ',' in " + what + " (got " + tok().describe() + ")");
                }
                take();
            }
            take();
            return out;
        }
    }

    // ------------------------------------------------------------------ component table

    /** What a component (or nested block) accepts. Blocks map to their spec; repeatable ones may appear many times. */
    private record Spec(Set<String> required, Set<String> optional, Map<String, Spec> blocks, Set<String> repeatable,
                        Set<String> requiredBlocks, Set<String> exports) {
        Spec withBlocks(Map<String, Spec> more, Set<String> repeat, Set<String> needBlocks) {
            Map<String, Spec> b = new LinkedHashMap<>(blocks);
            b.putAll(more);
            return new Spec(required, optional, b, repeat, needBlocks, exports);
        }

        Spec exporting(String... names) {
            return new Spec(required, optional, blocks, repeatable, requiredBlocks, Set.of(names));
        }

        boolean accepts(String attr) {
            return required.contains(attr) || optional.contains(attr);
        }
    }

    private static Spec args(Set<String> required, Set<String> optional) {
        return new Spec(required, optional, Map.of(), Set.of(), Set.of(), Set.of());
    }

    // Shared blocks (docs/sources/shared/reference/components/*-block.md)
    private static final Spec TLS_CONFIG = args(Set.of(), Set.of("ca_pem", "ca_file", "cert_pem", "cert_file",
            "insecure_skip_verify", "key_file", "key_pem", "min_version", "server_name"));
    private static final Spec BASIC_AUTH = args(Set.of("username"), Set.of("password", "password_file"));
    private static final Spec AUTHORIZATION = args(Set.of(), Set.of("type", "credentials", "credentials_file"));
    private static final Spec OAUTH2 = args(Set.of(), Set.of("client_id", "client_secret", "client_secret_file",
            "endpoint_params", "no_proxy", "proxy_connect_header", "proxy_from_environment", "proxy_url", "scopes",
            "token_url")).withBlocks(Map.of("tls_config", TLS_CONFIG), Set.of(), Set.of());
    private static final Set<String> HTTP_CLIENT_ARGS = Set.of("bearer_token", "bearer_token_file", "enable_http2",
            "follow_redirects", "http_headers", "no_proxy", "proxy_connect_header", "proxy_from_environment",
            "proxy_url");
    private static final Map<String, Spec> HTTP_CLIENT_BLOCKS = Map.of("basic_auth", BASIC_AUTH, "authorization",
            AUTHORIZATION, "oauth2", OAUTH2, "tls_config", TLS_CONFIG);

    private static Set<String> union(Set<String> a, String... more) {
        java.util.HashSet<String> s = new java.util.HashSet<>(a);
        s.addAll(List.of(more));
        return Set.copyOf(s);
    }

    private static final Spec RULE = args(Set.of(), Set.of("action", "modulus", "regex", "replacement", "separator",
            "source_labels", "target_label"));

    /** The loki.process stages (reference/components/loki/loki.process.md); their bodies are not described here. */
    static final Set<String> STAGES = Set.of("cri", "decolorize", "docker", "drop", "eventlogmessage", "geoip", "json",
            "label_drop", "label_keep", "labels", "limit", "logfmt", "luhn", "match", "metrics", "multiline", "output",
            "pack", "pattern", "regex", "replace", "sampling", "split_json", "static_labels", "structured_metadata",
            "structured_metadata_drop", "template", "tenant", "timestamp", "truncate", "windowsevent");

    /** Components described in full: those a Docker-log shipper is built from. */
    static final Map<String, Spec> COMPONENTS = Map.of(
            "discovery.docker", args(Set.of("host"), union(HTTP_CLIENT_ARGS, "host_networking_host",
                    "match_first_network", "port", "refresh_interval"))
                    .withBlocks(merged(HTTP_CLIENT_BLOCKS, "filter", args(Set.of("name", "values"), Set.of())),
                            Set.of("filter"), Set.of())
                    .exporting("targets"),
            "discovery.relabel", args(Set.of("targets"), Set.of())
                    .withBlocks(Map.of("rule", RULE), Set.of("rule"), Set.of())
                    .exporting("output", "rules"),
            "loki.source.docker", args(Set.of("host", "targets", "forward_to"),
                    Set.of("labels", "relabel_rules", "refresh_interval"))
                    .withBlocks(Map.of("http_client_config", args(Set.of(), HTTP_CLIENT_ARGS)
                            .withBlocks(HTTP_CLIENT_BLOCKS, Set.of(), Set.of())), Set.of(), Set.of()),
            // an endpoint is optional to Alloy, but a loki.write without one drops every line it gets
            "loki.write", args(Set.of(), Set.of("external_labels", "max_streams"))
                    .withBlocks(Map.of(
                            "endpoint", args(Set.of("url"), union(HTTP_CLIENT_ARGS, "batch_size", "batch_wait",
                                    "headers", "max_backoff_period", "max_backoff_retries", "min_backoff_period", "name",
                                    "remote_timeout", "retry_on_http_429", "tenant_id"))
                                    .withBlocks(merged(HTTP_CLIENT_BLOCKS, "queue_config", args(Set.of(), Set.of(
                                            "block_on_overflow", "capacity", "drain_timeout", "min_shards"))),
                                            Set.of(), Set.of()),
                            "wal", args(Set.of(), Set.of("drain_timeout", "enabled", "max_read_frequency",
                                    "max_segment_age", "min_read_frequency"))),
                            Set.of("endpoint"), Set.of("endpoint"))
                    .exporting("receiver"),
            "loki.process", args(Set.of("forward_to"), Set.of("max_partial_line_size",
                    "max_partial_line_size_truncate", "max_partial_lines")).exporting("receiver"),
            "local.file", args(Set.of("filename"), Set.of("detector", "is_secret", "poll_frequency"))
                    .exporting("content"));

    private static Map<String, Spec> merged(Map<String, Spec> base, String name, Spec spec) {
        Map<String, Spec> m = new LinkedHashMap<>(base);
        m.put(name, spec);
        return m;
    }

    /** Other components a config may well hold: their bodies are not checked, their exports are. */
    static final Map<String, Set<String>> OTHER_COMPONENTS = Map.ofEntries(
            Map.entry("discovery.file", Set.of("targets")),
            Map.entry("local.file_match", Set.of("targets")),
            Map.entry("loki.echo", Set.of("receiver")),
            Map.entry("loki.relabel", Set.of("receiver", "rules")),
            Map.entry("loki.source.api", Set.of()),
            Map.entry("loki.source.file", Set.of()),
            Map.entry("loki.source.journal", Set.of()),
            Map.entry("loki.source.syslog", Set.of()),
            Map.entry("prometheus.exporter.cadvisor", Set.of("targets")),
            Map.entry("prometheus.exporter.postgres", Set.of("targets")),
            Map.entry("prometheus.exporter.self", Set.of("targets")),
            Map.entry("prometheus.exporter.unix", Set.of("targets")),
            Map.entry("prometheus.relabel", Set.of("receiver", "rules")),
            Map.entry("prometheus.remote_write", Set.of("receiver")),
            Map.entry("prometheus.scrape", Set.of()),
            Map.entry("remote.http", Set.of("content")));

    /** Top-level blocks that are not components (internal/runtime/source.go and the service blocks). */
    static final Set<String> CONFIG_BLOCKS = Set.of("logging", "tracing", "livedebugging", "http", "remotecfg",
            "argument", "export", "declare", "foreach", "import.file", "import.string", "import.http", "import.git");

    /** Roots of expressions that are not component references: standard-library namespaces and module arguments. */
    static final Set<String> VALUE_ROOTS = Set.of("constants", "sys", "string", "encoding", "convert", "array", "file",
            "argument", "env", "coalesce", "concat", "format", "join", "json_decode", "json_path", "nonsensitive",
            "split", "to_lower", "to_upper", "trim", "trim_prefix", "trim_space", "trim_suffix", "replace");

    // ------------------------------------------------------------------ checker

    /** Parses then checks; a syntax error comes back as the only problem. */
    public static List<String> validate(String source) {
        try {
            return check(parse(source));
        } catch (SyntaxError e) {
            return List.of(e.getMessage());
        }
    }

    /**
     * Problems with a parsed config, each {@code line:column: problem}: top-level attributes, unknown components,
     * missing or unknown arguments and blocks of the components in {@link #COMPONENTS}, and references to components
     * or exports the file does not define.
     */
    public static List<String> check(Config config) {
        List<String> problems = new ArrayList<>();
        for (Attribute a : config.attributes) {
            problems.add(a.pos + ": unrecognized attribute " + a.name + " (only blocks are allowed at the top level)");
        }
        Set<String> declared = new java.util.HashSet<>();
        for (Block b : config.blocks) {
            if (b.name.equals("declare") && b.label != null) {
                declared.add(b.label); // a custom component: `declare "name" { ... }`, used as `name "x" { ... }`
            }
        }
        Map<String, Block> defined = new LinkedHashMap<>();
        for (Block b : config.blocks) {
            if (CONFIG_BLOCKS.contains(b.name)) {
                continue;
            }
            boolean known = COMPONENTS.containsKey(b.name) || OTHER_COMPONENTS.containsKey(b.name)
                    || declared.contains(b.name);
            if (!known) {
                problems.add(b.pos + ": unknown component " + b.name + suggestion(b.name));
                continue;
            }
            if (b.label == null) {
                problems.add(b.pos + ": component " + b.name + " needs a label, e.g. " + b.name + " \"default\" { ... }");
                continue;
            }
            Block before = defined.putIfAbsent(b.name + "." + b.label, b);
            if (before != null) {
                problems.add(b.pos + ": " + b.title() + " is already defined at " + before.pos);
            }
            Spec spec = COMPONENTS.get(b.name);
            if (spec != null) {
                checkBody(b, b.title(), spec, problems);
            }
            if (b.name.equals("loki.process")) {
                for (Block stage : b.blocks) {
                    if (!stage.name.startsWith("stage.") || !STAGES.contains(stage.name.substring(6))) {
                        problems.add(stage.pos + ": " + b.title() + ": unknown block " + stage.name
                                + " (loki.process takes stage.* blocks)");
                    }
                }
            }
        }
        for (Block b : config.blocks) {
            if (!b.name.equals("declare") && !b.name.equals("foreach")) { // their bodies have their own scope
                walkReferences(b, defined, declared, problems);
            }
        }
        return problems;
    }

    private static void checkBody(Block b, String where, Spec spec, List<String> problems) {
        Set<String> seen = new java.util.HashSet<>();
        for (Attribute a : b.attributes) {
            if (!seen.add(a.name)) {
                problems.add(a.pos + ": " + where + ": attribute " + a.name + " is set twice");
            } else if (!spec.accepts(a.name)) {
                problems.add(a.pos + ": " + where + ": unknown attribute " + a.name);
            }
        }
        for (String r : spec.required) {
            if (b.attribute(r) == null) {
                problems.add(b.pos + ": " + where + ": missing required attribute " + r);
            }
        }
        if (spec == BASIC_AUTH && (b.attribute("password") == null) == (b.attribute("password_file") == null)) {
            problems.add(b.pos + ": " + where + ": set exactly one of password and password_file");
        }
        Attribute forwardTo = b.attribute("forward_to");
        List<String> single = forwardTo == null ? null : chain(forwardTo.value);
        if (single != null && single.size() > 1 && !VALUE_ROOTS.contains(single.get(0))) { // one receiver, no [ ]
            problems.add(forwardTo.pos + ": " + where + ": forward_to must be a list, e.g. [loki.write.default.receiver]");
        }
        Map<String, Integer> count = new LinkedHashMap<>();
        for (Block inner : b.blocks) {
            if (b.name.equals("loki.process")) {
                continue; // stages, checked by the caller
            }
            Spec innerSpec = spec.blocks.get(inner.name);
            String innerWhere = where + " > " + inner.name;
            if (innerSpec == null) {
                problems.add(inner.pos + ": " + where + ": unknown block " + inner.name);
                continue;
            }
            if (inner.label != null) {
                problems.add(inner.pos + ": " + innerWhere + ": nested blocks take no label");
            }
            if (count.merge(inner.name, 1, Integer::sum) == 2 && !spec.repeatable.contains(inner.name)) {
                problems.add(inner.pos + ": " + where + ": block " + inner.name + " may appear only once");
            }
            checkBody(inner, innerWhere, innerSpec, problems);
        }
        for (String r : spec.requiredBlocks) {
            if (!count.containsKey(r)) {
                problems.add(b.pos + ": " + where + ": missing required block " + r);
            }
        }
    }

    private static void walkReferences(Block b, Map<String, Block> defined, Set<String> declared,
                                       List<String> problems) {
        for (Attribute a : b.attributes) {
            walkExpr(a.value, defined, declared, problems);
        }
        for (Block inner : b.blocks) {
            walkReferences(inner, defined, declared, problems);
        }
    }

    private static void walkExpr(Expr e, Map<String, Block> defined, Set<String> declared, List<String> problems) {
        // (Java 17: no pattern matching for switch)
        if (e instanceof Ident id) {
            reference(List.of(id.name), id.pos, defined, declared, problems);
        } else if (e instanceof Access acc) {
            List<String> chain = chain(acc);
            if (chain != null) {
                reference(chain, rootPos(acc), defined, declared, problems);
            } else {
                walkExpr(acc.target, defined, declared, problems);
            }
        } else if (e instanceof Call call) {
            // the callee names a function, not a component; its arguments may reference components
            if (chain(call.function) == null) {
                walkExpr(call.function, defined, declared, problems);
            }
            call.args.forEach(x -> walkExpr(x, defined, declared, problems));
        } else if (e instanceof Index idx) {
            walkExpr(idx.target, defined, declared, problems);
            walkExpr(idx.index, defined, declared, problems);
        } else if (e instanceof ListExpr l) {
            l.elements.forEach(x -> walkExpr(x, defined, declared, problems));
        } else if (e instanceof ObjectExpr o) {
            o.fields.values().forEach(x -> walkExpr(x, defined, declared, problems));
        } else if (e instanceof Unary u) {
            walkExpr(u.operand, defined, declared, problems);
        } else if (e instanceof Binary bin) {
            walkExpr(bin.left, defined, declared, problems);
            walkExpr(bin.right, defined, declared, problems);
        }
    }

    /** {@code a.b.c} as [a, b, c]; null when the expression is not a plain dotted name. */
    private static List<String> chain(Expr e) {
        List<String> parts = new ArrayList<>();
        while (e instanceof Access acc) {
            parts.add(0, acc.field);
            e = acc.target;
        }
        if (!(e instanceof Ident id)) {
            return null;
        }
        parts.add(0, id.name);
        return parts;
    }

    private static Pos rootPos(Expr e) {
        while (e instanceof Access acc) {
            e = acc.target;
        }
        return e.pos();
    }

    private static void reference(List<String> chain, Pos pos, Map<String, Block> defined, Set<String> declared,
                                  List<String> problems) {
        String root = chain.get(0);
        if (VALUE_ROOTS.contains(root)) {
            return;
        }
        String text = String.join(".", chain);
        // the longest known component name the chain starts with
        String component = null;
        for (int n = chain.size() - 1; n >= 1; n--) {
            String candidate = String.join(".", chain.subList(0, n));
            if (COMPONENTS.containsKey(candidate) || OTHER_COMPONENTS.containsKey(candidate)
                    || declared.contains(candidate)) {
                component = candidate;
                break;
            }
        }
        if (component == null) {
            problems.add(pos + ": " + text + " refers to no known component or value" + suggestion(text));
            return;
        }
        int used = component.split("\\.").length;
        if (chain.size() < used + 2) {
            problems.add(pos + ": reference " + text + " must name a label and an export, e.g. "
                    + component + ".default." + firstExport(component));
            return;
        }
        String label = chain.get(used);
        String export = chain.get(used + 1);
        if (!defined.containsKey(component + "." + label)) {
            problems.add(pos + ": reference to undefined component " + component + " \"" + label + "\" in " + text);
            return;
        }
        Set<String> exports = COMPONENTS.containsKey(component) ? COMPONENTS.get(component).exports
                : OTHER_COMPONENTS.get(component);
        if (exports != null && !exports.contains(export)) {
            problems.add(pos + ": " + component + " has no export " + export
                    + (exports.isEmpty() ? " (it exports nothing)" : " (it exports " + String.join(", ",
                    new java.util.TreeSet<>(exports)) + ")"));
        }
    }

    private static String firstExport(String component) {
        Set<String> ex = COMPONENTS.containsKey(component) ? COMPONENTS.get(component).exports
                : OTHER_COMPONENTS.getOrDefault(component, Set.of());
        return ex.isEmpty() ? "EXPORT" : new java.util.TreeSet<>(ex).first();
    }

    /** " (did you mean X?)" for the known component name closest to the start of {@code name}, if close enough. */
    private static String suggestion(String name) {
        List<String> parts = List.of(name.split("\\."));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : union(COMPONENTS.keySet(), OTHER_COMPONENTS.keySet().toArray(String[]::new))) {
            int n = known.split("\\.").length;
            String head = String.join(".", parts.subList(0, Math.min(n, parts.size())));
            int d = distance(head, known);
            if (d < bestDistance || (d == bestDistance && known.compareTo(best) < 0)) {
                bestDistance = d;
                best = known;
            }
        }
        return best != null && bestDistance > 0 && bestDistance <= 3 ? " (did you mean " + best + "?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
