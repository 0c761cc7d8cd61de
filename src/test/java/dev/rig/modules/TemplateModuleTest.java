package dev.rig.modules;

import dev.rig.plan.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.rig.modules.ModuleTests.args;
import static dev.rig.modules.ModuleTests.converge;
import static dev.rig.modules.ModuleTests.fixture;
import static dev.rig.modules.ModuleTests.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemplateModuleTest {
    private final TemplateModule module = new TemplateModule();
    private final Args motd = args("src", "motd.ftl", "dest", "/etc/motd");

    private static Path templates() {
        try {
            return Path.of(TemplateModuleTest.class.getResource("/modules/template/templates").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ModuleContext host(String name, String role) {
        return ModuleTests.ctx(Map.of("inventory_hostname", name, "role", role), templates());
    }

    @Test
    void rendersPerHostVariables() {
        Outcome web = module.plan(motd, fixture("template", "absent"), host("web1", "web"));
        Outcome db = module.plan(motd, fixture("template", "absent"), host("db1", "database"));
        assertEquals(Action.CREATE, web.change().action());
        assertEquals("Welcome to web1 (role web)\n", utf8(web.change().commands().get(0).stdin()));
        assertEquals("Welcome to db1 (role database)\n", utf8(db.change().commands().get(0).stdin()));
        assertEquals("Welcome to db1 (role database)\n", db.change().diffs().get(0).afterText());
    }

    @Test
    void aHostAlreadyRenderedIsOkWhileAnotherChanges() {
        assertFalse(module.plan(motd, fixture("template", "web1-up-to-date"), host("web1", "web")).change().changes());
        assertEquals(Action.UPDATE, module.plan(motd, fixture("template", "web1-up-to-date"), host("web2", "web")).change().action());
    }

    @Test
    void probeAsksForOldContentOnlyWhenItDiffers() {
        String probe = module.probe(motd, host("web1", "web")).script();
        String sha = dev.rig.core.Digests.sha256("Welcome to web1 (role web)\n".getBytes(StandardCharsets.UTF_8));
        assertTrue(probe.contains("[ \"$rig_h\" = " + sha + " ]"), probe);
    }

    @Test
    void convergesForReal(@TempDir Path dir) throws IOException {
        Path dest = dir.resolve("motd");
        converge(module, args("src", "motd.ftl", "dest", dest.toString()), host("web1", "web"), dir);
        assertEquals("Welcome to web1 (role web)\n", Files.readString(dest));
    }

    @Test
    void validateKeepsTheOldFileAndBackupKeepsACopyOfIt(@TempDir Path dir) throws IOException {
        Path dest = Files.writeString(dir.resolve("motd"), "Welcome to web1 (role db)\n");
        // A validator every machine has (visudo and sshd run in ModulesOnLabHostTest): the file must name the web role.
        Args refused = args("src", "motd.ftl", "dest", dest.toString(), "validate", "grep -q 'role web' %s", "backup", true);
        Outcome bad = ModuleTests.planLocally(module, refused, host("web1", "database"), dir);
        ModuleTests.Ran ran = ModuleTests.apply(bad, dir);
        assertEquals(1, ran.rc(), ran::toString);
        assertTrue(ran.stderr().contains("failed to validate " + dest + " with grep -q 'role web' %s"), ran.stderr());
        assertEquals("Welcome to web1 (role db)\n", Files.readString(dest), "the old file stays");
        ModuleTests.assertNoLeftoverTempFiles(dir);
        try (var files = Files.list(dir)) {
            assertEquals(List.of("motd"), files.map(p -> p.getFileName().toString()).toList(), "no backup of a write that never happened");
        }

        Outcome good = ModuleTests.planLocally(module, refused, host("web1", "web"), dir);
        ModuleTests.Ran wrote = ModuleTests.apply(good, dir);
        assertEquals(0, wrote.rc(), wrote::toString);
        assertEquals("Welcome to web1 (role web)\n", Files.readString(dest));
        try (var files = Files.list(dir)) {
            List<Path> backups = files.filter(p -> p.getFileName().toString().matches("motd\\.\\d+\\.\\d{4}-\\d{2}-\\d{2}@\\d{2}:\\d{2}:\\d{2}~")).toList();
            assertEquals(1, backups.size(), "one backup, named as Ansible names it");
            assertEquals("Welcome to web1 (role db)\n", Files.readString(backups.get(0)));
            assertTrue(wrote.stdout().contains("backup_file=" + backups.get(0)), wrote.stdout());
        }
    }
}
