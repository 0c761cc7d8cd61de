package dev.rig.digitalocean;

import dev.rig.testkit.Rig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rig command line against the DigitalOcean stand-in: a play on {@code localhost} converges
 * two firewalls; plan never writes, a second apply changes nothing, a rule added by hand shows
 * as drift and apply restores it; API refusals, limits and the token's absence from every output.
 */
@Tag("integration")
class DigitalOceanEndToEndTest {
    static final Path PLAYBOOKS = Path.of("src/test/resources/digitalocean").toAbsolutePath();
    static DigitalOceanStandIn api;
    static Path inventory;

    /** Each test has a stand-in of its own, with three droplets and no firewall: no test depends on another's leftovers. */
    @BeforeEach
    void start(@TempDir Path dir) throws IOException {
        api = DigitalOceanStandIn.start();
        api.addDroplet(101, "edge1", List.of("edge"), "192.0.2.11", "10.110.0.11");
        api.addDroplet(102, "edge2", List.of("edge"), "192.0.2.12", "10.110.0.12");
        api.addDroplet(201, "central", List.of("central"), "192.0.2.21", "10.110.0.21");
        inventory = dir;
        Files.writeString(inventory.resolve("digitalocean.yml"), "plugin: digitalocean\naddress: private\napi_url: " + api.url()
                + "\napi_token: " + DigitalOceanStandIn.TOKEN + "\n");
    }

    @AfterEach
    void stop() {
        try {
            StandInTests.assertConformsToContract(api);
        } finally {
            api.close();
        }
    }

    /** The firewalls of firewalls.yml, created by rig itself: where the tests of drift and plans start from. */
    static void converged() {
        Rig apply = rig("apply", "firewalls.yml", "--yes");
        assertEquals(0, apply.exit(), apply::toString);
        assertEquals(2, api.firewalls().size());
    }

    /** rig COMMAND with the inventory and the stand-in's URL and token as extra vars (the token a secret by its name). */
    static Rig rig(String command, String playbook, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "-i", inventory.toString(),
                "-e", ApiAccess.URL_VARIABLE + "=" + api.url(), "-e", ApiAccess.TOKEN_VARIABLE + "=" + DigitalOceanStandIn.TOKEN));
        args.addAll(List.of(more));
        args.add(PLAYBOOKS.resolve(playbook).toString());
        Rig r = Rig.run(args);
        assertFalse(r.all().contains(DigitalOceanStandIn.TOKEN), () -> "the token was printed:\n" + r);
        return r;
    }

    @Test
    void planShowsBothFirewallsRuleByRuleAndWritesNothing() {
        Rig plan = rig("plan", "firewalls.yml", "--detailed-exitcode");
        assertEquals(2, plan.exit(), plan::toString);
        assertTrue(plan.out().contains("change [localhost] central firewall — create firewall 'central' (8 rules: 6 inbound, 2 outbound)"), plan.out());
        assertTrue(plan.out().contains("    inbound rule: tcp 22 from 203.0.113.7"), plan.out());
        assertTrue(plan.out().contains("    outbound rule: tcp all ports to 0.0.0.0/0, ::/0"), plan.out());
        assertTrue(plan.out().contains("    $ POST /v2/firewalls (create firewall 'edge')"), plan.out());
        assertEquals(List.of(), api.writes(), "plan sends no write");
    }

    @Test
    void applyCreatesThemAndASecondApplyChangesNothing() {
        Rig apply = rig("apply", "firewalls.yml", "--yes");
        assertEquals(0, apply.exit(), apply::toString);
        assertTrue(apply.out().contains("changed [localhost] central firewall"), apply.out());
        assertEquals(2, api.firewalls().size());
        assertEquals("0", api.firewallNamed("edge").get("outbound_rules").get(0).get("ports").asText());

        int writes = api.writes().size();
        Rig again = rig("apply", "firewalls.yml", "--yes");
        assertEquals(0, again.exit(), again::toString);
        assertTrue(again.out().contains("localhost : ok=2   changed=0"), again.out());
        assertEquals(writes, api.writes().size(), "nothing sent");
        assertEquals(0, rig("plan", "firewalls.yml", "--detailed-exitcode").exit());
    }

    @Test
    void aRuleAddedByHandIsDriftAndApplyRestoresTheFirewall() {
        converged();
        ((ArrayNode) api.firewallNamed("edge").get("inbound_rules")).addObject().put("protocol", "tcp").put("ports", "5432")
                .putObject("sources").putArray("addresses").add("0.0.0.0/0");
        int writes = api.writes().size();
        Rig drift = rig("plan", "firewalls.yml", "--detailed-exitcode");
        assertEquals(2, drift.exit(), drift::toString);
        assertTrue(drift.out().contains("change [localhost] edge firewall — update firewall 'edge' (-1 inbound rule)"), drift.out());
        assertTrue(drift.out().contains("    inbound rule: tcp 5432 from 0.0.0.0/0 → (none)"), drift.out());
        assertTrue(drift.out().contains("ok [localhost] central firewall"), drift.out());
        assertEquals(writes, api.writes().size(), "plan sends no write");

        Rig apply = rig("apply", "firewalls.yml", "--yes");
        assertEquals(0, apply.exit(), apply::toString);
        assertEquals("PUT", api.writes().get(api.writes().size() - 1).method());
        assertEquals(2, api.firewallNamed("edge").get("inbound_rules").size());
        assertEquals(0, rig("plan", "firewalls.yml", "--detailed-exitcode").exit());
    }

    @Test
    void jsonEventsCarryRuleDiffsAndNoToken() throws IOException {
        converged();
        ((ArrayNode) api.firewallNamed("central").get("outbound_rules")).remove(1);
        Rig plan = rig("plan", "firewalls.yml", "--json");
        assertEquals(0, plan.exit(), plan::toString);
        JsonNode task = null;
        for (String line : plan.out().split("\n")) {
            JsonNode event = new ObjectMapper().readTree(line);
            if (event.path("event").asText().equals("task_done") && event.path("task").asText().equals("central firewall")) task = event;
        }
        assertEquals("CHANGED", task.path("status").asText(), String.valueOf(task));
        assertEquals("UPDATE", task.path("action").asText());
        assertEquals("udp all ports to 0.0.0.0/0, ::/0", task.path("diffs").get(0).path("after").path("outbound rule").asText());
        assertTrue(task.path("commands").get(0).asText().startsWith("PUT /v2/firewalls/"), String.valueOf(task));
        assertEquals(0, rig("apply", "firewalls.yml", "--yes", "--json").exit());
    }

    @Test
    void anApiRefusalFailsTheTaskWithTheApisMessage() {
        Rig apply = rig("apply", "unknown-tag.yml", "--yes");
        assertEquals(1, apply.exit(), apply::toString);
        assertTrue(apply.out().contains("failed [localhost] firewall naming a tag that does not exist — POST /v2/firewalls (create firewall 'stray'):"
                + " 422 unprocessable_entity: tag 'no-such-tag' does not exist"), apply.out());
    }

    @Test
    void aFirewallOverDigitalOceansLimitsIsRefusedBeforeAnyRequest() {
        api.clearLog();
        Rig plan = rig("plan", "over-limit.yml");
        assertEquals(1, plan.exit(), plan::toString);
        assertTrue(plan.err().contains("module 'digitalocean_firewall': firewall 'crowded' names 11 droplets; DigitalOcean allows at most 10"),
                plan.err());
        assertEquals(List.of(), api.log().stream().filter(e -> e.path().startsWith("/v2/firewalls")).toList(), "no firewall request");
    }

    @Test
    void theRateLimitIsWaitedOutInARealRun() {
        converged();
        api.rateLimitNext(1, Map.of("retry-after", "1"));
        Rig plan = rig("plan", "firewalls.yml", "--detailed-exitcode");
        assertEquals(0, plan.exit(), plan::toString);
    }
}
