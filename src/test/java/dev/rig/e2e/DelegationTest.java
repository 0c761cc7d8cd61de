package dev.rig.e2e;

import dev.rig.testkit.LabHosts;
import dev.rig.testkit.Rig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * delegate_to another inventory host on real sshd hosts, where Ansible has no answer to compare with: the
 * delegate's host lock held by another rig run (waited for within --lock-timeout, else the task fails naming
 * the delegate and the holder), an unreachable delegate (its host fails naming it, the others go on), two
 * hosts' tasks on one delegate without throttle (they take turns), and [host -> delegate] in plans, saved
 * plans and rig show.
 */
@Tag("integration")
class DelegationTest {
    @RegisterExtension
    static final LabHosts lab = LabHosts.named("dg1", "dg2", "dg3");

    @BeforeEach
    void clean() {
        for (String h : new String[]{"dg1", "dg2", "dg3"}) lab.exec(h, "rm -rf /srv/dg; mkdir -p /srv/dg");
    }

    private Path playbook(String name, String text) throws Exception {
        return Files.writeString(lab.dir().resolve(name), text);
    }

    /** Starts a run that holds dg3's lock for a few seconds, and returns once it has it. */
    private CompletableFuture<Rig> holdDg3() throws Exception {
        Path other = playbook("holder.yml", """
                - hosts: dg3
                  tasks:
                    - name: Another run's slow task
                      shell: touch /srv/dg/started; sleep 4; echo holder >> /srv/dg/log
                """);
        CompletableFuture<Rig> holder = CompletableFuture.supplyAsync(() -> lab.rig("apply", "--yes", other.toString()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!lab.exec("dg3", "test -e /srv/dg/started && echo yes || echo no").equals("yes\n")) {
            assertTrue(System.nanoTime() < deadline && !holder.isDone(), "the other run never started: " + (holder.isDone() ? holder.get() : ""));
            Thread.sleep(100);
        }
        return holder;
    }

    @Test
    void aDelegateWhoseLockAnotherRunHoldsIsWaitedForThenRefusedNamingItOnceTheWaitIsOver() throws Exception {
        Path pb = playbook("to-dg3.yml", """
                - hosts: dg1:dg2
                  tasks:
                    - name: Own
                      copy: {dest: /srv/dg/own, content: "${inventory_hostname}"}
                    - name: On dg3
                      shell: echo "delegated by ${inventory_hostname}" >> /srv/dg/log
                      delegate_to: dg3
                      when: inventory_hostname == "dg1"
                    - name: After
                      file: {path: /srv/dg/after, state: touch}
                """);
        CompletableFuture<Rig> holder = holdDg3();
        Rig waited = lab.rig("apply", "--yes", "--lock-timeout", "60", pb.toString());
        assertEquals(0, holder.get(60, TimeUnit.SECONDS).exit());
        assertEquals(0, waited.exit(), waited.toString());
        assertEquals("holder\ndelegated by dg1\n", lab.exec("dg3", "cat /srv/dg/log"), "the delegated task waited for the other run:\n" + waited);

        lab.exec("dg3", "rm -f /srv/dg/started /srv/dg/log");
        lab.exec("dg1", "rm -f /srv/dg/after");
        lab.exec("dg2", "rm -f /srv/dg/after");
        holder = holdDg3();
        Rig impatient = lab.rig("apply", "--yes", "--lock-timeout", "0", pb.toString());
        assertEquals(0, holder.get(60, TimeUnit.SECONDS).exit());
        assertEquals(1, impatient.exit(), impatient.toString());
        assertTrue(impatient.all().contains("cannot take the host lock of dg3 (delegate_to): host is locked by another rig run"), impatient.toString());
        assertTrue(impatient.out().contains("[dg1 -> dg3]"), impatient.toString());
        assertEquals(1, impatient.recap("dg1", "failed"), impatient.toString());
        assertEquals("holder\n", lab.exec("dg3", "cat /srv/dg/log"), "nothing ran on dg3 under another run's lock");
        assertEquals("no\n", lab.exec("dg1", "test -e /srv/dg/after && echo yes || echo no"), "the failed host stops");
        assertEquals("yes\n", lab.exec("dg2", "test -e /srv/dg/after && echo yes || echo no"), "the other host goes on:\n" + impatient);
    }

    @Test
    void anUnreachableDelegateFailsItsHostNamingItAndTheOtherHostsGoOn() throws Exception {
        Path pb = playbook("to-down.yml", """
                - hosts: dg1:dg2
                  tasks:
                    - name: Own
                      file: {path: /srv/dg/own, state: touch}
                    - name: Ask dg3
                      command: "true"
                      delegate_to: dg3
                      when: inventory_hostname == "dg1"
                    - name: After
                      file: {path: /srv/dg/after, state: touch}
                """);
        Path ignoring = playbook("to-down-ignored.yml", Files.readString(pb).replace("      delegate_to: dg3\n",
                "      delegate_to: dg3\n      ignore_unreachable: true\n").replace("/srv/dg/after", "/srv/dg/after-ignored"));
        lab.fleet().stop("dg3");
        Rig run;
        Rig ignored;
        try {
            run = lab.rig("apply", "--yes", pb.toString());
            ignored = lab.rig("apply", "--yes", ignoring.toString());
        } finally {
            lab.fleet().restart("dg3");
        }
        assertTrue(ignored.out().contains("unreachable (ignored): task 'Ask dg3' delegated to dg3: "), ignored.toString());
        assertEquals("yes\n", lab.exec("dg1", "test -e /srv/dg/after-ignored && echo yes || echo no"),
                "ignore_unreachable keeps the host in the play, on its own connection:\n" + ignored);
        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.all().contains("task 'Ask dg3' delegated to dg3: "), run.toString());
        assertEquals(1, run.recap("dg1", "unreachable"), run.toString());
        assertEquals(0, run.recap("dg2", "unreachable"), run.toString());
        assertEquals(0, run.recap("dg2", "failed"), run.toString());
        assertFalse(run.all().contains("Exception"), run.toString());
        assertEquals("yes\n", lab.exec("dg1", "test -e /srv/dg/own && echo yes || echo no"));
        assertEquals("no\n", lab.exec("dg1", "test -e /srv/dg/after && echo yes || echo no"), "the host whose delegate is down stops");
        assertEquals("yes\n", lab.exec("dg2", "test -e /srv/dg/after && echo yes || echo no"), "the other host goes on:\n" + run);
    }

    @Test
    void hostsDelegatingToOneHostTakeTurnsAndPlansShowTheDelegate() throws Exception {
        Path pb = playbook("guests.yml", """
                - hosts: all
                  tasks:
                    - name: Sign the guest book
                      lineinfile: {path: /srv/dg/guests, line: "${inventory_hostname} was here", create: true}
                      delegate_to: dg3
                """);
        Path saved = lab.dir().resolve("guests.json");
        Rig plan = lab.rig("plan", "--out", saved.toString(), pb.toString());
        assertEquals(0, plan.exit(), plan.toString());
        for (String h : new String[]{"dg1", "dg2", "dg3"}) {
            assertTrue(plan.out().contains("[" + h + " -> dg3] Sign the guest book"), plan.toString());
        }
        assertTrue(Files.readString(saved).contains("\"delegate\" : \"dg3\""), Files.readString(saved));
        Rig show = Rig.run("show", saved.toString());
        assertEquals(0, show.exit(), show.toString());
        assertTrue(show.out().contains("[dg1 -> dg3] Sign the guest book"), show.toString());

        Rig applied = lab.rig("apply", saved.toString());
        assertEquals(0, applied.exit(), applied.toString());
        assertEquals("dg1 was here\ndg2 was here\ndg3 was here\n", lab.exec("dg3", "sort /srv/dg/guests"),
                "no host's line was lost to another's write:\n" + applied);
        assertEquals("no\n", lab.exec("dg1", "test -e /srv/dg/guests && echo yes || echo no"), "written on the delegate only");

        Rig again = lab.rig("apply", "--yes", pb.toString());
        assertEquals(0, again.exit(), again.toString());
        for (String h : new String[]{"dg1", "dg2", "dg3"}) assertEquals(0, again.recap(h, "changed"), again.toString());
    }
}
