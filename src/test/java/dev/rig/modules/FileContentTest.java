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

    @Test
    void aTempFileNoLiveUploadHoldsIsRemoved(@TempDir Path dir) throws IOException {
        Path stale = Files.writeString(dir.resolve(".rig-AbCd1234.tmp"), "left by a cut-off upload");
        Path other = Files.writeString(dir.resolve(".rig-notmine.tmp"), "not rig's mktemp name");
        HostCommand c = upload(dir.resolve("app.conf"), "new\n", NONE);
        Ran ran = sh(dir, c.script(), c.stdin());
        assertEquals(0, ran.rc(), ran.stderr());
        assertFalse(Files.exists(stale), "the stale temp file is removed");
        assertTrue(Files.exists(other), "only mktemp's own names are rig's");
    }

    /**
     * connection: local takes no host lock and runs hosts side by side, often into one directory: an upload
     * that starts while another is still streaming must not take the other's temp file for a stale one.
     */
    @Test
    void anUploadInFlightKeepsItsTempFileWhileAnotherUploadCleansUp(@TempDir Path dir) throws Exception {
        byte[] slow = new byte[4 << 20];
        new java.util.Random(3).nextBytes(slow);
        HostCommand first = FileContent.upload(dir.resolve("a.bin").toString(), slow, dev.rig.core.Digests.sha256(slow), NONE, false);
        Process a = new ProcessBuilder("sh", "-c", first.script()).directory(dir.toFile()).redirectErrorStream(true).start();
        var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (var in = a.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        var in = a.getOutputStream();
        in.write(slow, 0, slow.length / 2);
        in.flush();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (tempFiles(dir).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the first upload never made its temp file");
            Thread.sleep(5);
        }

        HostCommand second = upload(dir.resolve("b.conf"), "second\n", NONE);
        Ran ran = sh(dir, second.script(), second.stdin());
        assertEquals(0, ran.rc(), ran.stderr());
        assertEquals(1, tempFiles(dir).size(), "the first upload's temp file is still there: " + tempFiles(dir));

        in.write(slow, slow.length / 2, slow.length - slow.length / 2);
        in.close();
        assertTrue(a.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, a.exitValue(), out.join());
        assertEquals(dev.rig.core.Digests.sha256(slow), dev.rig.core.Digests.sha256(Files.readAllBytes(dir.resolve("a.bin"))));
        assertEquals("second\n", Files.readString(dir.resolve("b.conf")));
        assertNoLeftoverTempFiles(dir);
    }

    private static java.util.List<Path> tempFiles(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("\\.rig-.{8}\\.tmp")).toList();
        }
    }
}
