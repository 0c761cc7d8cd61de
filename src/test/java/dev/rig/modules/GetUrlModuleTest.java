package dev.rig.modules;

import dev.rig.plan.Action;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.rig.modules.ModuleTests.args;
import static dev.rig.modules.ModuleTests.ctx;
import static dev.rig.modules.ModuleTests.descriptions;
import static dev.rig.modules.ModuleTests.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** get_url from probe fixtures: when it downloads, what it checks, and what it never sends on a command line. */
class GetUrlModuleTest {
    static final String URL = "http://127.0.0.1:8080/dl/app.tgz";
    static final String SHA = "d4e4877bac978b7952f0d544fc52ebff5411d351d129f1f056fa43f11da9af2b";
    private final GetUrlModule module = new GetUrlModule();

    private Outcome plan(String fixture, Object... args) {
        Object[] all = new Object[args.length + 4];
        all[0] = "url";
        all[1] = URL;
        all[2] = "dest";
        all[3] = "/opt/app.tgz";
        System.arraycopy(args, 0, all, 4, args.length);
        return module.plan(args(all), fixture("get_url", fixture), ctx());
    }

    @Test
    void aMissingFileIsDownloadedAndChecked() {
        Outcome o = plan("absent", "checksum", "sha256:" + SHA.toUpperCase(), "mode", "0640");
        assertEquals(List.of("download " + URL + " to /opt/app.tgz"), descriptions(o));
        assertEquals(Action.CREATE, o.change().action());
        String script = o.change().commands().get(0).script();
        assertTrue(script.contains("[ \"$h\" = " + SHA + " ]"), "the checksum, normalized to lower case, is checked before the rename:\n" + script);
        assertTrue(script.indexOf("sha256sum") < script.indexOf("mv -f"), script);
        assertTrue(script.contains("chmod 0640 \"$t\""), script);
    }

    @Test
    void anExistingFileIsKeptWithoutChecksumOrWhenItMatches() {
        assertFalse(plan("present-other").change().changes(), "no checksum, no force: an existing file is kept");
        assertFalse(plan("present-matching", "checksum", "sha256:" + SHA).change().changes());
        Outcome differs = plan("present-other", "checksum", "sha256:" + SHA);
        assertEquals(List.of("download " + URL + " to /opt/app.tgz"), descriptions(differs));
        assertEquals(Map.of("state", "file", "sha256", "0000"), differs.change().diffs().get(0).before());
    }

    @Test
    void matchingFileWithOtherAttributesIsOnlyFixed() {
        Outcome o = plan("present-matching", "checksum", "sha256:" + SHA, "mode", "0600", "owner", "app");
        assertEquals(List.of("chmod 0600 /opt/app.tgz", "chown app /opt/app.tgz"), descriptions(o));
    }

    @Test
    void aChecksumFileNamesTheDigestOfTheUrlsFile() {
        assertFalse(plan("present-sums-file", "checksum", "sha256:http://127.0.0.1:8080/dl/SHA256SUMS").change().changes());
        assertEquals(SHA, GetUrlModule.fromChecksumFile(java.util.Base64.getEncoder().encodeToString((SHA + "\n").getBytes()), "x", "u"),
                "a file holding only a digest is that digest");
        Outcome missing = module.plan(args("url", "http://h/other.tgz", "dest", "/opt/app.tgz", "checksum", "sha256:http://h/SUMS"),
                fixture("get_url", "present-sums-file"), ctx());
        assertFalse(missing.failed(), "other.tgz is in the file");
        assertEquals(1, missing.change().commands().size(), "its digest 1111 is not the file's: download");
        Outcome none = module.plan(args("url", "http://h/nope.tgz", "dest", "/opt/app.tgz", "checksum", "sha256:http://h/SUMS"),
                fixture("get_url", "present-sums-file"), ctx());
        assertTrue(none.failed());
        assertEquals("Unable to find a checksum for file 'nope.tgz' in 'http://h/SUMS'", none.message());
    }

    @Test
    void forceDownloadsOnlyWhenTheRemoteContentDiffers() {
        assertFalse(plan("force-same-remote", "force", true).change().changes(), "the probe hashed the remote body: same, so ok");
        assertEquals(1, plan("force-changed-remote", "force", true).change().commands().size());
        assertTrue(module.probe(args("url", URL, "dest", "/opt/app.tgz", "force", true), ctx()).script().contains("sha256sum"));
    }

    @Test
    void credentialsAndHeadersGoToCurlsConfigNotItsCommandLine() {
        Outcome o = plan("absent", "url_username", "bob", "url_password", "pw\"1", "headers", Map.of("X-Token", "t0k"));
        String script = o.change().commands().get(0).script();
        assertTrue(script.contains("-K - -- \"$1\" <<'RIG_CURL_CONFIG'\nheader = \"X-Token: t0k\"\nuser = \"bob:pw\\\"1\"\nRIG_CURL_CONFIG\n"), script);
        assertFalse(o.change().commands().get(0).description().contains("pw"));
    }

    @Test
    void badChecksumsAreRefusedAtLoad() {
        assertEquals(List.of("checksum must be ALGORITHM:CHECKSUM or ALGORITHM:URL, not 'abc'"), module.crossCheck(Map.of("checksum", "abc")));
        assertEquals(List.of("unknown checksum algorithm 'crc32'"), module.crossCheck(Map.of("checksum", "crc32:abc")));
        assertEquals(List.of("the checksum format is invalid: 'xyz'"), module.crossCheck(Map.of("checksum", "sha256:xyz")));
        assertEquals("app.tgz", GetUrlModule.fileName(URL));
        assertEquals("index.html", GetUrlModule.fileName("http://h/"));
    }

    /** A download cut off with its connection leaves its temp file (no trap runs): the next download into that directory removes it. */
    @Test
    void aDownloadRemovesTheStaleTempFilesOfEarlierOnes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path src = java.nio.file.Files.writeString(dir.resolve("served.txt"), "payload\n");
        java.nio.file.Path dest = dir.resolve("app.txt");
        java.nio.file.Path stale = java.nio.file.Files.writeString(dir.resolve(".rig-Zx81Qw0e.tmp"), "half a download");
        ModuleTests.converge(module, args("url", src.toUri().toString(), "dest", dest.toString()), ctx(), dir);
        assertEquals("payload\n", java.nio.file.Files.readString(dest));
        assertFalse(java.nio.file.Files.exists(stale), "the stale temp file is removed");
        ModuleTests.assertNoLeftoverTempFiles(dir);
    }
}
