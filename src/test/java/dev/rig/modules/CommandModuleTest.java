package dev.rig.modules;

import dev.rig.plan.Action;
import dev.rig.plan.HostCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.rig.modules.ModuleTests.Ran;
import static dev.rig.modules.ModuleTests.args;
import static dev.rig.modules.ModuleTests.ctx;
import static dev.rig.modules.ModuleTests.descriptions;
import static dev.rig.modules.ModuleTests.onlyScript;
import static dev.rig.modules.ModuleTests.planLocally;
import static dev.rig.modules.ModuleTests.sh;
import static dev.rig.modules.ModuleTests.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandModuleTest {
    private final CommandModule module = new CommandModule();

    private Outcome plan(String probeOutput, Object... args) {
        return module.plan(args(args), probeOutput, ctx());
    }

    @Test
    void freeFormIsSplitAndEveryWordQuoted() {
        Outcome o = plan(null, "cmd", "echo \"$HOME\" 'a b' c\\ d");
        assertEquals(Action.RUN, o.change().action());
        assertEquals("exec echo '$HOME' 'a b' 'c d'", onlyScript(o));
        assertEquals(List.of("run echo '$HOME' 'a b' 'c d'"), descriptions(o));
        assertEquals(List.of("echo", "$HOME", "a b", "c d"), o.result().get("cmd"));
    }

    @Test
    void dangerousWordsStayArguments() {
        assertEquals("exec echo '; rm -rf /'", onlyScript(plan(null, "cmd", "echo \"; rm -rf /\"")));
        assertEquals("exec echo '$(reboot)' '`reboot`' '&&' reboot", onlyScript(plan(null, "cmd", "echo '$(reboot)' '`reboot`' && reboot")));
        assertEquals("exec printf %s 'it'\"'\"'s'", onlyScript(plan(null, "argv", List.of("printf", "%s", "it's"))));
    }

    @Test
    void argvIsUsedAsGiven() {
        Outcome o = plan(null, "argv", List.of("useradd", "--comment", "App user", "app"));
        assertEquals("exec useradd --comment 'App user' app", onlyScript(o));
    }

    @Test
    void noGuardsMeansNoProbe() {
        assertNull(module.probe(args("cmd", "true"), ctx()));
    }

    @Test
    void probeChecksEachGuard() {
        String probe = module.probe(args("cmd", "make", "creates", "/opt/app bin", "removes", "/tmp/x"), ctx()).script();
        assertEquals("if [ -e '/opt/app bin' ]; then echo creates=yes; else echo creates=no; fi\n"
                + "if [ -e /tmp/x ]; then echo removes=yes; else echo removes=no; fi\n", probe);
    }

    @Test
    void createsThatExistsSkips() {
        Outcome o = plan("creates=yes\n", "cmd", "make install", "creates", "/usr/local/bin/app");
        assertFalse(o.change().changes());
        assertFalse(o.failed());
        assertEquals("skipped, since /usr/local/bin/app exists", o.message());
        assertEquals(0, o.result().get("rc"));
    }

    @Test
    void createsThatIsMissingRunsAsACreate() {
        assertEquals(Action.CREATE, plan("creates=no\n", "cmd", "make install", "creates", "/usr/local/bin/app").change().action());
    }

    @Test
    void removesThatIsMissingSkips() {
        Outcome o = plan("removes=no\n", "cmd", "rm /tmp/lock", "removes", "/tmp/lock");
        assertFalse(o.change().changes());
        assertEquals("skipped, since /tmp/lock does not exist", o.message());
    }

    @Test
    void removesThatExistsRuns() {
        assertTrue(plan("removes=yes\n", "cmd", "rm /tmp/lock", "removes", "/tmp/lock").change().changes());
    }

    @Test
    void chdirChangesDirectoryFirstAndGuardsFollowIt() {
        Args a = args("cmd", "./configure", "chdir", "/src/app", "creates", "Makefile");
        assertEquals("cd /src/app || exit 1\nexec ./configure", onlyScript(module.plan(a, "creates=no\n", ctx())));
        assertTrue(module.probe(a, ctx()).script().contains("[ -e /src/app/Makefile ]"));
        assertEquals(List.of("run ./configure in /src/app"), descriptions(module.plan(a, "creates=no\n", ctx())));
    }

    @Test
    void stdinGetsANewlineUnlessToldOtherwise() {
        HostCommand c = plan(null, "cmd", "cat", "stdin", "hello").change().commands().get(0);
        assertEquals("hello\n", utf8(c.stdin()));
        HostCommand raw = plan(null, "cmd", "cat", "stdin", "hello", "stdin_add_newline", false).change().commands().get(0);
        assertArrayEquals("hello".getBytes(), raw.stdin());
        assertNull(plan(null, "cmd", "cat").change().commands().get(0).stdin());
    }

    @Test
    void noLogHidesTheCommand() {
        Outcome o = module.plan(args("cmd", "mysql -psecret"), null, ModuleTests.noLogCtx());
        assertFalse(descriptions(o).toString().contains("secret"));
        assertFalse(o.change().summary().contains("secret"));
    }

    @Test
    void emptyCommandFails() {
        assertTrue(plan(null, "cmd", "  ").failed());
    }

    @Test
    void cmdAndArgvAreExclusive() {
        String problem = "give exactly one of 'cmd' (or a free-form command) or 'argv'";
        assertEquals(List.of(problem), module.crossCheck(Map.of("cmd", "a", "argv", List.of("a"))));
        assertEquals(List.of(problem), module.crossCheck(Map.of("chdir", "/")));
        assertEquals(List.of(), module.crossCheck(Map.of("cmd", "a")));
    }

    // --- for real, in a temp directory ----------------------------------------------------

    @Test
    void runsWithoutAShell(@TempDir Path dir) {
        Outcome o = planLocally(module, args("cmd", "echo \"$HOME\" 'a  b' \"; touch pwned\""), ctx(), dir);
        Ran ran = ModuleTests.apply(o, dir);
        assertEquals(0, ran.rc(), ran.stderr());
        assertEquals("$HOME a  b ; touch pwned\n", ran.stdout());
        assertFalse(Files.exists(dir.resolve("pwned")));
    }

    @Test
    void guardsAndChdirForReal(@TempDir Path dir) throws IOException {
        Files.createDirectory(dir.resolve("build"));
        Args a = args("argv", List.of("touch", "out"), "chdir", dir.resolve("build").toString(), "creates", "out");
        Outcome first = planLocally(module, a, ctx(), dir);
        assertEquals(0, ModuleTests.apply(first, dir).rc());
        assertTrue(Files.exists(dir.resolve("build/out")));
        Outcome second = planLocally(module, a, ctx(), dir);
        assertFalse(second.change().changes(), "creates now exists");

        Outcome missing = planLocally(module, args("cmd", "touch x", "chdir", dir.resolve("nope").toString()), ctx(), dir);
        Ran ran = ModuleTests.apply(missing, dir);
        assertNotEquals(0, ran.rc());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void stdinReachesTheCommand(@TempDir Path dir) {
        HostCommand c = plan(null, "cmd", "tr a-z A-Z", "stdin", "hello").change().commands().get(0);
        assertEquals("HELLO\n", sh(dir, c.script(), c.stdin()).stdout());
    }
}
