package dev.rig.convert;

import dev.rig.convert.Jinja.*;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The Jinja2 parser, one construct at a time, against the tree Jinja2's own grammar gives. */
class JinjaParserTest {
    static String s(Expr e) {
        if (e instanceof Literal l) return l.value() instanceof String str ? "'" + str + "'" : String.valueOf(l.value());
        if (e instanceof Name n) return n.name();
        if (e instanceof Attr a) return "(. " + s(a.target()) + " " + a.name() + ")";
        if (e instanceof Item i) return "([] " + s(i.target()) + " " + s(i.index()) + ")";
        if (e instanceof Slice sl) return "([:] " + s(sl.target()) + " " + (sl.start() == null ? "_" : s(sl.start())) + " " + (sl.stop() == null ? "_" : s(sl.stop())) + ")";
        if (e instanceof Filter f) return "(| " + s(f.target()) + " " + f.name() + args(f.args(), f.kwargs()) + ")";
        if (e instanceof IsTest t) return "(is" + (t.negated() ? "-not " : " ") + s(t.target()) + " " + t.name() + args(t.args(), Map.of()) + ")";
        if (e instanceof Binary b) return "(" + b.op() + " " + s(b.left()) + " " + s(b.right()) + ")";
        if (e instanceof Unary u) return "(" + u.op() + " " + s(u.operand()) + ")";
        if (e instanceof Cond c) return "(if " + s(c.test()) + " " + s(c.then()) + " " + (c.otherwise() == null ? "_" : s(c.otherwise())) + ")";
        if (e instanceof ListLit l) return "[" + l.items().stream().map(JinjaParserTest::s).collect(Collectors.joining(" ")) + "]";
        if (e instanceof DictLit d) return "{" + d.entries().stream().map(en -> s(en.getKey()) + ":" + s(en.getValue())).collect(Collectors.joining(" ")) + "}";
        Call c = (Call) e;
        return "(call " + s(c.fn()) + args(c.args(), c.kwargs()) + ")";
    }

    static String args(List<Expr> args, Map<String, Expr> kw) {
        StringBuilder b = new StringBuilder();
        args.forEach(a -> b.append(' ').append(s(a)));
        kw.forEach((k, v) -> b.append(' ').append(k).append('=').append(s(v)));
        return b.toString();
    }

    static String t(List<Node> nodes) {
        return nodes.stream().map(JinjaParserTest::t).collect(Collectors.joining(" "));
    }

    static String t(Node n) {
        if (n instanceof Text x) return "T" + quoted(x.text());
        if (n instanceof Output o) return "{" + s(o.expr()) + "}";
        if (n instanceof Comment c) return "#" + quoted(c.text());
        if (n instanceof Assign a) return "(set " + a.name() + " " + s(a.value()) + ")";
        if (n instanceof SetBlock sb) return "(setblock " + sb.name() + " " + t(sb.body()) + ")";
        if (n instanceof If i) {
            return "(if" + i.branches().stream().map(b -> " " + s(b.test()) + " [" + t(b.body()) + "]").collect(Collectors.joining())
                    + (i.otherwise().isEmpty() ? "" : " else [" + t(i.otherwise()) + "]") + ")";
        }
        For f = (For) n;
        return "(for " + String.join(",", f.targets()) + " " + s(f.iter()) + (f.filter() == null ? "" : " if " + s(f.filter()))
                + " [" + t(f.body()) + "]" + (f.otherwise().isEmpty() ? "" : " else [" + t(f.otherwise()) + "]") + ")";
    }

    static String quoted(String s) {
        return "'" + s.replace("\n", "\\n") + "'";
    }

    static String e(String src) {
        return s(JinjaParser.parseExpression(src));
    }

    static String tpl(String src) {
        return t(JinjaParser.parseTemplate(src, true));
    }

    @Test
    void literals() {
        assertEquals("'a\"b'", e("'a\"b'"));
        assertEquals("'x\ny'", e("\"x\\ny\""));
        assertEquals("42", e("42"));
        assertEquals("1.5", e("1.5"));
        assertEquals("true", e("True"));
        assertEquals("false", e("false"));
        assertEquals("null", e("none"));
        assertEquals("'ab'", e("'a' 'b'"));
    }

    @Test
    void namesAttributesSubscripts() {
        assertEquals("(. (. ansible_facts default_ipv4) address)", e("ansible_facts.default_ipv4.address"));
        assertEquals("([] (. hostvars x) 'y')", e("hostvars.x['y']"));
        assertEquals("([] xs 0)", e("xs.0"));
        assertEquals("([:] xs 1 _)", e("xs[1:]"));
        assertEquals("([:] xs _ 2)", e("xs[:2]"));
    }

    @Test
    void filtersWithArguments() {
        assertEquals("(| (| x default 'a') upper)", e("x | default('a') | upper"));
        assertEquals("(| xs map 'attribute' 'name')", e("xs|map('attribute', 'name')"));
        assertEquals("(| xs sort attribute='n' reverse=true)", e("xs | sort(attribute='n', reverse=true)"));
        assertEquals("(| x ansible.builtin.to_json)", e("x | ansible.builtin.to_json"));
        // unary minus binds tighter than a filter, as in Jinja2 3 (Filter(Neg(x)))
        assertEquals("(| (- x) abs)", e("-x|abs"));
    }

    @Test
    void testsIsAndIsNot() {
        assertEquals("(is x defined)", e("x is defined"));
        assertEquals("(is-not x defined)", e("x is not defined"));
        assertEquals("(not (is x defined))", e("not x is defined"));
        assertEquals("(is x divisibleby 3)", e("x is divisibleby 3"));
        assertEquals("(is x match '^a')", e("x is match('^a')"));
        assertEquals("(and (is x defined) y)", e("x is defined and y"));
    }

    @Test
    void inAndComparisons() {
        assertEquals("(in 'web' group_names)", e("'web' in group_names"));
        assertEquals("(not in x ys)", e("x not in ys"));
        assertEquals("(and (< 1 x) (<= x 3))", e("1 < x <= 3"));
        assertEquals("(!= (| a int) 2)", e("a|int != 2"));
    }

    @Test
    void booleanPrecedence() {
        assertEquals("(or a (and b (not c)))", e("a or b and not c"));
        assertEquals("(and (or a b) c)", e("(a or b) and c"));
    }

    @Test
    void arithmeticAndConcat() {
        assertEquals("(+ 1 (* 2 3))", e("1 + 2 * 3"));
        assertEquals("(+ a (~ 1 b))", e("a + 1 ~ b")); // Jinja2: Add(a, Concat(1, b))
        assertEquals("(// a 2)", e("a // 2"));
        assertEquals("(** 2 3)", e("2 ** 3"));
        assertEquals("(% a 2)", e("a % 2"));
    }

    @Test
    void inlineIfElse() {
        assertEquals("(if c 'a' 'b')", e("'a' if c else 'b'"));
        assertEquals("(if c 'a' _)", e("'a' if c"));
    }

    @Test
    void listDictLiteralsAndCalls() {
        assertEquals("[1 'a' [b]]", e("[1, 'a', [b],]"));
        assertEquals("{'k':v 'n':1}", e("{'k': v, 'n': 1}"));
        assertEquals("(call lookup 'env' 'HOME')", e("lookup('env', 'HOME')"));
        assertEquals("(call (. d items))", e("d.items()"));
        assertEquals("(call range 3)", e("range(3)"));
    }

    @Test
    void syntaxErrorsCarryPositions() {
        JinjaSyntaxError err = assertThrows(JinjaSyntaxError.class, () -> JinjaParser.parseExpression("a and"));
        assertEquals(new Pos(1, 6), err.pos());
        err = assertThrows(JinjaSyntaxError.class, () -> JinjaParser.parseTemplate("x\n{% if a %}y", true));
        assertEquals(2, err.pos().line());
        err = assertThrows(JinjaSyntaxError.class, () -> JinjaParser.parseTemplate("ok {{ a ", true));
        assertEquals(new Pos(1, 4), err.pos());
    }

    @Test
    void textAndOutput() {
        assertEquals("T'port=' {(| p default 80)} T'\\n'", tpl("port={{ p | default(80) }}\n"));
        // a '}}' inside a string or a dict literal does not close the tag
        assertEquals("{'}}'} {{'a':1}}", tpl("{{ '}}' }}{{ {'a': 1} }}"));
    }

    @Test
    void ifElifElse() {
        assertEquals("(if a [T'A'] b [T'B'] else [T'C'])", tpl("{% if a %}A{% elif b %}B{% else %}C{% endif %}"));
    }

    @Test
    void forWithElseFilterAndPairs() {
        assertEquals("(for x xs if (> x 1) [{(. loop index)}] else [T'none'])", tpl("{% for x in xs if x > 1 %}{{ loop.index }}{% else %}none{% endfor %}"));
        assertEquals("(for k,v (call (. d items)) [{k}])", tpl("{% for k, v in d.items() %}{{ k }}{% endfor %}"));
    }

    @Test
    void setAndBlockSet() {
        assertEquals("(set n (+ a 1)) (setblock body T'x' {a})", tpl("{% set n = a + 1 %}{% set body %}x{{ a }}{% endset %}"));
    }

    @Test
    void rawAndComments() {
        assertEquals("T'{{ not parsed }} {% if %}' #' note '", tpl("{% raw %}{{ not parsed }} {% if %}{% endraw %}{# note #}"));
    }

    @Test
    void trimBlocksDropsTheNewlineAfterABlockTagOnly() {
        assertEquals("(if a [T'x\\n']) T'  ' {'y'} T'\\n'", tpl("{% if a %}\nx\n{% endif %}\n  {{ 'y' }}\n"));
        assertEquals("(if a [T'\\nx\\n']) T'\\n'", t(JinjaParser.parseTemplate("{% if a %}\nx\n{% endif %}\n", false)));
    }

    @Test
    void whitespaceControlWithDash() {
        assertEquals("T'a' {x} T'b'", tpl("a  \n  {{- x -}}  \n b"));
        assertEquals("T'a' (if c [T'y']) T'z'", tpl("a\n  {%- if c -%}\n  y\n  {%- endif -%}\n z"));
        assertEquals("T'a' #' c ' T'b'", tpl("a \n{#- c -#}\n b"));
    }
}
