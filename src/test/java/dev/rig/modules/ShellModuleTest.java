package dev.rig.modules;

import dev.rig.plan.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.rig.modules.ModuleTests.Ran;
import static dev.rig.modules.ModuleTests.args;
import static dev.rig.modules.ModuleTests.ctx;
import static dev.rig.modules.ModuleTests.descriptions;
import static dev.rig.modules.ModuleTests.onlyScript;
import static dev.rig.modules.ModuleTests.planLocally;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShellModuleTest {
    private final ShellModule module = new ShellModule();

    @Test
    void theScriptRunsAsWritten() {
        Outcome o = module.plan(args("cmd", "docker ps -q | wc -l > /tmp/count"), null, ctx());
        assertEquals(Action.RUN, o.change().action());
        assertEquals("docker ps -q | wc -l > /tmp/count", onlyScript(o));
        assertEquals(List.of("run docker ps -q | wc -l > /tmp/count"), descriptions(o));
        assertEquals("docker ps -q | wc -l > /tmp/count", o.result().get("cmd"));
    }

    @Test
    void chdirGuardsTheWholeScript() {
        Outcome o = module.plan(args("cmd", "make; make install", "chdir", "/src/my app"), null, ctx());
        assertEquals("cd '/src/my app' || exit 1\nmake; make install", onlyScript(o));
    }

    @Test
    void executableRunsTheScriptWithIt() {
        Outcome o = module.plan(args("cmd", "set -o pipefail; a | b", "executable", "/bin/bash"), null, ctx());
        assertEquals("exec /bin/bash -c 'set -o pipefail; a | b'", onlyScript(o));
    }

    @Test
    void guardsAreSharedWithCommand() {
        assertFalse(module.plan(args("cmd", "x", "creates", "/x"), "creates=yes\n", ctx()).change().changes());
        assertFalse(module.plan(args("cmd", "x", "removes", "/x"), "removes=no\n", ctx()).change().changes());
        assertTrue(module.plan(args("cmd", "x", "creates", "/x", "removes", "/y"), "creates=no\nremoves=yes\n", ctx()).change().changes());
    }

    // --- for real, in a temp directory ----------------------------------------------------

    @Test
    void pipesAndVariablesWork(@TempDir Path dir) {
        Outcome o = planLocally(module, args("cmd", "x=world; echo \"hello $x\" | tr a-z A-Z", "chdir", dir.toString()), ctx(), dir);
        Ran ran = ModuleTests.apply(o, dir);
        assertEquals(0, ran.rc(), ran.stderr());
        assertEquals("HELLO WORLD\n", ran.stdout());
    }

    @Test
    void aFailedChdirRunsNothing(@TempDir Path dir) {
        Outcome o = planLocally(module, args("cmd", "touch marker; echo ran", "chdir", dir.resolve("missing").toString()), ctx(), dir);
        Ran ran = ModuleTests.apply(o, dir);
        assertNotEquals(0, ran.rc());
        assertFalse(ran.stdout().contains("ran"));
        assertFalse(Files.exists(dir.resolve("marker")));
    }

    @Test
    void executableForReal(@TempDir Path dir) {
        Outcome o = planLocally(module, args("cmd", "echo \"$0\"", "executable", "/bin/sh"), ctx(), dir);
        assertEquals("/bin/sh\n", ModuleTests.apply(o, dir).stdout());
    }
}
