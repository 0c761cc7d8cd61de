package dev.rig.modules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static dev.rig.modules.ModuleTests.args;
import static dev.rig.modules.ModuleTests.converge;
import static dev.rig.modules.ModuleTests.ctx;
import static dev.rig.modules.ModuleTests.descriptions;
import static dev.rig.modules.ModuleTests.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The new arguments of copy (force, validate, backup) and lineinfile (backrefs, firstmatch, validate). */
class FileArgumentsTest {
    @Test
    void copyForceFalseKeepsAnExistingFile() {
        CopyModule copy = new CopyModule();
        Outcome kept = copy.plan(args("dest", "/etc/app.conf", "content", "new\n", "force", false), fixture("copy", "update"), ctx());
        assertFalse(kept.change().changes(), () -> descriptions(kept).toString());
        Outcome created = copy.plan(args("dest", "/etc/app.conf", "content", "new\n", "force", false), fixture("copy", "create"), ctx());
        assertEquals(1, created.change().commands().size(), "a missing file is still created");
    }

    @Test
    void copyValidateKeepsTheOldFileWhenTheNewOneFails(@TempDir Path dir) throws IOException {
        CopyModule copy = new CopyModule();
        Path f = dir.resolve("sudoers");
        Files.writeString(f, "root ALL=(ALL) ALL\n");
        // The validator is a stand-in for visudo -cf %s that every machine has (the fast loop needs nothing installed):
        // it accepts a file with a rule for root.
        String validate = "grep -q ^root %s";
        Outcome bad = ModuleTests.planLocally(copy, args("dest", f.toString(), "content", "this is not sudoers\n", "validate", validate), ctx(), dir);
        ModuleTests.Ran ran = ModuleTests.apply(bad, dir);
        assertEquals(1, ran.rc());
        assertTrue(ran.stderr().contains("failed to validate " + f + " with " + validate), ran.stderr());
        assertEquals("root ALL=(ALL) ALL\n", Files.readString(f));
        ModuleTests.assertNoLeftoverTempFiles(dir);
        converge(copy, args("dest", f.toString(), "content", "root ALL=(ALL:ALL) ALL\n", "validate", validate), ctx(), dir);
        assertEquals("root ALL=(ALL:ALL) ALL\n", Files.readString(f));
    }

    @Test
    void copyBackupKeepsTheOldContentBesideTheNewFileAndNothingWhenUnchanged(@TempDir Path dir) throws IOException {
        CopyModule copy = new CopyModule();
        Path f = Files.writeString(dir.resolve("app.conf"), "port=1\n");
        converge(copy, args("dest", f.toString(), "content", "port=2\n", "backup", true), ctx(), dir);
        assertEquals("port=2\n", Files.readString(f));
        try (var files = Files.list(dir)) {
            List<Path> backups = files.filter(p -> p.getFileName().toString().startsWith("app.conf.") && p.getFileName().toString().endsWith("~")).toList();
            assertEquals(1, backups.size(), "one backup; the converged second plan made none");
            assertEquals("port=1\n", Files.readString(backups.get(0)));
        }
    }

    @Test
    void lineinfileBackrefsFillsGroupsAndLeavesTheFileWithoutAMatch() {
        Pattern p = Pattern.compile("^(port)=(\\d+)$");
        assertEquals("a\nport=80 # was 1\nb\nport=2\nc\n".replace("port=2", "port=2"),
                LineinfileModule.ensurePresent("a\nport=1\nb\nport=2\nc\n", "\\1=80 # was \\g<2>", Pattern.compile("^(port)=(1)$"), null, null, true, false).text());
        LineinfileModule.Edit none = LineinfileModule.ensurePresent("a\n", "\\1=80", p, null, null, true, false);
        assertEquals("a\n", none.text(), "backrefs without a match adds nothing");
    }

    @Test
    void lineinfileFirstmatchInsertsAfterTheFirstMatch() {
        assertEquals("x\nnew\nx\n", LineinfileModule.ensurePresent("x\nx\n", "new", null, "^x", null, false, true).text());
        assertEquals("x\nx\nnew\n", LineinfileModule.ensurePresent("x\nx\n", "new", null, "^x", null, false, false).text());
        assertEquals("new\nx\nx\n", LineinfileModule.ensurePresent("x\nx\n", "new", null, null, "^x", false, true).text());
    }

    @Test
    void lineinfileValidateRunsBeforeTheRename(@TempDir Path dir) throws IOException {
        LineinfileModule module = new LineinfileModule();
        Path f = dir.resolve("sshd_config");
        Files.writeString(f, "HostKey /etc/ssh/ssh_host_ed25519_key\nPort 22\n");
        // A stand-in for sshd -t -f %s that every machine has (the real one runs in ModulesOnLabHostTest): a numeric
        // Port line. It must exist and run: exit 127 (validator not found) would fail the file too, for the wrong reason.
        String validate = "grep -qE '^Port [0-9]+$' %s";
        assertEquals(0, ModuleTests.sh(dir, "grep -qE '^Port [0-9]+$' " + f, null).rc(), "the validator accepts the file as it is");
        Outcome bad = ModuleTests.planLocally(module, args("path", f.toString(), "regexp", "^Port", "line", "Port banana", "validate", validate), ctx(), dir);
        List<String> lines = descriptions(bad);
        assertTrue(lines.get(0).startsWith("write " + f), lines.toString());
        ModuleTests.Ran ran = ModuleTests.apply(bad, dir);
        assertEquals(1, ran.rc(), ran::toString);
        assertTrue(ran.stderr().contains("failed to validate " + f + " with " + validate), ran.stderr());
        assertEquals("HostKey /etc/ssh/ssh_host_ed25519_key\nPort 22\n", Files.readString(f));
        ModuleTests.assertNoLeftoverTempFiles(dir);

        converge(module, args("path", f.toString(), "regexp", "^Port", "line", "Port 2222", "validate", validate), ctx(), dir);
        assertEquals("HostKey /etc/ssh/ssh_host_ed25519_key\nPort 2222\n", Files.readString(f), "a file that passes is written");
    }
}
