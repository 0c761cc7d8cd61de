package dev.rig.playbook;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Ansible's parse_kv on the strings real playbooks write. */
class FreeFormArgsTest {
    @Test
    void commandKeepsAllButItsOwnOptions() {
        FreeFormArgs.Parsed p = FreeFormArgs.parse("touch /x creates=/x", true);
        assertEquals("touch /x", p.raw());
        assertEquals(Map.of("creates", "/x"), p.options());

        p = FreeFormArgs.parse("echo a=b chdir=\"/srv/my dir\" removes=/y", true);
        assertEquals("echo a=b", p.raw());
        assertEquals(Map.of("chdir", "/srv/my dir", "removes", "/y"), p.options());
    }

    @Test
    void aCommandWithoutOptionsStaysExactlyAsWritten() {
        String script = "if [ -f /x ]; then\n  echo  \"a=b\"\nfi\n";
        FreeFormArgs.Parsed p = FreeFormArgs.parse(script, true);
        assertEquals(script, p.raw());
        assertEquals(Map.of(), p.options());
    }

    @Test
    void otherModulesTakeEveryKeyValue() {
        FreeFormArgs.Parsed p = FreeFormArgs.parse("path=/x state=directory mode=0750", false);
        assertNull(p.raw());
        assertEquals(Map.of("path", "/x", "state", "directory", "mode", "0750"), p.options());

        p = FreeFormArgs.parse("msg='hello world' var=x", false);
        assertEquals(Map.of("msg", "hello world", "var", "x"), p.options());
    }

    @Test
    void freeMarkerExpressionsStayInOneWord() {
        FreeFormArgs.Parsed p = FreeFormArgs.parse("dest=${base + \"/a b\"} path=${x}", false);
        assertEquals(Map.of("dest", "${base + \"/a b\"}", "path", "${x}"), p.options());
    }

    @Test
    void wordsThatAreNotKeyValueAreLeftOver() {
        assertEquals("stray", FreeFormArgs.parse("path=/x stray", false).raw());
    }
}
