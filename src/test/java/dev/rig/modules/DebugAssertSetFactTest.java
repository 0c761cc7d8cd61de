package dev.rig.modules;

import dev.rig.template.KnownAfterApplyException;
import dev.rig.template.TemplateError;
import dev.rig.template.UnknownValue;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.rig.modules.ModuleTests.args;
import static dev.rig.modules.ModuleTests.ctx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The modules that never touch a host: no probe, never a change. */
class DebugAssertSetFactTest {
    private final DebugModule debug = new DebugModule();
    private final AssertModule assertModule = new AssertModule();
    private final SetFactModule setFact = new SetFactModule();

    private static void assertOkWithoutChange(Outcome o) {
        assertFalse(o.failed(), o::message);
        assertFalse(o.change().changes());
    }

    // --- debug ------------------------------------------------------------------------------

    @Test
    void debugShowsAStringMessageAsIs() {
        Outcome o = debug.plan(args("msg", "deployed 3 containers"), null, ctx());
        assertOkWithoutChange(o);
        assertEquals("deployed 3 containers", o.message());
        assertEquals("deployed 3 containers", o.result().get("msg"));
        assertNull(debug.probe(args("msg", "x"), ctx()));
    }

    @Test
    void debugShowsOtherValuesAsJson() {
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("ports", List.of(80, 443));
        msg.put("tls", true);
        assertEquals("{\"ports\":[80,443],\"tls\":true}", debug.plan(args("msg", msg), null, ctx()).message());
        assertEquals("Hello world!", debug.plan(args(), null, ctx()).message());
    }

    @Test
    void debugVarShowsAVariableOrAPathIntoIt() {
        ModuleContext ctx = ctx(Map.of("result", Map.of("stdout", "hi", "rc", 0), "port", 8080));
        assertEquals("{\"port\":8080}", debug.plan(args("var", "port"), null, ctx).message());
        Outcome o = debug.plan(args("var", "result.stdout"), null, ctx);
        assertOkWithoutChange(o);
        assertEquals("{\"result.stdout\":\"hi\"}", o.message());
        assertEquals("hi", o.result().get("result.stdout"));
    }

    @Test
    void debugVarThatIsUndefinedSaysSoWithoutFailing() {
        Outcome o = debug.plan(args("var", "nope"), null, ctx());
        assertOkWithoutChange(o);
        assertEquals("{\"nope\":\"" + DebugModule.NOT_DEFINED + "\"}", o.message());
    }

    @Test
    void debugVarKnownOnlyAfterApplySaysSo() {
        ModuleContext ctx = ctx(Map.of("later", new UnknownValue("register of task 'build'")));
        assertThrows(KnownAfterApplyException.class, () -> debug.plan(args("var", "later"), null, ctx));
    }

    @Test
    void debugMsgAndVarAreExclusive() {
        assertEquals(List.of("give 'msg' or 'var', not both"), debug.crossCheck(Map.of("msg", "a", "var", "b")));
    }

    // --- assert -----------------------------------------------------------------------------

    private static final Map<String, Object> VARS = Map.of("replicas", 3, "env", "prod");

    @Test
    void assertPassesWhenEveryExpressionIsTrue() {
        Outcome o = assertModule.plan(args("that", List.of("replicas > 1", "env == 'prod'"), "success_msg", "looks right"), null, ctx(VARS));
        assertOkWithoutChange(o);
        assertEquals("looks right", o.message());
        assertEquals("all assertions passed", assertModule.plan(args("that", "replicas == 3"), null, ctx(VARS)).message());
    }

    @Test
    void assertFailsOnTheFirstFalseExpression() {
        Outcome o = assertModule.plan(args("that", List.of("replicas > 1", "env == 'staging'", "false")), null, ctx(VARS));
        assertTrue(o.failed());
        assertFalse(o.change().changes());
        assertEquals("assertion failed: env == 'staging'", o.message());
        assertEquals("env == 'staging'", o.result().get("assertion"));
    }

    @Test
    void assertUsesFailMsgOrItsAliasMsg() {
        assertEquals("need 5", assertModule.plan(args("that", "replicas == 5", "fail_msg", "need 5"), null, ctx(VARS)).message());
        assertEquals("need 5", assertModule.plan(args("that", "replicas == 5", "msg", "need 5"), null, ctx(VARS)).message());
        assertEquals(List.of("give 'fail_msg' or its alias 'msg', not both"), assertModule.crossCheck(Map.of("that", "x", "fail_msg", "a", "msg", "b")));
    }

    @Test
    void assertOnANonBooleanIsATemplateError() {
        assertThrows(TemplateError.class, () -> assertModule.plan(args("that", "env"), null, ctx(VARS)));
        assertThrows(TemplateError.class, () -> assertModule.plan(args("that", "undefined_thing == 1"), null, ctx(VARS)));
    }

    // --- set_fact ---------------------------------------------------------------------------

    @Test
    void setFactSetsEveryArgumentButCacheable() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("release", "2024-06-01");
        values.put("ports", List.of(80, 443));
        values.put("nothing", null);
        values.put("cacheable", true);
        Outcome o = setFact.plan(new Args(values), null, ctx());
        assertOkWithoutChange(o);
        Map<String, Object> expected = new LinkedHashMap<>(values);
        expected.remove("cacheable");
        assertEquals(expected, o.facts());
        assertEquals(List.of("release", "ports", "nothing"), List.copyOf(o.facts().keySet()));
        assertEquals("set release, ports, nothing", o.message());
    }

    @Test
    void setFactAcceptsAnyNameButNeedsOne() {
        assertTrue(setFact.acceptsAnyArgs());
        assertEquals(List.of("give at least one variable to set"), setFact.crossCheck(new HashMap<>(Map.of("cacheable", true))));
        assertEquals(List.of(), setFact.crossCheck(Map.of("x_1", 1)));
        assertEquals(List.of("'my-var' is not a valid variable name (letters, digits and _, not starting with a digit)"),
                setFact.crossCheck(Map.of("my-var", 1)));
    }
}
