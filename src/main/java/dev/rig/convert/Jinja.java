package dev.rig.convert;

import java.util.List;
import java.util.Map;

/** The syntax tree of a Jinja2 template or expression, as Ansible writes them; positions are 1-based within the parsed text. */
public final class Jinja {
    private Jinja() {}

    public record Pos(int line, int column) {}

    /** An expression. */
    public sealed interface Expr permits Literal, Name, Attr, Item, Slice, Filter, IsTest, Binary, Unary, Cond, ListLit, DictLit, Call {
        Pos pos();
    }

    /** A string, integer (Long), float (Double), boolean or none (null value). */
    public record Literal(Pos pos, Object value) implements Expr {}

    public record Name(Pos pos, String name) implements Expr {}

    /** {@code target.name}. */
    public record Attr(Pos pos, Expr target, String name) implements Expr {}

    /** {@code target[index]}. */
    public record Item(Pos pos, Expr target, Expr index) implements Expr {}

    /** {@code target[start:stop]} (either may be null). */
    public record Slice(Pos pos, Expr target, Expr start, Expr stop) implements Expr {}

    /** {@code target | name(args, key=value)}. */
    public record Filter(Pos pos, Expr target, String name, List<Expr> args, Map<String, Expr> kwargs) implements Expr {}

    /** {@code target is [not] name(args)}. */
    public record IsTest(Pos pos, Expr target, String name, List<Expr> args, boolean negated) implements Expr {}

    /** and, or, ==, !=, <, <=, >, >=, in, not in, +, -, *, /, //, %, **, ~. */
    public record Binary(Pos pos, String op, Expr left, Expr right) implements Expr {}

    /** not, - (negation), +. */
    public record Unary(Pos pos, String op, Expr operand) implements Expr {}

    /** {@code then if test else otherwise}; otherwise may be null. */
    public record Cond(Pos pos, Expr test, Expr then, Expr otherwise) implements Expr {}

    public record ListLit(Pos pos, List<Expr> items) implements Expr {}

    public record DictLit(Pos pos, List<Map.Entry<Expr, Expr>> entries) implements Expr {}

    /** {@code fn(args, key=value)}: a function or method call (lookup(), range(), x.items()). */
    public record Call(Pos pos, Expr fn, List<Expr> args, Map<String, Expr> kwargs) implements Expr {}

    /** A piece of a template. */
    public sealed interface Node permits Text, Output, If, For, Assign, SetBlock, Comment {
        Pos pos();
    }

    /** Literal text (raw blocks included), after whitespace control. */
    public record Text(Pos pos, String text) implements Node {}

    /** {@code {{ expr }}}. */
    public record Output(Pos pos, Expr expr) implements Node {}

    public record Branch(Pos pos, Expr test, List<Node> body) {}

    /** if / elif... / else (otherwise may be empty). */
    public record If(Pos pos, List<Branch> branches, List<Node> otherwise) implements Node {}

    /** {@code for targets in iter [if filter]} ... [else] ... endfor. */
    public record For(Pos pos, List<String> targets, Expr iter, Expr filter, List<Node> body, List<Node> otherwise) implements Node {}

    /** {@code set name = expr}. */
    public record Assign(Pos pos, String name, Expr value) implements Node {}

    /** {@code set name} ... endset. */
    public record SetBlock(Pos pos, String name, List<Node> body) implements Node {}

    public record Comment(Pos pos, String text) implements Node {}
}
