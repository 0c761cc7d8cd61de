package dev.rig.template;

import dev.rig.core.InputError;
import dev.rig.core.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Undefined variables, syntax errors and non-boolean conditions: each names what and where (file:line:column). */
class TemplatesErrorsTest {
    private final Templates templates = new Templates();
    private static final Map<String, Object> VARS = Map.of("x", 1, "port", 8080, "name", "web1", "db", Map.of("host", "db1"));

    private static void assertAt(Source expected, TemplateError e) {
        assertEquals(expected, e.source(), e.getMessage());
    }

    // ---- undefined variables ----

    @Test
    void undefinedVariableOnTheFirstLineOfAValue() {
        Source src = new Source("group_vars/all.yml", 10, 7);
        TemplateError e = assertThrows(TemplateError.class, () -> templates.renderValue("abc ${foo}", src, VARS));
        assertEquals("undefined variable 'foo'", e.problem());
        // value column 7 ('f' of foo) inside a value that starts at column 7
        assertAt(new Source("group_vars/all.yml", 10, 13), e);
        assertEquals("group_vars/all.yml:10:13: undefined variable 'foo'", e.getMessage());
    }

    @Test
    void undefinedVariableOnALaterLineOfAMultiLineValue() {
        Source src = new Source("play.yml", 10, 7);
        TemplateError e = assertThrows(TemplateError.class,
                () -> templates.renderValue("first line\n  second ${foo} end\nthird", src, VARS));
        assertEquals("undefined variable 'foo'", e.problem());
        assertAt(new Source("play.yml", 11, 12), e);
    }

    @Test
    void undefinedVariableInASingleExpressionValue() {
        Source src = new Source("play.yml", 3, 9);
        TemplateError e = assertThrows(TemplateError.class, () -> templates.renderValue("${foo}", src, VARS));
        assertEquals("undefined variable 'foo'", e.problem());
        assertAt(new Source("play.yml", 3, 11), e);
    }

    @Test
    void undefinedMemberIsNamedWithItsPath() {
        Source src = new Source("play.yml", 1, 1);
        TemplateError e = assertThrows(TemplateError.class, () -> templates.renderValue("h=${db.hostname}", src, VARS));
        assertEquals("undefined variable 'db.hostname'", e.problem());
        assertAt(new Source("play.yml", 1, 5), e);
    }

    @Test
    void undefinedVariableAfterAnEscapeKeepsItsColumn() {
        Source src = new Source("play.yml", 1, 1);
        TemplateError e = assertThrows(TemplateError.class, () -> templates.renderValue("$${HOME} ${foo}", src, VARS));
        assertEquals("undefined variable 'foo'", e.problem());
        assertAt(new Source("play.yml", 1, 12), e);
    }

    @Test
    void undefinedVariableInATemplateFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("app.conf.ftl");
        Files.writeString(f, "line one\nport: ${port}\n  host: ${hostname}\n");
        TemplateError e = assertThrows(TemplateError.class, () -> templates.renderFile(f, VARS));
        assertEquals("undefined variable 'hostname'", e.problem());
        assertAt(new Source(f.toString(), 3, 11), e);
        assertTrue(e.getMessage().startsWith(f + ":3:11: "), e.getMessage());
    }

    @Test
    void undefinedVariableInATemplateFileWithTabs(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("Caddyfile.ftl");
        Files.writeString(f, "site {\n\treverse_proxy ${upstream}\n}\n");
        TemplateError e = assertThrows(TemplateError.class, () -> templates.renderFile(f, VARS));
        assertEquals("undefined variable 'upstream'", e.problem());
        // a tab is one column, as in every editor's "col" and in YAML marks
        assertAt(new Source(f.toString(), 2, 18), e);
    }

    @Test
    void undefinedVariableInsideAListDirective(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("t.ftl");
        Files.writeString(f, "<#list missing_list as i>\n${i}\n</#list>\n");
        TemplateError e = assertThrows(TemplateError.class, () -> templates.renderFile(f, VARS));
        assertEquals("undefined variable 'missing_list'", e.problem());
        assertAt(new Source(f.toString(), 1, 8), e);
    }

    @Test
    void missingTemplateFileIsATemplateError(@TempDir Path dir) {
        Path f = dir.resolve("nope.ftl");
        TemplateError e = assertThrows(TemplateError.class, () -> templates.renderFile(f, VARS));
        assertTrue(e.problem().startsWith("cannot read template"), e.problem());
    }

    // ---- test(): bare boolean expressions ----

    @Test
    void testEvaluatesBareBooleanExpressions() {
        Source src = new Source("play.yml", 5, 13);
        assertTrue(templates.test("true", src, VARS));
        assertFalse(templates.test("false", src, VARS));
        assertTrue(templates.test("x == 1", src, VARS));
        assertFalse(templates.test("port != 8080", src, VARS));
        assertTrue(templates.test("name == 'web1' && (port > 80)", src, VARS));
        assertTrue(templates.test("nothing_here?? == false", src, VARS));
        assertTrue(templates.test("(undefined_var!'d') == 'd'", src, VARS));
        assertTrue(templates.test("  x == 1  ", src, VARS));
    }

    @Test
    void testRejectsNonBooleanValues() {
        Source src = new Source("play.yml", 5, 13);
        TemplateError number = assertThrows(TemplateError.class, () -> templates.test("port", src, VARS));
        assertTrue(number.problem().startsWith("expected a boolean expression"), number.problem());
        assertTrue(number.problem().contains("'port'"), number.problem());
        assertEquals(src, number.source());
        TemplateError string = assertThrows(TemplateError.class, () -> templates.test("name", src, VARS));
        assertTrue(string.problem().startsWith("expected a boolean expression"), string.problem());
        TemplateError map = assertThrows(TemplateError.class, () -> templates.test("db", src, VARS));
        assertTrue(map.problem().startsWith("expected a boolean expression"), map.problem());
        TemplateError stringTrue = assertThrows(TemplateError.class, () -> templates.test("'true'", src, VARS));
        assertTrue(stringTrue.problem().startsWith("expected a boolean expression"), stringTrue.problem());
    }

    @Test
    void testUndefinedVariableIsNamedAtItsColumn() {
        Source src = new Source("play.yml", 5, 13);
        TemplateError bare = assertThrows(TemplateError.class, () -> templates.test("foo", src, VARS));
        assertEquals("undefined variable 'foo'", bare.problem());
        assertAt(new Source("play.yml", 5, 13), bare);
        TemplateError later = assertThrows(TemplateError.class, () -> templates.test("x == 1 && foo == 2", src, VARS));
        assertEquals("undefined variable 'foo'", later.problem());
        assertAt(new Source("play.yml", 5, 23), later);
    }

    @Test
    void testSyntaxErrorHasAPosition() {
        Source src = new Source("play.yml", 5, 9);
        TemplateError e = assertThrows(TemplateError.class, () -> templates.test("x ==", src, VARS));
        assertTrue(e.problem().startsWith("template syntax error"), e.problem());
        // just after "x ==": the expression ended too early
        assertAt(new Source("play.yml", 5, 13), e);
    }

    @Test
    void testSyntaxErrorOnASecondLine() {
        Source src = new Source("play.yml", 5, 9);
        TemplateError e = assertThrows(TemplateError.class, () -> templates.test("x == 1 &&\n  x ==", src, VARS));
        assertTrue(e.problem().startsWith("template syntax error"), e.problem());
        assertAt(new Source("play.yml", 6, 7), e);
    }

    // ---- syntax errors ----

    @Test
    void syntaxErrorInAStringHasItsPosition() {
        Source src = new Source("play.yml", 4, 15);
        TemplateError e = assertThrows(TemplateError.class, () -> templates.renderValue("ab ${x +}", src, VARS));
        assertTrue(e.problem().startsWith("template syntax error"), e.problem());
        assertAt(new Source("play.yml", 4, 23), e); // the '}' at value column 9
    }

    @Test
    void syntaxErrorInASingleExpressionValuePointsInsideTheString() {
        Source src = new Source("play.yml", 4, 15);
        TemplateError e = assertThrows(TemplateError.class, () -> templates.renderValue("${x +}", src, VARS));
        assertTrue(e.problem().startsWith("template syntax error"), e.problem());
        assertAt(new Source("play.yml", 4, 20), e); // the '}' at value column 6
    }

    @Test
    void checkSyntaxReturnsPositionedErrors() {
        Source src = new Source("play.yml", 7, 14);
        assertEquals(List.of(), templates.checkSyntax("fine ${x} and <#if x == 1>one</#if>", src));
        assertEquals(List.of(), templates.checkSyntax("$${literal}", src));
        List<InputError> one = templates.checkSyntax("ab ${x +}", src);
        assertEquals(1, one.size());
        assertEquals(new Source("play.yml", 7, 22), one.get(0).source());
        assertTrue(one.get(0).message().startsWith("template syntax error"), one.get(0).message());
        List<InputError> second = templates.checkSyntax("ab\n  ${x +}", src);
        assertEquals(new Source("play.yml", 8, 8), second.get(0).source());
        List<InputError> unclosed = templates.checkSyntax("<#if x>\nyes\n", src);
        assertEquals(1, unclosed.size());
        assertTrue(unclosed.get(0).message().startsWith("template syntax error"), unclosed.get(0).message());
    }

    @Test
    void checkSyntaxOfAFileContentStartsAtLineOneColumnOne() {
        Source src = new Source("roles/app/templates/app.conf.ftl", 1, 1);
        List<InputError> errors = templates.checkSyntax("a\nb\n\tport ${port +}\n", src);
        assertEquals(List.of(new Source("roles/app/templates/app.conf.ftl", 3, 15)), errors.stream().map(InputError::source).toList());
    }

    @Test
    void checkExpressionReturnsPositionedErrors() {
        Source src = new Source("play.yml", 9, 13);
        assertEquals(List.of(), templates.checkExpression("x == 1 && name?has_content", src));
        assertEquals(List.of(), templates.checkExpression("undefined_is_fine_here", src));
        List<InputError> e = templates.checkExpression("x +", src);
        assertEquals(1, e.size());
        assertEquals(new Source("play.yml", 9, 16), e.get(0).source());
        List<InputError> two = templates.checkExpression("x ==\n 1 +", src);
        assertEquals(new Source("play.yml", 10, 5), two.get(0).source());
        List<InputError> bad = templates.checkExpression("x = = 1", src);
        assertEquals(1, bad.size());
        assertEquals(9, bad.get(0).source().line());
        assertTrue(bad.get(0).source().column() >= 13 && bad.get(0).source().column() <= 19, bad.get(0).toString());
    }

    @Test
    void aBrokenTemplateIsNotCachedAsGood() {
        Source src = new Source("play.yml", 1, 1);
        assertEquals(1, templates.checkSyntax("${x +}", src).size());
        assertEquals(1, templates.checkSyntax("${x +}", src).size());
        assertThrows(TemplateError.class, () -> templates.render("a ${x +}", src, VARS));
    }
}
