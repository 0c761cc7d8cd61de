package dev.rig.connect;

import dev.rig.testkit.Rig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ProxyJump from an ssh_config file, against real sshd: the entry bastion (127.0.0.85) is the only host
 * reachable from here; the inner bastion (127.0.0.86) and the target (127.0.0.87) live in a private network
 * that only the entry bastion stands in. Each bastion's log shows which connection it forwarded.
 */
@Tag("integration")
class ProxyJumpTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String ENTRY = "127.0.0.85";
    private static final String INNER = "127.0.0.86";
    private static final String TARGET = "127.0.0.87";

    @TempDir
    static Path dir;
    static PrivateNetwork network;
    static Path sshConfig;
    static SshTransport transport;
    /** No ssh_config: what connecting straight to an address does. */
    static SshTransport directTransport;

    @BeforeAll
    static void startNetwork() throws Exception {
        network = new PrivateNetwork(dir.resolve("network"));
        network.startInside("target", TARGET);
        network.startInside("inner", INNER);
        network.startEntry("entry", ENTRY);
        Path knownHosts = network.writeKnownHosts(dir.resolve("known_hosts"));
        // OpenSSH's order: "ProxyJump entry,inner" is entry first. Match host sees the HostName.
        sshConfig = Files.writeString(dir.resolve("ssh_config"), """
                Host target-via-inner
                    HostName %s
                    ProxyJump inner
                Host target
                    HostName %s
                Match host %s
                    ProxyJump entry,inner
                Host entry
                    HostName %s
                Host inner
                    HostName %s
                    ProxyJump entry
                Host unreachable-jump
                    HostName %s
                    ProxyJump root@127.0.0.84:22
                Host *
                    User root
                    IdentityFile %s
                    IdentitiesOnly yes
                    UserKnownHostsFile %s
                    StrictHostKeyChecking yes
                """.formatted(TARGET, TARGET, TARGET, ENTRY, INNER, TARGET, network.clientKey(), knownHosts));
        directTransport = new SshTransport(knownHosts, HostKeyPolicy.STRICT, List.of());
        transport = new SshTransport(new SshSettings(SshConfig.load(sshConfig), Optional.empty(), Optional.empty(), List.of(),
                Optional.of(TIMEOUT), Optional.empty(), Passphrases.NONE));
    }

    @AfterAll
    static void stopNetwork() throws Exception {
        if (transport != null) transport.close();
        if (directTransport != null) directTransport.close();
        if (network != null) network.close();
    }

    @Test
    void theTargetAndTheInnerBastionCannotBeReachedDirectly() {
        for (String address : List.of(TARGET, INNER)) {
            SshException failure = assertThrows(SshException.class, () -> directTransport.connect(direct(address)));
            assertEquals(SshException.Kind.UNREACHABLE, failure.kind(), failure.getMessage());
            assertEquals("cannot connect to " + address + " (" + address + ":22): Connection refused", failure.getMessage());
        }
    }

    @Test
    void aTwoJumpChainGoesEntryFirstThenInnerAsOpenSshReadsIt() throws Exception {
        long forwardedToInner = count(network.log("entry"), "target " + INNER + " port 22");
        long forwardedToTarget = count(network.log("inner"), "target " + TARGET + " port 22");
        try (Connection connection = transport.connect(named("target"))) {
            assertEquals("0\n", connection.exec("id -u", null, TIMEOUT).out());
        }
        assertEquals(forwardedToInner + 1, count(network.log("entry"), "target " + INNER + " port 22"), "entry forwarded to inner");
        assertEquals(forwardedToTarget + 1, count(network.log("inner"), "target " + TARGET + " port 22"), "inner forwarded to target");
        assertEquals(0, count(network.log("entry"), "target " + TARGET + " port 22"), "entry never reached the target itself");
    }

    @Test
    void aJumpHostsOwnProxyJumpComesBeforeIt() throws Exception {
        long forwardedToTarget = count(network.log("inner"), "target " + TARGET + " port 22");
        try (Connection connection = transport.connect(named("target-via-inner"))) {
            assertEquals("ok\n", connection.exec("echo ok", null, TIMEOUT).out());
        }
        assertEquals(forwardedToTarget + 1, count(network.log("inner"), "target " + TARGET + " port 22"));
    }

    @Test
    void anUnreachableJumpHostIsNamedAsSuch() {
        SshException failure = assertThrows(SshException.class, () -> transport.connect(named("unreachable-jump")));
        assertEquals(SshException.Kind.UNREACHABLE, failure.kind());
        assertEquals("cannot connect to 127.0.0.84 (127.0.0.84:22), jump host for unreachable-jump (" + TARGET + ":22): Connection refused",
                failure.getMessage());
    }

    @Test
    void rigAppliesAPlaybookThroughTheChainReadingOnlyTheSshConfig() throws Exception {
        Path proof = dir.resolve("written-through-the-chain");
        Path inventory = Files.writeString(dir.resolve("hosts.yml"), "all:\n  hosts:\n    target:\n");
        Path playbook = Files.writeString(dir.resolve("site.yml"), """
                - hosts: all
                  tasks:
                    - name: leave a file on the target
                      copy:
                        dest: %s
                        content: "reached through entry and inner\\n"
                """.formatted(proof));
        long targetLogins = count(network.log("target"), "Accepted publickey for root");

        Rig run = Rig.run(List.of("apply", "--yes", "-F", sshConfig.toString(), "-i", inventory.toString(), playbook.toString()));

        assertEquals(0, run.exit(), run.toString());
        assertEquals("reached through entry and inner\n", Files.readString(proof));
        assertEquals(targetLogins + 1, count(network.log("target"), "Accepted publickey for root"), "one connection for the whole run");
    }

    /** The host by its ssh_config name: everything else comes from the file. */
    private static SshTarget named(String alias) {
        return new SshTarget(alias, alias, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static SshTarget direct(String address) {
        return new SshTarget(address, address, Optional.of(22), Optional.of("root"), Optional.of(network.clientKey()), Optional.of(TIMEOUT));
    }

    private static long count(Path log, String text) throws Exception {
        return Files.exists(log) ? Files.readAllLines(log).stream().filter(line -> line.contains(text)).count() : 0;
    }
}
