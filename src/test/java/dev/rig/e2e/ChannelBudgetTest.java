package dev.rig.e2e;

import dev.rig.testkit.LabHosts;
import dev.rig.testkit.Rig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an apply costs each host in SSH channels, as rig's own --stats counts them, on real sshd hosts:
 * a no-op is one channel (the host lock and the state read in one), a first converge one more per
 * changed task; and the answers read ahead that a change left standing were never stale.
 */
@Tag("integration")
class ChannelBudgetTest {
    private static final Pattern CHANNELS = Pattern.compile("rig-stats .*channels_per_host_min=(\\d+) channels_per_host_max=(\\d+)");

    @RegisterExtension
    static final LabHosts lab = LabHosts.named("cb1", "cb2");

    @BeforeEach
    void clean() {
        for (String h : new String[]{"cb1", "cb2"}) lab.exec(h, "rm -rf /srv/budget /srv/stale /tmp/rig-as-nobody; true");
    }

    private static int[] channels(Rig run) {
        Matcher m = CHANNELS.matcher(run.err());
        assertTrue(m.find(), run.toString());
        return new int[]{Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    private Path playbook(String name, String text) throws Exception {
        Path p = lab.dir().resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void aNoOpCostsOneChannelAndAFirstConvergeOneMorePerChangedTask() throws Exception {
        StringBuilder yml = new StringBuilder("""
                - hosts: all
                  tasks:
                    - name: Directory
                      file: { path: /srv/budget, state: directory, mode: "0755" }
                    - name: Files directory
                      file: { path: /srv/budget/files, state: directory }
                """);
        int copies = 8;
        for (int i = 1; i <= copies; i++) {
            yml.append("    - name: File ").append(i).append('\n')
                    .append("      copy: { content: \"file ").append(i).append(" of ${inventory_hostname}\\n\", dest: /srv/budget/files/f").append(i).append(", mode: \"0644\" }\n");
        }
        yml.append("""
                    - name: Setting
                      lineinfile: { path: /srv/budget/env, line: "A=1", create: true }
                    - name: Another setting in the same file
                      lineinfile: { path: /srv/budget/env, line: "B=2" }
                """);
        Path pb = playbook("budget.yml", yml.toString());
        int changed = 2 + copies + 2;

        Rig first = lab.rig("apply", "--yes", "--stats", pb.toString());
        assertEquals(0, first.exit(), first.toString());
        assertEquals(changed, first.recap("cb1", "changed"), first.toString());
        // one channel for the lock and the first read, then one per command (the first directory's
        // mkdir and chmod are two): nothing is read again but the file the first lineinfile changed,
        // which the second reads afresh (on a no-op, both are answered by the first read)
        int commands = changed + 1;
        int[] c = channels(first);
        assertEquals(1 + commands + 1, c[1], "first converge: " + first.err());
        assertEquals("A=1\nB=2\n", lab.exec("cb1", "cat /srv/budget/env"));
        assertEquals("file 3 of cb2\n", lab.exec("cb2", "cat /srv/budget/files/f3"));

        Rig noop = lab.rig("apply", "--yes", "--stats", pb.toString());
        assertEquals(0, noop.exit(), noop.toString());
        assertEquals(0, noop.recap("cb1", "changed"), noop.toString());
        int[] n = channels(noop);
        assertEquals(1, n[0], noop.err());
        assertEquals(1, n[1], "a no-op apply: the lock and the state read in one channel per host: " + noop.err());

        // under become (sudo -n, no password), the read rides in the lock's channel as well
        Path asNobody = playbook("nobody.yml", """
                - hosts: all
                  become: true
                  become_user: nobody
                  tasks:
                    - name: A file of nobody's
                      copy: { content: "mine\\n", dest: /tmp/rig-as-nobody, mode: "0600" }
                """);
        Rig made = lab.rig("apply", "--yes", "--stats", asNobody.toString());
        assertEquals(0, made.exit(), made.toString());
        assertEquals("nobody mine", lab.exec("cb1", "stat -c %U /tmp/rig-as-nobody").strip() + " " + lab.exec("cb1", "cat /tmp/rig-as-nobody").strip());
        Rig again = lab.rig("apply", "--yes", "--stats", asNobody.toString());
        assertEquals(0, again.recap("cb1", "changed"), again.toString());
        assertEquals(1, channels(again)[1], again.err());
    }

    @Test
    void answersReadAheadAreReadAgainWhenAChangeMayHaveMadeThemStale() throws Exception {
        for (String h : new String[]{"cb1", "cb2"}) {
            lab.exec(h, "mkdir -p /srv/stale/tree/sub /srv/stale/real && ln -s /srv/stale/real /srv/stale/alias"
                    + " && echo same > /srv/stale/f && echo same > /srv/stale/tree/sub/x && echo same > /srv/stale/real/y"
                    + " && echo same > /srv/stale/c");
        }
        Path pb = playbook("stale.yml", """
                - hosts: all
                  tasks:
                    - name: Remove a file
                      file: { path: /srv/stale/f, state: absent }
                    - name: The same content again
                      copy: { content: "same\\n", dest: /srv/stale/f }
                    - name: Remove a tree
                      file: { path: /srv/stale/tree, state: absent }
                    - name: Its directory again
                      file: { path: /srv/stale/tree/sub, state: directory }
                    - name: A file in it, as it was
                      copy: { content: "same\\n", dest: /srv/stale/tree/sub/x }
                    - name: Remove a file through a symlinked directory
                      file: { path: /srv/stale/alias/y, state: absent }
                    - name: Write it under its real name
                      copy: { content: "same\\n", dest: /srv/stale/real/y }
                    - name: A command changes a file
                      shell: echo other > /srv/stale/c
                    - name: The file as it was
                      copy: { content: "same\\n", dest: /srv/stale/c }
                """);
        Rig run = lab.rig("apply", "--yes", pb.toString());
        assertEquals(0, run.exit(), run.toString());
        for (String h : new String[]{"cb1", "cb2"}) {
            assertEquals("same same same same", lab.exec(h, "cat /srv/stale/f /srv/stale/tree/sub/x /srv/stale/real/y /srv/stale/c | tr '\\n' ' '").strip(),
                    h + ": " + run);
            assertEquals(9, run.recap(h, "changed"), run.toString());
        }
    }

    private static long logins(String host) throws Exception {
        Path log = lab.fleet().sshdLog(host);
        return Files.exists(log) ? Files.readAllLines(log).stream().filter(line -> line.contains("Accepted publickey for")).count() : 0;
    }

    @Test
    void aNoOpWithATaskDelegatedToTheOtherHostKeepsOneConnectionPerHost() throws Exception {
        Path pb = playbook("delegated.yml", """
                - hosts: all
                  tasks:
                    - name: Directory
                      file: { path: /srv/budget, state: directory }
                    - name: cb2's marker, kept on cb1
                      copy: { content: "from ${inventory_hostname}\\n", dest: "/srv/budget/from-${inventory_hostname}" }
                      delegate_to: cb1
                      when: inventory_hostname == "cb2"
                """);
        Rig first = lab.rig("apply", "--yes", pb.toString());
        assertEquals(0, first.exit(), first.toString());
        assertEquals("from cb2\n", lab.exec("cb1", "cat /srv/budget/from-cb2"));

        long cb1 = logins("cb1"), cb2 = logins("cb2");
        Rig noop = lab.rig("apply", "--yes", "--stats", pb.toString());
        assertEquals(0, noop.exit(), noop.toString());
        assertEquals(0, noop.recap("cb2", "changed"), noop.toString());
        assertEquals(1, logins("cb1") - cb1, "cb1's own run and cb2's task on it share one connection: " + noop);
        assertEquals(1, logins("cb2") - cb2, noop.toString());
        int[] n = channels(noop);
        // cb2: the lock and its state read in one channel; cb1: that, and the delegated task's own read (never batched with cb1's)
        assertEquals(1, n[0], noop.err());
        assertEquals(2, n[1], noop.err());
    }
}
