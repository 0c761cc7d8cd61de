package dev.rig.cli;

import dev.rig.testkit.Rig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A delegate_to written as a plain name that the inventory does not have is refused at load, by name and
 * file:line:column, in a task, a block, an included file and a handler, before any host is touched. The host's
 * ProxyCommand (a local script, no network) leaves a mark whenever rig tries to reach it: with a good
 * delegate it does, with a bad one it does not.
 */
class UnknownDelegateTest {
    @TempDir Path dir;
    Path inventory;
    Path marker;
    Path knownHosts;

    @BeforeEach
    void setUp() throws Exception {
        marker = dir.resolve("contacted");
        Path proxy = Files.writeString(dir.resolve("proxy.sh"), "#!/bin/sh\ntouch " + marker + "\necho refused by the test >&2\nexit 3\n");
        assertTrue(proxy.toFile().setExecutable(true));
        knownHosts = Files.writeString(dir.resolve("known_hosts"), "");
        inventory = Files.writeString(dir.resolve("hosts.yml"), """
                all:
                  hosts:
                    web1:
                      ansible_host: 127.0.0.1
                      ansible_ssh_common_args: '-o "ProxyCommand=%s %%h"'
                    db1:
                      ansible_host: 127.0.0.1
                      ansible_ssh_common_args: '-o "ProxyCommand=%s %%h"'
                """.formatted(proxy, proxy));
    }

    private Rig plan(Path playbook) {
        return Rig.run(List.of("plan", "-i", inventory.toString(), "--known-hosts", knownHosts.toString(), playbook.toString()));
    }

    @Test
    void anUnknownDelegateIsRefusedByNameWhereItIsWrittenAndNoHostIsContacted() throws Exception {
        Files.writeString(dir.resolve("more.yml"), """
                - name: Included
                  file: {path: /srv/inc, state: touch}
                  delegate_to: db2
                """);
        Path playbook = Files.writeString(dir.resolve("site.yml"), """
                - hosts: web1
                  tasks:
                    - name: Known
                      file: {path: /srv/a, state: touch}
                      delegate_to: db1
                    - name: Unknown
                      file: {path: /srv/b, state: touch}
                      delegate_to: dbl
                      notify: h
                    - block:
                        - name: In a block
                          file: {path: /srv/c, state: touch}
                          delegate_to: "web9"
                    - include_tasks: more.yml
                    - name: Templated, decided per host when it runs
                      file: {path: /srv/d, state: touch}
                      delegate_to: "${inventory_hostname}"
                  handlers:
                    - name: h
                      command: "true"
                      delegate_to: nowhere
                """);
        Rig run = plan(playbook);
        assertEquals(1, run.exit(), run.toString());
        String why = ": delegate_to '%s' names no host in the inventory: rig delegates only to inventory hosts and localhost";
        assertTrue(run.err().contains(playbook + ":8:20" + why.formatted("dbl")), run.toString());
        assertTrue(run.err().contains(playbook + ":13:25" + why.formatted("web9")), run.toString());
        assertTrue(run.err().contains(dir.resolve("more.yml") + ":3:16" + why.formatted("db2")), run.toString());
        assertTrue(run.err().contains(playbook + ":21:20" + why.formatted("nowhere")), run.toString());
        assertFalse(run.err().contains("'db1' names no host"), run.toString());
        assertFalse(run.err().contains("inventory_hostname"), "a templated delegate is checked when it runs: " + run);
        assertFalse(Files.exists(marker), "no host was contacted: " + run);

        // The same inventory and a delegate it has: rig does try to reach the hosts (the mark is what the assertion above relies on).
        Path good = Files.writeString(dir.resolve("good.yml"), """
                - hosts: web1
                  tasks:
                    - file: {path: /srv/a, state: touch}
                      delegate_to: db1
                """);
        Rig contacted = plan(good);
        assertEquals(1, contacted.exit(), contacted.toString());
        assertFalse(contacted.err().contains("names no host"), contacted.toString());
        assertTrue(Files.exists(marker), "the ProxyCommand ran: " + contacted);
    }
}
