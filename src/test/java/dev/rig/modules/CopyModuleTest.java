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
}
