package dev.rig.connect;

import dev.rig.testkit.Rig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.lab.LabFleet;
import dev.rig.testkit.LabHosts;
import dev.rig.ssh.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** ssh_config's StrictHostKeyChecking and UserKnownHostsFile, through the rig command line, against a real sshd. */
@Tag("integration")
class HostKeyCheckingFromSshConfigTest {
    @TempDir
    static Path dir;
    @RegisterExtension
    static final LabHosts lab = LabHosts.named("hk-new", "hk-strict");
    static LabFleet fleet;
    static Path inventory;
    static Path playbook;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = lab.fleet();
        inventory = fleet.writeInventory(dir.resolve("hosts.yml"), java.util.Map.of());
        playbook = Files.writeString(dir.resolve("site.yml"), """
                - hosts: all
                  tasks:
                    - name: look at /srv
                      file:
                        path: /srv
                        state: directory
                """);
    }

    @Test
    void acceptNewRecordsAnUnknownKeyThenStillRefusesAChangedOne() throws Exception {
        Path knownHosts = dir.resolve("accept-new/known_hosts"); // neither the file nor its directory exists yet
        Path sshConfig = Files.writeString(dir.resolve("accept-new.ssh_config"), """
                Host %s
                    StrictHostKeyChecking accept-new
                    UserKnownHostsFile %s
                """.formatted(lab.address("hk-new"), knownHosts));

        Rig first = plan(sshConfig, "hk-new");

        assertEquals(0, first.exit(), first.toString());
        String hostKey = Files.readString(TestKeys.publicKey(fleet.host("hk-new").hostKey())).split(" ")[1];
        assertEquals(List.of(lab.address("hk-new") + " ssh-ed25519 " + hostKey), Files.readAllLines(knownHosts).stream().filter(l -> !l.isBlank()).toList());

        fleet.rotateHostKey("hk-new");
        String recorded = Files.readString(knownHosts);
        Rig afterRotation = plan(sshConfig, "hk-new");

        assertEquals(1, afterRotation.exit(), afterRotation.toString());
        assertTrue(afterRotation.out().contains("unreachable [hk-new] host key for hk-new (" + lab.address("hk-new") + ":22) has CHANGED"), afterRotation.toString());
        assertEquals(recorded, Files.readString(knownHosts), "a changed key is never recorded");
    }

    @Test
    void strictCheckingRefusesAnUnknownKeyAndSaysHowToTrustIt() throws Exception {
        Path knownHosts = Files.createFile(dir.resolve("empty_known_hosts"));
        Path sshConfig = Files.writeString(dir.resolve("strict.ssh_config"), """
                Host *
                    StrictHostKeyChecking yes
                    UserKnownHostsFile %s
                """.formatted(knownHosts));

        Rig run = plan(sshConfig, "hk-strict");

        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.out().contains("host key for hk-strict (" + lab.address("hk-strict") + ":22) is not in " + knownHosts + ": offered ssh-ed25519 SHA256:"),
                run.toString());
        assertTrue(run.out().contains("set StrictHostKeyChecking accept-new in ssh_config"), run.toString());
        assertEquals("", Files.readString(knownHosts));
    }

    private static Rig plan(Path sshConfig, String host) {
        return Rig.run(List.of("plan", "-F", sshConfig.toString(), "-i", inventory.toString(), "-l", host, playbook.toString()));
    }
}
