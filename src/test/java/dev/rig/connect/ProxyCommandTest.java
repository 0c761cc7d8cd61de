package dev.rig.connect;

import dev.rig.testkit.Rig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ProxyCommand, the way Ansible users reach hosts behind a bastion: OpenSSH's own client as the command
 * ({@code ssh -W %h:%p bastion}), from ansible_ssh_common_args and from ssh_config, into a network nothing
 * else reaches. The target's host key is still checked against known_hosts under its own name, and a command
 * that fails says why.
 */
@Tag("integration")
class ProxyCommandTest {
    private static final String ENTRY = "127.0.0.135";
    /** Inside the private network only. */
    private static final String INSIDE = "127.0.0.136";

    @TempDir
    static Path dir;
    static PrivateNetwork network;
    static Path knownHosts;
    static Path playbook;

    @BeforeAll
    static void start() throws Exception {
        network = new PrivateNetwork(dir.resolve("network"));
        network.startInside("inside", INSIDE);
        network.startEntry("entry", ENTRY);
        knownHosts = network.writeKnownHosts(dir.resolve("known_hosts"));
        playbook = Files.writeString(dir.resolve("site.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: where am I
                      command: cat /proc/sys/kernel/hostname
                      changed_when: false
                """);
    }

    @AfterAll
    static void stop() throws Exception {
        if (network != null) network.close();
    }

    /** OpenSSH's client as the proxy: batch mode, the bastion's key checked strictly. */
    private static String sshW() {
        return "ssh -i " + network.clientKey() + " -o UserKnownHostsFile=" + knownHosts
                + " -o StrictHostKeyChecking=yes -o BatchMode=yes -W %h:%p root@" + ENTRY;
    }

    @Test
    void proxyCommandFromTheInventoryArgsReachesAHostOnlyTheBastionReaches() throws Exception {
        Path inventory = inventory("args", "ansible_ssh_common_args: '-o ProxyCommand=\"" + sshW() + "\"'");
        long forwarded = forwardedToInside();
        Rig run = Rig.run(List.of("plan", "-i", inventory.toString(), "--known-hosts", knownHosts.toString(), playbook.toString()));
        assertEquals(0, run.exit(), run.toString());
        assertEquals(forwarded + 1, forwardedToInside(), "the bastion forwarded the connection to the inside host");

        Path without = inventory("direct", "");
        Rig direct = Rig.run(List.of("plan", "-i", without.toString(), "--known-hosts", knownHosts.toString(), playbook.toString()));
        assertEquals(1, direct.exit(), "the inside host is not reachable without the proxy: " + direct);
        assertTrue(direct.out().contains("Connection refused"), direct.toString());
    }

    @Test
    void proxyCommandFromSshConfigIsUsedAndTheTargetKeyIsStillChecked() throws Exception {
        Path sshConfig = Files.writeString(dir.resolve("ssh_config"), """
                Host %s
                    ProxyCommand %s
                """.formatted(INSIDE, sshW()));
        Path inventory = inventory("config", "");
        long forwarded = forwardedToInside();
        Rig run = Rig.run(List.of("plan", "-F", sshConfig.toString(), "-i", inventory.toString(), "--known-hosts", knownHosts.toString(),
                playbook.toString()));
        assertEquals(0, run.exit(), run.toString());
        assertEquals(forwarded + 1, forwardedToInside());

        // The proxy carries the bytes; the target proves itself all the same, under its own name.
        Path onlyBastion = Files.writeString(dir.resolve("only_bastion_known_hosts"), Files.readAllLines(knownHosts).stream()
                .filter(line -> line.startsWith(ENTRY + " ")).map(line -> line + "\n").reduce("", String::concat));
        Rig unknown = Rig.run(List.of("plan", "-F", sshConfig.toString(), "-i", inventory.toString(), "--known-hosts", onlyBastion.toString(),
                playbook.toString()));
        assertEquals(1, unknown.exit(), unknown.toString());
        assertTrue(unknown.out().contains("host key for inside (" + INSIDE + ":22) is not in " + onlyBastion), unknown.toString());
    }

    @Test
    void aProxyCommandThatFailsSaysWhy() throws Exception {
        Path script = Files.writeString(dir.resolve("no-route.sh"), "#!/bin/sh\necho \"no route to $1\" >&2\nexit 3\n");
        script.toFile().setExecutable(true);
        Path inventory = inventory("failing", "ansible_ssh_common_args: '-o \"ProxyCommand=" + script + " %h\"'");
        Rig run = Rig.run(List.of("plan", "-i", inventory.toString(), "--known-hosts", knownHosts.toString(), playbook.toString()));
        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.out().contains("exited with status 3: no route to " + INSIDE), run.toString());
        assertFalse(run.out().contains("Exception"), run.toString());
    }

    private static Path inventory(String name, String extra) throws Exception {
        return Files.writeString(dir.resolve(name + ".yml"), """
                all:
                  hosts:
                    inside:
                      ansible_host: %s
                      ansible_user: root
                      ansible_ssh_private_key_file: %s
                """.formatted(INSIDE, network.clientKey()) + (extra.isEmpty() ? "" : "      " + extra + "\n"));
    }

    private static long forwardedToInside() throws Exception {
        Path log = network.log("entry");
        return Files.exists(log) ? Files.readAllLines(log).stream().filter(line -> line.contains("target " + INSIDE + " port 22")).count() : 0;
    }
}
