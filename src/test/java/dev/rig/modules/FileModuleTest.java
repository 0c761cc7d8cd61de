package dev.rig.modules;

import dev.rig.plan.Action;
import dev.rig.plan.Diff;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static dev.rig.modules.ModuleTests.args;
import static dev.rig.modules.ModuleTests.converge;
import static dev.rig.modules.ModuleTests.ctx;
import static dev.rig.modules.ModuleTests.descriptions;
import static dev.rig.modules.ModuleTests.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file module's cases that need code; the plain ones are case files in src/test/resources/modules/file/ (ModuleCasesTest). */
class FileModuleTest {
    private final FileModule module = new FileModule();

    private Outcome plan(String fixture, Object... args) {
        return module.plan(ModuleTests.args(args), fixture("file", fixture), ctx());
    }

    private static Diff onlyDiff(Outcome o) {
        assertEquals(1, o.change().diffs().size());
        return o.change().diffs().get(0);
    }

    @Test
    void directoryAsWantedIsOk() {
        // mode written as YAML's octal number 0755 (= 493)
        Outcome o = plan("directory-is-already-as-wanted", "path", "/srv/app", "state", "directory", "mode", 493, "owner", "root");
        assertFalse(o.change().changes(), () -> descriptions(o).toString());
    }

    @Test
    void fileAsWantedIsOk() {
        assertFalse(plan("file-is-already-as-wanted", "path", "/etc/app.conf", "mode", "0644").change().changes());
    }

    @Test
    void fileMissingFails() {
        Outcome o = plan("file-missing", "path", "/etc/app.conf", "state", "file");
        assertTrue(o.failed());
        assertTrue(o.message().contains("state: touch"), o.message());
    }

    @Test
    void fileThatIsADirectoryFails() {
        assertTrue(plan("file-is-a-directory", "path", "/etc", "state", "file").failed());
    }

    @Test
    void touchCreatesAnEmptyFile() {
        Outcome o = plan("touch-create", "path", "/var/log/app.log", "state", "touch", "mode", "0640");
        assertEquals(Action.CREATE, o.change().action());
        assertEquals(List.of("touch -- /var/log/app.log", "chmod 0640 -- /var/log/app.log"),
                o.change().commands().stream().map(c -> c.script()).toList());
    }

    @Test
    void touchOnAnExistingFileIsOk() {
        assertFalse(plan("touch-existing", "path", "/var/log/app.log", "state", "touch").change().changes());
    }

    @Test
    void linkIsCreated() {
        Outcome o = plan("link-create", "path", "/srv/app/current", "state", "link", "src", "/srv/app/releases/2");
        assertEquals(Action.CREATE, o.change().action());
        assertEquals("ln -sfn -- /srv/app/releases/2 /srv/app/current", ModuleTests.onlyScript(o));
        assertEquals(Map.of("state", "link", "target", "/srv/app/releases/2"), onlyDiff(o).after());
    }

    @Test
    void linkPointingElsewhereIsRetargeted() {
        Outcome o = plan("link-retarget", "path", "/srv/app/current", "state", "link", "src", "/srv/app/releases/2");
        assertEquals(Action.UPDATE, o.change().action());
        assertEquals(Map.of("state", "link", "target", "/srv/app/releases/1"), onlyDiff(o).before());
    }

    @Test
    void linkAsWantedIsOk() {
        assertFalse(plan("link-is-already-as-wanted", "path", "/srv/app/current", "state", "link", "src", "/srv/app/releases/1").change().changes());
    }

    @Test
    void linkReplacesAFile() {
        Outcome o = plan("link-over-file", "path", "/etc/localtime", "state", "link", "src", "/usr/share/zoneinfo/UTC", "force", true);
        assertEquals(Action.UPDATE, o.change().action());
        assertEquals("file", onlyDiff(o).before().get("state"));
    }

    @Test
    void linkNeverReplacesADirectory() {
        assertTrue(plan("link-over-directory", "path", "/srv/app", "state", "link", "src", "/srv/other").failed());
    }

    @Test
    void linkRequiresSrc() {
        assertEquals(List.of("state 'link' requires 'src' (the link target)"), module.crossCheck(Map.of("path", "/x", "state", "link")));
    }

    @Test
    void pathsAreQuotedInCommands() {
        Outcome o = module.plan(args("path", "/tmp/a b; rm -rf /", "state", "directory"), "kind=absent\n", ctx());
        assertEquals("mkdir -p -- '/tmp/a b; rm -rf /'", ModuleTests.onlyScript(o));
    }

    // --- for real, in a temp directory ----------------------------------------------------

    @Test
    void everyStateConvergesOnARealFilesystem(@TempDir Path dir) throws IOException {
        Path app = dir.resolve("my app");
        converge(module, args("path", app.toString(), "state", "directory", "mode", "0750"), ctx(), dir);
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(app)));

        Path log = app.resolve("app.log");
        converge(module, args("path", log.toString(), "state", "touch", "mode", "0600"), ctx(), dir);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));

        converge(module, args("path", log.toString(), "state", "file", "mode", "0640"), ctx(), dir);
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));

        Path current = dir.resolve("current");
        converge(module, args("path", current.toString(), "state", "link", "src", app.toString()), ctx(), dir);
        assertEquals(app, Files.readSymbolicLink(current));
        Outcome retarget = converge(module, args("path", current.toString(), "state", "link", "src", log.toString()), ctx(), dir);
        assertEquals(Action.UPDATE, retarget.change().action());
        assertEquals(log, Files.readSymbolicLink(current));

        String owner = ModuleTests.sh(dir, "id -un", null).stdout().strip();
        converge(module, args("path", log.toString(), "owner", owner, "group", ModuleTests.sh(dir, "id -gn", null).stdout().strip()), ctx(), dir);

        converge(module, args("path", app.toString(), "state", "absent"), ctx(), dir);
        assertFalse(Files.exists(app));
    }
}
