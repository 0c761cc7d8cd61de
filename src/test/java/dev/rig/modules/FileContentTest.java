package dev.rig.modules;

import dev.rig.facts.PathFact;
import dev.rig.plan.HostCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import static dev.rig.modules.ModuleTests.Ran;
import static dev.rig.modules.ModuleTests.assertNoLeftoverTempFiles;
import static dev.rig.modules.ModuleTests.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The atomic upload script, run for real with /bin/sh. */
class FileContentTest {
    private static final FileAttributes NONE = new FileAttributes(Optional.empty(), Optional.empty(), Optional.empty());

    private static HostCommand upload(Path dest, String content, FileAttributes attrs) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return FileContent.upload(dest.toString(), bytes, dev.rig.core.Digests.sha256(bytes), attrs, Files.exists(dest));
    }

    private static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void createsAFileWithTheUmaskMode(@TempDir Path dir) throws IOException {
        Path dest = dir.resolve("new file.conf");
        HostCommand c = upload(dest, "hello\n", NONE);
        Ran ran = sh(dir, "umask 022\n" + c.script(), c.stdin());
        assertEquals(0, ran.rc(), ran.stderr());
        assertEquals("hello\n", Files.readString(dest));
        assertEquals("rw-r--r--", perms(dest), "mktemp's 0600 must not leak onto a new file");
        assertNoLeftoverTempFiles(dir);
    }

    @Test
    void replacingKeepsTheOldModeUnlessOneIsAsked(@TempDir Path dir) throws IOException {
        Path dest = dir.resolve("app.conf");
        Files.writeString(dest, "old\n");
        Files.setPosixFilePermissions(dest, PosixFilePermissions.fromString("rw-r-----"));
        HostCommand keep = upload(dest, "new\n", NONE);
        assertEquals(0, sh(dir, keep.script(), keep.stdin()).rc());
        assertEquals("new\n", Files.readString(dest));
        assertEquals("rw-r-----", perms(dest));

        HostCommand chmod = upload(dest, "newer\n", new FileAttributes(Optional.of("0600"), Optional.empty(), Optional.empty()));
        assertEquals(0, sh(dir, chmod.script(), chmod.stdin()).rc());
        assertEquals("rw-------", perms(dest));
    }

    @Test
    void damagedContentLeavesTheOldFileIntactAndNoTempFile(@TempDir Path dir) throws IOException {
        Path dest = dir.resolve("app.conf");
        Files.writeString(dest, "old\n");
        HostCommand c = upload(dest, "new\n", NONE);
        Ran ran = sh(dir, c.script(), "new, but damaged on the way\n".getBytes(StandardCharsets.UTF_8));
        assertNotEquals(0, ran.rc());
        assertTrue(ran.stderr().contains("arrived damaged"), ran.stderr());
        assertEquals("old\n", Files.readString(dest));
        assertNoLeftoverTempFiles(dir);
    }

    @Test
    void truncatedContentLeavesTheOldFileIntact(@TempDir Path dir) throws IOException {
        Path dest = dir.resolve("app.conf");
        Files.writeString(dest, "old\n");
        HostCommand c = upload(dest, "new content\n", NONE);
        Ran ran = sh(dir, c.script(), "new con".getBytes(StandardCharsets.UTF_8));
        assertNotEquals(0, ran.rc());
        assertEquals("old\n", Files.readString(dest));
        assertNoLeftoverTempFiles(dir);
    }

    @Test
    void aMissingDirectoryIsReportedNotCreated(@TempDir Path dir) {
        Path dest = dir.resolve("nowhere/app.conf");
        HostCommand c = upload(dest, "x", NONE);
        Ran ran = sh(dir, c.script(), c.stdin());
        assertNotEquals(0, ran.rc());
        assertTrue(ran.stderr().contains("does not exist"), ran.stderr());
        assertFalse(Files.exists(dest.getParent()));
    }

    @Test
    void theProbeReportsEachAttributeOnItsOwnLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("it's here");
        Files.writeString(file, "abc");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        Ran ran = sh(dir, PathFact.probe(file.toString(), PathFact.Want.content(100)).script(), null);
        PathFact.State state = PathFact.parse(ran.stdout());
        assertEquals("file", state.kind());
        assertEquals("0640", state.mode(), () -> "probe output:\n" + ran.stdout());
        assertEquals(sh(dir, "id -un", null).stdout().strip(), state.owner());
        assertEquals(3, state.size());
        assertEquals(dev.rig.core.Digests.sha256("abc".getBytes(StandardCharsets.UTF_8)), state.sha256());
        assertEquals("abc", state.contentText());
    }
}
