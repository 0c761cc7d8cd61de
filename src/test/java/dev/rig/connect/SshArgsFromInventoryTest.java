package dev.rig.connect;

import dev.rig.lab.LabFleet;
import dev.rig.testkit.LabHosts;
import dev.rig.ssh.TestKeys;
import dev.rig.testkit.Rig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ansible_ssh_common_args / ansible_ssh_extra_args applied through the rig command line, against real sshd:
 * -o Port reaches a second sshd on another port (and loses to ansible_port, as in Ansible); -o ProxyJump
 * crosses a bastion into a network nothing else reaches; -o IdentityFile and User log in with no key given
 * otherwise; -o StrictHostKeyChecking with UserKnownHostsFile records, refuses, or (no + /dev/null, the usual
 * Ansible idiom) just connects; -o ConnectTimeout bounds a server that never answers.
 */
@Tag("integration")
class SshArgsFromInventoryTest {
    // Inside the private network's own namespace (its own loopback): no other test's address can be there.
    private static final String INSIDE = "127.0.0.125";
    private static final int OTHER_PORT = 2222;

    @TempDir
    static Path dir;
    @RegisterExtension
    static final LabHosts lab = LabHosts.named("args-a", "args-b").withSpareAddresses(2);
    static LabFleet fleet;
    static PrivateNetwork network;
    static Process otherPortSshd;
    static Path otherPortLog;
    static Path playbook;
    /** The entry bastion's relay and the server that never answers listen on the test's loopback, on spare addresses of the fleet's. */
    static String entry;
    static String silentAddress;

    @BeforeAll
    static void start() throws Exception {
        fleet = lab.fleet();
        // A second sshd in args-a's namespaces, on another port: only -o Port=2222 reaches it.
        Path authorized = Files.copy(TestKeys.publicKey(fleet.clientKey()), dir.resolve("authorized_keys"));
        Path config = Files.writeString(dir.resolve("sshd-2222.conf"), """
                ListenAddress %s:%d
                HostKey %s
                PidFile %s
                AuthorizedKeysFile %s
                PermitRootLogin prohibit-password
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                UsePAM no
                StrictModes no
                LogLevel VERBOSE
                Subsystem sftp /usr/lib/openssh/sftp-server
                """.formatted(fleet.host("args-a").address(), OTHER_PORT, fleet.host("args-a").hostKey(), dir.resolve("sshd-2222.pid"), authorized));
        otherPortLog = dir.resolve("sshd-2222.log");
        otherPortSshd = fleet.spawn("args-a", List.of("/usr/sbin/sshd", "-D", "-e", "-f", config.toString()), otherPortLog);
        awaitListening(fleet.host("args-a").address(), OTHER_PORT);

        network = new PrivateNetwork(dir.resolve("network"));
        network.startInside("inside", INSIDE);
        entry = lab.spareAddress(0);
        silentAddress = lab.spareAddress(1);
        network.startEntry("entry", entry);
        playbook = Files.writeString(dir.resolve("site.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: who answers
                      command: hostname
                      changed_when: false
                """);
    }

    @AfterAll
    static void stop() throws Exception {
        if (otherPortSshd != null) {
            otherPortSshd.destroy();
            otherPortSshd.waitFor();
        }
        if (network != null) network.close();
    }

    @Test
    void portFromTheArgsReachesTheOtherSshdAndAnsiblePortWinsOverIt() throws Exception {
        String address = fleet.host("args-a").address();
        Path inventory = inventory("port", """
                    via-args:
                      ansible_host: %s
                      ansible_ssh_common_args: -o Port=%d
                """.formatted(address, OTHER_PORT) + keyAndUser());
        // As OpenSSH records it: a host on another port is known as [address]:port.
        String hostKey = Files.readString(TestKeys.publicKey(fleet.host("args-a").hostKey())).split(" ")[1];
        Path knownHosts = Files.writeString(dir.resolve("port_known_hosts"), Files.readString(fleet.knownHosts())
                + "[" + address + "]:" + OTHER_PORT + " ssh-ed25519 " + hostKey + "\n");
        long before = accepted(otherPortLog);
        Rig run = Rig.run(inventory, knownHosts, "plan", playbook.toString());
        assertEquals(0, run.exit(), run.toString());
        assertEquals(before + 1, accepted(otherPortLog), "the login went to the sshd on port " + OTHER_PORT);

        Path both = inventory("port-both", """
                    via-port:
                      ansible_host: %s
                      ansible_port: 22
                      ansible_ssh_extra_args: -o Port=%d
                """.formatted(address, OTHER_PORT) + keyAndUser());
        Rig second = Rig.run(both, knownHosts, "plan", playbook.toString());
        assertEquals(0, second.exit(), second.toString());
        assertEquals(before + 1, accepted(otherPortLog), "ansible_port comes first on Ansible's ssh command line, so it wins");
    }

    @Test
    void proxyJumpFromTheArgsCrossesTheBastion() throws Exception {
        Path knownHosts = network.writeKnownHosts(dir.resolve("network_known_hosts"));
        // The bastion's own login comes from ssh_config, as with ssh -J (the jump's ssh gets -F, not -i).
        Path sshConfig = Files.writeString(dir.resolve("jump.ssh_config"), """
                Host %s
                    User root
                    IdentityFile %s
                """.formatted(entry, network.clientKey()));
        Path inventory = Files.writeString(dir.resolve("jump.yml"), """
                all:
                  hosts:
                    inside:
                      ansible_host: %s
                      ansible_user: root
                      ansible_ssh_private_key_file: %s
                      ansible_ssh_common_args: '-o ProxyJump=root@%s'
                """.formatted(INSIDE, network.clientKey(), entry));
        long forwarded = count(network.log("entry"), "target " + INSIDE + " port 22");
        Rig run = Rig.run(List.of("plan", "-F", sshConfig.toString(), "-i", inventory.toString(), "--known-hosts", knownHosts.toString(),
                playbook.toString()));
        assertEquals(0, run.exit(), run.toString());
        assertEquals(forwarded + 1, count(network.log("entry"), "target " + INSIDE + " port 22"), "the bastion forwarded to the inside host");

        Path without = Files.writeString(dir.resolve("nojump.yml"), Files.readString(inventory).replaceAll("(?m)^.*ssh_common_args.*\n", ""));
        Rig direct = Rig.run(List.of("plan", "-F", sshConfig.toString(), "-i", without.toString(), "--known-hosts", knownHosts.toString(),
                playbook.toString()));
        assertEquals(1, direct.exit(), "without the option the inside host cannot be reached: " + direct);
        assertTrue(direct.out().contains("Connection refused"), direct.toString());
    }

    @Test
    void identityFileAndUserFromTheArgsLogIn() throws Exception {
        Path inventory = inventory("identity", """
                    args-b:
                      ansible_host: %s
                      ansible_ssh_common_args: '-o User=root -o "IdentityFile=%s"'
                """.formatted(fleet.host("args-b").address(), fleet.clientKey()));
        Rig run = Rig.run(inventory, fleet.knownHosts(), "plan", playbook.toString());
        assertEquals(0, run.exit(), run.toString());

        Path noKey = inventory("no-identity", """
                    args-b:
                      ansible_host: %s
                      ansible_ssh_common_args: '-o User=root -o IdentityFile=%s'
                """.formatted(fleet.host("args-b").address(), dir.resolve("no-such-key")));
        Rig refused = Rig.run(noKey, fleet.knownHosts(), "plan", playbook.toString());
        assertEquals(1, refused.exit(), refused.toString());
        assertTrue(refused.out().contains("public-key authentication as root on args-b"), refused.toString());
    }

    @Test
    void strictHostKeyCheckingAndKnownHostsFromTheArgs() throws Exception {
        String address = fleet.host("args-b").address();
        String hostKey = Files.readString(TestKeys.publicKey(fleet.host("args-b").hostKey())).split(" ")[1];
        Path recorded = dir.resolve("accept-new/known_hosts");
        Rig acceptNew = run(inventory("accept-new", host(address, "-o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=" + recorded)));
        assertEquals(0, acceptNew.exit(), acceptNew.toString());
        assertEquals(List.of(address + " ssh-ed25519 " + hostKey), Files.readAllLines(recorded).stream().filter(l -> !l.isBlank()).toList());

        Path empty = Files.createFile(dir.resolve("empty_known_hosts"));
        Rig strict = run(inventory("strict", host(address, "-o StrictHostKeyChecking=yes -o UserKnownHostsFile=" + empty)));
        assertEquals(1, strict.exit(), strict.toString());
        assertTrue(strict.out().contains("host key for args-b (" + address + ":22) is not in " + empty), strict.toString());
        assertEquals("", Files.readString(empty));

        Rig idiom = run(inventory("dev-null", host(address, "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null")));
        assertEquals(0, idiom.exit(), idiom.toString());
    }

    @Test
    void connectTimeoutFromTheArgsBoundsAServerThatNeverAnswers() throws Exception {
        try (ServerSocket silent = new ServerSocket()) {
            silent.bind(new InetSocketAddress(silentAddress, 22));
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) held.add(silent.accept()); // accepted, never answered
                } catch (Exception closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Rig run = run(inventory("silent", host(silentAddress, "-o ConnectTimeout=2")));
            assertEquals(1, run.exit(), run.toString());
            assertTrue(run.out().contains("timed out after 2 s connecting to args-b (" + silentAddress + ":22)"), run.toString());
            assertTrue(run.millis() < 9_000, "the 10 s default did not apply: " + run.millis() + " ms");
            for (Socket socket : held) socket.close();
        }
    }

    @Test
    void anOptionRigCannotApplyStopsTheRunBeforeAnyHostIsContacted() throws Exception {
        long before = accepted(fleet.sshdLog("args-b"));
        Rig run = run(inventory("refused", host(fleet.host("args-b").address(), "-o ControlMaster=auto -o ControlPersist=60s")));
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("ansible_ssh_common_args: ssh option ControlMaster is not supported"), run.toString());
        assertFalse(run.out().contains("PLAY"), run.toString());
        assertEquals(before, accepted(fleet.sshdLog("args-b")), "no host was contacted");
    }

    private static Rig run(Path inventory) {
        return Rig.run(List.of("plan", "-i", inventory.toString(), playbook.toString()));
    }

    /** args-b at address, logging in with the fleet's key, its ssh args as given. */
    private static String host(String address, String args) {
        return """
                    args-b:
                      ansible_host: %s
                      ansible_ssh_common_args: '%s'
                """.formatted(address, args) + keyAndUser();
    }

    private static String keyAndUser() {
        return "      ansible_user: root\n      ansible_ssh_private_key_file: " + fleet.clientKey() + "\n";
    }

    private static Path inventory(String name, String hosts) throws Exception {
        return Files.writeString(dir.resolve(name + ".yml"), "all:\n  hosts:\n" + hosts);
    }

    private static long accepted(Path log) throws Exception {
        return count(log, "Accepted publickey for root");
    }

    private static long count(Path log, String text) throws Exception {
        return Files.exists(log) ? Files.readAllLines(log).stream().filter(line -> line.contains(text)).count() : 0;
    }

    private static void awaitListening(String address, int port) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), 500);
                return;
            } catch (java.io.IOException e) {
                if (System.currentTimeMillis() > deadline) throw new AssertionError("sshd on " + address + ":" + port + " did not start", e);
                Thread.sleep(50);
            }
        }
    }
}
