package dev.rig.e2e;

import dev.rig.testkit.LabHosts;
import dev.rig.testkit.Rig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two inventory names for one machine (one small VPS under two names): the run holds that machine's
 * lock once, never waits for itself, and the tasks of the two names never run at the same time.
 * Another run is still kept out. One real sshd, two inventory entries pointing at it.
 */
@Tag("integration")
class SameMachineTwoNamesTest {
    @RegisterExtension
    static final LabHosts lab = LabHosts.named("vps");

    @Test
    void oneRunHoldsTheLockForBothNamesAndTakesTurns() throws Exception {
        String original = Files.readString(lab.inventory().resolve("hosts.yml"));
        // the lab's entry for vps, and the same entry again as "monitor"
        String entry = original.substring(original.indexOf("    vps:\n"));
        Path inventory = lab.writeInventoryFile("../two-names/hosts.yml", original + entry.replace("    vps:\n", "    monitor:\n"));
        Path playbook = lab.dir().resolve("site.yml");
        Files.writeString(playbook, """
                - hosts: all
                  tasks:
                    - name: Take a turn
                      shell: "echo start ${inventory_hostname} >> /srv/order; sleep 2; echo end ${inventory_hostname} >> /srv/order"
                """);
        Rig run = Rig.run(inventory.getParent(), lab.knownHosts(), "apply", "--yes", "--lock-timeout", "4", playbook.toString());
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.all().contains("monitor is the same machine as vps") || run.all().contains("vps is the same machine as monitor"), run.toString());
        assertFalse(run.all().contains("locked by another rig run"), run.toString());
        String[] order = lab.exec("vps", "cat /srv/order").strip().split("\n");
        assertEquals(4, order.length, String.join("\n", order));
        // start A, end A, start B, end B: never both at once
        assertEquals(order[0].replace("start", "end"), order[1], String.join("\n", order));
        assertEquals(order[2].replace("start", "end"), order[3], String.join("\n", order));
        assertTrue(order[0].startsWith("start") && order[2].startsWith("start"), String.join("\n", order));
        assertTrue(Files.readString(playbook).contains("Take a turn"));
    }

    @Test
    void anotherRunIsStillKeptOutAndToldWhoHoldsTheMachine() throws Exception {
        Path playbook = lab.dir().resolve("slow.yml");
        Files.writeString(playbook, """
                - hosts: all
                  tasks:
                    - name: Hold on
                      command: sleep 6
                """);
        var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> lab.rig("apply", "--yes", playbook.toString()));
        // the first run's lock is taken once its owner line is written
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!lab.exec("vps", "cat /run/lock/rig.lock.owner 2>/dev/null || cat /tmp/rig.lock.owner 2>/dev/null || true").contains("as vps]")) {
            assertTrue(System.nanoTime() < deadline, "the first run never took the lock");
            Thread.sleep(100);
        }
        Rig second = lab.rig("apply", "--yes", "--lock-timeout", "1", playbook.toString());
        assertEquals(1, second.exit(), second.toString());
        assertTrue(second.all().contains("host is locked by another rig run: ") && second.all().contains(" as vps]"), second.toString());
        assertEquals(0, first.get().exit(), first.get().toString());
    }
}
