package dev.rig.connect;

import dev.rig.testkit.Rig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.apply.RemoteCommands;
import dev.rig.lab.LabFleet;
import dev.rig.testkit.LabHosts;
import dev.rig.lab.LabHost;
import dev.rig.ssh.Connection;
import dev.rig.ssh.ExecResult;
import dev.rig.ssh.HostKeyPolicy;
import dev.rig.ssh.SshTarget;
import dev.rig.ssh.SshTransport;
import dev.rig.ssh.TestKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * become through sudo with a password, for a real non-root user of this machine whose sudo asks for its
 * password, on real sshd hosts: the password is answered to sudo's prompt only, a wrong one fails that host
 * alone and fast, and neither the password nor a no_log task's output shows anywhere rig prints.
 */
@Tag("integration")
class BecomeTest {
    private static final String USER = "rig-become-test";
    private static final String PASSWORD = "pw-4b7e19 with spaces & $igns";
    private static final String WRONG_PASSWORD = "wrong-pw-0c5d";
    private static final String NO_LOG_VALUE = "nolog-value-9f3a";
    private static final Path SUDOERS = Path.of("/etc/sudoers.d/rig-become-test");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** sudo's answer to a wrong password comes after PAM's failure delay, about 2 s; three tries would be 6 s and more. */
    private static final long WRONG_PASSWORD_BOUND_MILLIS = 10_000;

    @TempDir
    static Path dir;
    @RegisterExtension
    static final LabHosts lab = LabHosts.named("become-ok", "become-bad");
    static LabFleet fleet;

    @BeforeAll
    static void createUserAndFleet() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/sudo")), "these tests need sudo: apt-get install sudo (.ci/run does)");
        // Idempotent: a run killed half way leaves the user behind, and the next one reuses it.
        TestKeys.run("sh", "-c", "id " + USER + " >/dev/null 2>&1 || useradd --create-home --shell /bin/sh " + USER);
        Process chpasswd = new ProcessBuilder("chpasswd").start();
        chpasswd.getOutputStream().write((USER + ":" + PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
        chpasswd.getOutputStream().close();
        assertEquals(0, chpasswd.waitFor(), "chpasswd");
        Files.writeString(SUDOERS, USER + " ALL=(ALL:ALL) ALL\n");
        Files.setPosixFilePermissions(SUDOERS, PosixFilePermissions.fromString("r--r-----"));
        // sshd reads the fleet's authorized_keys as the user logging in: the path must be open to it.
        Files.setPosixFilePermissions(lab.dir(), PosixFilePermissions.fromString("rwxr-xr-x"));
        fleet = lab.fleet();
    }

    @AfterAll
    static void removeUserAndFleet() throws Exception {
        Files.deleteIfExists(SUDOERS);
        TestKeys.run("sh", "-c", "! id " + USER + " >/dev/null 2>&1 || userdel --remove " + USER + " 2>/dev/null || true");
    }

    @Test
    void sudoGetsThePasswordAtItsPromptAndTheCommandGetsItsOwnInput() throws Exception {
        try (SshTransport transport = new SshTransport(fleet.knownHosts(), HostKeyPolicy.STRICT, List.of());
             Connection connection = transport.connect(asUser("become-ok"))) {
            RemoteCommands.Invocation run = RemoteCommands.script("id -un; cat", "the command's own input\n".getBytes(StandardCharsets.UTF_8),
                    new RemoteCommands.Become("root", PASSWORD, "n0nce"));
            ExecResult result = connection.exec(run.command(), run.stdin(), run.sudo(), TIMEOUT);
            assertEquals(0, result.exitCode(), result.err());
            assertEquals("root\nthe command's own input\n", result.out());
            assertEquals("", result.err(), "sudo's prompt and the ready marker are not the command's output");
        }
    }

    @Test
    void aWrongPasswordFailsAtOnceWithoutAnotherTry() throws Exception {
        try (SshTransport transport = new SshTransport(fleet.knownHosts(), HostKeyPolicy.STRICT, List.of());
             Connection connection = transport.connect(asUser("become-ok"))) {
            RemoteCommands.Become become = new RemoteCommands.Become("root", WRONG_PASSWORD, "n0nce");
            RemoteCommands.Invocation run = RemoteCommands.script("touch /srv/must-not-exist", "input sudo must never read\n".getBytes(), become);
            long start = System.nanoTime();
            ExecResult result = connection.exec(run.command(), run.stdin(), run.sudo(), TIMEOUT);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(1, result.exitCode());
            assertEquals("become root: sudo rejected the password (ansible_become_password)", RemoteCommands.explainFailure(result.err(), become));
            assertTrue(millis < WRONG_PASSWORD_BOUND_MILLIS, "took " + millis + " ms");
        }
        assertEquals("absent\n", fleet.exec("become-ok", "test -e /srv/must-not-exist && echo present || echo absent"));
    }

    @Test
    void becomeWritesAsRootFailsOnlyTheHostWithTheWrongPasswordAndNoSecretIsPrintedOrSaved() throws Exception {
        Path inventory = Files.writeString(dir.resolve("hosts.yml"), """
                all:
                  vars:
                    ansible_user: %s
                    ansible_ssh_private_key_file: %s
                  hosts:
                    become-ok:
                      ansible_host: %s
                      ansible_become_password: "%s"
                    become-bad:
                      ansible_host: %s
                      ansible_become_password: %s
                """.formatted(USER, fleet.clientKey(), lab.address("become-ok"), PASSWORD.replace("\"", "\\\""),
                        lab.address("become-bad"), WRONG_PASSWORD));
        Path playbook = Files.writeString(dir.resolve("site.yml"), """
                - hosts: all
                  become: true
                  vars:
                    release_note: %s
                  tasks:
                    - name: write a file only root may write here
                      copy:
                        dest: /srv/become-proof
                        content: "written as root\\n"
                        mode: "0640"
                    - name: fail with output that no_log hides
                      shell: "echo ${release_note}; echo ${release_note} >&2; exit 3"
                      no_log: true
                """.formatted(NO_LOG_VALUE));
        List<String> args = List.of("apply", "--yes", "--known-hosts", fleet.knownHosts().toString(), "--command-timeout", "120",
                "-i", inventory.toString(), playbook.toString());

        Rig human = Rig.run(args);

        assertEquals(1, human.exit(), human.toString());
        assertEquals("root 640\n", fleet.exec("become-ok", "stat -c '%U %a' /srv/become-proof"));
        assertEquals("absent\n", fleet.exec("become-bad", "test -e /srv/become-proof && echo present || echo absent"));
        assertTrue(human.out().contains("become root: sudo rejected the password (ansible_become_password)"), human.toString());
        assertTrue(human.recapMatches("become-ok", "ok=0\\s+changed=1\\s+unreachable=0\\s+failed=1"), human.toString());
        assertTrue(human.recapMatches("become-bad", "ok=0\\s+changed=0\\s+unreachable=0\\s+failed=1"), human.toString());
        assertTrue(human.millis() < 60_000, "a wrong password must not wait for the command timeout (120 s): " + human);
        assertNoSecretIn(human);

        Rig json = Rig.run(List.of("apply", "--yes", "--json", "--known-hosts", fleet.knownHosts().toString(),
                "-i", inventory.toString(), playbook.toString()));

        assertEquals(1, json.exit(), json.toString());
        assertTrue(json.out().contains("\"host\":\"become-bad\""), json.toString());
        assertNoSecretIn(json);

        Path savedPlan = dir.resolve("plan.json");
        Rig plan = Rig.run(List.of("plan", "--out", savedPlan.toString(), "--known-hosts", fleet.knownHosts().toString(),
                "-i", inventory.toString(), playbook.toString()));

        assertTrue(Files.exists(savedPlan), plan.toString());
        assertNoSecretIn(plan);
        String saved = Files.readString(savedPlan);
        for (String secret : List.of(PASSWORD, WRONG_PASSWORD, NO_LOG_VALUE)) {
            assertFalse(saved.contains(secret), "'" + secret + "' was saved in the plan");
        }
    }

    private static void assertNoSecretIn(Rig run) {
        for (String secret : List.of(PASSWORD, WRONG_PASSWORD, NO_LOG_VALUE)) {
            assertFalse(run.all().contains(secret), "'" + secret + "' was printed:\n" + run);
        }
    }

    private static SshTarget asUser(String name) {
        LabHost host = fleet.host(name);
        return SshTarget.of(name, host.address(), host.port(), USER, Optional.of(fleet.clientKey()), TIMEOUT);
    }
}
