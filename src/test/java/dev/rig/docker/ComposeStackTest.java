package dev.rig.docker;

import dev.rig.lab.LabFleet;
import dev.rig.testkit.LabHosts;
import dev.rig.testkit.Rig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.rig.testkit.Steps.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compose and docker_image modules through the rig command line, against two real sshd hosts
 * (dock1, dock2 on addresses from {@link LabHosts}), each with its own real Docker engine in its mount namespace.
 * dock1 runs compose v1 (Debian's docker-compose); on dock2, `docker compose` answers through a shim
 * that forwards to v1, so the v2 code path runs too. The image comes from a tarball on the
 * operator's side (docker save of a busybox image made with docker import; no registry here).
 * The steps build on each other (plan, apply, apply again, change, drift, absent), so they are one
 * test that runs them in order; a failure names its step.
 */
@Tag("integration")
class ComposeStackTest {
    static final List<String> HOSTS = List.of("dock1", "dock2");
    static final String GREETING = "gr33ting-n0t-for-print";
    static final Path PLAYBOOK = Path.of("src/test/resources/docker/compose-playbook.yml").toAbsolutePath();

    @RegisterExtension
    static final LabHosts lab = LabHosts.named(HOSTS);

    static Path dir;
    static LabFleet fleet;
    static final Map<String, DockerEngine> engines = new LinkedHashMap<>();
    static Path tarball;
    static String webRevision = "1";

    @BeforeAll
    static void start() throws IOException {
        dir = lab.dir();
        fleet = lab.fleet();
        for (String host : HOSTS) engines.put(host, DockerEngine.start(fleet, host, dir.resolve("docker-" + host)));
        engines.get("dock1").importBusybox("rig-test/busybox:1");
        tarball = dir.resolve("busybox.tar");
        engines.get("dock1").sh("docker save -o " + tarball + " rig-test/busybox:1");
        String shim = Files.readString(SystemdHost.resource("/docker/compose-v2-shim.sh"));
        fleet.exec("dock2", "mount -t tmpfs -o mode=0755 tmpfs /usr/local/sbin && cat > /usr/local/sbin/docker <<'EOF'\n" + shim
                + "EOF\nchmod 0755 /usr/local/sbin/docker");
    }

    @AfterAll
    static void stop() {
        // DockerEngine.close does not throw: it ends with the engine's cgroup swept, whatever happened before.
        // LabHosts then stops the fleet and removes its directory.
        engines.values().forEach(DockerEngine::close);
    }

    static Rig rig(String command, String... more) {
        List<String> args = new ArrayList<>(List.of("-e", "image_tarball=" + tarball, "-e", "greeting_word=" + GREETING,
                "-e", "web_revision=" + webRevision));
        args.addAll(List.of(more));
        args.add(PLAYBOOK.toString());
        Rig run = lab.rig(command, args.toArray(String[]::new));
        assertFalse(run.all().contains(GREETING), () -> ".env values must never be printed:\n" + run);
        return run;
    }

    /** Service → container id of project demo on host. */
    static Map<String, String> containerIds(String host) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String line : engines.get(host).containers("demo").split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.split(" ");
            ids.put(f[0], f[1]);
        }
        return ids;
    }

    static String states(String host) {
        return engines.get(host).containers("demo").replaceAll(" [0-9a-f]{12} ", " ");
    }

    static String get(String url) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        // httpd starts a moment after its container: a few bounded tries.
        IOException last = null;
        for (int i = 0; i < 20; i++) {
            try {
                return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException e) {
                last = e;
                DockerEngine.sleep(250);
            }
        }
        throw last;
    }

    @Test
    void theStackThroughItsLifecycle() {
        step("plan", this::planNamesEveryFileAndChangesNothing);
        step("first apply", this::applyStartsTheStackOnEveryHost);
        step("second apply", this::secondApplyChangesNothingAndRecreatesNothing);
        step("changed template", this::aChangedTemplateRecreatesOnlyTheServiceItChanges);
        step("stopped container", this::aContainerStoppedByHandIsDriftAndApplyStartsIt);
        step("absent", this::absentRemovesTheStackAndKeepsItsFiles);
    }

    private void planNamesEveryFileAndChangesNothing() {
        Rig plan = rig("plan", "--detailed-exitcode");
        assertEquals(2, plan.exit(), plan::toString);
        for (String host : HOSTS) {
            assertTrue(plan.out().contains("change [" + host + "] Stack — project demo: push docker-compose.yml, www/index.html, .env, up -d"), plan::toString);
            assertEquals("", fleet.exec(host, "ls -A /srv"), "plan must not write on " + host);
            assertEquals("", containerIds(host).toString().replace("{}", ""), "plan must not start anything on " + host);
        }
        assertTrue(plan.out().contains(lab.address("dock1") + ":18080"), "per-host rendering shows in the diff:\n" + plan);
        assertTrue(plan.out().contains("GREETING_WORD"), "the plan names the .env variable that changes:\n" + plan);
        assertEquals("", engines.get("dock2").sh("docker images -q rig-test/busybox:1"), "plan must not load the image");
        assertTrue(plan.out().contains("change [dock2] Base image"), plan::toString);
        assertTrue(plan.out().contains("ok [dock1] Base image"), "dock1 has the image already:\n" + plan);
    }

    private void applyStartsTheStackOnEveryHost() throws Exception {
        Rig apply = rig("apply", "--yes");
        assertEquals(0, apply.exit(), apply::toString);
        assertEquals(1, apply.recap("dock1", "changed"), apply::toString);
        assertEquals(2, apply.recap("dock2", "changed"), "dock2 also loaded the image:\n" + apply);
        for (int i = 0; i < HOSTS.size(); i++) {
            String host = HOSTS.get(i);
            assertEquals("hello from " + host + "\n", get("http://" + lab.address(host) + ":18080/"));
            assertEquals("web running\nworker running\n", states(host));
            assertEquals("600 root\n", fleet.exec(host, "stat -c '%a %U' /srv/stack/.env"));
            assertEquals(GREETING + "\n", engines.get(host).sh(
                    "docker exec $(docker ps -q --filter label=com.docker.compose.service=worker) sh -c 'echo $GREETING_WORD'"),
                    "the .env value reaches the service on " + host);
        }
        String v2Calls = fleet.exec("dock2", "cat /run/compose-v2-shim.log");
        assertTrue(v2Calls.contains("-p demo -f docker-compose.yml up -d"), "dock2 went through docker compose (v2):\n" + v2Calls);
    }

    private void secondApplyChangesNothingAndRecreatesNothing() {
        Map<String, Map<String, String>> before = new LinkedHashMap<>();
        HOSTS.forEach(h -> before.put(h, containerIds(h)));
        Rig apply = rig("apply", "--yes");
        assertEquals(0, apply.exit(), apply::toString);
        for (String host : HOSTS) {
            assertEquals(0, apply.recap(host, "changed"), apply::toString);
            assertEquals(before.get(host), containerIds(host), "no container recreated on " + host);
        }
        assertEquals(0, rig("plan", "--detailed-exitcode").exit());
    }

    private void aChangedTemplateRecreatesOnlyTheServiceItChanges() {
        Map<String, String> before = containerIds("dock1");
        webRevision = "2";
        Rig plan = rig("plan", "--detailed-exitcode");
        assertEquals(2, plan.exit(), plan::toString);
        assertTrue(plan.out().contains("+      rig.test.revision: \"2\""), "the diff shows the changed line:\n" + plan);
        Rig apply = rig("apply", "--yes");
        assertEquals(0, apply.exit(), apply::toString);
        Map<String, String> after = containerIds("dock1");
        assertNotEquals(before.get("web"), after.get("web"), "web's config changed: recreated");
        assertEquals(before.get("worker"), after.get("worker"), "worker's config did not change: kept");
        assertEquals("web running\nworker running\n", states("dock1"));
    }

    private void aContainerStoppedByHandIsDriftAndApplyStartsIt() {
        Map<String, String> ids = containerIds("dock1");
        engines.get("dock1").sh("docker stop -t 1 " + ids.get("worker") + " >/dev/null");
        Rig drift = rig("drift");
        assertEquals(2, drift.exit(), drift::toString);
        assertTrue(drift.out().contains("worker: container " + ids.get("worker") + " is exited"), "names the service and why:\n" + drift);
        assertTrue(drift.out().contains("ok [dock2] Stack"), "dock2 did not drift:\n" + drift);
        Rig apply = rig("apply", "--yes");
        assertEquals(0, apply.exit(), apply::toString);
        assertEquals(1, apply.recap("dock1", "changed"));
        assertEquals(0, apply.recap("dock2", "changed"));
        assertEquals(ids, containerIds("dock1"), "started again, not recreated");
        assertEquals("web running\nworker running\n", states("dock1"));
        assertEquals(0, rig("drift").exit());
    }

    private void absentRemovesTheStackAndKeepsItsFiles() {
        Rig apply = rig("apply", "--yes", "-e", "stack_state=absent");
        assertEquals(0, apply.exit(), apply::toString);
        for (String host : HOSTS) {
            assertEquals(1, apply.recap(host, "changed"), apply::toString);
            assertEquals("", states(host), "no container left on " + host);
            assertEquals("600\n", fleet.exec(host, "stat -c %a /srv/stack/.env"));
        }
        Rig again = rig("apply", "--yes", "-e", "stack_state=absent");
        for (String host : HOSTS) assertEquals(0, again.recap(host, "changed"), again::toString);
    }
}
