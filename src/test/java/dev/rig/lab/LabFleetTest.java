package dev.rig.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab against OpenSSH's own client: what rig's transport is tested on must itself be right. */
@Tag("integration")
class LabFleetTest {
    private static final List<String> NAMES = List.of("lt1", "lt2", "lt3");
    private static final int FIRST_OCTET = 41;

    @TempDir
    static Path dir;
    static LabFleet fleet;

    @BeforeAll
    static void startFleet() {
        fleet = LabFleet.start(dir.resolve("fleet"), NAMES, FIRST_OCTET);
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) fleet.close();
    }

    @Test
    void hostsListenWhereTheySayAndTheirPidIsSshd() throws IOException {
        assertEquals(NAMES, fleet.hosts().stream().map(LabHost::name).toList());
        LabHost second = fleet.host("lt2");
        assertEquals("127.0.0.42", second.address());
        assertEquals(22, second.port());
        String pidFile = Files.readString(second.hostKey().resolveSibling("sshd.pid")).strip();
        assertEquals(Long.toString(second.pid()), pidFile);
        assertTrue(LocalProcesses.commandLine(second.pid()).orElseThrow().contains("sshd"));
    }

    @Test
    void opensshClientLogsInWithTheClientKeyAndKnownHosts() throws Exception {
        for (LabHost host : fleet.hosts()) {
            Result result = ssh(host, "hostname; echo $HOME; id -u");
            assertEquals(0, result.exitCode(), result.output());
            assertEquals(host.name() + "\n/root\n0\n", result.output());
        }
    }

    @Test
    void knownHostsListsEveryEd25519HostKey() throws IOException {
        List<String> lines = Files.readAllLines(fleet.knownHosts());
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).startsWith("127.0.0.41 ssh-ed25519 AAAA"), lines.get(0));
    }

    @Test
    void mountNamespacesArePrivate() {
        fleet.exec("lt1", "echo one > /srv/only-on-lt1 && mkdir -p /opt/app");
        assertEquals("one\n", fleet.exec("lt1", "cat /srv/only-on-lt1"));
        assertEquals("absent\n", fleet.exec("lt2", "test -e /srv/only-on-lt1 || echo absent"));
        assertEquals("absent\n", fleet.exec("lt2", "test -e /opt/app || echo absent"));
        assertFalse(Files.exists(Path.of("/srv/only-on-lt1")), "leaked into the machine's own /srv");
        assertEquals("lt3\n", fleet.exec("lt3", "hostname"));
        assertEquals("", fleet.exec("lt3", "ls -A /root"), "root's home is a clean tmpfs");
    }

    @Test
    void execReportsAFailingCommandWithItsStderr() {
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> fleet.exec("lt1", "echo oops >&2; exit 3"));
        assertTrue(failure.getMessage().contains("status 3"), failure.getMessage());
        assertTrue(failure.getMessage().contains("oops"), failure.getMessage());
    }

    @Test
    void stopKillsTheSshdAndItsSessionsAndRestartKeepsFiles() throws Exception {
        LabHost before = fleet.host("lt3");
        fleet.exec("lt3", "echo kept > /srv/marker");
        int sessions = sessionsStarted(before);
        Process session = sshProcess(before, "sleep 60");
        waitForSessions(before, sessions + 1);

        fleet.stop("lt3");
        assertFalse(ProcessHandle.of(before.pid()).map(ProcessHandle::isAlive).orElse(false), "sshd still runs");
        assertTrue(session.waitFor(5, TimeUnit.SECONDS), "the open session survived its host");
        assertThrows(ConnectException.class, () -> connect(before));
        assertEquals(0, fleet.host("lt3").pid());
        assertEquals("kept\n", fleet.exec("lt3", "cat /srv/marker"), "exec works while the host is down");

        fleet.restart("lt3");
        LabHost after = fleet.host("lt3");
        assertNotEquals(before.pid(), after.pid());
        Result result = ssh(after, "cat /srv/marker; hostname");
        assertEquals("kept\nlt3\n", result.output());
    }

    @Test
    void inventoryHasConnectionVariablesAndGroups() throws IOException {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        groups.put("web", List.of("lt1", "lt2"));
        groups.put("db", List.of("lt3"));
        Path file = fleet.writeInventory(dir.resolve("inventory/hosts.yml"), groups);
        String yaml = Files.readString(file);
        assertTrue(yaml.contains("all:\n  hosts:\n    lt1:\n      ansible_host: 127.0.0.41\n      ansible_port: 22\n"
                + "      ansible_user: root\n      ansible_ssh_private_key_file: \"" + fleet.clientKey() + "\"\n"), yaml);
        assertTrue(yaml.contains("  children:\n    web:\n      hosts:\n        lt1:\n        lt2:\n    db:\n      hosts:\n        lt3:\n"), yaml);
        assertThrows(IllegalArgumentException.class, () -> fleet.writeInventory(file, Map.of("web", List.of("nope"))));
    }

    @Test
    void aSecondFleetOnTakenAddressesFailsWithSshdsReason() {
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> LabFleet.start(dir.resolve("clash"), List.of("clash"), FIRST_OCTET));
        assertTrue(failure.getMessage().contains("Address already in use"), failure.getMessage());
        assertTrue(failure.getMessage().contains("clash (127.0.0.41:22)"), failure.getMessage());
    }

    @Test
    void detachedFleetIsStoppedFromItsStateFile() throws IOException {
        Path detachedDir = dir.resolve("detached");
        LabFleet detached = LabFleet.start(detachedDir, List.of("lt9"), FIRST_OCTET + 8, true);
        try {
            LabHost host = detached.host("lt9");
            assertTrue(Files.readString(detachedDir.resolve("fleet.properties")).contains("host.lt9.pid=" + host.pid()));
            assertThrows(IllegalStateException.class, () -> LabFleet.start(detachedDir, List.of("lt9"), FIRST_OCTET + 8),
                    "a running fleet's directory is refused");

            LabFleet.stopFromState(detachedDir);
            assertFalse(LocalProcesses.isRunning(host.pid()));
            assertFalse(Files.exists(detachedDir.resolve("fleet.properties")));
        } finally {
            detached.close();
        }
    }

    private record Result(int exitCode, String output) {}

    private static Result ssh(LabHost host, String command) throws Exception {
        Process process = sshProcess(host, command);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        return new Result(process.exitValue(), output);
    }

    private static Process sshProcess(LabHost host, String command) throws IOException {
        return new ProcessBuilder("ssh", "-F", "/dev/null", "-i", fleet.clientKey().toString(),
                "-o", "UserKnownHostsFile=" + fleet.knownHosts(), "-o", "StrictHostKeyChecking=yes",
                "-o", "BatchMode=yes", "-o", "ConnectTimeout=5", "root@" + host.address(), command)
                .redirectErrorStream(true).start();
    }

    private static int sessionsStarted(LabHost host) throws IOException {
        return Files.readString(fleet.sshdLog(host.name())).split("Starting session", -1).length - 1;
    }

    private static void waitForSessions(LabHost host, int count) throws Exception {
        for (int i = 0; i < 500; i++) {
            if (sessionsStarted(host) >= count) return;
            Thread.sleep(10);
        }
        throw new AssertionError("no session started on " + host.name());
    }

    private static void connect(LabHost host) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host.address(), host.port()), 2000);
        }
    }
}
