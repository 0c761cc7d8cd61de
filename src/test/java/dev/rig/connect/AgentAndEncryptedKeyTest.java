package dev.rig.connect;

import dev.rig.testkit.Rig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.lab.LabFleet;
import dev.rig.testkit.LabHosts;
import dev.rig.lab.LabHost;
import dev.rig.ssh.Connection;
import dev.rig.ssh.HostKeyPolicy;
import dev.rig.ssh.Passphrases;
import dev.rig.ssh.SshConfig;
import dev.rig.ssh.SshException;
import dev.rig.ssh.SshSettings;
import dev.rig.ssh.SshTarget;
import dev.rig.ssh.SshTransport;
import dev.rig.ssh.TestKeys;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys as operators hold them: an RSA key that exists only in a real ssh-agent (its files deleted), and an
 * encrypted ed25519 key whose passphrase comes from $RIG_SSH_KEY_PASSPHRASE. The agent test and the
 * passphrase test each run the rig command line in a JVM of its own, so that the environment really is
 * where both come from.
 */
@Tag("integration")
class AgentAndEncryptedKeyTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String PASSPHRASE = "correct horse battery staple 4";

    @TempDir
    static Path dir;
    @RegisterExtension
    static final LabHosts lab = LabHosts.named("agent1", "enc1");
    static LabFleet fleet;
    static Process agent;
    static Path agentSocket;
    static String agentKeyFingerprint;
    /** The agent key's public half alone, in a directory of its own: what IdentitiesOnly can still match. */
    static Path agentKeyWithoutPrivateFile;
    static Path encryptedKey;

    @BeforeAll
    static void startFleetAndAgent() throws Exception {
        fleet = lab.fleet();
        agentSocket = dir.resolve("agent.sock");
        agent = new ProcessBuilder("ssh-agent", "-D", "-a", agentSocket.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
        for (int i = 0; i < 500 && !Files.exists(agentSocket); i++) Thread.sleep(10);

        Path rsa = dir.resolve("agent_rsa");
        TestKeys.run("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", rsa.toString());
        fleet.authorize(TestKeys.publicKey(rsa));
        agentKeyFingerprint = TestKeys.fingerprint(TestKeys.publicKey(rsa));
        Path onlyPublic = Files.createDirectories(dir.resolve("only-public"));
        agentKeyWithoutPrivateFile = onlyPublic.resolve("agent_rsa");
        Files.copy(TestKeys.publicKey(rsa), TestKeys.publicKey(agentKeyWithoutPrivateFile));
        addToAgent(rsa);
        Files.delete(rsa);
        Files.delete(TestKeys.publicKey(rsa));

        encryptedKey = TestKeys.generateEncrypted(dir.resolve("encrypted_ed25519"), PASSPHRASE);
        fleet.authorize(TestKeys.publicKey(encryptedKey));
    }

    private static void addToAgent(Path key) throws Exception {
        ProcessBuilder add = new ProcessBuilder("ssh-add", key.toString()).redirectErrorStream(true);
        add.environment().put("SSH_AUTH_SOCK", agentSocket.toString());
        Process adding = add.start();
        String said = new String(adding.getInputStream().readAllBytes());
        assertTrue(adding.waitFor(30, TimeUnit.SECONDS) && adding.exitValue() == 0, "ssh-add: " + said);
    }

    @AfterAll
    static void stop() {
        if (agent != null) agent.destroy();
    }

    @Test
    void anRsaKeyThatExistsOnlyInTheAgentLogsIn() throws Exception {
        try (SshTransport transport = new SshTransport(settings(SshConfig.NONE, Optional.of(agentSocket), Passphrases.NONE));
             Connection connection = transport.connect(target("agent1", Optional.empty()))) {
            assertEquals("root\n", connection.exec("whoami", null, TIMEOUT).out());
        }
        // OpenSSH 9.2 accepts RSA only with rsa-sha2-256/512 signatures: the agent was asked for one.
        assertTrue(loggedLogin("agent1", "RSA " + agentKeyFingerprint));
    }

    @Test
    void identitiesOnlyOffersOnlyTheAgentKeysOfTheConfiguredFiles() throws Exception {
        Path stranger = TestKeys.generate(dir.resolve("stranger"), "ed25519");
        SshSettings strangerOnly = settings(config("IdentityFile " + stranger + "\n    IdentitiesOnly yes"), Optional.of(agentSocket), Passphrases.NONE);
        try (SshTransport transport = new SshTransport(strangerOnly)) {
            SshException failure = assertThrows(SshException.class, () -> transport.connect(target("agent1", Optional.empty())));
            assertEquals(SshException.Kind.AUTH_FAILED, failure.kind());
            assertFalse(failure.getMessage().contains("ssh-agent"), failure.getMessage());
        }
        // The private file is gone, its .pub is not: IdentitiesOnly still picks the agent's key by it, as OpenSSH does.
        SshSettings publicHalfOnly = settings(config("IdentityFile " + agentKeyWithoutPrivateFile + "\n    IdentitiesOnly yes"),
                Optional.of(agentSocket), Passphrases.NONE);
        try (SshTransport transport = new SshTransport(publicHalfOnly);
             Connection connection = transport.connect(target("agent1", Optional.empty()))) {
            assertEquals("root\n", connection.exec("whoami", null, TIMEOUT).out());
        }
    }

    @Test
    void anAgentThatCannotBeReachedIsNamedWhenAuthenticationFails() {
        Path gone = dir.resolve("no-agent-here.sock");
        try (SshTransport transport = new SshTransport(settings(SshConfig.NONE, Optional.of(gone), Passphrases.NONE))) {
            SshException failure = assertThrows(SshException.class, () -> transport.connect(target("agent1", Optional.empty())));
            assertEquals(SshException.Kind.AUTH_FAILED, failure.kind());
            assertTrue(failure.getMessage().contains("ssh-agent at " + gone + " cannot be reached"), failure.getMessage());
        }
    }

    @Test
    void anEncryptedKeyIsDecryptedWithThePassphraseGivenAndOnlyWithIt() throws Exception {
        try (SshTransport transport = new SshTransport(settings(SshConfig.NONE, Optional.empty(), Passphrases.of(PASSPHRASE)));
             Connection connection = transport.connect(target("enc1", Optional.of(encryptedKey)))) {
            assertEquals("root\n", connection.exec("whoami", null, TIMEOUT).out());
        }
        try (SshTransport transport = new SshTransport(settings(SshConfig.NONE, Optional.empty(), Passphrases.of("not " + PASSPHRASE)))) {
            SshException failure = assertThrows(SshException.class, () -> transport.connect(target("enc1", Optional.of(encryptedKey))));
            assertEquals("cannot use identity file " + encryptedKey + " for enc1 (" + lab.address("enc1") + ":22): the passphrase from $"
                    + Passphrases.ENVIRONMENT_VARIABLE + " does not decrypt it", failure.getMessage());
        }
    }

    @Test
    void anEncryptedKeyFileWhoseKeyTheAgentHoldsNeedsNoPassphrase() throws Exception {
        Path key = TestKeys.generate(dir.resolve("agent_held_ed25519"), "ed25519");
        fleet.authorize(TestKeys.publicKey(key));
        addToAgent(key);
        TestKeys.run("ssh-keygen", "-q", "-p", "-P", "", "-N", "a passphrase nobody gives rig", "-f", key.toString());
        try (SshTransport transport = new SshTransport(settings(SshConfig.NONE, Optional.of(agentSocket), Passphrases.NONE));
             Connection connection = transport.connect(target("enc1", Optional.of(key)))) {
            assertEquals("root\n", connection.exec("whoami", null, TIMEOUT).out());
        }
        assertTrue(loggedLogin("enc1", "ED25519 " + TestKeys.fingerprint(TestKeys.publicKey(key))));
    }

    @Test
    void theIdentityFileIsOfferedBeforeTheAgentsKeysAsOpenSshOffersThem() throws Exception {
        String encryptedKeyFingerprint = TestKeys.fingerprint(TestKeys.publicKey(encryptedKey));
        long byAgent = logins("enc1", "RSA " + agentKeyFingerprint);
        long byFile = logins("enc1", "ED25519 " + encryptedKeyFingerprint);
        try (SshTransport transport = new SshTransport(settings(SshConfig.NONE, Optional.of(agentSocket), Passphrases.of(PASSPHRASE)));
             Connection connection = transport.connect(target("enc1", Optional.of(encryptedKey)))) {
            assertEquals("root\n", connection.exec("whoami", null, TIMEOUT).out());
        }
        assertEquals(byFile + 1, logins("enc1", "ED25519 " + encryptedKeyFingerprint));
        assertEquals(byAgent, logins("enc1", "RSA " + agentKeyFingerprint));
    }

    @Test
    void theCommandLineReadsTheAgentAndThePassphraseFromItsEnvironment() throws Exception {
        // enc1 may use only its key file: were the agent's key offered there, the passphrase would prove nothing.
        Path sshConfig = Files.writeString(dir.resolve("cli_ssh_config"), "Host " + lab.address("enc1") + "\n    IdentitiesOnly yes\n");
        Path inventory = Files.writeString(dir.resolve("hosts.yml"), """
                all:
                  vars:
                    ansible_user: root
                  hosts:
                    agent1:
                      ansible_host: %s
                    enc1:
                      ansible_host: %s
                      ansible_ssh_private_key_file: %s
                """.formatted(lab.address("agent1"), lab.address("enc1"), encryptedKey));
        Path playbook = Files.writeString(dir.resolve("site.yml"), """
                - hosts: all
                  tasks:
                    - name: look at /srv
                      file:
                        path: /srv
                        state: directory
                """);
        String encryptedKeyFingerprint = TestKeys.fingerprint(TestKeys.publicKey(encryptedKey));

        Rig run = Rig.subprocess(Map.of("SSH_AUTH_SOCK", agentSocket.toString(), Passphrases.ENVIRONMENT_VARIABLE, PASSPHRASE),
                List.of("plan", "-F", sshConfig.toString(), "--known-hosts", fleet.knownHosts().toString(),
                        "-i", inventory.toString(), playbook.toString()));

        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.recapMatches("agent1", "ok=1"), run.toString());
        assertTrue(run.recapMatches("enc1", "ok=1"), run.toString());
        assertTrue(loggedLogin("agent1", "RSA " + agentKeyFingerprint));
        assertTrue(loggedLogin("enc1", "ED25519 " + encryptedKeyFingerprint));
        assertFalse(run.all().contains(PASSPHRASE), run.toString());
    }

    @Test
    void onATerminalThePassphraseIsAskedForOnceForBothHostsAndNotEchoed() throws Exception {
        Path sshConfig = Files.writeString(dir.resolve("tty_ssh_config"), "Host *\n    IdentitiesOnly yes\n");
        Path inventory = Files.writeString(dir.resolve("tty_hosts.yml"), """
                all:
                  vars:
                    ansible_user: root
                    ansible_ssh_private_key_file: %s
                  hosts:
                    agent1:
                      ansible_host: %s
                    enc1:
                      ansible_host: %s
                """.formatted(encryptedKey, lab.address("agent1"), lab.address("enc1")));
        Path playbook = Files.writeString(dir.resolve("tty_site.yml"), "- hosts: all\n  tasks:\n    - command: id -u\n      changed_when: false\n");
        String prompt = "Enter passphrase for key '" + encryptedKey + "': ";

        Rig run = Rig.onTerminal(List.of("apply", "--yes", "-F", sshConfig.toString(), "--known-hosts", fleet.knownHosts().toString(),
                "-i", inventory.toString(), playbook.toString()), prompt, PASSPHRASE);

        assertEquals(0, run.exit(), run.toString());
        assertEquals(2, run.out().split(java.util.regex.Pattern.quote(prompt), -1).length, "asked exactly once:\n" + run);
        assertFalse(run.out().contains(PASSPHRASE), "the passphrase was echoed:\n" + run);
        assertTrue(run.out().contains("2 hosts"), run.toString());
    }

    private static SshSettings settings(SshConfig config, Optional<Path> agent, Passphrases passphrases) {
        return new SshSettings(config, Optional.of(fleet.knownHosts()), Optional.of(HostKeyPolicy.STRICT), List.of(),
                Optional.of(TIMEOUT), agent, passphrases);
    }

    private static SshConfig config(String forEveryHost) throws Exception {
        return SshConfig.load(Files.writeString(Files.createTempFile(dir, "ssh_config", ""), "Host *\n    " + forEveryHost + "\n"));
    }

    private static SshTarget target(String name, Optional<Path> identity) {
        LabHost host = fleet.host(name);
        return new SshTarget(name, host.address(), Optional.of(host.port()), Optional.of("root"), identity, Optional.empty());
    }

    /** sshd logged "Accepted publickey for root from ... ssh2: TYPE SHA256:..." with this key. */
    private static boolean loggedLogin(String host, String key) throws Exception {
        return logins(host, key) > 0;
    }

    private static long logins(String host, String key) throws Exception {
        return Files.readAllLines(fleet.sshdLog(host)).stream()
                .filter(line -> line.contains("Accepted publickey for root from ") && line.endsWith(key)).count();
    }
}
