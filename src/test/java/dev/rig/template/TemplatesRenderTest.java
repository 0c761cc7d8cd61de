package dev.rig.template;

import dev.rig.core.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Interpolation, native values of single expressions, number/boolean formatting and the $${ escape. */
class TemplatesRenderTest {
    private static final Source SRC = new Source("play.yml", 4, 7);

    private final Templates templates = new Templates();

    private static Map<String, Object> vars() {
        Map<String, Object> v = new HashMap<>();
        v.put("name", "web1");
        v.put("port", 8080);
        v.put("big", 1234567);
        v.put("huge", 10_000_000_000L);
        v.put("ratio", 0.5);
        v.put("on", true);
        v.put("off", false);
        v.put("hosts", List.of("a", "b", "c"));
        Map<String, Object> db = new LinkedHashMap<>();
        db.put("host", "db1");
        db.put("port", 5432);
        v.put("db", db);
        v.put("X", 1);
        return v;
    }

    private Object value(String s) {
        return templates.renderValue(s, SRC, vars());
    }

    @Test
    void plainStringsAreReturnedUntouched() {
        String s = "no templates here: $HOME, {braces}, $$ and a lone $";
        assertSame(s, value(s));
        assertEquals("", value(""));
        assertFalse(Templates.isTemplated("$HOME {x}"));
        assertTrue(Templates.isTemplated("a ${x}"));
        assertTrue(Templates.isTemplated("<#if x>y</#if>"));
    }

    @Test
    void interpolatesInsideStrings() {
        assertEquals("host web1 listens on 8080", value("host ${name} listens on ${port}"));
        assertEquals("db1:5432", value("${db.host}:${db['port']}"));
        assertEquals("web18080", value("${name}${port}"));
        assertEquals("a,b,c,", value("<#list hosts as h>${h},</#list>"));
    }

    @Test
    void singleExpressionYieldsNativeValues() {
        assertEquals(8080, value("${port}"));
        assertInstanceOf(Integer.class, value("${port}"));
        assertEquals(Boolean.TRUE, value("${on}"));
        assertEquals(Boolean.FALSE, value("${off}"));
        assertEquals(List.of("a", "b", "c"), value("${hosts}"));
        assertInstanceOf(List.class, value("${hosts}"));
        assertEquals(Map.of("host", "db1", "port", 5432), value("${db}"));
        assertEquals("web1", value("${name}"));
        assertEquals(10_000_000_000L, value("${huge}"));
    }

    @Test
    void surroundingWhitespaceIsPartOfTheValue() {
        // content: "${count}\n" must keep its newline: only a string that is exactly ${...} is native
        assertEquals("8080\n", value("${port}\n"));
        assertEquals(" 8080", value(" ${port}"));
        assertEquals("web1\n", value("${name}\n"));
        assertEquals("3\n", value("${hosts?size}\n"));
    }

    @Test
    void computedExpressionsYieldNumbersAndBooleans() {
        assertEquals(8081, ((Number) value("${port + 1}")).intValue());
        assertEquals(Boolean.TRUE, value("${port == 8080}"));
        assertEquals(List.of("a", "b"), value("${hosts[0..1]}"));
        assertEquals("}", value("${'}'}"));
        assertEquals(1, ((Number) value("${ {'k': 1}['k'] }")).intValue());
    }

    @Test
    void aClosingBraceLaterInTheStringDoesNotMakeItASingleExpression() {
        // Starts with ${ and ends with }, but the first ${...} closes earlier: this is text.
        assertEquals("8080 {y}", value("${port} {y}"));
        assertEquals("8080}", value("${port}}"));
        assertEquals("web1 ps --format {{.Names}}", value("${name} ps --format {{.Names}}"));
    }

    @Test
    void numbersPrintWithoutGroupingOrLocale() {
        assertEquals(1234567, value("${big}"), "a single expression keeps its number");
        assertEquals("n=1234567 h=10000000000 r=0.5 p=8080", value("n=${big} h=${huge} r=${ratio} p=${port}"));
        assertEquals("8081", value("${port + 1}x").toString().replace("x", ""));
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            Templates german = new Templates();
            assertEquals("1234567 0.5", german.render("${big} ${ratio}", SRC, vars()));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void booleansPrintTrueAndFalse() {
        assertEquals("on=true off=false", value("on=${on} off=${off}"));
        assertEquals("true", templates.render("${port == 8080}", SRC, vars()));
    }

    @Test
    void mapsAndListsAreWalkedRecursively() {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("dest", "/srv/${name}/conf");
        in.put("ports", List.of("${port}", 22, "x${X}"));
        in.put("nested", Map.of("flag", "${on}"));
        in.put("n", 3);
        Object out = templates.renderValue(in, SRC, vars());
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("dest", "/srv/web1/conf");
        expected.put("ports", List.of(8080, 22, "x1"));
        expected.put("nested", Map.of("flag", true));
        expected.put("n", 3);
        assertEquals(expected, out);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(((Map<?, ?>) out).keySet()), "order kept");
        assertEquals(null, templates.renderValue(null, SRC, vars()));
        assertEquals(42, templates.renderValue(42, SRC, vars()));
    }

    @Test
    void doubleDollarBraceIsALiteralDollarBrace() {
        assertEquals("${HOME}", value("$${HOME}"));
        assertEquals("echo ${HOME}/bin on web1", value("echo $${HOME}/bin on ${name}"));
        assertEquals("image: postgres:${PG_VERSION:-16}", value("image: postgres:$${PG_VERSION:-16}"));
        // The rule is applied left to right: the first "$${" is the escape, so "$$${X}" is "$" then a literal "${X}".
        assertEquals("$${X}", value("$$${X}"));
        // A literal dollar followed by a value is written with FreeMarker's own escape.
        assertEquals("$1", value("${'$'}${X}"));
        assertEquals(Map.of("env", "A=${A}"), templates.renderValue(Map.of("env", "A=$${A}"), SRC, vars()));
        // No variable named HOME is needed: nothing is evaluated.
        assertEquals("${UNDEFINED_THING}", templates.render("$${UNDEFINED_THING}", SRC, Map.of()));
    }

    @Test
    void doubleDollarBraceInATemplateFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("compose.yml.ftl");
        Files.writeString(f, "services:\n  app:\n    image: app:$${TAG}\n    ports: [\"${port}:80\"]\n");
        assertEquals("services:\n  app:\n    image: app:${TAG}\n    ports: [\"8080:80\"]\n", templates.renderFile(f, vars()));
    }

    @Test
    void renderFileInterpolatesAndLoops(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("hosts.ftl");
        Files.writeString(f, "<#list hosts as h>\n${h} ${port}\n</#list>\ncount=${big}\n");
        assertEquals("a 8080\nb 8080\nc 8080\ncount=1234567\n", templates.renderFile(f, vars()));
    }

    @Test
    void evaluateReturnsNativeValue() {
        assertEquals(List.of("a", "b", "c"), templates.evaluate("hosts", SRC, vars()));
        assertEquals(new BigDecimal("3"), new BigDecimal(templates.evaluate("1 + 2", SRC, vars()).toString()));
        assertEquals("db1", templates.evaluate("db.host", SRC, vars()));
    }
}
