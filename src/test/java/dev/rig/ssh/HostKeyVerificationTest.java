package dev.rig.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.lab.LabHost;
import dev.rig.testkit.LabHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Host keys against known_hosts, with hosts whose keys OpenSSH's ssh-keygen made. */
@Tag("integration")
class HostKeyVerificationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @RegisterExtension
    static final LabHosts lab = LabHosts.named("hk1", "hk2", "rotated");
    @TempDir
    static Path dir;

    @Test
    void aKnownHostIsAccepted() throws Exception {
        assertEquals("hk1\n", runHostname(lab.fleet().knownHosts(), HostKeyPolicy.STRICT, "hk1"));
    }

    @Test
    void anUnknownHostIsRefusedNamingItsKey() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty_known_hosts"));
        SshException failure = connectFailure(empty, HostKeyPolicy.STRICT, "hk1");
        assertEquals(SshException.Kind.HOST_KEY_UNKNOWN, failure.kind());
        String fingerprint = TestKeys.fingerprint(TestKeys.publicKey(lab.fleet().host("hk1").hostKey()));
        assertEquals("host key for hk1 (" + lab.address("hk1") + ":22) is not in " + empty + ": offered ssh-ed25519 " + fingerprint
                + "; pass --accept-new-host-keys (or set StrictHostKeyChecking accept-new in ssh_config) to trust it", failure.getMessage());
    }

    @Test
    void acceptNewTrustsAndRecordsAnUnknownHostThenStrictAcceptsIt() throws Exception {
        Path file = dir.resolve("new/known_hosts"); // neither file nor directory exists yet
        assertEquals("hk2\n", runHostname(file, HostKeyPolicy.ACCEPT_NEW, "hk2"));

        String hostKey = Files.readString(TestKeys.publicKey(lab.fleet().host("hk2").hostKey())).split(" ")[1];
        List<String> entries = Files.readAllLines(file).stream().filter(line -> !line.isBlank()).toList();
        assertEquals(List.of(lab.address("hk2") + " ssh-ed25519 " + hostKey), entries);
        assertEquals("hk2\n", runHostname(file, HostKeyPolicy.STRICT, "hk2"));
    }

    @Test
    void aChangedHostKeyIsRefusedEvenWhenNewKeysAreAccepted() throws Exception {
        String oldFingerprint = TestKeys.fingerprint(TestKeys.publicKey(lab.fleet().host("rotated").hostKey()));
        lab.fleet().rotateHostKey("rotated");
        String newFingerprint = TestKeys.fingerprint(TestKeys.publicKey(lab.fleet().host("rotated").hostKey()));
        Path knownHosts = Files.copy(lab.fleet().knownHosts(), dir.resolve("rotation_known_hosts"));
        String before = Files.readString(knownHosts);

        for (HostKeyPolicy policy : HostKeyPolicy.values()) {
            SshException failure = connectFailure(knownHosts, policy, "rotated");
            assertEquals(SshException.Kind.HOST_KEY_CHANGED, failure.kind());
            assertTrue(failure.getMessage().startsWith("host key for rotated (" + lab.address("rotated") + ":22) has CHANGED: it offered ssh-ed25519 "
                    + newFingerprint + " but " + knownHosts + " has ssh-ed25519 " + oldFingerprint), failure.getMessage());
            assertTrue(failure.getMessage().contains("ssh-keygen -R " + lab.address("rotated") + " -f " + knownHosts), failure.getMessage());
        }
        assertEquals(before, Files.readString(knownHosts), "known_hosts must not be touched");
    }

    @Test
    void hashedKnownHostsWork() throws Exception {
        Path hashed = Files.copy(lab.fleet().knownHosts(), dir.resolve("hashed_known_hosts"));
        TestKeys.run("ssh-keygen", "-H", "-f", hashed.toString());
        String content = Files.readString(hashed);
        assertTrue(content.startsWith("|1|"), content);
        for (String host : List.of("hk1", "hk2", "rotated")) assertFalse(content.contains(lab.address(host)), content);

        assertEquals("hk1\n", runHostname(hashed, HostKeyPolicy.STRICT, "hk1"));
        assertEquals("hk2\n", runHostname(hashed, HostKeyPolicy.STRICT, "hk2"));
    }

    @Test
    void aHostKnownOnlyByItsSecondKeyTypeIsAskedForThatType() throws Exception {
        // Like a user whose known_hosts holds a server's ECDSA key while the server also has an ed25519 one.
        LabHost host = lab.fleet().host("hk1");
        Path ecdsaKey = host.hostKey().resolveSibling("ssh_host_ecdsa_key.pub");
        String[] fields = Files.readString(ecdsaKey).split(" ");
        Path knownHosts = Files.writeString(dir.resolve("ecdsa_known_hosts"), host.address() + " " + fields[0] + " " + fields[1] + "\n");

        assertEquals("hk1\n", runHostname(knownHosts, HostKeyPolicy.STRICT, "hk1"));
    }

    @Test
    void knownKeyTypesMoveToTheFrontInTheirOwnOrder() {
        String proposal = "ssh-ed25519,ecdsa-sha2-nistp256,rsa-sha2-512,rsa-sha2-256";
        assertEquals("rsa-sha2-512,rsa-sha2-256,ssh-ed25519,ecdsa-sha2-nistp256",
                KnownHostsVerifier.preferKnownTypes(proposal, Set.of("ssh-rsa")));
        assertEquals("ecdsa-sha2-nistp256,ssh-ed25519,rsa-sha2-512,rsa-sha2-256",
                KnownHostsVerifier.preferKnownTypes(proposal, Set.of("ecdsa-sha2-nistp256")));
        assertEquals(proposal, KnownHostsVerifier.preferKnownTypes(proposal, Set.of("ssh-ed25519")));
    }

    private static String runHostname(Path knownHosts, HostKeyPolicy policy, String name) throws SshException {
        try (SshTransport transport = new SshTransport(knownHosts, policy, List.of());
             Connection connection = transport.connect(TestKeys.target(lab.fleet(), name))) {
            return connection.exec("hostname", null, TIMEOUT).out();
        }
    }

    private static SshException connectFailure(Path knownHosts, HostKeyPolicy policy, String name) {
        try (SshTransport transport = new SshTransport(knownHosts, policy, List.of())) {
            return assertThrows(SshException.class, () -> transport.connect(TestKeys.target(lab.fleet(), name)));
        }
    }
}
