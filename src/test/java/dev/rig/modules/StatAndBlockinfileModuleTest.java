package dev.rig.modules;

import dev.rig.plan.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.rig.modules.ModuleTests.args;
import static dev.rig.modules.ModuleTests.converge;
import static dev.rig.modules.ModuleTests.ctx;
import static dev.rig.modules.ModuleTests.descriptions;
import static dev.rig.modules.ModuleTests.fixture;
import static dev.rig.modules.ModuleTests.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** stat and blockinfile: probe fixtures in, registered facts or commands out; and both against this machine's shell. */
class StatAndBlockinfileModuleTest {
    private final StatModule stat = new StatModule();
    private final BlockinfileModule block = new BlockinfileModule();

    @SuppressWarnings("unchecked")
    private Map<String, Object> stat(String fixture, Object... args) {
        Outcome o = stat.plan(args(args), fixture("stat", fixture), ctx());
        assertFalse(o.change().changes(), "stat never changes anything");
        return (Map<String, Object>) o.result().get("stat");
    }

    @Test
    void statOfAMissingPathSaysOnlyThat() {
        assertEquals(Map.of("exists", false), stat("missing", "path", "/nope"));
    }

    @Test
    void statOfAFileHasAnsiblesFields() {
        Map<String, Object> s = stat("file", "path", "/etc/app.conf");
        assertEquals(true, s.get("exists"));
        assertEquals("0644", s.get("mode"));
        assertEquals(true, s.get("isreg"));
        assertEquals(false, s.get("isdir"));
        assertEquals(12L, s.get("size"));
        assertEquals("root", s.get("pw_name"));
        assertEquals(true, s.get("rusr"));
        assertEquals(false, s.get("woth"));
        assertEquals(1700000001.0, s.get("mtime"));
        assertEquals("22596363b3de40b06f981fb85d82312e8c0ed511", s.get("checksum"));
        assertEquals("text/plain", s.get("mimetype"));
    }

    @Test
    void statOfALinkAndOfASetgidDirectory() {
        Map<String, Object> link = stat("link", "path", "/etc/hosts.link");
        assertEquals(true, link.get("islnk"));
        assertEquals("0777", link.get("mode"));
        assertEquals("/etc/hosts", link.get("lnk_target"));
        Map<String, Object> dir = stat("setgid-directory", "path", "/srv/app");
        assertEquals(true, dir.get("isdir"));
        assertEquals(true, dir.get("isgid"));
        assertEquals("2755", dir.get("mode"));
        assertEquals(false, dir.get("writeable"));
    }

    @Test
    void statRefusesAttributesItDoesNotRead() {
        assertEquals(List.of("get_attributes: rig does not read file attributes (lsattr); leave it out or give false"),
                stat.crossCheck(Map.of("path", "/x", "get_attributes", true)));
        assertEquals(List.of(), stat.crossCheck(Map.of("path", "/x", "get_attributes", false)));
    }

    @Test
    void statProbeRunsHere(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("f"), "hello\n");
        Outcome o = ModuleTests.planLocally(stat, args("path", dir.resolve("f").toString(), "checksum_algorithm", "sha256"), ctx(), dir);
        @SuppressWarnings("unchecked") Map<String, Object> s = (Map<String, Object>) o.result().get("stat");
        assertEquals("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03", s.get("checksum"));
        assertEquals(6L, s.get("size"));
        assertEquals(true, s.get("isreg"));
    }

    // ---- blockinfile ---------------------------------------------------------------------------

    private Outcome block(String fixture, Object... args) {
        return block.plan(args(args), fixture("blockinfile", fixture), ctx());
    }

    private static String written(Outcome o) {
        return utf8(o.change().commands().get(0).stdin());
    }

    @Test
    void aNewBlockGoesAtTheEnd() {
        Outcome o = block("no-block", "path", "/f", "block", "x=1");
        assertEquals("a\nb\nc\n# BEGIN ANSIBLE MANAGED BLOCK\nx=1\n# END ANSIBLE MANAGED BLOCK\n", written(o));
        assertEquals("Block inserted", o.result().get("msg"));
        assertEquals(Action.UPDATE, o.change().action());
    }

    @Test
    void anExistingBlockIsReplacedWhereItIs() {
        assertEquals("a\n# BEGIN ANSIBLE MANAGED BLOCK\nx=1\ny=2\n# END ANSIBLE MANAGED BLOCK\nc\n",
                written(block("old-block", "path", "/f", "block", "x=1\ny=2\n", "insertbefore", "BOF")));
    }

    @Test
    void theSameBlockChangesNothing() {
        Outcome o = block("same-block", "path", "/f", "block", "x=1");
        assertFalse(o.change().changes(), () -> descriptions(o).toString());
        assertEquals("", o.result().get("msg"));
    }

    @Test
    void insertafterAndInsertbeforeUseTheLastMatch() {
        assertEquals("a\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\nb\nc\n", written(block("no-block", "path", "/f", "block", "x", "insertafter", "^a")));
        assertEquals("a\nb\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\nc\n", written(block("no-block", "path", "/f", "block", "x", "insertbefore", "^[c]")));
        assertEquals("# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\na\nb\nc\n", written(block("no-block", "path", "/f", "block", "x", "insertbefore", "BOF")));
        assertEquals("a\nb\nc\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\n", written(block("no-block", "path", "/f", "block", "x", "insertafter", "nomatch")));
    }

    @Test
    void customMarkersAndALastLineWithoutNewline() {
        Outcome o = block("no-trailing-newline", "path", "/f", "block", "k: v", "marker", "<!-- {mark} rig -->", "marker_begin", "start", "marker_end", "stop");
        assertEquals("a\nb\n<!-- start rig -->\nk: v\n<!-- stop rig -->\n", written(o));
    }

    @Test
    void absentOrAnEmptyBlockRemovesIt() {
        Outcome absent = block("old-block", "path", "/f", "state", "absent");
        assertEquals("a\nc\n", written(absent));
        assertEquals("Block removed", absent.result().get("msg"));
        assertEquals("a\nc\n", written(block("old-block", "path", "/f", "block", "")));
        assertFalse(block("no-block", "path", "/f", "state", "absent").change().changes());
        assertFalse(block("missing", "path", "/f", "state", "absent").change().changes());
    }

    @Test
    void aMissingFileNeedsCreateAndADirectoryFails() {
        assertTrue(block("missing", "path", "/f", "block", "x").failed());
        Outcome created = block("missing", "path", "/f", "block", "x", "create", true, "mode", "0600");
        assertEquals(Action.CREATE, created.change().action());
        assertEquals("# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\n", written(created));
        assertEquals("File created", created.result().get("msg"));
        Outcome dir = block("directory", "path", "/f", "block", "x");
        assertTrue(dir.failed());
        assertEquals("path /f is a directory, not a regular file", dir.message());
    }

    @Test
    void validateAndBackupGuardTheWrite(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("conf");
        Files.writeString(f, "keep\n");
        // The validator refuses any file containing "bad": the old file stays, and no temp file is left.
        Outcome bad = ModuleTests.planLocally(block, args("path", f.toString(), "block", "bad", "validate", "sh -c '! grep -q bad \"$1\"' check %s",
                "backup", true), ctx(), dir);
        ModuleTests.Ran ran = ModuleTests.apply(bad, dir);
        assertEquals(1, ran.rc());
        assertTrue(ran.stderr().contains("failed to validate " + f), ran.stderr());
        assertEquals("keep\n", Files.readString(f));
        ModuleTests.assertNoLeftoverTempFiles(dir);

        converge(block, args("path", f.toString(), "block", "good", "validate", "sh -c '! grep -q bad \"$1\"' check %s", "backup", true), ctx(), dir);
        assertEquals("keep\n# BEGIN ANSIBLE MANAGED BLOCK\ngood\n# END ANSIBLE MANAGED BLOCK\n", Files.readString(f));
        try (var files = Files.list(dir)) {
            List<Path> backups = files.filter(p -> p.getFileName().toString().matches("conf\\.\\d+\\.\\d{4}-\\d\\d-\\d\\d@\\d\\d:\\d\\d:\\d\\d~")).toList();
            assertEquals(1, backups.size(), "one backup, named as Ansible names it");
            assertEquals("keep\n", Files.readString(backups.get(0)));
        }
    }
}
