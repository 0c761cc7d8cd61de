package dev.rig.docker;

import dev.rig.modules.Args;
import dev.rig.modules.Module;
import dev.rig.modules.ModuleContext;
import dev.rig.modules.Modules;
import dev.rig.modules.Outcome;
import dev.rig.plan.Action;
import dev.rig.plan.Diff;
import dev.rig.plan.HostCommand;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * compose and docker_image as plain values: the files a project would push, and the decisions the
 * module makes from what the host printed — which service differs and why. {@link ComposeStackTest}
 * runs the same modules against real Docker engines.
 */
class ComposeModuleTest {
    static final Module COMPOSE = new Modules().get("compose");
    static final Module IMAGE = new Modules().get("docker_image");
    static final String WEB_HASH = "a".repeat(64);
    static final String WORKER_HASH = "b".repeat(64);

    @TempDir
    Path dir;
    ModuleContext ctx;

    @BeforeEach
    void project() throws IOException {
        Files.createDirectories(dir.resolve("stack/conf"));
        Files.writeString(dir.resolve("stack/compose.yaml.ftl"), "services:\n  web:\n    image: x\n    labels: {host: \"${inventory_hostname}\"}\n");
        Files.writeString(dir.resolve("stack/conf/app.ini"), "a=1\n");
        ctx = ModuleContext.forTest(Map.of("inventory_hostname", "web1"), List.of(dir));
    }

    static Args args(Object... namesAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("src", "stack");
        values.put("dest", "/srv/app");
        for (int i = 0; i < namesAndValues.length; i += 2) values.put((String) namesAndValues[i], namesAndValues[i + 1]);
        return new Args(values);
    }

    /** Probe output where every pushed file already matches, plus the docker part given. */
    String probeWithFilesInPlace(Args args, String docker) {
        // The probe is run on the host; here each file part answers "present with this checksum".
        StringBuilder s = new StringBuilder();
        String script = COMPOSE.probe(args, ctx).script();
        int files = (int) script.lines().filter(l -> l.startsWith("printf") && l.contains("@@rig-part file")).count();
        List<byte[]> contents = pushed(args);
        for (int i = 0; i < files; i++) {
            s.append("\n@@rig-part file").append(i).append("\nkind=file\nmode=").append(i == files - 1 && args.has("env") ? "600" : "644")
                    .append("\nowner=root\ngroup=root\nsize=1\nsha256=").append(PackageAndServiceModulesTest.sha256(new String(contents.get(i), StandardCharsets.UTF_8))).append('\n');
        }
        if (args.has("env")) s.append("\n@@rig-part envlines\n");
        return s + "\n@@rig-part docker\n" + docker + "\n";
    }

    /** The bytes the module would push, in its order: by applying its own plan on an empty host. */
    List<byte[]> pushed(Args args) {
        String script = COMPOSE.probe(args, ctx).script();
        int files = (int) script.lines().filter(l -> l.startsWith("printf") && l.contains("@@rig-part file")).count();
        StringBuilder empty = new StringBuilder();
        for (int i = 0; i < files; i++) empty.append("\n@@rig-part file").append(i).append("\nkind=absent\n");
        if (args.has("env")) empty.append("\n@@rig-part envlines\n");
        empty.append("\n@@rig-part docker\nflavor=v2\n");
        return COMPOSE.plan(args, empty.toString(), ctx).change().commands().stream()
                .filter(c -> c.stdin() != null).map(HostCommand::stdin).toList();
    }

    static String containers(String... lines) {
        return "flavor=v1\n" + String.join("\n", lines) + "\nhash=web " + WEB_HASH + "\nhash=worker " + WORKER_HASH;
    }

    @Test
    void aFirstDeployPushesEveryFileThenRunsUp() {
        Outcome o = COMPOSE.plan(args("project", "app"), "\n@@rig-part file0\nkind=absent\n@@rig-part file1\nkind=absent\n@@rig-part docker\nflavor=v2\n", ctx);
        List<String> what = o.change().commands().stream().map(HostCommand::description).toList();
        assertEquals("mkdir -p /srv/app", what.get(0));
        assertTrue(what.get(1).startsWith("write /srv/app/compose.yaml ("), what.toString());
        assertTrue(what.get(2).startsWith("write /srv/app/conf/app.ini ("), what.toString());
        assertEquals("compose up -d (project app)", what.get(3));
        assertTrue(o.change().commands().get(0).script().contains("/srv/app/conf"), "subdirectories are made too");
        assertEquals("services:\n  web:\n    image: x\n    labels: {host: \"web1\"}\n", o.change().diffs().get(0).afterText(), "the .ftl is rendered per host");
        assertEquals("project app: push compose.yaml, conf/app.ini, up -d — compose recreates the services whose config the new files change", o.message());
        assertEquals(Action.CREATE, o.change().action());
    }

    @Test
    void aChangedMountedFileRestartsOnlyTheServicesThatMountIt() throws IOException {
        // compose's config hash does not cover a mounted file's content: without the restart the old config would stay live.
        Files.writeString(dir.resolve("stack/compose.yaml.ftl"), "services:\n  web:\n    image: x\n    volumes: [\"./conf:/etc/app:ro\"]\n"
                + "  worker:\n    image: y\n    volumes: [\"data:/data\"]\n");
        Args a = args("project", "app");
        String docker = containers("container=c1 web " + WEB_HASH + " running False", "container=c2 worker " + WORKER_HASH + " running False");
        String probe = probeWithFilesInPlace(a, docker).replaceFirst("(@@rig-part file1\nkind=file\n(?:.*\n){4}sha256=)[0-9a-f]{64}", "$1" + "0".repeat(64));
        Outcome o = COMPOSE.plan(a, probe, ctx);
        List<String> what = o.change().commands().stream().map(HostCommand::description).toList();
        assertTrue(what.contains("compose restart web (project app)"), what.toString());
        assertFalse(what.stream().anyMatch(c -> c.contains("worker")), "worker mounts nothing that changed: " + what);
        assertTrue(o.message().contains("restart web (mounted files changed)"), o.message());
        assertFalse(COMPOSE.plan(a, probeWithFilesInPlace(a, docker), ctx).change().changes(), "nothing changed: no restart");
    }

    @Test
    void aChangedLiveFileIsRewrittenInPlaceAndRestartsNothing() throws IOException {
        // A file the service re-reads (a mounted /etc/hosts): a rename would leave the container on the old inode, a restart lose its buffer.
        Files.writeString(dir.resolve("stack/compose.yaml.ftl"), "services:\n  web:\n    image: x\n    volumes: [\"./conf:/etc/app:ro\"]\n"
                + "  worker:\n    image: y\n");
        Args a = args("project", "app", "live_files", List.of("conf/app.ini"));
        String docker = containers("container=c1 web " + WEB_HASH + " running False", "container=c2 worker " + WORKER_HASH + " running False");
        String probe = probeWithFilesInPlace(a, docker).replaceFirst("(@@rig-part file1\nkind=file\n(?:.*\n){4}sha256=)[0-9a-f]{64}", "$1" + "0".repeat(64));
        Outcome o = COMPOSE.plan(a, probe, ctx);
        List<HostCommand> cmds = o.change().commands();
        List<String> what = cmds.stream().map(HostCommand::description).toList();
        assertFalse(what.stream().anyMatch(c -> c.startsWith("compose ")), "no up, no restart: " + what);
        HostCommand write = cmds.stream().filter(c -> c.description().startsWith("write /srv/app/conf/app.ini")).findFirst().orElseThrow();
        assertTrue(write.script().contains("cat \"$t\" > \"$f\"") && !write.script().contains("mv -f"), write.script());
        assertEquals("project app: rewrite conf/app.ini in place (read live, no restart)", o.message());
        // the same file not named live is renamed over and restarts its service
        String renamed = COMPOSE.plan(args("project", "app"), probe, ctx).change().commands().stream().map(HostCommand::script).reduce("", String::concat);
        assertTrue(renamed.contains("mv -f") && renamed.contains("restart"), renamed);
        assertThrows(Args.ArgumentException.class, () -> COMPOSE.plan(args("project", "app", "live_files", List.of("conf/missing.ini")), probe, ctx));
    }

    @Test
    void runningContainersWithTheExpectedHashesAreOk() {
        Args a = args("project", "app");
        Outcome o = COMPOSE.plan(a, probeWithFilesInPlace(a, containers(
                "container=c1 web " + WEB_HASH + " running False", "container=c2 worker " + WORKER_HASH + " running False")), ctx);
        assertFalse(o.change().changes(), o::message);
        assertEquals("project app: 2 service(s) running with their current config", o.message());
    }

    @Test
    void aStoppedContainerAndAChangedHashAreNamedWithTheirReasons() {
        Args a = args("project", "app");
        String docker = containers("container=c1aaaaaaaaaaaaaa web " + "c".repeat(64) + " running False",
                "container=c2bbbbbbbbbbbbbb worker " + WORKER_HASH + " exited False");
        Outcome o = COMPOSE.plan(a, probeWithFilesInPlace(a, docker), ctx);
        assertEquals("project app: up -d — web: config changed (container c1aaaaaaaaaa has cccccccccccc, the files give aaaaaaaaaaaa);"
                + " worker: container c2bbbbbbbbbb is exited", o.message());
        Diff web = o.change().diffs().get(0);
        assertEquals("app/web", web.resource());
        assertEquals(Map.of("container", "running", "config-hash", "cccccccccccc"), web.before());
        assertEquals(Map.of("container", "running", "config-hash", "aaaaaaaaaaaa"), web.after());
        HostCommand up = o.change().commands().get(0);
        assertTrue(up.script().contains("compose -p app -f compose.yaml up -d\n"), up.script());
        assertTrue(up.script().contains("docker compose version") && up.script().contains("command -v docker-compose"), "v2 or v1, found on the host");
    }

    @Test
    void aMissingServiceContainerIsCreatedAndOneOffContainersDoNotCount() {
        Args a = args("project", "app");
        Outcome o = COMPOSE.plan(a, probeWithFilesInPlace(a, containers("container=c1 web " + WEB_HASH + " running False",
                "container=c9 worker " + WORKER_HASH + " exited True")), ctx);
        assertEquals("project app: up -d — worker: no container", o.message());
    }

    @Test
    void orphansAreRemovedOnlyWhenAsked() {
        String docker = containers("container=c1 web " + WEB_HASH + " running False", "container=c2 worker " + WORKER_HASH + " running False",
                "container=c3 old " + "d".repeat(64) + " running False");
        Args keep = args("project", "app");
        assertFalse(COMPOSE.plan(keep, probeWithFilesInPlace(keep, docker), ctx).change().changes());
        Args remove = args("project", "app", "remove_orphans", true);
        Outcome o = COMPOSE.plan(remove, probeWithFilesInPlace(remove, docker), ctx);
        assertEquals("project app: up -d — old: orphan: no such service in the files", o.message());
        assertTrue(o.change().commands().get(0).script().contains("up -d --remove-orphans"));
    }

    @Test
    void pullNeverChecksImagesAndPullAlwaysPullsFirst() {
        String docker = containers("container=c2 worker " + WORKER_HASH + " exited False");
        Args never = args("project", "app", "pull", "never");
        assertTrue(COMPOSE.plan(never, probeWithFilesInPlace(never, docker), ctx).change().commands().get(0).script()
                .contains("is not on this host, and pull is never"));
        Args always = args("project", "app", "pull", "always");
        Outcome o = COMPOSE.plan(always, probeWithFilesInPlace(always, containers("container=c1 web " + WEB_HASH + " running False",
                "container=c2 worker " + WORKER_HASH + " running False")), ctx);
        assertEquals(Action.RUN, o.change().action(), "pull: always checks the registry at every apply");
        assertTrue(o.change().commands().get(0).script().contains("compose -p app -f compose.yaml pull\n"));
    }

    @Test
    void stoppedCreatesMissingContainersAndStopsRunningOnes() {
        Args a = args("project", "app", "state", "stopped");
        Outcome o = COMPOSE.plan(a, probeWithFilesInPlace(a, containers("container=c1 web " + WEB_HASH + " running False")), ctx);
        assertEquals(List.of("compose up --no-start (project app)", "compose stop (project app)"),
                o.change().commands().stream().map(HostCommand::description).toList());
        Args ok = args("project", "app", "state", "stopped");
        assertFalse(COMPOSE.plan(ok, probeWithFilesInPlace(ok, containers("container=c1 web " + WEB_HASH + " exited False",
                "container=c2 worker " + WORKER_HASH + " exited False")), ctx).change().changes());
    }

    @Test
    void absentRemovesContainersAndNetworksByLabel() {
        Args a = new Args(Map.of("dest", "/srv/app", "state", "absent"));
        Outcome o = COMPOSE.plan(a, "\n@@rig-part docker\nflavor=v1\ncontainer=c1 web h running False\nnetwork=n1\n", ctx);
        assertEquals("project app: remove 1 container(s) and 1 network(s) (web); files in /srv/app and volumes are kept", o.message());
        assertTrue(o.change().commands().get(0).script().contains("--filter label=com.docker.compose.project=app"));
        assertFalse(COMPOSE.plan(a, "\n@@rig-part docker\nflavor=v1\n", ctx).change().changes());
    }

    @Test
    void envIsWrittenMode0600AndItsValuesNeverShow() {
        Args a = args("project", "app", "env", Map.of("DB_PASSWORD", "pa$$ word#1", "MODE", "prod"));
        String probe = "\n@@rig-part file0\nkind=absent\n@@rig-part file1\nkind=absent\n@@rig-part file2\nkind=file\nmode=644\nowner=root\ngroup=root\nsize=9\nsha256=" + "e".repeat(64)
                + "\n@@rig-part envlines\nenv=MODE " + PackageAndServiceModulesTest.sha256("MODE='prod'") + "\nenv=OLD " + "f".repeat(64)
                + "\n@@rig-part docker\nflavor=v1\n";
        Outcome o = COMPOSE.plan(a, probe, ctx);
        HostCommand env = o.change().commands().stream().filter(c -> c.description().startsWith("write /srv/app/.env")).findFirst().orElseThrow();
        assertEquals("DB_PASSWORD='pa$$ word#1'\nMODE='prod'\n", new String(env.stdin(), StandardCharsets.UTF_8));
        assertTrue(env.script().contains("chmod 0600"), env.script());
        Diff diff = o.change().diffs().stream().filter(d -> d.resource().equals("/srv/app/.env")).findFirst().orElseThrow();
        assertEquals(Map.of("DB_PASSWORD", "(unset)", "OLD", "(hidden)"), diff.before(), "MODE did not change, so it is not shown");
        assertEquals(Map.of("DB_PASSWORD", "(hidden, changed)", "OLD", "(unset)"), diff.after());
        assertFalse(diff.hasText());
        assertFalse((o.message() + o.change().diffs() + o.change().commands()).contains("pa$$"), "no value in any output");
    }

    @Test
    void envValuesComposeV1AndV2WouldReadDifferentlyAreRefused() {
        Args a = args("env", Map.of("X", "it's"));
        Args.ArgumentException e = assertThrows(Args.ArgumentException.class, () -> COMPOSE.probe(a, ctx));
        assertTrue(e.getMessage().startsWith("the value of env X contains a quote"), e.getMessage());
        assertFalse(e.getMessage().contains("it's"), "the value is not in the error either");
    }

    @Test
    void withoutDockerOrWithABrokenComposeFileTheTaskFailsClearly() {
        Args a = args("project", "app");
        Outcome none = COMPOSE.plan(a, probeWithFilesInPlace(a, "flavor=none"), ctx);
        assertEquals("neither the docker compose plugin (v2) nor docker-compose (v1) is installed on this host", none.message());
        Outcome broken = COMPOSE.plan(a, probeWithFilesInPlace(a, "flavor=v1\nconfig_error=services.web.image must be a string"), ctx);
        assertEquals("compose cannot read project app in /srv/app: services.web.image must be a string", broken.message());
        Outcome denied = COMPOSE.plan(a, probeWithFilesInPlace(a, "flavor=v1\ndocker_error=permission denied while trying to connect to the Docker daemon socket"), ctx);
        assertEquals("cannot list the containers of project app: permission denied while trying to connect to the Docker daemon socket", denied.message());
        assertTrue(none.failed() && broken.failed() && denied.failed());
    }

    @Test
    void aStoppedDaemonIsPlannedAsServicesToStartNotAFailure() {
        // The docker role's service task starts the daemon earlier in the same run; plan must not stop at it.
        Args a = args("project", "app");
        Outcome down = COMPOSE.plan(a, probeWithFilesInPlace(a, "flavor=v1\ndocker_error=Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"), ctx);
        assertFalse(down.failed(), down.message());
        assertTrue(down.change().changes());
        assertTrue(down.message().contains("up -d") && down.message().contains("the Docker daemon is not running"), down.message());
        Outcome absent = COMPOSE.plan(args("project", "app", "state", "absent"),
                probeWithFilesInPlace(a, "flavor=v1\ndocker_error=Cannot connect to the Docker daemon"), ctx);
        assertTrue(absent.failed(), "removing a project needs the daemon to say what exists");
    }

    @Test
    void aProjectNeedsAComposeFileAndAnAbsoluteDest() throws IOException {
        Files.delete(dir.resolve("stack/compose.yaml.ftl"));
        assertTrue(assertThrows(Args.ArgumentException.class, () -> COMPOSE.probe(args(), ctx)).getMessage().contains("has no compose file"));
        assertTrue(assertThrows(Args.ArgumentException.class, () -> COMPOSE.probe(new Args(Map.of("src", "stack", "dest", "srv")), ctx))
                .getMessage().contains("must be an absolute directory path"));
    }

    // ---- docker_image --------------------------------------------------------------------------

    /** A docker-save-like tarball: a config blob, a layer, manifest.json naming them. */
    Path saveTarball(String configName, String config) throws IOException, InterruptedException {
        Path root = Files.createDirectories(dir.resolve("save"));
        Files.createDirectories(root.resolve(configName).getParent());
        Files.writeString(root.resolve(configName), config);
        Files.writeString(root.resolve("layer.tar"), "not really a layer");
        Files.writeString(root.resolve("manifest.json"), "[{\"Config\":\"" + configName + "\",\"RepoTags\":[\"app:1\"],\"Layers\":[\"layer.tar\"]}]");
        Path tar = dir.resolve("image.tar");
        Process p = new ProcessBuilder("tar", "-C", root.toString(), "-cf", tar.toString(), "manifest.json", configName, "layer.tar").start();
        assertEquals(0, p.waitFor());
        return tar;
    }

    @Test
    void dockerImageLoadsOnlyWhenTheHostHasAnotherId() throws Exception {
        String config = "{\"architecture\":\"amd64\"}";
        String id = "sha256:" + PackageAndServiceModulesTest.sha256(config);
        Path tar = saveTarball("blobs/sha256/" + id.substring(7), config); // the OCI layout of Docker 25+
        Args a = new Args(Map.of("name", "app:1", "src", tar.toString()));
        assertFalse(IMAGE.plan(a, "id=" + id, ctx).change().changes());
        Outcome load = IMAGE.plan(a, "id=absent", ctx);
        assertEquals(Action.CREATE, load.change().action());
        assertTrue(load.change().commands().get(0).description().startsWith("docker load app:1 (" + id.substring(7, 19)), load.message());
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(tar), load.change().commands().get(0).stdin()), "the tarball travels on stdin");
        assertFalse(load.change().commands().get(0).script().contains("docker tag"), "the tarball carries the tag");
        Outcome retag = IMAGE.plan(new Args(Map.of("name", "app:latest", "src", tar.toString())), "id=sha256:" + "0".repeat(64), ctx);
        assertEquals(Action.UPDATE, retag.change().action());
        assertTrue(retag.change().commands().get(0).script().contains("docker tag " + id + " app:latest"));
    }

    @Test
    void dockerImageReadsTheLegacyLayoutAndGzip() throws Exception {
        String config = "{\"os\":\"linux\"}";
        String hex = PackageAndServiceModulesTest.sha256(config);
        Path tar = saveTarball(hex + ".json", config); // docker save before 25
        Path gz = dir.resolve("image.tar.gz");
        try (OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(tar));
        }
        assertFalse(IMAGE.plan(new Args(Map.of("name", "app:1", "src", gz.toString())), "id=sha256:" + hex, ctx).change().changes());
        Files.writeString(dir.resolve("junk.tar"), "x".repeat(2000));
        assertTrue(assertThrows(Args.ArgumentException.class, () -> IMAGE.plan(new Args(Map.of("name", "a", "src", dir.resolve("junk.tar").toString())), "id=absent", ctx))
                .getMessage().contains("not a docker save tarball"));
    }
}
