package dev.rig.convert;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.core.Source;
import dev.rig.template.Templates;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each template of jinja-cases.json converted to FreeMarker and rendered by rig gives exactly what the
 * real Jinja2 with Ansible's filters gave (jinja_oracle.py wrote the expected strings).
 */
class FreeMarkerEmitterTest {
    private final Templates templates = new Templates();

    @SuppressWarnings("unchecked")
    @TestFactory
    List<DynamicTest> convertedTemplatesRenderAsJinja2Did() throws Exception {
        Map<String, Object> data;
        try (InputStream in = getClass().getResourceAsStream("/convert/jinja-cases.json")) {
            data = new ObjectMapper().readValue(in, Map.class);
        }
        Map<String, Object> vars = (Map<String, Object>) data.get("vars");
        List<DynamicTest> tests = new ArrayList<>();
        for (Map<String, String> c : (List<Map<String, String>>) data.get("cases")) {
            String jinja = c.get("template");
            tests.add(DynamicTest.dynamicTest(jinja.replace("\n", "\\n"), () -> {
                String ftl = new FreeMarkerEmitter().template(JinjaParser.parseTemplate(jinja, true));
                String rendered = templates.render(ftl, new Source("case.ftl", 1, 1), vars);
                assertEquals(c.get("expected"), rendered, () -> "converted to: " + ftl);
            }));
        }
        assertTrue(tests.size() >= 50);
        return tests;
    }

    private static String cond(String jinja) {
        return new FreeMarkerEmitter().expression(JinjaParser.parseExpression(jinja));
    }

    @Test
    void conditionsBecomeFreeMarkerBooleanExpressions() {
        assertEquals("(x)?? && !(y)??", cond("x is defined and y is not defined"));
        assertEquals("port > 80 || !truthy(flag)", cond("port > 80 or not flag"));
        assertEquals("truthy(users) && port gte 80", cond("users and port >= 80"));
        assertEquals("result.changed", cond("result is changed"));
        assertEquals("!result.failed", cond("result is succeeded"));
        assertEquals("contains(group_names, \"web\")", cond("'web' in group_names"));
        assertEquals("to_bool(enable)", cond("enable | bool"));
    }

    @Test
    void whatRigCannotDoIsNamedWithItsPosition() {
        Unconvertible u = assertThrows(Unconvertible.class, () -> cond("x and lookup('file', '/etc/hosts')"));
        assertEquals(new Jinja.Pos(1, 13), u.pos());
        assertTrue(u.getMessage().contains("lookup plugin"), u.getMessage());
        u = assertThrows(Unconvertible.class, () -> cond("x | my_custom_filter"));
        assertTrue(u.getMessage().contains("my_custom_filter"), u.getMessage());
        u = assertThrows(Unconvertible.class, () -> cond("x | default(omit)"));
        assertTrue(u.getMessage().contains("omit"), u.getMessage());
        u = assertThrows(Unconvertible.class, () -> cond("2 ** 8"));
        assertTrue(u.getMessage().contains("**"), u.getMessage());
        u = assertThrows(Unconvertible.class, () -> cond("'%d' % port == '1'"));
        assertTrue(u.getMessage().contains("'%' string formatting"), u.getMessage());
        for (String none : List.of("x is none", "x is not none", "x == none", "none != x")) {
            u = assertThrows(Unconvertible.class, () -> cond(none), none);
            assertTrue(u.getMessage().contains("no null"), u.getMessage());
        }
    }

    @Test
    void aSetInsideALoopIsReportedWhenItsNameIsUsedOutsideTheLoop() {
        Unconvertible u = assertThrows(Unconvertible.class, () -> new FreeMarkerEmitter().template(JinjaParser.parseTemplate(
                "{% set found = false %}{% for x in xs %}{% if x == 1 %}{% set found = true %}{% endif %}{% endfor %}{{ found }}", true)));
        assertTrue(u.getMessage().contains("inside a loop"), u.getMessage());
        assertEquals(new Jinja.Pos(1, 56), u.pos());
        // used only inside the loop: the same under both scopings
        assertEquals("<#ftl strip_whitespace=false><#list xs as x><#assign sq = x * x>${sq}</#list>",
                new FreeMarkerEmitter().template(JinjaParser.parseTemplate("{% for x in xs %}{% set sq = x * x %}{{ sq }}{% endfor %}", true)));
    }

    @Test
    void literalDollarBraceIsEscapedForRig() {
        assertEquals("echo $${HOME} ${user}", new FreeMarkerEmitter().value(JinjaParser.parseTemplate("echo ${HOME} {{ user }}", true)));
    }
}
