package dev.rig.template;

import dev.rig.core.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Variables whose values are templates, values known only after apply, and use from many threads. */
class TemplatesLazyTest {
    private static final Source SRC = new Source("play.yml", 2, 9);
    private final Templates templates = new Templates();

    private static Map<String, Object> vars() {
        Map<String, Object> v = new HashMap<>();
        v.put("domain", "example.org");
        v.put("port", 3100);
        v.put("enabled", true);
        v.put("url", "https://logs.${domain}:${port}");
        v.put("flag", "${enabled}");
        v.put("a", "${b}");
        v.put("b", "${c}");
        v.put("c", 3);
        v.put("urls", List.of("${url}/push", "static"));
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("endpoint", "${url}");
        nested.put("tags", List.of("env-${domain}"));
        nested.put("plain", 1);
        v.put("cfg", nested);
        v.put("copy_of_cfg", "${cfg}");
        v.put("escaped", "$${NOT_A_VAR}");
        v.put("uses_missing", "x-${missing_var}");
        return v;
    }

    // ---- lazy variable values ----

    @Test
    void aVariableThatIsATemplateIsRenderedWhenUsed() {
        assertEquals("https://logs.example.org:3100", templates.renderValue("${url}", SRC, vars()));
        assertEquals("url=https://logs.example.org:3100/", templates.renderValue("url=${url}/", SRC, vars()));
        assertEquals(3, templates.renderValue("${a}", SRC, vars()), "chains are followed to the native value");
        assertEquals(Boolean.TRUE, templates.renderValue("${flag}", SRC, vars()));
        assertTrue(templates.test("flag", SRC, vars()));
        assertTrue(templates.test("a == 3", SRC, vars()));
    }

    @Test
    void listsOfTemplatesAreRenderedWhenUsed() {
        assertEquals(List.of("https://logs.example.org:3100/push", "static"), templates.renderValue("${urls}", SRC, vars()));
        assertEquals("https://logs.example.org:3100/push", templates.renderValue("${urls[0]}", SRC, vars()));
        assertEquals("https://logs.example.org:3100/push;static;",
                templates.render("<#list urls as u>${u};</#list>", SRC, vars()));
    }

    @Test
    void mapsOfTemplatesAreRenderedWhenUsed() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("endpoint", "https://logs.example.org:3100");
        expected.put("tags", List.of("env-example.org"));
        expected.put("plain", 1);
        assertEquals(expected, templates.renderValue("${cfg}", SRC, vars()));
        assertEquals(expected, templates.renderValue("${copy_of_cfg}", SRC, vars()));
        assertEquals("env-example.org", templates.renderValue("${cfg.tags[0]}", SRC, vars()));
        assertEquals(expected, templates.evaluate("cfg", SRC, vars()));
        assertEquals(List.of(expected), templates.renderValue(List.of("${cfg}"), SRC, vars()));
    }

    @Test
    void anEscapeInAVariableStaysLiteralAndIsNotRenderedTwice() {
        assertEquals("${NOT_A_VAR}", templates.renderValue("${escaped}", SRC, vars()));
        assertEquals("x ${NOT_A_VAR}", templates.renderValue("x ${escaped}", SRC, vars()));
        Map<String, Object> v = vars();
        v.put("list_with_escape", List.of("$${A}"));
        assertEquals(List.of("${A}"), templates.renderValue("${list_with_escape}", SRC, v));
    }

    @Test
    void aVariableValueUsingAnUndefinedVariableIsAnErrorNamingIt() {
        TemplateError e = assertThrows(TemplateError.class, () -> templates.renderValue("${uses_missing}", SRC, vars()));
        assertTrue(e.problem().contains("undefined variable 'missing_var'"), e.getMessage());
    }

    @Test
    void aVariableThatRefersToItselfIsAnErrorNotAStackOverflow() {
        Map<String, Object> v = new HashMap<>();
        v.put("self", "${self}");
        TemplateError e = assertThrows(TemplateError.class, () -> templates.renderValue("${self}", SRC, v));
        assertTrue(e.problem().contains("loop"), e.getMessage());
        assertThrows(TemplateError.class, () -> templates.renderValue("x${self}", SRC, v));
        assertThrows(TemplateError.class, () -> templates.test("self == 1", SRC, v));
    }

    @Test
    void variablesReferringToEachOtherInALoopAreAnError() {
        Map<String, Object> v = new HashMap<>();
        v.put("ping", "p-${pong}");
        v.put("pong", "q-${ping}");
        TemplateError e = assertThrows(TemplateError.class, () -> templates.renderValue("${ping}", SRC, v));
        assertTrue(e.problem().contains("loop"), e.getMessage());
    }

    @Test
    void aListOrMapThatContainsItselfIsAnErrorNotAStackOverflow() {
        Map<String, Object> v = new HashMap<>();
        v.put("sl", List.of("${sl}"));
        v.put("sm", Map.of("k", "${sm}"));
        assertThrows(TemplateError.class, () -> templates.renderValue("${sl}", SRC, v));
        assertThrows(TemplateError.class, () -> templates.renderValue("${sl[0]}", SRC, v));
        assertThrows(TemplateError.class, () -> templates.renderValue("${sm}", SRC, v));
        assertThrows(TemplateError.class, () -> templates.renderValue(Map.of("x", "${sm}"), SRC, v));
    }

    @Test
    void anErrorInsideOneRenderDoesNotLeakIntoTheNext() {
        Map<String, Object> v = new HashMap<>();
        v.put("self", "${self}");
        v.put("ok", "fine-${n}");
        v.put("n", 1);
        for (int i = 0; i < 30; i++) {
            assertThrows(TemplateError.class, () -> templates.renderValue("${self}", SRC, v));
            assertEquals("fine-1", templates.renderValue("${ok}", SRC, v));
        }
    }

    // ---- values known only after apply ----

    private static Map<String, Object> withUnknown() {
        Map<String, Object> v = new HashMap<>();
        v.put("r", new UnknownValue("register 'r' of task 'check'"));
        v.put("later", "${r.stdout}");
        v.put("known", "yes");
        v.put("some", List.of(new UnknownValue("register 'x'")));
        return v;
    }

    @Test
    void touchingAnUnknownValueIsKnownAfterApply() {
        KnownAfterApplyException e = assertThrows(KnownAfterApplyException.class,
                () -> templates.renderValue("${r.stdout}", SRC, withUnknown()));
        assertTrue(e.getMessage().contains("register 'r' of task 'check'"), e.getMessage());
        assertThrows(KnownAfterApplyException.class, () -> templates.renderValue("out: ${r.stdout}", SRC, withUnknown()));
        assertThrows(KnownAfterApplyException.class, () -> templates.renderValue("out: ${r}", SRC, withUnknown()));
        assertThrows(KnownAfterApplyException.class, () -> templates.test("r.rc == 0", SRC, withUnknown()));
        assertThrows(KnownAfterApplyException.class, () -> templates.test("r", SRC, withUnknown()));
        assertThrows(KnownAfterApplyException.class, () -> templates.renderValue("${some[0].x}", SRC, withUnknown()));
    }

    @Test
    void aVariableWhoseValueTouchesAnUnknownIsKnownAfterApply() {
        assertThrows(KnownAfterApplyException.class, () -> templates.renderValue("${later}", SRC, withUnknown()));
        assertThrows(KnownAfterApplyException.class, () -> templates.renderValue("[${later}]", SRC, withUnknown()));
        assertThrows(KnownAfterApplyException.class, () -> templates.test("later == ''", SRC, withUnknown()));
    }

    @Test
    void anUnknownValueNotTouchedDoesNotMatter() {
        assertEquals("yes", templates.renderValue("${known}", SRC, withUnknown()));
        assertTrue(templates.test("known == 'yes' || r.rc == 0", SRC, withUnknown()));
        assertInstanceOf(UnknownValue.class, templates.renderValue("${r}", SRC, withUnknown()), "passed through whole");
    }

    @Test
    void anUnknownValueInATemplateFileIsKnownAfterApply(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("t.ftl");
        Files.writeString(f, "a\nb=${r.stdout}\n");
        assertThrows(KnownAfterApplyException.class, () -> templates.renderFile(f, withUnknown()));
    }

    // ---- threads ----

    @Test
    void oneInstanceRendersForManyHostsAtOnce(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("host.ftl");
        Files.writeString(f, "host=${host}\nurl=${url}\n<#list peers as p>${p};</#list>\n");
        String text = "${host}:${port} url=${url} lazy=${lazy}";
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int id = t;
                futures.add(pool.submit((Callable<Void>) () -> {
                    Map<String, Object> v = new HashMap<>();
                    v.put("host", "h" + id);
                    v.put("port", 1000 + id);
                    v.put("url", "http://${host}:${port}");
                    v.put("lazy", "${url}/x");
                    v.put("peers", List.of("${host}-a", "${host}-b"));
                    v.put("self", "${self}");
                    start.await();
                    for (int i = 0; i < 300; i++) {
                        String h = "h" + id;
                        int port = 1000 + id;
                        assertEquals(h + ":" + port + " url=http://" + h + ":" + port + " lazy=http://" + h + ":" + port + "/x",
                                templates.render(text, SRC, v));
                        assertEquals(List.of(h + "-a", h + "-b"), templates.renderValue("${peers}", SRC, v));
                        assertEquals(port, templates.renderValue("${port}", SRC, v));
                        assertTrue(templates.test("port == " + port, SRC, v));
                        assertEquals("host=" + h + "\nurl=http://" + h + ":" + port + "\n" + h + "-a;" + h + "-b;\n",
                                templates.renderFile(f, v));
                        if (i % 50 == 0) assertThrows(TemplateError.class, () -> templates.renderValue("${self}", SRC, v));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<Void> fu : futures) fu.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }
}
