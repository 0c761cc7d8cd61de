package dev.rig.inventory;

import dev.rig.core.InputError;
import dev.rig.core.InvalidInputException;
import dev.rig.core.Source;
import dev.rig.ssh.HostKeyPolicy;
import dev.rig.testkit.Rig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ansible's connection variables beyond host/port/user/key: honoured (ansible_timeout, ansible_host_key_checking)
 * or refused by name where written (login passwords, a become method other than sudo, ansible_ssh_args), and
 * refused in -e and play vars, where rig would not apply them.
 */
class ConnectionVarsTest {
    @TempDir Path dir;

    private InputError onlyError(String ini) throws Exception {
        Path file = Files.writeString(dir.resolve("hosts"), ini);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> InventoryLoader.load(file));
        assertEquals(1, e.errors().size(), e.errors().toString());
        return e.errors().get(0);
    }

    @Test
    void timeoutAndHostKeyCheckingAreHonoured() throws Exception {
        Path file = Files.writeString(dir.resolve("hosts"), """
                [web]
                w1 ansible_timeout=3 ansible_host_key_checking=False
                w2 ansible_ssh_timeout=4 ansible_ssh_common_args='-o StrictHostKeyChecking=yes'
                w3 ansible_host_key_checking=False ansible_ssh_common_args='-o StrictHostKeyChecking=yes'
                """);
        Inventory inventory = InventoryLoader.load(file);
        Host w1 = Fixtures.host(inventory, "w1");
        assertEquals(Optional.of(Duration.ofSeconds(3)), w1.connectTimeout());
        assertEquals(Optional.of(HostKeyPolicy.ACCEPT_NEW), w1.sshOptions().hostKeyPolicy());
        Host w2 = Fixtures.host(inventory, "w2");
        assertEquals(Optional.of(Duration.ofSeconds(4)), w2.connectTimeout());
        assertEquals(Optional.of(HostKeyPolicy.STRICT), w2.sshOptions().hostKeyPolicy());
        // Ansible passes -o StrictHostKeyChecking=no before ansible_ssh_common_args, and ssh keeps the first value.
        assertEquals(Optional.of(HostKeyPolicy.ACCEPT_NEW), Fixtures.host(inventory, "w3").sshOptions().hostKeyPolicy());
    }

    @Test
    void whatRigCannotHonourIsRefusedWhereWritten() throws Exception {
        InputError password = onlyError("[web]\nw1 ansible_password=hunter22\n");
        assertEquals(new Source(dir.resolve("hosts").toString(), 2, 4), password.source());
        assertTrue(password.message().startsWith("ansible_password is not supported: rig logs in with keys only"), password.message());
        assertTrue(onlyError("[web]\nw1 ansible_ssh_pass=x\n").message().startsWith("ansible_ssh_pass is not supported"));
        assertEquals("ansible_become_method 'su' is not supported: rig becomes another user with sudo only",
                onlyError("[web]\nw1\n[web:vars]\nansible_become_method=su\n").message());
        assertTrue(onlyError("[web]\nw1 ansible_ssh_args='-o ControlMaster=auto'\n").message().startsWith("ansible_ssh_args is not applied by rig"));
        assertEquals("ansible_timeout must be a whole number of seconds from 1, found 'soon'", onlyError("[web]\nw1 ansible_timeout=soon\n").message());
        assertEquals("ansible_host_key_checking must be a boolean (true/false, yes/no), found 'maybe'",
                onlyError("[web]\nw1 ansible_host_key_checking=maybe\n").message());
        Path fine = Files.writeString(dir.resolve("fine"), "[web]\nw1 ansible_become_method=sudo ansible_ssh_args=''\n");
        assertEquals(1, InventoryLoader.load(fine).hosts().size());
    }

    @Test
    void connectionVariablesInExtraVarsOrPlayVarsAreRefusedNotIgnored() throws Exception {
        Path inventory = Files.writeString(dir.resolve("hosts"), "[web]\nw1 ansible_host=127.0.0.1\n");
        Path playbook = Files.writeString(dir.resolve("site.yml"), """
                - hosts: web
                  gather_facts: false
                  vars:
                    ansible_user: deploy
                  tasks:
                    - debug: {msg: hi}
                """);
        Rig run = Rig.run("plan", "-i", inventory.toString(), "-e", "ansible_port=2222", playbook.toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("-e ansible_port: connection variable ansible_port is read from the inventory only"), run.toString());
        assertTrue(run.err().contains(playbook + ":1:3: connection variable ansible_user is read from the inventory only"), run.toString());
        assertFalse(run.out().contains("PLAY"), "nothing ran: " + run);
    }
}
