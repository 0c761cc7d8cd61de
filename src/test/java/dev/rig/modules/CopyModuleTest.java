package dev.rig.modules;

import dev.rig.plan.Action;
import dev.rig.plan.Diff;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.rig.modules.ModuleTests.args;
import static dev.rig.modules.ModuleTests.converge;
import static dev.rig.modules.ModuleTests.ctx;
import static dev.rig.modules.ModuleTests.descriptions;
import static dev.rig.modules.ModuleTests.fixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CopyModuleTest {
    private final CopyModule module = new CopyModule();

    private Outcome plan(String fixture, ModuleContext ctx, Object... args) {
        return module.plan(ModuleTests.args(args), fixture("copy", fixture), ctx);
    }

    private static Diff onlyDiff(Outcome o) {
        assertEquals(1, o.change().diffs().size());
        return o.change().diffs().get(0);
    }

    @Test
    void createsAMissingFile() {
        Outcome o = plan("create", ctx(), "dest", "/etc/motd", "content", "Welcome\n", "mode", "0644");
        assertEquals(Action.CREATE, o.change().action());
        assertEquals(List.of("write /etc/motd (8 bytes)"), descriptions(o));
        assertArrayEquals("Welcome\n".getBytes(StandardCharsets.UTF_8), o.change().commands().get(0).stdin());
        assertTrue(o.change().commands().get(0).script().contains("chmod 0644 \"$t\""));
        Diff d = onlyDiff(o);
        assertEquals("", d.beforeText());
        assertEquals("Welcome\n", d.afterText());
        assertEquals("absent", d.before().get("state"));
        assertEquals("0644", d.after().get("mode"));
    }

    @Test
    void updatesChangedContentWithATextDiff() {
        Outcome o = plan("update", ctx(), "dest", "/etc/motd", "content", "Welcome\n");
        assertEquals(Action.UPDATE, o.change().action());
        assertEquals(List.of("write /etc/motd (8 bytes)"), descriptions(o));
        Diff d = onlyDiff(o);
        assertEquals("old motd\n", d.beforeText());
        assertEquals("Welcome\n", d.afterText());
        assertEquals(dev.rig.core.Digests.sha256("Welcome\n".getBytes(StandardCharsets.UTF_8)), d.after().get("sha256"));
    }

    @Test
    void unchangedContentIsOk() {
        Outcome o = plan("unchanged", ctx(), "dest", "/etc/motd", "content", "Welcome\n", "mode", "0644");
        assertFalse(o.change().changes());
        assertFalse(o.failed());
    }

    @Test
    void sameContentOtherModeOnlyChmods() {
        Outcome o = plan("attrs-only", ctx(), "dest", "/etc/motd", "content", "Welcome\n", "mode", "0644");
        assertEquals(Action.UPDATE, o.change().action());
        assertEquals(List.of("chmod 0644 /etc/motd"), descriptions(o));
        assertNull(o.change().commands().get(0).stdin(), "no upload when only the mode differs");
        assertFalse(onlyDiff(o).hasText());
        assertEquals(Map.of("mode", "0600"), onlyDiff(o).before());
    }

    @Test
    void binaryContentHasNoTextDiff(@TempDir Path files) throws IOException {
        Files.write(files.resolve("logo.bin"), new byte[] {0, 1, 2, (byte) 0xff});
        Outcome o = plan("binary", ctx(Map.of(), files), "dest", "/srv/logo.bin", "src", "logo.bin");
        assertEquals(Action.UPDATE, o.change().action());
        assertFalse(onlyDiff(o).hasText());
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xff}, o.change().commands().get(0).stdin());
    }

    @Test
    void noLogKeepsContentOutOfTheDiff() {
        Outcome o = plan("no-log", ModuleTests.noLogCtx(), "dest", "/etc/app/secret", "content", "password=new\n");
        assertTrue(o.change().changes());
        Diff d = onlyDiff(o);
        assertFalse(d.hasText());
        assertFalse(d.toString().contains("password"), d::toString);
        assertFalse(descriptions(o).toString().contains("password"));
    }

    @Test
    void tooLargeOldContentHasNoTextDiff() {
        Outcome o = plan("update-too-large", ctx(), "dest", "/srv/big", "content", "small now\n");
        assertEquals(Action.UPDATE, o.change().action());
        assertFalse(onlyDiff(o).hasText(), "a diff against unknown old text would be a lie");
    }

    @Test
    void destinationThatIsADirectoryFails() {
        Outcome o = plan("dest-is-directory", ctx(), "dest", "/etc/app", "content", "x");
        assertTrue(o.failed());
        assertTrue(o.message().contains("is a directory"), o.message());
    }

    @Test
    void contentAndSrcAreExclusive() {
        assertEquals(List.of("give exactly one of 'content' or 'src'"), module.crossCheck(Map.of("dest", "/x", "content", "a", "src", "b")));
        assertEquals(List.of("give exactly one of 'content' or 'src'"), module.crossCheck(Map.of("dest", "/x")));
    }

    @Test
    void convergesForReal(@TempDir Path dir) throws IOException {
        Path dest = dir.resolve("motd");
        Outcome created = converge(module, args("dest", dest.toString(), "content", "Welcome\n", "mode", "0640"), ctx(), dir);
        assertEquals(Action.CREATE, created.change().action());
        Outcome updated = converge(module, args("dest", dest.toString(), "content", "Goodbye\n", "mode", "0640"), ctx(), dir);
        assertEquals("Welcome\n", updated.change().diffs().get(0).beforeText());
        assertEquals("Goodbye\n", Files.readString(dest));
        ModuleTests.assertNoLeftoverTempFiles(dir);
    }

    // --- a directory as src, and remote_src: run against the local "host" (sh in a temp directory) ---

    /** files/conf/{app.conf, empty/, sub/deep.txt} beside a playbook in dir. */
    private static Path sourceTree(Path dir) throws IOException {
        Path files = Files.createDirectories(dir.resolve("play/files"));
        Files.createDirectories(files.resolve("conf/sub"));
        Files.createDirectories(files.resolve("conf/empty"));
        Files.writeString(files.resolve("conf/app.conf"), "port=8080\n");
        Files.writeString(files.resolve("conf/sub/deep.txt"), "deep\n");
        return files;
    }

    private static String tree(Path root) throws IOException {
        StringBuilder out = new StringBuilder();
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted().toList()) {
                if (p.equals(root)) continue;
                out.append(root.relativize(p)).append(Files.isDirectory(p) ? "/" : "=" + Files.readString(p).strip()).append('\n');
            }
        }
        return out.toString();
    }

    @Test
    void aDirectoryWithoutTrailingSlashLandsUnderDestByItsName(@TempDir Path dir) throws IOException {
        Path files = sourceTree(dir);
        Path dest = dir.resolve("host/etc/app");
        ModuleContext ctx = ctx(Map.of(), files);
        Outcome first = converge(module, args("src", "conf", "dest", dest.toString(), "mode", "0640", "directory_mode", "0750"), ctx, dir);
        assertEquals(Action.CREATE, first.change().action());
        assertEquals("conf/\nconf/app.conf=port=8080\nconf/empty/\nconf/sub/\nconf/sub/deep.txt=deep\n", tree(dest),
                "dest/conf/..., its missing parents made");
        assertEquals(List.of("mkdir " + dest + "/conf", "write " + dest + "/conf/app.conf (10 bytes)", "mkdir " + dest + "/conf/empty",
                "mkdir " + dest + "/conf/sub", "write " + dest + "/conf/sub/deep.txt (5 bytes)"), descriptions(first), "parents before children");
        assertEquals("640\n", ModuleTests.sh(dir, "stat -c %a " + dest + "/conf/sub/deep.txt", null).stdout());
        assertEquals("750\n", ModuleTests.sh(dir, "stat -c %a " + dest + "/conf/sub", null).stdout(), "directory_mode on directories it made");
        assertEquals(1, module.probe(args("src", "conf", "dest", dest.toString()), ctx).script().split("sha256sum", -1).length - 1,
                "one sha256sum for the whole tree");
    }

    @Test
    void aDirectoryWithTrailingSlashPutsItsContentsIntoDest(@TempDir Path dir) throws IOException {
        Path files = sourceTree(dir);
        Path dest = Files.createDirectories(dir.resolve("host/srv/app"));
        Files.writeString(dest.resolve("local.txt"), "mine\n");
        ModuleContext ctx = ctx(Map.of(), files);
        converge(module, args("src", "conf/", "dest", dest.toString()), ctx, dir);
        assertEquals("app.conf=port=8080\nempty/\nlocal.txt=mine\nsub/\nsub/deep.txt=deep\n", tree(dest),
                "the contents, and a file the source lacks stays (copy never deletes)");

        Files.writeString(files.resolve("conf/sub/deep.txt"), "deeper\n");
        Outcome changed = ModuleTests.planLocally(module, args("src", "conf/", "dest", dest.toString()), ctx(Map.of(), files), dir);
        assertEquals(List.of("write " + dest + "/sub/deep.txt (7 bytes)"), descriptions(changed), "only the file that differs");
        assertEquals(Action.UPDATE, changed.change().action());
        assertEquals(0, ModuleTests.apply(changed, dir).rc());
        assertEquals("deeper\n", Files.readString(dest.resolve("sub/deep.txt")));
        ModuleTests.assertNoLeftoverTempFiles(dest.resolve("sub"));
    }

    @Test
    void aDirectoryTreeRefusesAFileWhereItNeedsADirectory(@TempDir Path dir) throws IOException {
        Path files = sourceTree(dir);
        Path dest = Files.createDirectories(dir.resolve("host/srv/app"));
        Files.writeString(dest.resolve("sub"), "a file\n");
        Outcome o = ModuleTests.planLocally(module, args("src", "conf/", "dest", dest.toString()), ctx(Map.of(), files), dir);
        assertTrue(o.failed());
        assertEquals(dest + "/sub exists and is a file, not a directory", o.message());
    }

    @Test
    void remoteSrcCopiesAFileOnTheHostByChecksum(@TempDir Path dir) throws IOException {
        Path src = Files.writeString(dir.resolve("built.bin"), "v1\n");
        Path destDir = Files.createDirectories(dir.resolve("opt"));
        Outcome first = converge(module, args("src", src.toString(), "dest", destDir + "/", "remote_src", true, "mode", "0600"), ctx(), dir);
        assertEquals(List.of("copy " + src + " to " + destDir + "/built.bin on the host"), descriptions(first), "into the directory, by its name");
        assertEquals("v1\n", Files.readString(destDir.resolve("built.bin")));
        assertEquals("600\n", ModuleTests.sh(dir, "stat -c %a " + destDir.resolve("built.bin"), null).stdout());

        Files.writeString(src, "v2\n");
        Outcome again = ModuleTests.planLocally(module, args("src", src.toString(), "dest", destDir.resolve("built.bin").toString(), "remote_src", true), ctx(), dir);
        assertEquals(Action.UPDATE, again.change().action());
        Files.writeString(src, "v3\n"); // changed between plan and apply: the copy refuses what the plan did not see
        ModuleTests.Ran ran = ModuleTests.apply(again, dir);
        assertEquals(1, ran.rc());
        assertTrue(ran.stderr().contains("changed since the plan read it"), ran.stderr());
        assertEquals("v1\n", Files.readString(destDir.resolve("built.bin")));
        ModuleTests.assertNoLeftoverTempFiles(destDir);
    }

    @Test
    void remoteSrcCopiesADirectoryAsAnsibleDoes(@TempDir Path dir) throws IOException {
        Path src = sourceTree(dir).resolve("conf");
        Path dest = dir.resolve("host/srv");
        converge(module, args("src", src.toString(), "dest", dest.toString(), "remote_src", true), ctx(), dir);
        assertEquals("conf/\nconf/app.conf=port=8080\nconf/empty/\nconf/sub/\nconf/sub/deep.txt=deep\n", tree(dest));
        Path flat = dir.resolve("host/flat");
        converge(module, args("src", src + "/", "dest", flat.toString(), "remote_src", true), ctx(), dir);
        assertEquals("app.conf=port=8080\nempty/\nsub/\nsub/deep.txt=deep\n", tree(flat));

        Files.createSymbolicLink(src.resolve("link"), Path.of("app.conf"));
        Outcome link = ModuleTests.planLocally(module, args("src", src + "/", "dest", flat.toString(), "remote_src", true), ctx(), dir);
        assertTrue(link.failed());
        assertEquals("remote_src: not a regular file or directory (links and devices are not copied): " + src + "/link", link.message());
        Outcome missing = ModuleTests.planLocally(module, args("src", dir + "/nope", "dest", flat.toString(), "remote_src", true), ctx(), dir);
        assertEquals("remote_src: " + dir + "/nope does not exist on the host", missing.message());
    }
}
