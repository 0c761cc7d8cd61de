package dev.rig.modules;

import dev.rig.plan.Action;
import dev.rig.plan.Diff;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineinfileModuleTest {
    private static final String PATH = "/etc/app.conf";
    private final LineinfileModule module = new LineinfileModule();

    private Outcome plan(String fixture, Object... args) {
        Object[] withPath = new Object[args.length + 2];
        withPath[0] = "path";
        withPath[1] = PATH;
        System.arraycopy(args, 0, withPath, 2, args.length);
        return module.plan(args(withPath), fixture("lineinfile", fixture), ctx());
    }

    /** Asserts the plan rewrites the file from {@code before} to {@code after}, in the diff and in the upload. */
    private static void assertRewrites(Outcome o, String before, String after) {
        assertFalse(o.failed(), o::message);
        assertEquals(Action.UPDATE, o.change().action());
        assertEquals(List.of("write " + PATH + " (" + after.length() + " bytes)"), descriptions(o));
        assertEquals(after, utf8(o.change().commands().get(0).stdin()));
        Diff diff = o.change().diffs().get(0);
        assertEquals(before, diff.beforeText());
        assertEquals(after, diff.afterText());
    }

    private static void assertUnchanged(Outcome o) {
        assertFalse(o.failed(), o::message);
        assertFalse(o.change().changes(), () -> descriptions(o).toString());
    }

    @Test
    void regexpReplacesTheLastMatchingLine() {
        Outcome o = plan("regexp-replaces-last-match", "regexp", "^port=", "line", "port=3");
        assertRewrites(o, "a\nport=1\nb\nport=2\nc\n", "a\nport=1\nb\nport=3\nc\n");
        assertEquals(PATH + ": line replaced", o.message());
        assertEquals("line replaced", o.result().get("msg"));
    }

    @Test
    void regexpMatchingTheWantedLineChangesNothing() {
        assertUnchanged(plan("regexp-match-is-already-the-line", "regexp", "^port=", "line", "port=3"));
    }

    @Test
    void noRegexpMatchButTheExactLineExistsChangesNothing() {
        assertUnchanged(plan("regexp-no-match-but-line-exists", "regexp", "^#port=", "line", "port=3"));
    }

    @Test
    void anExistingLineIsLeftAloneEvenWithInsertafter() {
        assertUnchanged(plan("line-exists", "line", "Listen 80", "insertafter", "^a"));
    }

    @Test
    void aNewLineGoesAtTheEndByDefault() {
        Outcome o = plan("append-at-eof", "line", "c");
        assertRewrites(o, "a\nb\n", "a\nb\nc\n");
        assertEquals("line added", o.result().get("msg"));
    }

    @Test
    void aFileWithoutTrailingNewlineGetsOneBeforeTheAppendedLine() {
        assertRewrites(plan("append-without-trailing-newline", "line", "c", "insertafter", "EOF"), "a\nb", "a\nb\nc\n");
    }

    @Test
    void insertafterUsesTheLastMatch() {
        assertRewrites(plan("insertafter-last-match", "line", "z=9", "insertafter", "^\\[main\\]"),
                "[main]\nx=1\n[main]\ny=2\n", "[main]\nx=1\n[main]\nz=9\ny=2\n");
    }

    @Test
    void insertafterWithoutAMatchAppends() {
        assertRewrites(plan("insertafter-no-match", "line", "z=9", "insertafter", "^\\[other\\]"), "[main]\nx=1\n", "[main]\nx=1\nz=9\n");
    }

    @Test
    void insertafterTheLastLineLackingANewlineKeepsLinesApart() {
        assertRewrites(plan("insertafter-last-line-without-newline", "line", "x=1", "insertafter", "^\\[main\\]"), "a\n[main]", "a\n[main]\nx=1\n");
    }

    @Test
    void insertbeforeUsesTheLastMatch() {
        assertRewrites(plan("insertbefore-last-match", "line", "w=0", "insertbefore", "^# "),
                "# one\nx=1\n# two\ny=2\n", "# one\nx=1\nw=0\n# two\ny=2\n");
    }

    @Test
    void insertbeforeBofPutsTheLineFirst() {
        assertRewrites(plan("insertbefore-bof", "line", "# managed by rig", "insertbefore", "BOF"),
                "#!/bin/sh\necho hi\n", "# managed by rig\n#!/bin/sh\necho hi\n");
        assertRewrites(plan("insertbefore-bof", "line", "# managed by rig", "insertafter", "BOF"),
                "#!/bin/sh\necho hi\n", "# managed by rig\n#!/bin/sh\necho hi\n");
    }

    @Test
    void absentRemovesEveryLineMatchingRegexp() {
        Outcome o = plan("absent-regexp-removes-every-match", "state", "absent", "regexp", "^#");
        assertRewrites(o, "a\n#x\nb\n#y\nc\n", "a\nb\nc\n");
        assertEquals(2, o.result().get("found"));
        assertEquals("2 lines removed", o.result().get("msg"));
    }

    @Test
    void absentWithLineRemovesOnlyExactMatches() {
        assertRewrites(plan("absent-line-removes-exact-matches", "state", "absent", "line", "foo"), "a\nfoo\nfoo \nfoo\n", "a\nfoo \n");
    }

    @Test
    void absentWithNothingToRemoveIsOk() {
        Outcome o = plan("absent-nothing-to-remove", "state", "absent", "regexp", "^#");
        assertUnchanged(o);
        assertEquals(0, o.result().get("found"));
    }

    @Test
    void absentOnAMissingFileIsOk() {
        assertUnchanged(plan("missing-file", "state", "absent", "line", "x"));
    }

    @Test
    void aMissingFileFailsUnlessCreate() {
        Outcome o = plan("missing-file", "line", "x=1");
        assertTrue(o.failed());
        assertTrue(o.message().contains("create: true"), o.message());
    }

    @Test
    void createMakesTheFileWithTheLine() {
        Outcome o = plan("missing-file", "line", "x=1", "create", true, "mode", "0600");
        assertEquals(Action.CREATE, o.change().action());
        assertEquals("x=1\n", utf8(o.change().commands().get(0).stdin()));
        assertEquals("", o.change().diffs().get(0).beforeText());
        assertTrue(o.change().commands().get(0).script().contains("chmod 0600"));
    }

    @Test
    void crlfLinesKeepTheirEndings() {
        assertRewrites(plan("crlf-line-keeps-its-ending", "regexp", "^port=", "line", "port=2"),
                "a\r\nport=1\r\nb\r\n", "a\r\nport=2\r\nb\r\n");
    }

    @Test
    void onlyTheModeDiffersSoOnlyChmod() {
        Outcome o = plan("mode-differs-only", "line", "Listen 80", "mode", "0644");
        assertEquals(List.of("chmod 0644 " + PATH), descriptions(o));
        assertFalse(o.change().diffs().get(0).hasText());
    }

    @Test
    void refusesWhatIsNotASmallTextFile() {
        assertTrue(plan("is-directory", "line", "x").failed());
        assertTrue(plan("too-large", "line", "x").message().contains("larger than"));
        assertTrue(plan("not-utf8", "line", "x").message().contains("not a UTF-8 text file"));
    }

    @Test
    void noLogKeepsTheTextOutOfTheDiff() {
        Outcome o = module.plan(args("path", PATH, "line", "c"), fixture("lineinfile", "append-at-eof"), ModuleTests.noLogCtx());
        assertTrue(o.change().changes());
        assertFalse(o.change().diffs().get(0).hasText());
    }

    @Test
    void aStateKnownOnlyPerHostIsStillChecked() {
        assertEquals("unknown state 'gone'", plan("append-at-eof", "state", "gone", "line", "x").message());
    }

    @Test
    void aBadRegexpIsAnArgumentError() {
        assertThrows(Args.ArgumentException.class, () -> plan("append-at-eof", "regexp", "(", "line", "x"));
    }

    @Test
    void crossChecks() {
        assertEquals(List.of("state 'present' requires 'line'"), module.crossCheck(Map.of("path", PATH, "regexp", "x")));
        assertEquals(List.of("state 'absent' requires 'regexp' or 'line'"), module.crossCheck(Map.of("path", PATH, "state", "absent")));
        assertEquals(List.of(), module.crossCheck(Map.of("path", PATH, "state", "absent", "regexp", "^x")));
        assertEquals(List.of("give at most one of 'insertafter' or 'insertbefore'"),
                module.crossCheck(Map.of("path", PATH, "line", "x", "insertafter", "a", "insertbefore", "b")));
        assertTrue(module.crossCheck(Map.of("path", PATH, "line", "x", "regexp", "([a-z]")).get(0).startsWith("argument 'regexp' is not a valid regular expression"));
        assertEquals(List.of(), module.crossCheck(Map.of("path", PATH, "line", "x", "regexp", "${pattern}")), "templates are checked per host");
        Map<String, Object> templatedState = new HashMap<>(Map.of("path", PATH, "state", "${wanted}"));
        assertEquals(List.of(), module.crossCheck(templatedState), "state known only per host");
    }

    @Test
    void splitsLinesKeepingTheirEndings() {
        assertEquals(List.of("a\n", "b\r\n", "c"), LineinfileModule.splitLines("a\nb\r\nc"));
        assertEquals(List.of(), LineinfileModule.splitLines(""));
    }

    // --- for real, in a temp directory ----------------------------------------------------

    @Test
    void convergesForReal(@TempDir Path dir) throws IOException {
        Path conf = dir.resolve("sshd_config");
        Files.writeString(conf, "Port 22\n#PermitRootLogin yes\nUsePAM yes");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        String path = conf.toString();

        converge(module, args("path", path, "regexp", "^#?PermitRootLogin", "line", "PermitRootLogin no"), ctx(), dir);
        converge(module, args("path", path, "line", "X11Forwarding no"), ctx(), dir);
        converge(module, args("path", path, "line", "# managed by rig", "insertbefore", "BOF"), ctx(), dir);
        converge(module, args("path", path, "state", "absent", "regexp", "^UsePAM"), ctx(), dir);
        assertEquals("# managed by rig\nPort 22\nPermitRootLogin no\nX11Forwarding no\n", Files.readString(conf));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(conf)), "the old mode is kept");

        Path created = dir.resolve("new.conf");
        converge(module, args("path", created.toString(), "line", "a=1", "create", true, "mode", "0640"), ctx(), dir);
        assertEquals("a=1\n", Files.readString(created));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(created)));
        ModuleTests.assertNoLeftoverTempFiles(dir);
    }
}
