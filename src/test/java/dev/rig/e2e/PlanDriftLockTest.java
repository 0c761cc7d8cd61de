package dev.rig.e2e;

import dev.rig.testkit.LabHosts;
import dev.rig.testkit.Rig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.lab.LabFleet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Saved plans (stale hosts and stale playbooks refused), drift for schedulers (exit codes, JUnit,
 * Prometheus metrics checked by the real promtool) and the per-host apply lock, against three
 * real sshd hosts on free addresses (testkit.LabHosts).
 */
@Tag("integration")
class PlanDriftLockTest {
    static final List<String> HOSTS = List.of("p1", "p2", "p3");
    static final String SECRET = "plan-secret-9d2f";
    static Path dir;
    static LabFleet fleet;
    static Path inventory;
    static Path playbook;

    @RegisterExtension
    static final LabHosts lab = LabHosts.named(HOSTS);

    @BeforeAll
    static void startFleet() {
        dir = lab.dir();
        fleet = lab.fleet();
        inventory = lab.inventory().resolve("hosts.yml");
        lab.writeInventoryFile("group_vars/all.yml", "api_token: " + SECRET + "\n");
    }

    @BeforeEach
    void freshHostsAndPlaybook() throws IOException {
        for (String h : HOSTS) fleet.exec(h, "rm -rf /srv/* /srv/.[!.]* 2>/dev/null; true");
        playbook = dir.resolve("site.yml");
        Files.writeString(playbook, """
                - hosts: all
                  tasks:
                    - name: App dir
                      file: {path: /srv/app, state: directory}
                    - name: Config
                      copy:
                        dest: /srv/app/app.conf
                        content: "host=${inventory_hostname}\\ntoken=${api_token}\\n"
                """);
    }

    static Rig rig(String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "-i", inventory.getParent().toString(),
                "--known-hosts", fleet.knownHosts().toString()));
        args.addAll(Arrays.asList(more));
        return Rig.run(args);
    }

    @Test
    void savedPlanRefusesAHostEditedSinceAndAppliesTheOthers() throws IOException {
        Path plan = dir.resolve("plan.json");
        Rig planned = rig("plan", "--out", plan.toString(), playbook.toString());
        assertEquals(0, planned.exit(), planned.toString());
        JsonNode json = new ObjectMapper().readTree(plan.toFile());
        assertEquals("rig-plan", json.get("format").asText());
        assertEquals(3, json.get("format_version").asInt());
        assertEquals(3, json.get("hosts").size());
        assertEquals("CREATE", json.get("hosts").get(0).get("tasks").get(1).get("action").asText());
        assertFalse(Files.readString(plan).contains(SECRET), "secrets never in a saved plan");
        assertTrue(Files.readString(plan).contains("token=********"), "masked, so the plan still reads");

        fleet.exec("p2", "mkdir -p /srv/app && echo 'by hand' > /srv/app/app.conf");
        Rig applied = rig("apply", plan.toString());
        assertEquals(1, applied.exit(), applied.toString());
        assertTrue(applied.err().contains("refused [p2]: task 'App dir' was planned as: changed — create /srv/app; now: ok"),
                "says which host and what changed:\n" + applied);
        assertEquals("host=p1\ntoken=" + SECRET + "\n", fleet.exec("p1", "cat /srv/app/app.conf"));
        assertEquals("host=p3\ntoken=" + SECRET + "\n", fleet.exec("p3", "cat /srv/app/app.conf"));
        assertEquals("by hand\n", fleet.exec("p2", "cat /srv/app/app.conf"), "a refused host is left alone");
        assertFalse(applied.all().contains(SECRET));

        Rig shown = Rig.run("show", plan.toString());
        assertEquals(0, shown.exit(), shown.toString());
        assertTrue(shown.out().contains("change [p2] Config — create /srv/app/app.conf"), shown.toString());
        assertTrue(shown.out().contains("+token=********"), shown.toString());
    }

    @Test
    void anInteractiveApplyRunsOnlyWhatItShowed() throws Exception {
        List<String> args = List.of("apply", "-i", inventory.getParent().toString(), "--known-hosts", fleet.knownHosts().toString(), playbook.toString());
        // Between the plan on the screen and the operator's "yes", someone creates p2's directory by hand.
        Rig applied = Rig.onTerminal(args, "Only 'yes' is accepted:", "yes",
                () -> fleet.exec("p2", "mkdir -p /srv/app && echo 'by hand' > /srv/app/app.conf"));
        assertEquals(1, applied.exit(), applied.toString());
        assertTrue(applied.out().contains("create /srv/app"), "the plan was shown first:\n" + applied);
        assertTrue(applied.out().contains("refused [p2]: task 'App dir' was shown as: changed — create /srv/app; now: ok"), applied.toString());
        assertEquals("by hand\n", fleet.exec("p2", "cat /srv/app/app.conf"), "the host that changed is left alone");
        assertEquals("host=p1\ntoken=" + SECRET + "\n", fleet.exec("p1", "cat /srv/app/app.conf"));
        assertEquals("host=p3\ntoken=" + SECRET + "\n", fleet.exec("p3", "cat /srv/app/app.conf"));
        assertFalse(applied.all().contains(SECRET));
    }

    @Test
    void aSavedPlanWhoseScriptsDifferFromWhatWouldRunIsRefused() throws IOException {
        Path plan = dir.resolve("scripts.json");
        assertEquals(0, rig("plan", "--out", plan.toString(), playbook.toString()).exit());
        // The plan holds the sha256 of every script; one that no longer matches (rig or a module changed
        // since the plan, or the file was edited) refuses that host and applies nothing there.
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(plan.toFile());
        ObjectNode p1 = (ObjectNode) json.get("hosts").get(0);
        assertEquals("p1", p1.get("host").asText());
        com.fasterxml.jackson.databind.node.ArrayNode commands = (com.fasterxml.jackson.databind.node.ArrayNode) p1.get("tasks").get(0).get("commands");
        assertEquals(1, commands.size(), p1.toString());
        assertEquals(64, commands.get(0).get("sha256").asText().length());
        ((ObjectNode) commands.get(0)).put("sha256", "0".repeat(64));
        Files.writeString(plan, new ObjectMapper().writeValueAsString(json));

        Rig applied = rig("apply", plan.toString());
        assertEquals(1, applied.exit(), applied.toString());
        assertTrue(applied.err().contains("refused [p1]: task 'App dir' would run other scripts than the plan holds"), applied.toString());
        assertEquals("absent\n", fleet.exec("p1", "test -e /srv/app && echo present || echo absent"), "nothing ran on the refused host");
        assertEquals("host=p2\ntoken=" + SECRET + "\n", fleet.exec("p2", "cat /srv/app/app.conf"), "the other hosts are applied");
    }

    @Test
    void aHostAnotherRunChangesWhileTheApplyWaitsForItsLockIsRefused() throws Exception {
        Path plan = dir.resolve("locked.json");
        assertEquals(0, rig("plan", "--out", plan.toString(), playbook.toString()).exit());
        // Another rig run holds p2's lock and changes p2 after the plan; the saved plan's apply must read p2 under the lock.
        Path other = dir.resolve("other.yml");
        Files.writeString(other, """
                - hosts: p2
                  tasks:
                    - name: Another run's edit
                      shell: touch /srv/started; sleep 4; mkdir -p /srv/app; echo 'by another run' > /srv/app/app.conf
                """);
        CompletableFuture<Rig> holder = CompletableFuture.supplyAsync(() -> rig("apply", "--yes", other.toString()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!fleet.exec("p2", "test -e /srv/started && echo yes || echo no").equals("yes\n")) {
            assertTrue(System.nanoTime() < deadline && !holder.isDone(), "the other run never started: " + (holder.isDone() ? holder.get() : ""));
            Thread.sleep(100);
        }
        Rig applied = rig("apply", "--lock-timeout", "60", plan.toString());
        assertEquals(0, holder.get(60, TimeUnit.SECONDS).exit());
        assertEquals(1, applied.exit(), applied.toString());
        assertTrue(applied.err().contains("refused [p2]: task 'App dir' was planned as: changed — create /srv/app; now: ok"),
                "p2 was read again once its lock was free:\n" + applied);
        assertEquals("by another run\n", fleet.exec("p2", "cat /srv/app/app.conf"), "no unreviewed script ran on p2");
        assertEquals("host=p1\ntoken=" + SECRET + "\n", fleet.exec("p1", "cat /srv/app/app.conf"), "the other hosts go on");
        assertEquals("host=p3\ntoken=" + SECRET + "\n", fleet.exec("p3", "cat /srv/app/app.conf"));
    }

    @Test
    void aPlanWhosePlaybookChangedIsRefusedWhole() throws IOException {
        Path plan = dir.resolve("stale.json");
        assertEquals(0, rig("plan", "--out", plan.toString(), playbook.toString()).exit());
        Files.writeString(playbook, Files.readString(playbook).replace("host=", "name="));
        Rig applied = rig("apply", plan.toString());
        assertEquals(1, applied.exit(), applied.toString());
        assertTrue(applied.err().contains("the plan is stale") && applied.err().contains(playbook.toString()), applied.toString());
        for (String h : HOSTS) assertEquals("", fleet.exec(h, "ls -A /srv"), "nothing applied on " + h);
    }

    @Test
    void aSavedPlanWhoseIncludeWouldNowRunOtherwiseIsRefused() throws IOException {
        // include_tasks decides per host at run time; a host where it now decides otherwise no longer matches its plan.
        Path pb = dir.resolve("include.yml");
        Files.writeString(pb, """
                - hosts: all
                  tasks:
                    - stat: {path: /srv/marker}
                      register: m
                    - include_tasks: extra.yml
                      when: m.stat.exists
                """);
        Files.writeString(dir.resolve("extra.yml"), "- file: {path: /srv/extra, state: directory}\n");
        Path plan = dir.resolve("include-plan.json");
        Rig planned = rig("plan", "--out", plan.toString(), pb.toString());
        assertEquals(0, planned.exit(), planned.toString());
        JsonNode json = new ObjectMapper().readTree(plan.toFile());
        for (JsonNode host : json.get("hosts")) {
            JsonNode include = host.get("tasks").get(1);
            assertEquals("include_tasks", include.get("task").asText(), host.toString());
            assertEquals("SKIPPED", include.get("status").asText(), "the plan holds each host's decision: " + host);
        }
        fleet.exec("p2", "touch /srv/marker");
        Rig applied = rig("apply", plan.toString());
        assertEquals(1, applied.exit(), applied.toString());
        assertTrue(applied.err().contains("refused [p2]"), applied.toString());
        assertFalse(applied.err().contains("refused [p1]") || applied.err().contains("refused [p3]"), applied.toString());
        assertEquals("no\n", fleet.exec("p2", "test -e /srv/extra && echo yes || echo no"), "the refused host is left alone");

        // The included file is part of the plan's digest: edited since, the whole plan is refused.
        fleet.exec("p2", "rm /srv/marker");
        assertEquals(0, rig("plan", "--out", plan.toString(), pb.toString()).exit());
        Files.writeString(dir.resolve("extra.yml"), "- file: {path: /srv/other, state: directory}\n");
        Rig stale = rig("apply", plan.toString());
        assertEquals(1, stale.exit(), stale.toString());
        assertTrue(stale.err().contains("the plan is stale") && stale.err().contains("extra.yml"), stale.toString());
    }

    @Test
    void driftExitCodesJunitAndMetrics() throws Exception {
        assertEquals(0, rig("apply", "--yes", playbook.toString()).exit());
        Path junit = dir.resolve("drift.xml");
        Path metrics = dir.resolve("metrics/rig.prom");
        Rig clean = rig("drift", "--junit", junit.toString(), "--metrics-file", metrics.toString(), playbook.toString());
        assertEquals(0, clean.exit(), clean.toString());

        fleet.exec("p3", "echo tampered >> /srv/app/app.conf");
        Rig drifted = rig("drift", "--junit", junit.toString(), "--metrics-file", metrics.toString(), playbook.toString());
        assertEquals(2, drifted.exit(), drifted.toString());
        assertTrue(drifted.out().contains("p3 · Config · /srv/app/app.conf content"), "names host, task and field:\n" + drifted);
        assertTrue(drifted.out().contains("-tampered"), "with the diff:\n" + drifted);
        assertFalse(drifted.all().contains(SECRET));

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
        NodeList cases = doc.getElementsByTagName("testcase");
        assertEquals(6, cases.getLength(), "one testcase per host × task");
        NodeList failures = doc.getElementsByTagName("failure");
        assertEquals(1, failures.getLength());
        assertEquals("p3", ((Element) failures.item(0).getParentNode()).getAttribute("classname"));
        assertTrue(failures.item(0).getTextContent().contains("-tampered"));

        String prom = Files.readString(metrics);
        assertTrue(prom.contains("rig_drift_hosts{status=\"drifted\"} 1"), prom);
        assertTrue(prom.contains("rig_drift_changes{host=\"p3\",play=\"all\",task=\"Config\"} 1"), prom);
        Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectInput(metrics.toFile())
                .redirectErrorStream(true).start();
        String said = new String(promtool.getInputStream().readAllBytes());
        assertTrue(promtool.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, promtool.exitValue(), "promtool check metrics:\n" + said + "\n" + prom);
        try (var leftovers = Files.list(metrics.getParent())) {
            assertEquals(List.of(metrics), leftovers.toList(), "written atomically: no temp file left");
        }

        fleet.stop("p1");
        try {
            Rig unreachable = rig("drift", "--junit", junit.toString(), playbook.toString());
            assertEquals(1, unreachable.exit(), unreachable.toString());
            Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
            assertEquals(1, d.getElementsByTagName("error").getLength(), "unreachable is an error");
        } finally {
            fleet.restart("p1");
        }
    }

    @Test
    void twoAppliesOnOneHostNeverInterleave() throws Exception {
        Path slow = dir.resolve("slow.yml");
        Files.writeString(slow, """
                - hosts: p1
                  tasks:
                    - name: Slow, in two steps
                      shell: echo "start ${run}" >> /srv/log; sleep 2; echo "end ${run}" >> /srv/log
                """);
        CompletableFuture<Rig> a = CompletableFuture.supplyAsync(() -> rig("apply", "--yes", "-e", "run=A", slow.toString()));
        Thread.sleep(500);
        CompletableFuture<Rig> b = CompletableFuture.supplyAsync(() -> rig("apply", "--yes", "-e", "run=B", slow.toString()));
        assertEquals(0, a.get(60, TimeUnit.SECONDS).exit());
        assertEquals(0, b.get(60, TimeUnit.SECONDS).exit());
        assertEquals("start A\nend A\nstart B\nend B\n", fleet.exec("p1", "cat /srv/log"), "the second run waited for the first");

        // A run that cannot get the lock in time fails that host only, naming who holds it.
        CompletableFuture<Rig> holder = CompletableFuture.supplyAsync(() -> rig("apply", "--yes", "-e", "run=C", slow.toString()));
        Thread.sleep(700);
        Rig impatient = rig("apply", "--yes", "--lock-timeout", "0", "-e", "run=D", slow.toString());
        assertEquals(1, impatient.exit(), impatient.toString());
        assertTrue(impatient.out().contains("locked by another rig run") && impatient.out().contains(" pid "), impatient.toString());
        assertEquals(0, holder.get(60, TimeUnit.SECONDS).exit());
    }

    @Test
    void aKilledApplyLeavesALockTheNextRunTakesOver() throws Exception {
        Path slow = dir.resolve("sleepy.yml");
        Files.writeString(slow, """
                - hosts: p2
                  tasks:
                    - name: Long
                      shell: sleep 60
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process run = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.rig.cli.Main", "apply", "--yes",
                "-i", inventory.getParent().toString(), "--known-hosts", fleet.knownHosts().toString(), slow.toString())
                .redirectOutput(dir.resolve("killed-run.log").toFile()).redirectErrorStream(true).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!fleet.exec("p2", "cat /run/lock/rig.lock.owner 2>/dev/null || true").contains("pid " + run.pid())) {
                assertTrue(System.nanoTime() < deadline && run.isAlive(),
                        "the first run never took the lock:\n" + Files.readString(dir.resolve("killed-run.log")));
                Thread.sleep(100);
            }
        } finally {
            run.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Path quick = dir.resolve("quick.yml");
        Files.writeString(quick, "- hosts: p2\n  tasks:\n    - copy: {dest: /srv/after-crash, content: ok}\n");
        Rig next = rig("apply", "--yes", "--lock-timeout", "20", quick.toString());
        assertEquals(0, next.exit(), next.toString());
        assertEquals("ok", fleet.exec("p2", "cat /srv/after-crash"));
    }
}
