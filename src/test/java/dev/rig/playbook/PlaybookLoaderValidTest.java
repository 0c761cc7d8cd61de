package dev.rig.playbook;

import dev.rig.core.Source;
import dev.rig.template.TemplateError;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.rig.playbook.Fixtures.map;
import static dev.rig.playbook.Fixtures.names;
import static dev.rig.playbook.Fixtures.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model built from a valid playbook with roles, imports and every task keyword (fixture: playbook/valid). */
class PlaybookLoaderValidTest {
    private static Playbook playbook;
    private static Play web;
    private static Path dir;

    @BeforeAll
    static void load() {
        playbook = Fixtures.load("valid");
        web = playbook.plays().get(0);
        dir = Fixtures.playbook("valid").getParent();
    }

    private static Task task(String name) {
        return web.tasks().stream().filter(t -> name.equals(t.name())).findFirst()
                .orElseThrow(() -> new AssertionError("no task " + name + " in " + names(web.tasks())));
    }

    private static Task handler(String name) {
        return web.handlers().stream().filter(t -> name.equals(t.name())).findFirst()
                .orElseThrow(() -> new AssertionError("no handler " + name));
    }

    @Test
    void playsInOrderWithTheirKeywords() {
        assertEquals(Fixtures.playbook("valid"), playbook.file());
        assertEquals(2, playbook.plays().size());
        assertEquals("Web servers", web.name());
        assertEquals("web:&prod", web.hosts());
        assertEquals(Boolean.TRUE, web.become());
        assertEquals("root", web.becomeUser());
        assertEquals(2, web.serial());
        assertEquals(25, web.maxFailPercentage());
        assertEquals(new Source(playbook.file().toString(), 1, 3), web.source());
        assertEquals(playbook.file(), web.file());
        Play db = playbook.plays().get(1);
        assertEquals("db", db.hosts());
        assertEquals("db", db.displayName());
        assertNull(db.become());
        assertNull(db.serial());
        assertNull(db.maxFailPercentage());
        assertEquals(List.of("second play", "block content"), names(db.tasks()));
        assertEquals(List.of(), db.handlers());
        assertEquals(Map.of(), db.roleDefaults());
    }

    @Test
    void varsFilesOverridePlayVars() {
        assertEquals(map("app_port", 9090, "greeting", "hello ${inventory_hostname}", "region", "ams3"), web.vars());
    }

    @Test
    void taskOrderIsPreTasksRolesTasksPostTasks() {
        assertEquals(List.of("pre check", "base dir", "site config", "index", "web more", "app config", "motd", "directories",
                "restart unless ok", "extra", "shell"), names(web.tasks()));
    }

    @Test
    void roleDefaultsAndRoleVarsAreGatheredOnThePlay() {
        assertEquals(map("base_dir", "/opt/base", "web_root", "/var/www", "web_port", 80), web.roleDefaults());
        assertEquals(map("web_user", "www-data", "web_root", "/srv/www"), web.roleVars());
    }

    @Test
    void roleTasksKnowTheirRoleAndLookInTheRoleFirst() {
        Path webRole = dir.resolve("roles/web");
        Task site = task("site config");
        assertEquals("web", site.role());
        assertEquals("web : site config", site.displayName());
        assertEquals(List.of(webRole.resolve("files"), webRole, dir.resolve("files"), dir), site.fileDirs());
        assertEquals(List.of(webRole.resolve("templates"), webRole, dir.resolve("templates"), dir), site.templateDirs());
        assertEquals(new Source(dir.resolve("roles/web/tasks/main.yml").toString(), 1, 3), site.source());
        Task more = task("web more");
        assertEquals("web", more.role(), "imported into a role: still the role's task");
        assertEquals(new Source(dir.resolve("roles/web/tasks/more.yml").toString(), 1, 3), more.source());
        assertEquals("base", task("base dir").role());
        Task play = task("app config");
        assertNull(play.role());
        assertEquals("app config", play.displayName());
        assertEquals(List.of(dir.resolve("files"), dir), play.fileDirs());
        assertEquals(List.of(dir.resolve("templates"), dir), play.templateDirs());
    }

    @Test
    void tagsAreInheritedFromPlayRoleAndImport() {
        assertEquals(Set.of("site"), task("pre check").tags());
        assertEquals(Set.of("site"), task("base dir").tags());
        assertEquals(Set.of("site", "webtag"), task("site config").tags());
        assertEquals(Set.of("site", "webtag"), task("web more").tags());
        assertEquals(Set.of("site", "config"), task("app config").tags());
        assertEquals(Set.of("site", "extra", "own"), task("extra").tags());
        assertEquals(Set.of("site"), task("motd").tags());
        assertEquals(Set.of("site", "webtag"), handler("reload web").tags());
    }

    @Test
    void modulesAndArguments() {
        Task pre = task("pre check");
        assertEquals("command", pre.module());
        assertEquals(Map.of("cmd", "/usr/bin/true"), pre.args(), "free-form command");
        assertEquals("false", pre.changedWhen());

        Task conf = task("app config");
        assertEquals("template", conf.module());
        assertEquals(map("src", "app.conf.ftl", "dest", "/etc/app.conf", "mode", "0644"), conf.args());
        assertEquals(new Source(playbook.file().toString(), 28, 16), conf.argSource("mode"));
        assertEquals(new Source(playbook.file().toString(), 27, 15), conf.argSource("dest"));
        assertEquals(conf.source(), conf.argSource("no-such-arg"));
        assertEquals(new Source(playbook.file().toString(), 24, 7), conf.source());
        assertEquals(List.of("restart app"), conf.notifies());
        assertEquals("conf", conf.register());

        Task motd = task("motd");
        assertEquals("copy", motd.module(), "ansible.builtin.copy is copy");
        assertEquals(map("src", "motd.txt", "dest", "/etc/motd", "mode", 0644), motd.args());
        assertEquals("app_port > 1000 && greeting?has_content", motd.when());
        assertEquals(new Source(playbook.file().toString(), 37, 13), motd.whenSource());
        assertTrue(motd.noLog());
        assertTrue(motd.ignoreErrors());
        assertEquals(Boolean.FALSE, motd.become());

        Task restart = task("restart unless ok");
        assertEquals(map("cmd", "systemctl is-active app", "chdir", "/tmp"), restart.args(), "args: merged into the module's arguments");
        assertEquals("active", restart.register());
        assertEquals("false", restart.changedWhen());
        assertEquals("active.rc > 3", restart.failedWhen());
        assertEquals(List.of("restart app", "web changed"), restart.notifies());
        assertFalse(restart.noLog());
        assertFalse(restart.ignoreErrors());
        assertNull(restart.when());
        assertNull(restart.become());

        Task post = web.tasks().get(web.tasks().size() - 1);
        assertEquals("shell", post.module());
        assertEquals(Map.of("cmd", "echo done > /tmp/done"), post.args());
        assertEquals("shell", post.displayName());
    }

    @Test
    void aWhenListMeansAllMustHoldAndWithItemsIsALoop() {
        Task t = playbook.plays().get(1).tasks().get(1);
        assertEquals("(db_port > 0) && (db_enabled)", t.when());
        assertEquals(List.of(1), t.loop());
        assertEquals("false", t.changedWhen());
        assertEquals("listen ${db_port}\n# end\n", t.args().get("content"));
    }

    @Test
    void aBlockScalarArgumentStartsOnItsFirstContentLine() {
        Task t = playbook.plays().get(1).tasks().get(1);
        Source content = t.argSource("content");
        assertEquals(new Source(playbook.file().toString(), 78, 11), content);
        // so an undefined variable in it is reported where it is written
        TemplateError e = assertThrows(TemplateError.class,
                () -> Fixtures.TEMPLATES.renderValue(t.args().get("content"), content, Map.of()));
        assertEquals(new Source(playbook.file().toString(), 78, 20), e.source());
        assertEquals("undefined variable 'db_port'", e.problem());
    }

    @Test
    void aQuotedArgumentStartsAfterItsQuote() {
        Task t = task("directories");
        Source path = t.argSource("path");
        assertEquals(new Source(playbook.file().toString(), 43, 16), path);
        TemplateError e = assertThrows(TemplateError.class,
                () -> Fixtures.TEMPLATES.renderValue(t.args().get("path"), path, Map.of()));
        assertEquals(new Source(playbook.file().toString(), 43, 23), e.source(), "the 'd' of ${dir}");
    }

    @Test
    void loops() {
        Task dirs = task("directories");
        assertEquals(List.of("a", "b"), dirs.loop());
        assertEquals("${dir}", dirs.loopLabel());
        assertEquals("dir", dirs.loopVar());
        assertEquals("/srv/${dir}", dirs.args().get("path"), "templates stay unrendered until the task runs");
        assertNull(task("motd").loop());
        assertEquals("item", task("motd").loopVar());
    }

    @Test
    void handlersFromRolesAndPlayWithListen() {
        assertEquals(List.of("reload web", "restart app", "reload caddy"), names(web.handlers()));
        assertEquals(List.of("web changed"), handler("reload caddy").listen());
        assertEquals(List.of(), handler("restart app").listen());
        assertEquals("web", handler("reload web").role());
        assertEquals(Map.of("cmd", "systemctl restart app"), handler("restart app").args());
    }

    @Test
    void everyFileReadIsListed() {
        List<Path> read = playbook.filesRead();
        for (String f : List.of("site.yml", "vars/common.yml", "tasks/extra.yml", "templates/app.conf.ftl",
                "roles/web/tasks/main.yml", "roles/web/tasks/more.yml", "roles/web/handlers/main.yml",
                "roles/web/defaults/main.yml", "roles/web/vars/main.yml", "roles/web/templates/site.conf.ftl",
                "roles/base/tasks/main.yml", "roles/base/defaults/main.yml")) {
            assertTrue(read.contains(path("valid", f)), f + " not in " + read);
        }
    }

    @Test
    void loadAllReturnsEveryPlaybook() {
        List<Playbook> all = PlaybookLoader.loadAll(List.of(Fixtures.playbook("valid"), Fixtures.playbook("minimal")),
                Fixtures.catalog(), Fixtures.TEMPLATES);
        assertEquals(2, all.size());
        assertEquals(Fixtures.playbook("minimal"), all.get(1).file());
        assertEquals(List.of("only"), names(all.get(1).plays().get(0).tasks()));
    }

    @Test
    void aRelativePathIsMadeAbsolute() {
        Path abs = Fixtures.playbook("minimal");
        Path rel = Path.of("").toAbsolutePath().relativize(abs);
        Playbook pb = PlaybookLoader.load(rel, Fixtures.catalog(), Fixtures.TEMPLATES);
        assertEquals(abs, pb.file());
        assertEquals(abs.toString(), pb.plays().get(0).tasks().get(0).source().file());
    }
}
