package dev.rig.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.core.Shell;
import dev.rig.lab.LabFleet;
import dev.rig.testkit.LabHosts;
import dev.rig.testkit.Rig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * apt, service, user and the docker role through the rig command line against a real Debian 12
 * host with systemd as PID 1 ({@link SystemdHost} on a spare address of {@link LabHosts}, run by a Docker engine on the lab
 * host "sysengine"). Packages come from Debian's mirror, as the machine's own do.
 *
 * <p>Docker inside that host is Debian's docker.io, installed and configured by the role. Its daemon
 * runs in an unprivileged container, where it may not create iptables rules nor mount overlayfs: the
 * test sets daemon.json's iptables: false and bridge: none (the role's docker_daemon_options), and
 * dockerd falls back to the vfs storage driver by itself. It starts and answers; running containers
 * inside it would need privileges this container does not have, and is not tested here.
 */
@Tag("integration")
class SystemdHostTest {
    /** The lab host that runs the Docker engine, and a spare address for the systemd host's sshd. */
    @RegisterExtension
    static final LabHosts lab = LabHosts.named("sysengine").withSpareAddresses(1);
    static String ADDRESS;
    static final Path RESOURCES = Path.of("src/test/resources/docker").toAbsolutePath();
    static final Path ROLES = Path.of("playbooks/roles").toAbsolutePath();
    /** Distro packages without their recommends (git, apparmor...: minutes of downloads the test does not need). */
    static final String DISTRO_MODE = "{\"docker_install_source\": \"distro\", \"docker_install_recommends\": false,"
            + " \"docker_daemon_options\": {\"iptables\": false, \"bridge\": \"none\"}}";
    static final String LOCKER_PID = "/run/rig-test-locker.pid";

    static Path dir;
    static LabFleet fleet;
    static DockerEngine engine;
    static SystemdHost host;
    static Path inventory;
    static Path rolePlaybook;

    @BeforeAll
    static void start() throws IOException {
        dir = lab.dir();
        fleet = lab.fleet();
        ADDRESS = lab.spareAddress(0);
        engine = DockerEngine.start(fleet, "sysengine", dir.resolve("docker"));
        host = SystemdHost.start(engine, ADDRESS, dir.resolve("host"));
        inventory = host.writeInventory(dir.resolve("systemd-inventory/hosts.yml"), "sys1");
        // The role is found beside the playbook, as an operator's playbooks/ would have it.
        Path playbooks = Files.createDirectories(dir.resolve("playbooks"));
        Files.createSymbolicLink(playbooks.resolve("roles"), ROLES);
        rolePlaybook = Files.copy(RESOURCES.resolve("docker-role-playbook.yml"), playbooks.resolve("docker.yml"));
    }

    @AfterAll
    static void stop() {
        // Each step even when the one before failed: nothing of this run may be left running.
        try {
            if (host != null) host.close();
        } finally {
            if (engine != null) engine.close(); // LabHosts then stops the fleet and removes dir
        }
    }

    static Rig rig(String command, Path playbook, String... more) {
        List<String> args = new ArrayList<>(List.of(more));
        args.add(playbook.toString());
        return Rig.run(inventory, host.knownHosts(), command, args.toArray(String[]::new));
    }

    static Rig apply(Path playbook, String... more) {
        List<String> args = new ArrayList<>(List.of("--yes"));
        args.addAll(List.of(more));
        Rig run = rig("apply", playbook, args.toArray(String[]::new));
        assertEquals(0, run.exit(), run::toString);
        return run;
    }

    /** dpkg's status of a package: "ii" when installed, "un"/"rc"/"absent" when not. */
    static String packageStatus(String name) {
        return host.sh("dpkg-query -W -f='${db:Status-Abbrev}' " + name + " 2>/dev/null || echo absent").strip();
    }

    /** Holds dpkg's frontend lock (an fcntl lock, as apt takes it) for some seconds, as an unattended upgrade would. */
    static void holdDpkgLock(int seconds) {
        String perl = "use Fcntl; open(my $f, '>>', '/var/lib/dpkg/lock-frontend') or die $!;"
                + " my $l = pack('s s x4 q q i x4', F_WRLCK, 0, 0, 0, 0); fcntl($f, F_SETLK, $l) or die \"lock: $!\"; sleep " + seconds;
        // Output to /dev/null, so that docker exec returns while perl goes on holding the lock.
        host.sh("perl -e " + Shell.quote(perl) + " >/dev/null 2>&1 & echo $! > " + LOCKER_PID + "; sleep 0.5; kill -0 $(cat " + LOCKER_PID + ")");
    }

    @Test
    void theHostThroughItsModules() {
        step("apt install", SystemdHostTest::aptInstallsARealPackageOnceAndThenIsOk);
        step("apt waits for the lock", SystemdHostTest::aptWaitsForADpkgLockHeldByAnotherProcess);
        step("apt lock timeout", SystemdHostTest::aptGivesUpOnALockHeldLongerThanItsTimeout);
        step("service", SystemdHostTest::serviceStartsEnablesStopsAndDisablesARealUnit);
        step("docker role, distro", SystemdHostTest::dockerRoleInstallsDistroDockerOnceAndRestartsItOnlyWhenItsConfigChanges);
        step("docker role, official plan", SystemdHostTest::officialModePlansExactlyTheseFilesAndPackages);
        step("unsupported OS", SystemdHostTest::anUnsupportedOsFailsBeforeAnyChange);
    }

    private static void aptInstallsARealPackageOnceAndThenIsOk() {
        Path playbook = RESOURCES.resolve("apt-playbook.yml");
        Rig plan = rig("plan", playbook, "--detailed-exitcode");
        assertEquals(2, plan.exit(), plan::toString);
        assertTrue(plan.out().contains("update the apt cache") && plan.out().contains("install hello"), plan::toString);
        assertEquals("absent", packageStatus("hello"), "a plan installs nothing");

        Rig first = apply(playbook);
        assertEquals(1, first.recap("sys1", "changed"), first::toString);
        assertEquals("ii", packageStatus("hello"));
        assertEquals("Hello, world!\n", host.sh("hello"));

        Rig second = apply(playbook);
        assertEquals(0, second.recap("sys1", "changed"), "installed, and the cache is fresher than cache_valid_time:\n" + second);
    }

    private static void aptWaitsForADpkgLockHeldByAnotherProcess() {
        holdDpkgLock(4);
        long start = System.nanoTime();
        Rig remove = apply(RESOURCES.resolve("apt-playbook.yml"), "-e", "package_state=absent", "-e", "lock_timeout=60");
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertEquals(1, remove.recap("sys1", "changed"), remove::toString);
        assertTrue(seconds >= 3, "apt waited for the lock (" + seconds + " s)");
        assertNotEquals("ii", packageStatus("hello"));
    }

    private static void aptGivesUpOnALockHeldLongerThanItsTimeout() {
        holdDpkgLock(60);
        try {
            Rig install = rig("apply", RESOURCES.resolve("apt-playbook.yml"), "--yes", "-e", "lock_timeout=2");
            assertEquals(1, install.exit(), install::toString);
            assertTrue(install.out().contains("timed out after 2 s waiting for the apt/dpkg lock held by another process"), install::toString);
        } finally {
            host.sh("kill $(cat " + LOCKER_PID + ")");
        }
        apply(RESOURCES.resolve("apt-playbook.yml"));
        assertEquals("ii", packageStatus("hello"));
    }

    static final String RENAMED = "unit_description=rig test sleeper, renamed";

    private static void serviceStartsEnablesStopsAndDisablesARealUnit() {
        Path playbook = RESOURCES.resolve("service-playbook.yml");
        Rig started = apply(playbook);
        assertEquals(2, started.recap("sys1", "changed"), started::toString);
        assertEquals("active\n", host.sh("systemctl is-active rig-sleeper"));
        assertEquals("enabled\n", host.sh("systemctl is-enabled rig-sleeper"));
        String pid = host.sh("systemctl show -p MainPID --value rig-sleeper");
        assertEquals(0, apply(playbook).recap("sys1", "changed"));
        assertEquals(pid, host.sh("systemctl show -p MainPID --value rig-sleeper"), "a running unit is left alone");

        // A changed unit file: systemd says the loaded unit needs a reload, and the service module does it.
        Rig reloaded = apply(playbook, "-e", RENAMED);
        assertTrue(reloaded.out().contains("reload systemd (unit files changed on disk)"), reloaded::toString);
        assertEquals("no\n", host.sh("systemctl show -p NeedDaemonReload --value rig-sleeper"));
        assertEquals("rig test sleeper, renamed\n", host.sh("systemctl show -p Description --value rig-sleeper"));

        Rig stopped = apply(playbook, "-e", RENAMED, "-e", "unit_state=stopped", "-e", "unit_enabled=false");
        assertEquals(1, stopped.recap("sys1", "changed"), stopped::toString);
        assertEquals("inactive\n", host.sh("systemctl is-active rig-sleeper || true"));
        assertEquals("disabled\n", host.sh("systemctl is-enabled rig-sleeper || true"));
        assertEquals(0, apply(playbook, "-e", RENAMED, "-e", "unit_state=stopped", "-e", "unit_enabled=false").recap("sys1", "changed"));
    }

    private static void dockerRoleInstallsDistroDockerOnceAndRestartsItOnlyWhenItsConfigChanges() {
        Rig first = apply(rolePlaybook, "-e", DISTRO_MODE);
        assertTrue(first.recap("sys1", "changed") >= 5, first::toString);
        assertEquals("ii", packageStatus("docker.io"));
        assertEquals("ii", packageStatus("docker-compose"));
        assertTrue(host.sh("cat /etc/docker/daemon.json").contains("\"max-size\": \"10m\""));
        assertTrue(host.sh("id -nG deploy").contains("docker"));
        assertEquals("active\n", host.sh("systemctl is-active docker"));
        assertEquals("enabled\n", host.sh("systemctl is-enabled docker"));
        assertEquals("json-file\n", host.sh("docker info --format '{{.LoggingDriver}}'"));
        assertTrue(host.sh("docker-compose version --short").startsWith("1."), "compose v1 is there for the compose module");

        String pid = host.sh("systemctl show -p MainPID --value docker");
        Rig second = apply(rolePlaybook, "-e", DISTRO_MODE);
        assertEquals(0, second.recap("sys1", "changed"), second::toString);
        assertEquals(pid, host.sh("systemctl show -p MainPID --value docker"), "no restart without a change");

        Rig bigger = apply(rolePlaybook, "-e", DISTRO_MODE, "-e", "docker_log_max_size=20m");
        assertEquals(2, bigger.recap("sys1", "changed"), "daemon.json and its handler:\n" + bigger);
        assertTrue(bigger.out().contains("changed [sys1] handler: docker : Restart docker"), bigger::toString);
        assertNotEquals(pid, host.sh("systemctl show -p MainPID --value docker"), "the handler restarted dockerd");
        assertEquals("active\n", host.sh("systemctl is-active docker"));
    }

    private static void officialModePlansExactlyTheseFilesAndPackages() throws IOException {
        String key = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nrig-test-key\n-----END PGP PUBLIC KEY BLOCK-----\n";
        String vars = new ObjectMapper().writeValueAsString(Map.of("docker_install_source", "official", "docker_apt_keyring_content", key));
        Rig plan = rig("plan", rolePlaybook, "--json", "-e", vars);
        assertEquals(0, plan.exit(), plan::toString);
        Map<String, JsonNode> tasks = new LinkedHashMap<>();
        for (String line : plan.out().split("\n")) {
            JsonNode event = new ObjectMapper().readTree(line);
            if (event.path("event").asText().equals("task_done")) tasks.put(event.path("task").asText(), event);
        }
        JsonNode repo = tasks.get("docker : Docker's apt repository (key inline)");
        assertEquals("CHANGED", repo.path("status").asText(), repo::toString);
        assertEquals("skipped", tasks.get("docker : Docker's apt repository (key from a file)").path("status").asText().toLowerCase());
        JsonNode keyring = diff(repo, "/etc/apt/keyrings/docker.asc");
        assertEquals("file", keyring.path("after").path("state").asText());
        assertEquals("0644", keyring.path("after").path("mode").asText());
        assertEquals("# Managed by rig\n"
                + "Types: deb\n"
                + "URIs: https://download.docker.com/linux/debian\n"
                + "Suites: bookworm\n"
                + "Components: stable\n"
                + "Architectures: amd64\n"
                + "Signed-By: /etc/apt/keyrings/docker.asc\n", diff(repo, "/etc/apt/sources.list.d/docker.sources").path("afterText").asText());

        JsonNode conflicting = tasks.get("docker : Remove the distro's Docker packages, which conflict with Docker's own");
        JsonNode removed = conflicting.path("diffs").path(0).path("after");
        for (String p : List.of("docker.io", "docker-compose", "containerd", "runc")) {
            assertEquals("absent", removed.path(p).asText(), () -> p + " is removed first: " + conflicting);
        }
        JsonNode install = tasks.get("docker : Docker packages from Docker's repository");
        assertTrue(install.path("message").asText().contains("install docker-ce, docker-ce-cli, containerd.io, docker-buildx-plugin, docker-compose-plugin"),
                install::toString);
        assertEquals("skipped", tasks.get("docker : Docker packages from the distro").path("status").asText().toLowerCase());
        assertFalse(host.sh("ls /etc/apt/sources.list.d/").contains("docker"), "a plan writes nothing");
    }

    private static void anUnsupportedOsFailsBeforeAnyChange() throws IOException {
        // The engine's lab host, told by its own /etc/os-release (bind-mounted in its namespace) that it is Alpine.
        fleet.exec("sysengine", "printf 'NAME=\"Alpine Linux\"\\nID=alpine\\nVERSION_ID=3.20.0\\nPRETTY_NAME=\"Alpine Linux v3.20\"\\n' > /run/os-release"
                + " && mount --bind /run/os-release /etc/os-release");
        Path roleOnly = Files.writeString(rolePlaybook.resolveSibling("docker-only.yml"), "- name: Docker host\n  hosts: all\n  roles: [docker]\n");
        Rig plan = lab.rig("plan", "-e", DISTRO_MODE, roleOnly.toString());
        assertEquals(1, plan.exit(), plan::toString);
        assertTrue(plan.out().contains("the docker role supports Debian and Ubuntu; this host runs Alpine Linux v3.20 (ID=alpine)"), plan::toString);
        assertEquals(0, plan.recap("sysengine", "to_change"), "nothing before the check would change:\n" + plan);
    }

    static JsonNode diff(JsonNode event, String resource) {
        for (JsonNode d : event.path("diffs")) {
            if (d.path("resource").asText().equals(resource)) return d;
        }
        throw new AssertionError("no diff for " + resource + " in " + event);
    }
}
