package dev.rig.e2e;

import dev.rig.testkit.LabHosts;
import dev.rig.testkit.Rig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.lab.LabFleet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.rig.testkit.Steps.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rig against three real OpenSSH hosts (web1, web2, db1, on free addresses: testkit.LabHosts), each in its own
 * mount namespace: plan, apply, idempotence, drift by hand edit, host-key refusal, unreachable
 * hosts, secrets, and the promise that bad input touches no host. The steps build on each other's
 * state, so they are one test that runs them in order; a failure names its step.
 */
@Tag("integration")
class FleetEndToEndTest {
    static final List<String> HOSTS = List.of("web1", "web2", "db1");
    static final String SECRET = "s3cr3t-pw-4711";
    static final Path PLAYBOOK = Path.of("src/test/resources/e2e/site.yml").toAbsolutePath();

    static Path dir;
    static LabFleet fleet;
    static Path inventory;
    static Path knownHosts;

    @RegisterExtension
    static final LabHosts lab = LabHosts.named(HOSTS).group("prod").group("db", "db1");

    @BeforeAll
    static void startFleet() throws IOException {
        dir = lab.dir();
        fleet = lab.fleet();
        inventory = lab.inventory();
        // web is a child of prod: parent/child precedence is tested through it.
        Files.writeString(inventory.resolve("hosts.yml"), Files.readString(inventory.resolve("hosts.yml"))
                .replace("    prod:\n      hosts:\n", "    prod:\n      children:\n        web:\n          hosts:\n            web1:\n            web2:\n"));
        write(inventory.resolve("group_vars/all.yml"), "port: 10\nlevel: from-all\ndb_password: " + SECRET + "\n");
        write(inventory.resolve("group_vars/prod.yml"), "port: 15\nlevel: from-prod\n");
        write(inventory.resolve("group_vars/web.yml"), "port: 20\n");
        write(inventory.resolve("host_vars/web2.yml"), "port: 30\n");
        knownHosts = lab.knownHosts();
    }

    static Rig rig(String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "-i", inventory.toString(), "--known-hosts", knownHosts.toString()));
        args.addAll(Arrays.asList(more));
        return Rig.run(args);
    }

    static String onHost(String host, String cmd) {
        return fleet.exec(host, cmd);
    }

    static int connections(String host) throws IOException {
        Path log = fleet.sshdLog(host);
        if (!Files.exists(log)) return 0;
        return (int) Files.readAllLines(log).stream().filter(l -> l.contains("Connection from")).count();
    }

    static Rig inv(String... args) {
        List<String> all = new ArrayList<>(List.of("inventory", "-i", inventory.toString()));
        all.addAll(Arrays.asList(args));
        return Rig.run(all);
    }

    @Test
    void theFleetStepByStep() {
        step("inventory", FleetEndToEndTest::inventoryShowsPrecedenceChain);
        step("plan", FleetEndToEndTest::planShowsChangesAndTouchesNothing);
        step("first apply", FleetEndToEndTest::applyConvergesEveryHostWithItsOwnVariables);
        step("second apply", FleetEndToEndTest::secondApplyChangesNothing);
        step("hand edit", FleetEndToEndTest::handEditShowsAsChangeOnThatHostOnly);
        step("json", FleetEndToEndTest::jsonModePrintsOneEventPerLineWithoutSecrets);
        step("extra vars and limit", FleetEndToEndTest::extraVarsBeatEverythingAndLimitNarrowsHosts);
        step("one failing host", FleetEndToEndTest::oneFailingHostDoesNotStopTheOthers);
        step("undefined variable", FleetEndToEndTest::undefinedVariableNamesItAndWhereItIsUsed);
        step("bad input", FleetEndToEndTest::badInputIsReportedWithPositionAndTouchesNoHost);
        step("changed host key", FleetEndToEndTest::changedHostKeyRefusesThatHostWhileOthersConverge);
        step("stopped host", FleetEndToEndTest::stoppedHostIsUnreachableAndTheRestConverge);
    }

    private static void inventoryShowsPrecedenceChain() throws IOException {
        ObjectMapper json = new ObjectMapper();
        assertEquals(20, json.readTree(inv("--host", "web1").out()).get("port").asInt(), "child group beats parent");
        assertEquals(30, json.readTree(inv("--host", "web2").out()).get("port").asInt(), "host_vars beat groups");
        assertEquals(10, json.readTree(inv("--host", "db1").out()).get("port").asInt(), "group_vars/all");
        assertEquals("from-prod", json.readTree(inv("--host", "web1").out()).get("level").asText(), "parent beats all");
        String graph = Rig.run("inventory", "-i", inventory.toString(), "--graph").out();
        assertTrue(graph.contains("@prod") && graph.contains("@web") && graph.contains("web1"), graph);
        String list = inv("--list").out();
        assertTrue(list.contains("db_password") && !list.contains(SECRET), "secrets are masked in inventory output:\n" + list);
        assertFalse(inv("--host", "db1").out().contains(SECRET));
    }

    private static void planShowsChangesAndTouchesNothing() {
        Rig plan = rig("plan", "--detailed-exitcode", PLAYBOOK.toString());
        assertEquals(2, plan.exit(), plan.toString());
        for (String h : HOSTS) {
            assertTrue(plan.out().contains("change [" + h + "] web : Config"), plan.toString());
            assertEquals("", onHost(h, "ls -A /srv"), "plan must not change " + h);
        }
        assertTrue(plan.out().contains("+port=20"), "per-host rendering in the diff:\n" + plan.out());
        assertTrue(plan.out().contains("known after apply"), "a task reading a registered result is not guessed:\n" + plan.out());
        assertFalse(plan.all().contains(SECRET), "secret printed:\n" + plan);
    }

    private static void applyConvergesEveryHostWithItsOwnVariables() {
        Rig apply = rig("apply", "--yes", PLAYBOOK.toString());
        assertEquals(0, apply.exit(), apply.toString());
        assertEquals("host=web1\nport=20\nlevel=from-prod\nplay=from-play\nsecret=" + SECRET + "\n", onHost("web1", "cat /srv/app/app.conf"));
        assertTrue(onHost("web2", "cat /srv/app/app.conf").contains("port=30\nlevel=from-prod\n"));
        assertTrue(onHost("db1", "cat /srv/app/app.conf").contains("port=10\nlevel=from-all\n"));
        for (String h : HOSTS) {
            assertEquals("restarted\n", onHost(h, "cat /srv/app/restarts.log"), "handler notified twice runs once on " + h);
            assertEquals("5\n", onHost(h, "cat /srv/app/conf-lines"), "registered stdout used by a later task");
            assertEquals("600\n", onHost(h, "stat -c %a /srv/app/marker"));
            assertEquals("level=" + (h.equals("db1") ? "from-all" : "from-prod") + "\n", onHost(h, "cat /srv/app/settings"));
            assertTrue(apply.recap(h, "changed") >= 6, apply.toString());
        }
        assertFalse(apply.all().contains(SECRET), "secret printed:\n" + apply);
    }

    private static void secondApplyChangesNothing() {
        Rig again = rig("apply", "--yes", PLAYBOOK.toString());
        assertEquals(0, again.exit(), again.toString());
        for (String h : HOSTS) {
            assertEquals(0, again.recap(h, "changed"), again.toString());
            assertEquals("restarted\n", onHost(h, "cat /srv/app/restarts.log"), "no handler without a change");
        }
        Rig plan = rig("plan", "--detailed-exitcode", PLAYBOOK.toString());
        assertEquals(0, plan.exit(), plan.toString());
    }

    private static void handEditShowsAsChangeOnThatHostOnly() {
        onHost("web2", "echo 'edited by hand' >> /srv/app/app.conf");
        Rig plan = rig("plan", "--detailed-exitcode", PLAYBOOK.toString());
        assertEquals(2, plan.exit(), plan.toString());
        assertTrue(plan.out().contains("change [web2] web : Config"), plan.toString());
        assertTrue(plan.out().contains("-edited by hand"), "unified diff of the drift:\n" + plan.out());
        assertEquals(1, plan.recap("web2", "to_change"), plan.toString());
        assertEquals(1, plan.recap("web2", "to_run"), "the handler it notifies, a command that always runs:\n" + plan);
        assertEquals(0, plan.recap("web1", "to_change"), plan.toString());
        assertEquals(0, plan.recap("db1", "to_change"), plan.toString());
        assertFalse(plan.all().contains(SECRET), "secret printed in a diff:\n" + plan);

        Rig apply = rig("apply", "--yes", PLAYBOOK.toString());
        assertEquals(0, apply.exit(), apply.toString());
        assertFalse(onHost("web2", "cat /srv/app/app.conf").contains("edited by hand"));
        assertEquals("restarted\nrestarted\n", onHost("web2", "cat /srv/app/restarts.log"));
        assertEquals("restarted\n", onHost("web1", "cat /srv/app/restarts.log"));
    }

    private static void jsonModePrintsOneEventPerLineWithoutSecrets() throws IOException {
        onHost("db1", "echo drift >> /srv/app/app.conf");
        Rig plan = rig("plan", "--json", PLAYBOOK.toString());
        assertEquals(0, plan.exit(), plan.toString());
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        for (String line : plan.out().strip().split("\n")) events.add(json.readTree(line));
        assertEquals("run_started", events.get(0).get("event").asText());
        assertEquals("run_finished", events.get(events.size() - 1).get("event").asText());
        JsonNode config = events.stream().filter(e -> e.path("host").asText().equals("db1")
                && e.path("task").asText().equals("web : Config")).findFirst().orElseThrow();
        assertEquals("CHANGED", config.get("status").asText());
        assertTrue(config.get("diffs").get(0).get("beforeText").asText().contains("drift"));
        assertFalse(plan.out().contains(SECRET), "secret in JSON:\n" + plan.out());
        assertTrue(plan.out().contains("********"), "the secret is masked, not dropped");
        rig("apply", "--yes", PLAYBOOK.toString());
    }

    private static void extraVarsBeatEverythingAndLimitNarrowsHosts() {
        Rig apply = rig("apply", "--yes", "-l", "web1", "-e", "level=from-cli", PLAYBOOK.toString());
        assertEquals(0, apply.exit(), apply.toString());
        assertTrue(onHost("web1", "cat /srv/app/app.conf").contains("level=from-cli"));
        assertTrue(onHost("web2", "cat /srv/app/app.conf").contains("level=from-prod"), "limit keeps web2 untouched");
        assertFalse(apply.out().contains("[web2]"), apply.toString());
        assertEquals(0, rig("apply", "--yes", PLAYBOOK.toString()).exit());
    }

    private static void oneFailingHostDoesNotStopTheOthers() throws IOException {
        Path pb = dir.resolve("fail.yml");
        write(pb, """
                - hosts: all
                  tasks:
                    - name: Breaks on db1
                      command: "false"
                      when: inventory_hostname == "db1"
                    - name: Still runs elsewhere
                      copy:
                        dest: /srv/after-failure
                        content: ok
                """);
        Rig apply = rig("apply", "--yes", pb.toString());
        assertEquals(1, apply.exit(), apply.toString());
        assertEquals(1, apply.recap("db1", "failed"));
        assertTrue(apply.out().contains("db1: Breaks on db1"), "the recap names the failure:\n" + apply.out());
        assertEquals("ok", onHost("web1", "cat /srv/after-failure"));
        assertEquals("", onHost("db1", "ls /srv | grep after-failure || true"));
    }

    private static void undefinedVariableNamesItAndWhereItIsUsed() throws IOException {
        Path pb = dir.resolve("undefined.yml");
        write(pb, """
                - hosts: web1
                  tasks:
                    - name: Uses a typo
                      copy:
                        dest: /srv/typo
                        content: "value=${no_such_var}"
                """);
        Rig apply = rig("apply", "--yes", pb.toString());
        assertEquals(1, apply.exit(), apply.toString());
        assertTrue(apply.out().contains("undefined variable 'no_such_var'"), apply.toString());
        assertTrue(apply.out().contains(pb + ":6:"), "file:line of the use:\n" + apply.out());
        assertEquals("", onHost("web1", "ls /srv | grep typo || true"));
    }

    /** Each bad input: its file:line:column, exit 1, and not one SSH connection to any host. */
    private static void badInputIsReportedWithPositionAndTouchesNoHost() throws IOException {
        Map<String, Integer> before = new LinkedHashMap<>();
        for (String h : HOSTS) before.put(h, connections(h));
        Path tpl = dir.resolve("templates/broken.ftl");
        write(tpl, "line one\nvalue=${oops\n");
        Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put("- hosts: all\n  tasks:\n    - copy: {dest: /x, content: [unclosed\n", new String[]{":4:1:", "YAML syntax error"});
        cases.put("- hosts: all\n  tasks:\n    - name: x\n      bogus_keyword: 1\n      debug: {msg: hi}\n", new String[]{":4:7:", "unknown keyword 'bogus_keyword'"});
        cases.put("- hosts: all\n  tasks:\n    - name: x\n      no_such_module: {a: 1}\n", new String[]{":4:7:", "unknown module 'no_such_module'"});
        cases.put("- hosts: all\n  tasks:\n    - copy:\n        dest: /x\n        content: y\n        colour: red\n", new String[]{":6:9:", "unknown argument 'colour'"});
        cases.put("- hosts: all\n  tasks:\n    - copy:\n        content: y\n", new String[]{":3:7:", "requires argument 'dest'"});
        cases.put("- hosts: all\n  tasks:\n    - file:\n        path: /x\n        mode: [1, 2]\n", new String[]{":5:15:", "expected an octal mode"});
        cases.put("- hosts: all\n  tasks:\n    - copy: {dest: /x, content: y}\n      notify: nobody\n", new String[]{":3:7:", "notify names no handler: 'nobody'"});
        cases.put("- hosts: all\n  tasks:\n    - template: {src: missing.ftl, dest: /x}\n", new String[]{":3:23:", "template 'missing.ftl' not found"});
        cases.put("- hosts: all\n  tasks:\n    - template: {src: broken.ftl, dest: /x}\n", new String[]{"broken.ftl:2:", "template syntax error"});
        cases.put("- hosts: all\n  tasks:\n    - debug: {msg: hi}\n      when: 'x == '\n", new String[]{":4:19:", "template syntax error"});
        int n = 0;
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            Path pb = dir.resolve("bad" + (n++) + ".yml");
            write(pb, c.getValue()[0].equals("") ? c.getKey() : c.getKey());
            Rig run = rig("plan", pb.toString());
            assertEquals(1, run.exit(), "case " + pb + ":\n" + c.getKey() + "\n" + run);
            assertTrue(run.err().contains(c.getValue()[0]) && run.err().contains(c.getValue()[1]),
                    "case " + pb + " expected " + Arrays.toString(c.getValue()) + ":\n" + c.getKey() + "\n" + run);
            assertTrue(run.err().contains("nothing was run on any host"), run.toString());
        }
        // Several errors in one file are all listed.
        Path many = dir.resolve("many.yml");
        write(many, "- hosts: all\n  tasks:\n    - nope1: {}\n    - nope2: {}\n    - copy: {content: x}\n");
        Rig run = rig("apply", "--yes", many.toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains(":3:7:") && run.err().contains(":4:7:") && run.err().contains(":5:7:"), run.toString());
        // A bad inventory is reported the same way.
        Path badInv = dir.resolve("bad-inventory.yml");
        write(badInv, "all:\n  hosts:\n    a:\n  chlidren: {}\n");
        Rig inv = Rig.run("plan", "-i", badInv.toString(), PLAYBOOK.toString());
        assertEquals(1, inv.exit(), inv.toString());
        assertTrue(inv.err().contains(badInv + ":4:3:"), inv.toString());
        for (String h : HOSTS) assertEquals(before.get(h), connections(h), "bad input must not connect to " + h);
    }

    private static void changedHostKeyRefusesThatHostWhileOthersConverge() throws IOException {
        fleet.rotateHostKey("db1");
        onHost("web1", "echo drift >> /srv/app/extra.conf");
        Rig apply = rig("apply", "--yes", PLAYBOOK.toString());
        assertEquals(1, apply.exit(), apply.toString());
        assertTrue(apply.out().matches("(?s).*unreachable \\[db1\\].*SHA256:.*"), "names the host and the offered fingerprint:\n" + apply);
        assertEquals(1, apply.recap("db1", "unreachable"));
        assertEquals(2, apply.recap("web1", "changed"), "the others converge (the file and its handler):\n" + apply);
        assertEquals("port=20\n", onHost("web1", "cat /srv/app/extra.conf"));

        // accept-new does not override a changed key either...
        assertEquals(1, rig("apply", "--yes", "--accept-new-host-keys", PLAYBOOK.toString()).exit());
        // ...but once the stale line is removed, the new key is accepted and recorded.
        List<String> kept = Files.readAllLines(knownHosts).stream().filter(l -> !l.startsWith(fleet.host("db1").address() + " ")).toList();
        Files.write(knownHosts, kept);
        assertEquals(1, rig("plan", PLAYBOOK.toString()).exit(), "unknown key refused by default");
        Rig accepted = rig("apply", "--yes", "--accept-new-host-keys", PLAYBOOK.toString());
        assertEquals(0, accepted.exit(), accepted.toString());
        assertTrue(Files.readString(knownHosts).contains(fleet.host("db1").address()), "new key appended");
        assertEquals(0, rig("plan", "--detailed-exitcode", PLAYBOOK.toString()).exit());
    }

    private static void stoppedHostIsUnreachableAndTheRestConverge() {
        fleet.stop("web2");
        try {
            onHost("web1", "rm /srv/app/marker");
            Rig apply = rig("apply", "--yes", PLAYBOOK.toString());
            assertEquals(1, apply.exit(), apply.toString());
            assertEquals(1, apply.recap("web2", "unreachable"), apply.toString());
            assertEquals(1, apply.recap("web1", "changed"), apply.toString());
            assertTrue(apply.out().contains("web2: unreachable"), "the recap names it:\n" + apply.out());
        } finally {
            fleet.restart("web2");
        }
    }

    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
