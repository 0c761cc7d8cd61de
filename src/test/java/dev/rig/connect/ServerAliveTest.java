package dev.rig.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.lab.LabFleet;
import dev.rig.testkit.LabHosts;
import dev.rig.ssh.Connection;
import dev.rig.ssh.HostKeyPolicy;
import dev.rig.ssh.Passphrases;
import dev.rig.ssh.SshConfig;
import dev.rig.ssh.SshException;
import dev.rig.ssh.SshSettings;
import dev.rig.ssh.SshTarget;
import dev.rig.ssh.SshTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** ServerAliveInterval from ssh_config: a host that stops answering is given up on after the unanswered probes, not at the command's timeout. */
@Tag("integration")
class ServerAliveTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    @RegisterExtension
    static final LabHosts lab = LabHosts.named("alive");
    static LabFleet fleet;

    @BeforeAll
    static void startFleet() {
        fleet = lab.fleet();
    }

    @Test
    void aFrozenHostIsDroppedAfterServerAliveCountMaxUnansweredProbes() throws Exception {
        Path sshConfig = Files.writeString(dir.resolve("ssh_config"), "Host " + lab.address("alive") + "\n    ServerAliveInterval 1\n    ServerAliveCountMax 2\n");
        SshSettings settings = new SshSettings(SshConfig.load(sshConfig), Optional.of(fleet.knownHosts()), Optional.of(HostKeyPolicy.STRICT),
                List.of(), Optional.empty(), Optional.empty(), Passphrases.NONE);
        long daemon = fleet.host("alive").pid();
        try (SshTransport transport = new SshTransport(settings);
             Connection connection = transport.connect(SshTarget.of("alive", lab.address("alive"), 22, "root", Optional.of(fleet.clientKey()),
                     Duration.ofSeconds(20)))) {
            assertEquals("ok\n", connection.exec("echo ok", null, COMMAND_TIMEOUT).out());
            List<ProcessHandle> session = ProcessHandle.of(daemon).orElseThrow().descendants().toList();
            assertFalse(session.isEmpty(), "sshd has a process for the connection");
            signal("STOP", session); // the host hangs: no answer, no closed socket
            try {
                long start = System.nanoTime();
                SshException lost = assertThrows(SshException.class, () -> connection.exec("echo never", null, COMMAND_TIMEOUT));
                long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
                assertEquals(SshException.Kind.UNREACHABLE, lost.kind(), lost.getMessage());
                assertTrue(seconds < 20, "dropped after " + seconds + " s; the command timeout is " + COMMAND_TIMEOUT.toSeconds() + " s");
            } finally {
                signal("CONT", session);
            }
        }
    }

    private static void signal(String signal, List<ProcessHandle> processes) throws Exception {
        for (ProcessHandle process : processes) {
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
        }
    }
}
