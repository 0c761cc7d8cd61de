package dev.rig.convert;

import dev.rig.convert.Jinja.*;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes a Jinja2 tree as rig's FreeMarker: expressions (for ${...} and bare conditions) and
 * templates. Filters and tests map to FreeMarker built-ins where one exists with the same meaning,
 * otherwise to rig's template functions (template/Functions); anything else throws
 * {@link Unconvertible} naming the construct, so the caller leaves the source as it is and reports it.
 */
public final class FreeMarkerEmitter {
    /** Filters Ansible offers that rig does not (kept in the report with this reason). */
    private static final Set<String> LOOKUPS = Set.of("lookup", "query", "q");

    private record Loop(String var, String iter) {}

    private final Deque<Loop> loops = new ArrayDeque<>();
    private int lambdas;
    private boolean inDirective;
    private boolean typedValue;
    /** Nesting of for loops being written, and names referenced outside the loop a {% set %} is in (checked against Jinja2's loop scoping). */
    private int loopDepth;
    private java.util.Set<String> namesOutsideLoops = java.util.Set.of();

    // ---- templates ----

    /** A whole .j2 template as an .ftl file whose output is what Ansible's template module writes. */
    public String template(List<Node> nodes) {
        StringBuilder b = new StringBuilder();
        boolean directives = hasDirective(nodes);
        // Jinja2 keeps the indentation before a block tag; FreeMarker would strip a line holding only a directive.
        if (directives) b.append("<#ftl strip_whitespace=false>");
        namesOutsideLoops = namesOutsideLoops(nodes);
        nodes(nodes, b);
        return b.toString();
    }

    /** A YAML string value: a value that is exactly one {{ expr }} becomes ${expr} (keeping its type in rig); text around is kept. */
    public String value(List<Node> nodes) {
        StringBuilder b = new StringBuilder();
        if (hasDirective(nodes)) b.append("<#ftl strip_whitespace=false>");
        // a value that is one ${expr} keeps its type in rig, as in Ansible's module arguments
        typedValue = nodes.size() == 1 && nodes.get(0) instanceof Output;
        namesOutsideLoops = namesOutsideLoops(nodes);
        try {
            nodes(nodes, b);
        } finally {
            typedValue = false;
        }
        return b.toString();
    }

    private static boolean hasDirective(List<Node> nodes) {
        return nodes.stream().anyMatch(n -> n instanceof If || n instanceof For || n instanceof Assign || n instanceof SetBlock);
    }

    private void nodes(List<Node> nodes, StringBuilder b) {
        for (Node n : nodes) node(n, b);
    }

    private void node(Node n, StringBuilder b) {
        if (n instanceof Text t) {
            b.append(escapeText(t.text()));
        } else if (n instanceof Output o) {
            // Jinja2 prints a boolean as Python does (True); FreeMarker would print true
            boolean maybeBoolean = staticBoolean(o.expr()) || o.expr() instanceof Binary bin && (bin.op().equals("and") || bin.op().equals("or"));
            b.append("${").append(maybeBoolean && !typedValue ? "to_str(" + expr(o.expr()) + ")" : expr(o.expr())).append('}');
        } else if (n instanceof Comment c) {
            b.append("<#--").append(c.text().replace("-->", "- ->")).append("-->");
        } else if (n instanceof If i) {
            for (int k = 0; k < i.branches().size(); k++) {
                Branch br = i.branches().get(k);
                b.append(k == 0 ? "<#if " : "<#elseif ").append(directiveCond(br.test())).append('>');
                nodes(br.body(), b);
            }
            if (!i.otherwise().isEmpty()) {
                b.append("<#else>");
                nodes(i.otherwise(), b);
            }
            b.append("</#if>");
        } else if (n instanceof For f) {
            forLoop(f, b);
        } else if (n instanceof Assign s) {
            checkSetInLoop(s.name(), s.pos());
            b.append("<#assign ").append(name(s.name(), s.pos())).append(" = ").append(directive(s.value())).append('>');
        } else if (n instanceof SetBlock s) {
            checkSetInLoop(s.name(), s.pos());
            b.append("<#assign ").append(name(s.name(), s.pos())).append('>');
            nodes(s.body(), b);
            b.append("</#assign>");
        }
    }

    /** Jinja2 keeps a {% set %} in a loop to that loop; FreeMarker's assign outlives it: equal only when the name is not used outside the loop. */
    private void checkSetInLoop(String name, Pos pos) {
        if (loopDepth > 0 && namesOutsideLoops.contains(name)) {
            throw new Unconvertible(pos, "'{% set " + name + " %}' inside a loop: Jinja2 keeps it to the loop, FreeMarker's assign outlives it, and '"
                    + name + "' is used outside the loop too");
        }
    }

    /** Every name referenced or assigned outside the bodies of the template's loops (a loop's own iterable counts as outside). */
    static Set<String> namesOutsideLoops(List<Node> nodes) {
        Set<String> out = new java.util.HashSet<>();
        for (Node n : nodes) collectOutside(n, out);
        return out;
    }

    private static void collectOutside(Object o, Set<String> out) {
        if (o instanceof For f) {
            collectOutside(f.iter(), out);
            collectOutside(f.otherwise(), out);
            return;
        }
        if (o instanceof Name n) out.add(n.name());
        if (o instanceof Assign a) out.add(a.name());
        if (o instanceof SetBlock sb) out.add(sb.name());
        if (o instanceof List<?> l) for (Object x : l) collectOutside(x, out);
        else if (o instanceof Map.Entry<?, ?> e) {
            collectOutside(e.getKey(), out);
            collectOutside(e.getValue(), out);
        } else if (o instanceof Map<?, ?> m) collectOutside(List.copyOf(m.values()), out);
        else if (o instanceof Record r) {
            for (java.lang.reflect.RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    collectOutside(c.getAccessor().invoke(r), out);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private void forLoop(For f, StringBuilder b) {
        String iter;
        String as;
        if (f.targets().size() == 2) {
            // for k, v in d.items(): FreeMarker lists a hash's keys and values
            if (!(f.iter() instanceof Call c && c.fn() instanceof Attr a && a.name().equals("items") && c.args().isEmpty())) {
                throw new Unconvertible(f.iter().pos(), "a loop over pairs is converted only for 'for k, v in d.items()'");
            }
            iter = directive(a.target());
            as = name(f.targets().get(0), f.pos()) + ", " + name(f.targets().get(1), f.pos());
        } else if (f.targets().size() == 1) {
            iter = directive(f.iter());
            as = name(f.targets().get(0), f.pos());
        } else {
            throw new Unconvertible(f.pos(), "a loop over more than two names");
        }
        if (f.filter() != null) {
            String var = f.targets().get(0);
            iter = atom(iter) + "?filter(" + var + " -> " + directive(f.filter()) + ")";
            if (f.targets().size() == 2) throw new Unconvertible(f.filter().pos(), "a filtered loop over pairs");
        }
        b.append("<#list ").append(iter).append(" as ").append(as).append('>');
        loops.push(new Loop(f.targets().get(0), iter));
        loopDepth++;
        try {
            nodes(f.body(), b);
        } finally {
            loops.pop();
            loopDepth--;
        }
        if (!f.otherwise().isEmpty()) {
            b.append("<#else>");
            nodes(f.otherwise(), b);
        }
        b.append("</#list>");
    }

    private String directive(Expr e) {
        boolean was = inDirective;
        inDirective = true;
        try {
            return expr(e);
        } finally {
            inDirective = was;
        }
    }

    /** Text for rig's FreeMarker: ${ is written $${ (rig's escape), and FreeMarker's own syntax in plain text is printed through an interpolation. */
    public static String escapeText(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '$' && text.startsWith("${", i)) {
                b.append("$${");
                i++;
            } else if (c == '#' && text.startsWith("#{", i)) {
                b.append("${'#'}{");
                i++;
            } else if (c == '<' && (text.startsWith("<#", i) || text.startsWith("</#", i) || text.startsWith("<@", i) || text.startsWith("</@", i))) {
                b.append("${'<'}");
            } else if (c == '[' && (text.startsWith("[#", i) || text.startsWith("[/#", i) || text.startsWith("[@", i) || text.startsWith("[/@", i) || text.startsWith("[=", i))) {
                b.append("${'['}");
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    // ---- expressions ----

    /** One expression, for ${...} or a bare condition. */
    public String expression(Expr e) {
        return cond(e);
    }

    /** An expression in a boolean context, with Python's truth: a list, string or number that is not a boolean goes through truthy(). */
    private String cond(Expr e) {
        if (e instanceof Binary b && (b.op().equals("and") || b.op().equals("or"))) {
            String l = condOperand(b.left(), b.op()), r = condOperand(b.right(), b.op());
            return l + (b.op().equals("and") ? " && " : " || ") + r;
        }
        if (staticBoolean(e)) return expr(e);
        return "truthy(" + expr(e) + ")";
    }

    private String condOperand(Expr e, String parentOp) {
        String c = cond(e);
        return e instanceof Binary b && (b.op().equals("or") && parentOp.equals("and")) ? "(" + c + ")" : c;
    }

    private String directiveCond(Expr e) {
        boolean was = inDirective;
        inDirective = true;
        try {
            return cond(e);
        } finally {
            inDirective = was;
        }
    }

    /** An expression whose Jinja2 value is a boolean whatever the variables hold. */
    static boolean staticBoolean(Expr e) {
        if (e instanceof Literal l) return l.value() instanceof Boolean;
        if (e instanceof IsTest) return true;
        if (e instanceof Unary u) return u.op().equals("not");
        if (e instanceof Filter f) return shortName(f.name()).equals("bool");
        if (e instanceof Call c) return c.fn() instanceof Attr a && (a.name().equals("startswith") || a.name().equals("endswith"));
        if (e instanceof Binary b) {
            return switch (b.op()) {
                case "==", "!=", "<", "<=", ">", ">=", "in", "not in" -> true;
                case "and", "or" -> staticBoolean(b.left()) && staticBoolean(b.right());
                default -> false;
            };
        }
        return false;
    }

    private String expr(Expr e) {
        if (e instanceof Literal l) return literal(l);
        if (e instanceof Name n) return nameRef(n);
        if (e instanceof Attr a) return attr(a);
        if (e instanceof Item i) return item(i);
        if (e instanceof Slice s) return slice(s);
        if (e instanceof Filter f) return filter(f);
        if (e instanceof IsTest t) return test(t);
        if (e instanceof Binary bin) return binary(bin);
        if (e instanceof Unary u) {
            return switch (u.op()) {
                case "not" -> "!" + (staticBoolean(u.operand()) ? atomOf(u.operand()) : atom(cond(u.operand())));
                case "-" -> "-" + atomOf(u.operand());
                default -> expr(u.operand());
            };
        }
        if (e instanceof Cond c) {
            return atom(cond(c.test())) + "?then(" + expr(c.then()) + ", " + (c.otherwise() == null ? "\"\"" : expr(c.otherwise())) + ")";
        }
        if (e instanceof ListLit l) return l.items().stream().map(this::expr).collect(Collectors.joining(", ", "[", "]"));
        if (e instanceof DictLit d) return d.entries().stream().map(en -> expr(en.getKey()) + ": " + expr(en.getValue())).collect(Collectors.joining(", ", "{", "}"));
        return call((Call) e);
    }

    private String literal(Literal l) {
        Object v = l.value();
        if (v == null) throw new Unconvertible(l.pos(), "'none' has no FreeMarker value (FreeMarker has no null; test with 'is defined')");
        if (v instanceof String s) return str(s);
        return String.valueOf(v);
    }

    /** A FreeMarker string literal: escapes quotes, backslashes and the interpolation openers. */
    static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '{' -> b.append(i > 0 && (s.charAt(i - 1) == '$' || s.charAt(i - 1) == '#') ? "\\{" : "{");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static final Set<String> FTL_RESERVED = Set.of("true", "false", "gt", "gte", "lt", "lte", "as", "in", "using");

    private static String name(String n, Pos pos) {
        if (FTL_RESERVED.contains(n)) throw new Unconvertible(pos, "'" + n + "' is a reserved word in FreeMarker");
        return n;
    }

    private String nameRef(Name n) {
        if (n.name().equals("omit")) throw new Unconvertible(n.pos(), "'omit' (Ansible's placeholder for leaving an argument out) has no rig equivalent");
        if (n.name().equals("loop") && !loops.isEmpty()) throw new Unconvertible(n.pos(), "'loop' is used only through its attributes (loop.index, loop.first...)");
        return name(n.name(), n.pos());
    }

    private String attr(Attr a) {
        if (a.target() instanceof Name n && n.name().equals("loop") && !loops.isEmpty()) {
            Loop l = loops.peek();
            return switch (a.name()) {
                case "index" -> l.var + "?counter";
                case "index0" -> l.var + "?index";
                case "first" -> l.var + "?is_first";
                case "last" -> l.var + "?is_last";
                case "length" -> atom(l.iter) + "?size";
                case "revindex" -> "(" + atom(l.iter) + "?size - " + l.var + "?index)";
                case "revindex0" -> "(" + atom(l.iter) + "?size - " + l.var + "?counter)";
                case "even", "odd" -> l.var + "?item_parity == \"" + a.name() + "\"";
                default -> throw new Unconvertible(a.pos(), "loop." + a.name() + " has no FreeMarker equivalent");
            };
        }
        return atomOf(a.target()) + "." + a.name();
    }

    private String item(Item i) {
        if (i.index() instanceof Unary u && u.op().equals("-") && u.operand() instanceof Literal l && l.value() instanceof Long n) {
            return item(new Item(i.pos(), i.target(), new Literal(l.pos(), -n)));
        }
        if (i.index() instanceof Literal l && l.value() instanceof Long n && n < 0) {
            return n == -1 ? atomOf(i.target()) + "?last" : atomOf(i.target()) + "[" + atomOf(i.target()) + "?size - " + (-n) + "]";
        }
        if (i.index() instanceof Unary u && u.op().equals("-")) throw new Unconvertible(i.pos(), "a negative index that is not a number");
        return atomOf(i.target()) + "[" + expr(i.index()) + "]";
    }

    private String slice(Slice s) {
        String start = s.start() == null ? "0" : expr(s.start());
        if (s.start() instanceof Literal l && l.value() instanceof Long n && n < 0) throw new Unconvertible(s.pos(), "a slice from the end");
        if (s.stop() instanceof Literal l && l.value() instanceof Long n && n < 0) throw new Unconvertible(s.pos(), "a slice to a negative end");
        return atomOf(s.target()) + "[" + start + (s.stop() == null ? ".." : "..<" + expr(s.stop())) + "]";
    }

    private String binary(Binary b) {
        String op = b.op();
        if ((op.equals("==") || op.equals("!=")) && (isNone(b.right()) || isNone(b.left()))) {
            throw new Unconvertible(b.pos(), "'" + op + " none': FreeMarker has no null (a null and an undefined variable are both missing in rig, "
                    + "and Jinja2 tells them apart); write 'is defined' / 'is not defined' if that is meant");
        }
        int prec = precedence(op);
        String l = operand(b.left(), prec, false), r = operand(b.right(), prec, true);
        return switch (op) {
            // Python's and/or give an operand, not a boolean: kept as such unless both sides are booleans
            case "and" -> staticBoolean(b.left()) && staticBoolean(b.right()) ? l + " && " + r : "truthy(" + expr(b.left()) + ")?then(" + expr(b.right()) + ", " + expr(b.left()) + ")";
            case "or" -> staticBoolean(b.left()) && staticBoolean(b.right()) ? l + " || " + r : "truthy(" + expr(b.left()) + ")?then(" + expr(b.left()) + ", " + expr(b.right()) + ")";
            case "in" -> "contains(" + expr(b.right()) + ", " + expr(b.left()) + ")";
            case "not in" -> "!contains(" + expr(b.right()) + ", " + expr(b.left()) + ")";
            case ">" -> l + (inDirective ? " gt " : " > ") + r;
            case ">=" -> l + " gte " + r; // FreeMarker reads ">=" in ${...} as the end of it
            case "%" -> {
                if (b.left() instanceof Literal lit && lit.value() instanceof String) throw new Unconvertible(b.pos(), "Python's '%' string formatting has no FreeMarker equivalent (write the text with {{ }} around the values)");
                yield l + " % " + r;
            }
            case "<", "<=", "==", "!=", "+", "-", "*", "/" -> l + " " + op + " " + r;
            case "//" -> "(" + l + " / " + r + ")?floor";
            case "~" -> stringOf(b.left()) + " + " + stringOf(b.right());
            default -> throw new Unconvertible(b.pos(), "the operator '" + op + "' has no FreeMarker equivalent");
        };
    }

    private String stringOf(Expr e) {
        if (e instanceof Literal l && l.value() instanceof String) return expr(e);
        if (e instanceof Binary b && b.op().equals("~")) return "(" + expr(e) + ")";
        return atomOf(e) + "?string";
    }

    private static boolean isNone(Expr e) {
        return e instanceof Literal l && l.value() == null;
    }

    /** How tightly the FreeMarker form of a Jinja2 operator binds (function-call forms are atoms). */
    private static int precedence(String op) {
        return switch (op) {
            case "or" -> 1;
            case "and" -> 2;
            case "==", "!=" -> 3;
            case "<", "<=", ">", ">=" -> 4;
            case "+", "-", "~" -> 5;
            case "*", "/", "%" -> 6;
            default -> 9;
        };
    }

    /** An operand of a binary operator: parenthesized unless it binds tighter (or as tight, on the left). */
    private String operand(Expr e, int parent, boolean right) {
        if (e instanceof Binary b && !(isNone(b.left()) || isNone(b.right()))) {
            int p = precedence(b.op());
            if (p > parent || p == parent && !right && p != 3 && p != 4) return expr(e);
            return "(" + expr(e) + ")";
        }
        return operand(e);
    }

    /** An operand of a binary operator: parenthesized unless it binds tighter than any operator. */
    private String operand(Expr e) {
        return e instanceof Binary || e instanceof Cond ? "(" + expr(e) + ")" : expr(e);
    }

    /** An expression a built-in can be applied to. */
    private String atomOf(Expr e) {
        String s = expr(e);
        return e instanceof Name || e instanceof Attr && !s.contains(" ") || e instanceof Item || e instanceof ListLit || e instanceof DictLit
                || e instanceof Literal l && !(l.value() instanceof Number n && n.doubleValue() < 0) ? s : atom(s);
    }

    private static String atom(String s) {
        return s.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*") || isOneCall(s) ? s : "(" + s + ")";
    }

    /** fn(...) whose closing parenthesis is the last character (string literals skipped): needs no parentheses of its own. */
    private static boolean isOneCall(String s) {
        int open = s.indexOf('(');
        if (open <= 0 || !s.substring(0, open).matches("[A-Za-z_][A-Za-z0-9_]*") || !s.endsWith(")")) return false;
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                for (i++; i < s.length() && s.charAt(i) != '"'; i++) if (s.charAt(i) == '\\') i++;
            } else if (c == '(') depth++;
            else if (c == ')' && --depth == 0) return i == s.length() - 1;
        }
        return false;
    }

    private String call(Call c) {
        if (c.fn() instanceof Name n) {
            if (LOOKUPS.contains(n.name())) throw new Unconvertible(c.pos(), "lookup plugin '" + n.name() + "(...)': rig has no lookups; read the value into a variable instead");
            if (n.name().equals("range")) {
                noKwargs(c);
                if (c.args().size() == 1) return "0..<" + operand(c.args().get(0));
                if (c.args().size() == 2) return operand(c.args().get(0)) + "..<" + operand(c.args().get(1));
                throw new Unconvertible(c.pos(), "range() with a step");
            }
            throw new Unconvertible(c.pos(), "the function '" + n.name() + "()' has no rig equivalent");
        }
        if (c.fn() instanceof Attr a) {
            String t = atomOf(a.target());
            noKwargs(c);
            List<Expr> args = c.args();
            switch (a.name() + "/" + args.size()) {
                case "split/0": return t + "?trim?split(\"\\\\s+\", \"r\")";
                case "split/1": return t + "?split(" + expr(args.get(0)) + ")";
                case "strip/0": return t + "?trim";
                case "lower/0": return t + "?lower_case";
                case "upper/0": return t + "?upper_case";
                case "startswith/1": return t + "?starts_with(" + expr(args.get(0)) + ")";
                case "endswith/1": return t + "?ends_with(" + expr(args.get(0)) + ")";
                case "replace/2": return t + "?replace(" + expr(args.get(0)) + ", " + expr(args.get(1)) + ")";
                case "keys/0": return t + "?keys";
                case "values/0": return t + "?values";
                case "get/1": return "(" + t + "[" + expr(args.get(0)) + "])!\"\"";
                case "get/2": return "(" + t + "[" + expr(args.get(0)) + "])!" + atomOf(args.get(1));
                default: break;
            }
            throw new Unconvertible(c.pos(), "the Python method '." + a.name() + "()' (with " + args.size() + " arguments) has no rig equivalent");
        }
        throw new Unconvertible(c.pos(), "a call of a computed function");
    }

    private static void noKwargs(Call c) {
        if (!c.kwargs().isEmpty()) throw new Unconvertible(c.pos(), "keyword arguments '" + String.join(", ", c.kwargs().keySet()) + "'");
    }

    private static String shortName(String name) {
        return name.startsWith("ansible.builtin.") ? name.substring("ansible.builtin.".length()) : name;
    }

    private String filter(Filter f) {
        String name = shortName(f.name());
        List<Expr> args = f.args();
        Map<String, Expr> kw = f.kwargs();
        String t = atomOf(f.target());
        switch (name) {
            case "default", "d": {
                Expr fallback = args.isEmpty() ? new Literal(f.pos(), "") : args.get(0);
                boolean ifFalsy = args.size() > 1 && args.get(1) instanceof Literal l && Boolean.TRUE.equals(l.value())
                        || kw.containsKey("boolean") && kw.get("boolean") instanceof Literal l2 && Boolean.TRUE.equals(l2.value());
                String fb = fallback instanceof Literal || fallback instanceof Name ? expr(fallback) : "(" + expr(fallback) + ")";
                if (ifFalsy) return "truthy((" + expr(f.target()) + ")!\"\")?then(" + expr(f.target()) + ", " + expr(fallback) + ")";
                // parenthesized whole: FreeMarker reads x!1 + y as x!(1 + y)
                return "((" + expr(f.target()) + ")!" + fb + ")";
            }
            case "mandatory": return expr(f.target()); // rig already refuses an undefined variable, naming it
            case "bool": return "to_bool(" + expr(f.target()) + ")";
            case "int": return "to_int(" + expr(f.target()) + ")";
            case "float": return "to_float(" + expr(f.target()) + ")";
            case "string": return "to_str(" + expr(f.target()) + ")";
            case "lower": return t + "?lower_case";
            case "upper": return t + "?upper_case";
            case "capitalize": return t + "?lower_case?cap_first";
            case "title": return t + "?capitalize";
            case "trim": return t + "?trim";
            case "length", "count": return "length(" + expr(f.target()) + ")";
            case "first": return "first(" + expr(f.target()) + ")";
            case "last": return "last(" + expr(f.target()) + ")";
            case "unique": {
                for (String k : kw.keySet()) if (!k.equals("case_sensitive")) throw new Unconvertible(f.pos(), "unique's '" + k + "'");
                Expr cs = kw.containsKey("case_sensitive") ? kw.get("case_sensitive") : args.isEmpty() ? null : args.get(0);
                return "unique(" + expr(f.target()) + (cs == null ? "" : ", " + expr(cs)) + ")";
            }
            case "list": return expr(f.target());
            case "abs": return t + "?abs";
            case "reverse": return "reverse(" + expr(f.target()) + ")";
            case "min", "max", "sum", "flatten", "zip", "random", "shuffle", "regex_findall", "regex_escape", "from_json", "from_yaml", "urlsplit",
                 "ipaddr", "ipv4", "splitext", "realpath", "expanduser", "comment", "type_debug", "extract", "subelements", "product", "difference",
                 "intersect", "union", "symmetric_difference", "human_readable", "human_to_bytes", "strftime", "to_datetime", "checksum",
                 "password_hash", "vault", "unvault", "format", "center", "wordcount", "indent", "batch", "slice", "groupby", "dictsort", "xmlattr",
                 "urlencode", "tojson", "pprint", "striptags", "truncate", "wordwrap", "filesizeformat", "round", "attr", "e", "escape", "forceescape",
                 "safe", "items":
                throw new Unconvertible(f.pos(), "the filter '" + f.name() + "' has no rig template function");
            case "replace": {
                if (args.size() != 2 || !kw.isEmpty()) throw new Unconvertible(f.pos(), "replace with a count");
                return t + "?replace(" + expr(args.get(0)) + ", " + expr(args.get(1)) + ")";
            }
            case "regex_replace": {
                if (args.size() < 1 || args.size() > 2) throw new Unconvertible(f.pos(), "regex_replace takes a pattern and a replacement");
                String flags = "r" + regexFlags(f);
                String pattern = regexLiteral(args.get(0));
                String repl = args.size() == 2 ? replacementLiteral(args.get(1)) : "\"\"";
                return t + "?replace(" + pattern + ", " + repl + ", \"" + flags + "\")";
            }
            case "regex_search": {
                if (args.size() != 1) throw new Unconvertible(f.pos(), "regex_search with match groups");
                String flags = regexFlags(f);
                return "regex_search(" + expr(f.target()) + ", " + regexLiteral(args.get(0)) + (flags.isEmpty() ? "" : ", \"" + flags + "\"") + ")";
            }
            case "join": {
                if (args.size() > 1 || !kw.isEmpty()) throw new Unconvertible(f.pos(), "join with an attribute");
                return t + "?join(" + (args.isEmpty() ? "\"\"" : expr(args.get(0))) + ")";
            }
            case "sort": {
                // Jinja2's sort(reverse, case_sensitive, attribute): case-insensitive by default, unlike FreeMarker's ?sort
                List<String> names = List.of("reverse", "case_sensitive", "attribute");
                for (String k : kw.keySet()) if (!names.contains(k)) throw new Unconvertible(f.pos(), "sort's '" + k + "'");
                if (args.size() > 3) throw new Unconvertible(f.pos(), "sort with more than three arguments");
                String[] given = new String[3];
                for (int i = 0; i < args.size(); i++) given[i] = expr(args.get(i));
                for (int i = 0; i < 3; i++) if (kw.containsKey(names.get(i))) given[i] = expr(kw.get(names.get(i)));
                int last = given[2] != null ? 3 : given[1] != null ? 2 : given[0] != null ? 1 : 0;
                StringBuilder b = new StringBuilder("sort(").append(expr(f.target()));
                for (int i = 0; i < last; i++) b.append(", ").append(given[i] != null ? given[i] : i == 2 ? "\"\"" : "false");
                return b.append(')').toString();
            }
            case "map": return t + "?map(" + lambda(f, args, kw, "map") + ")";
            case "select", "reject", "selectattr", "rejectattr": return t + "?filter(" + lambda(f, args, kw, name) + ")";
            case "dict2items": {
                String k = kw.containsKey("key_name") ? expr(kw.get("key_name")) : "\"key\"";
                String v = kw.containsKey("value_name") ? expr(kw.get("value_name")) : "\"value\"";
                return "dict2items(" + expr(f.target()) + (kw.isEmpty() ? "" : ", " + k + ", " + v) + ")";
            }
            case "items2dict": {
                String k = kw.containsKey("key_name") ? expr(kw.get("key_name")) : "\"key\"";
                String v = kw.containsKey("value_name") ? expr(kw.get("value_name")) : "\"value\"";
                return "items2dict(" + expr(f.target()) + (kw.isEmpty() ? "" : ", " + k + ", " + v) + ")";
            }
            case "combine": {
                for (String k : kw.keySet()) if (!k.equals("recursive")) throw new Unconvertible(f.pos(), "combine's '" + k + "'");
                boolean recursive = kw.containsKey("recursive") && kw.get("recursive") instanceof Literal l && Boolean.TRUE.equals(l.value());
                if (kw.containsKey("recursive") && !(kw.get("recursive") instanceof Literal)) throw new Unconvertible(f.pos(), "combine's recursive is not a constant");
                StringBuilder b = new StringBuilder(recursive ? "combine_recursive(" : "combine(").append(expr(f.target()));
                for (Expr a : args) b.append(", ").append(expr(a));
                return b.append(')').toString();
            }
            case "to_json": return "to_json(" + expr(f.target()) + ")";
            case "to_nice_json": return "to_nice_json(" + expr(f.target()) + indentArg(f) + ")";
            case "to_yaml": return "to_yaml(" + expr(f.target()) + ")";
            case "to_nice_yaml": return "to_nice_yaml(" + expr(f.target()) + indentArg(f) + ")";
            case "b64encode": return "base64(" + expr(f.target()) + ")";
            case "b64decode": return "b64decode(" + expr(f.target()) + ")";
            case "basename": return "basename(" + expr(f.target()) + ")";
            case "dirname": return "dirname(" + expr(f.target()) + ")";
            case "quote": return "quote(" + expr(f.target()) + ")";
            case "ternary": {
                if (args.size() != 2) throw new Unconvertible(f.pos(), "ternary with a value for none");
                return atom(cond(f.target())) + "?then(" + expr(args.get(0)) + ", " + expr(args.get(1)) + ")";
            }
            case "hash": {
                String algo = args.isEmpty() ? "\"sha1\"" : expr(args.get(0));
                return "hash(" + expr(f.target()) + ", " + algo + ")";
            }
            default:
                throw new Unconvertible(f.pos(), "the filter '" + f.name() + "' is not one rig knows (a custom or collection filter?)");
        }
    }

    private String indentArg(Filter f) {
        if (f.kwargs().containsKey("indent")) return ", " + expr(f.kwargs().get("indent"));
        if (!f.args().isEmpty()) return ", " + expr(f.args().get(0));
        return "";
    }

    private static String regexFlags(Filter f) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Expr> e : f.kwargs().entrySet()) {
            boolean on = e.getValue() instanceof Literal l && Boolean.TRUE.equals(l.value());
            if (!(e.getValue() instanceof Literal)) throw new Unconvertible(f.pos(), f.name() + "'s " + e.getKey() + " is not a constant");
            switch (e.getKey()) {
                case "ignorecase" -> { if (on) b.append('i'); }
                case "multiline" -> { if (on) b.append('m'); }
                default -> throw new Unconvertible(f.pos(), f.name() + "'s '" + e.getKey() + "'");
            }
        }
        return b.toString();
    }

    /** A Python regular expression as a Java one: named groups (?P<n>...) become (?<n>...). */
    private String regexLiteral(Expr e) {
        if (e instanceof Literal l && l.value() instanceof String s) {
            if (s.contains("(?P=")) throw new Unconvertible(e.pos(), "a named back-reference (?P=...) in a regular expression");
            return str(s.replace("(?P<", "(?<"));
        }
        return expr(e);
    }

    /** A Python replacement (\1, \g<1>, \g<name>) as a Java one ($1, ${name}); a literal $ escaped. */
    private String replacementLiteral(Expr e) {
        if (!(e instanceof Literal l && l.value() instanceof String s)) throw new Unconvertible(e.pos(), "a regex_replace replacement that is not a constant");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '$') b.append("\\$");
            else if (c == '\\' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1))) b.append('$').append(s.charAt(++i));
            else if (c == '\\' && s.startsWith("\\g<", i)) {
                int close = s.indexOf('>', i);
                String g = s.substring(i + 3, close);
                b.append(g.chars().allMatch(Character::isDigit) ? "$" + g : "${" + g + "}");
                i = close;
            } else if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '\\') {
                b.append("\\\\");
                i++;
            } else b.append(c);
        }
        return str(b.toString());
    }

    /** The lambda of map / select / reject / selectattr / rejectattr. */
    private String lambda(Filter f, List<Expr> args, Map<String, Expr> kw, String kind) {
        String v = "x" + (++lambdas);
        Pos p = f.pos();
        try {
            Expr subject = new Name(p, v);
            List<Expr> rest = args;
            if (kind.equals("map")) {
                if (kw.containsKey("attribute")) {
                    if (kw.size() != 1 || !args.isEmpty()) throw new Unconvertible(p, "map with attribute and other arguments");
                    return v + " -> " + expr(attrPath(subject, kw.get("attribute")));
                }
                if (args.isEmpty()) throw new Unconvertible(p, "map without a filter");
                if (!(args.get(0) instanceof Literal l && l.value() instanceof String filter)) throw new Unconvertible(p, "map's filter is not a constant");
                if (filter.equals("attribute")) {
                    if (args.size() != 2) throw new Unconvertible(p, "map('attribute', NAME) takes one name");
                    return v + " -> " + expr(attrPath(subject, args.get(1)));
                }
                return v + " -> " + expr(new Filter(p, subject, filter, args.subList(1, args.size()), kw));
            }
            if (!kw.isEmpty()) throw new Unconvertible(p, kind + " with keyword arguments");
            if (kind.endsWith("attr")) {
                if (args.isEmpty()) throw new Unconvertible(p, kind + " without an attribute");
                subject = attrPath(subject, args.get(0));
                rest = args.subList(1, args.size());
            }
            boolean negate = kind.startsWith("reject");
            String body;
            if (rest.isEmpty()) {
                body = "truthy(" + (subject instanceof Attr ? "(" + expr(subject) + ")!\"\"" : expr(subject)) + ")";
            } else {
                if (!(rest.get(0) instanceof Literal l && l.value() instanceof String test)) throw new Unconvertible(p, kind + "'s test is not a constant");
                body = expr(new IsTest(p, subject, test, rest.subList(1, rest.size()), false));
            }
            return v + " -> " + (negate ? "!(" + body + ")" : body);
        } finally {
            lambdas--;
        }
    }

    private static Expr attrPath(Expr subject, Expr attribute) {
        if (!(attribute instanceof Literal l && l.value() instanceof String s)) throw new Unconvertible(attribute.pos(), "an attribute name that is not a constant");
        Expr out = subject;
        for (String part : s.split("\\.")) {
            out = part.matches("\\d+") ? new Item(attribute.pos(), out, new Literal(attribute.pos(), Long.parseLong(part))) : new Attr(attribute.pos(), out, part);
        }
        return out;
    }

    private String test(IsTest t) {
        String body = testBody(t);
        if (!t.negated()) return body;
        return body.startsWith("!") && body.endsWith("??") ? body.substring(1) : body.endsWith("??") ? "!" + body : "!(" + body + ")";
    }

    private String testBody(IsTest t) {
        String name = shortName(t.name());
        List<Expr> args = t.args();
        String x = atomOf(t.target());
        String whole = "(" + expr(t.target()) + ")";
        switch (name) {
            case "defined": return whole + "??";
            case "undefined": return "!" + whole + "??";
            case "none": throw new Unconvertible(t.pos(), "'is none': FreeMarker has no null (a null and an undefined variable are both missing in rig, "
                    + "and Jinja2 tells them apart); write 'is not defined' if that is meant");
            case "string": return x + "?is_string";
            case "number": return x + "?is_number";
            case "integer": return "is_integer(" + expr(t.target()) + ")";
            case "float": return "is_float(" + expr(t.target()) + ")";
            case "boolean": return x + "?is_boolean";
            case "mapping": return x + "?is_hash_ex";
            case "sequence", "iterable": return "(" + x + "?is_sequence || " + x + "?is_string || " + x + "?is_hash_ex)";
            case "true": return "(" + x + "?is_boolean && " + x + ")";
            case "false": return "(" + x + "?is_boolean && !" + x + ")";
            case "even": return x + " % 2 == 0";
            case "odd": return x + " % 2 != 0"; // -3 % 2 is -1 in FreeMarker, 1 in Python
            case "lower": return x + " == " + x + "?lower_case";
            case "upper": return x + " == " + x + "?upper_case";
            case "succeeded", "success": return "!" + x + ".failed";
            case "failed", "failure": return x + ".failed";
            case "changed", "change": return x + ".changed";
            case "skipped", "skip": return "(" + x + ".skipped)!false";
            default: break;
        }
        if (args.size() != 1) throw new Unconvertible(t.pos(), "the test '" + t.name() + "'" + (args.isEmpty() ? "" : " with " + args.size() + " arguments") + " has no rig equivalent");
        String a = expr(args.get(0));
        String ao = operand(args.get(0));
        return switch (name) {
            case "divisibleby" -> x + " % " + ao + " == 0";
            case "equalto", "eq", "==", "sameas" -> operand(t.target()) + " == " + ao;
            case "ne", "!=" -> operand(t.target()) + " != " + ao;
            case "lt", "<" -> operand(t.target()) + " < " + ao;
            case "le", "<=" -> operand(t.target()) + " <= " + ao;
            case "gt", ">", "greaterthan" -> operand(t.target()) + (inDirective ? " gt " : " > ") + ao;
            case "ge", ">=" -> operand(t.target()) + (inDirective ? " gte " : " >= ") + ao;
            case "in" -> "contains(" + a + ", " + expr(t.target()) + ")";
            case "contains" -> "contains(" + expr(t.target()) + ", " + a + ")";
            case "match" -> "regex_match(" + expr(t.target()) + ", " + regexLiteral(args.get(0)) + ")";
            case "search", "regex" -> "regex_search(" + expr(t.target()) + ", " + regexLiteral(args.get(0)) + ")?has_content";
            default -> throw new Unconvertible(t.pos(), "the test '" + t.name() + "' has no rig equivalent");
        };
    }
}
