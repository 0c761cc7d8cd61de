package dev.rig.digitalocean;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.modules.Args;
import dev.rig.modules.DigitalOceanFirewallModule;
import dev.rig.modules.LocalFactModule;
import dev.rig.modules.ModuleContext;
import dev.rig.modules.Outcome;
import dev.rig.plan.Action;
import dev.rig.plan.Diff;
import dev.rig.plan.LocalEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The digitalocean_firewall module against the stand-in, as the engine drives it: the facts step reads,
 * plan() only compares, the effects it returns are the only writes, and they are sent only when a test
 * "applies" them.
 */
@Tag("integration")
class DigitalOceanFirewallModuleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DigitalOceanFirewallModule module = new DigitalOceanFirewallModule();
    private DigitalOceanStandIn api;
    private ModuleContext ctx;

    @BeforeEach
    void start() {
        api = DigitalOceanStandIn.start();
        api.addDroplet(101, "edge1", List.of("edge"), "192.0.2.11", "10.110.0.11");
        api.addDroplet(102, "edge2", List.of("edge"), "192.0.2.12", "10.110.0.12");
        api.addDroplet(201, "central", List.of("central"), "192.0.2.21", "10.110.0.21");
        ctx = ModuleContext.forTest(StandInTests.vars(api), List.of());
    }

    @AfterEach
    void stop() {
        StandInTests.assertConformsToContract(api);
        api.close();
    }

    /** The central firewall of the monitoring stack, written as an operator would (ports "all", "/32", any order). */
    private static Args central() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("name", "central");
        a.put("inbound_rules", List.of(
                rule("tcp", "80", "sources", Map.of("addresses", List.of("0.0.0.0/0", "::/0"))),
                rule("tcp", 443, "sources", Map.of("addresses", List.of("::/0", "0.0.0.0/0"))),
                rule("tcp", "22", "sources", Map.of("addresses", List.of("203.0.113.7/32"))),
                rule("tcp", "9090", "sources", Map.of("tags", List.of("edge"), "addresses", List.of("10.110.0.0/20"))),
                rule("icmp", null, "sources", Map.of("addresses", List.of("0.0.0.0/0")))));
        a.put("outbound_rules", List.of(
                rule("tcp", "all", "destinations", Map.of("addresses", List.of("0.0.0.0/0", "::/0"))),
                rule("udp", "1-65535", "destinations", Map.of("addresses", List.of("0.0.0.0/0", "::/0")))));
        a.put("droplet_ids", List.of(201));
        a.put("tags", List.of("central"));
        return new Args(a);
    }

    private static Map<String, Object> rule(String protocol, Object ports, String targetKey, Map<String, Object> target) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("protocol", protocol);
        if (ports != null) r.put("ports", ports);
        r.put(targetKey, target);
        return r;
    }

    /** What HostRun does for the task: check the arguments, read the firewall (the facts step), plan from it. */
    private Outcome plan(Args args) {
        return LocalFactModule.readAndPlan(module, args, ctx);
    }

    /** What HostRun.applyChange does with a change's effects. */
    private static void apply(Outcome o) throws Exception {
        for (LocalEffect e : o.change().effects()) e.run();
    }

    private static Args with(Args base, String key, Object value) {
        Map<String, Object> a = new LinkedHashMap<>(base.values());
        a.put(key, value);
        return new Args(a);
    }

    @Test
    void createsThenHasNothingToDo() throws Exception {
        Outcome planned = plan(central());
        assertFalse(planned.failed(), planned.message());
        assertEquals(Action.CREATE, planned.change().action());
        assertEquals("create firewall 'central' (7 rules: 5 inbound, 2 outbound)", planned.message());
        assertEquals(List.of(), api.writes(), "plan writes nothing");
        LocalEffect post = planned.change().effects().get(0);
        assertEquals("POST /v2/firewalls (create firewall 'central')", post.description());
        assertEquals("POST", post.data().get("method"));

        apply(planned);
        ObjectNode stored = api.firewallNamed("central");
        assertEquals("0", stored.get("outbound_rules").get(0).get("ports").asText(), "the API spells all ports \"0\"");
        assertEquals("0", stored.get("inbound_rules").get(4).get("ports").asText(), "and ICMP too");

        Outcome again = plan(central());
        assertEquals(Action.NOOP, again.change().action(), () -> again.change().diffs().toString());
        assertEquals("firewall 'central' is as wanted", again.message());
        assertEquals(stored.get("id").asText(), again.result().get("id"));
    }

    @Test
    void aConvergedFirewallInTheApisOwnSpellingShowsNoChange() throws Exception {
        // The perpetual diff Terraform's provider had: the API answers "0" for "all"/"1-65535", drops "/32",
        // spells IPv6 its own way and orders rules and sources as it likes. None of it is a change.
        api.putFirewall((ObjectNode) JSON.readTree("""
                {"name":"central","status":"succeeded","created_at":"2026-01-01T00:00:00Z","pending_changes":[],
                 "inbound_rules":[
                   {"protocol":"icmp","ports":"0","sources":{"addresses":["0.0.0.0/0"]}},
                   {"protocol":"tcp","ports":"9090","sources":{"addresses":["10.110.0.0/20"],"tags":["edge"]}},
                   {"protocol":"tcp","ports":"22","sources":{"addresses":["203.0.113.7"]}},
                   {"protocol":"tcp","ports":"443","sources":{"addresses":["0.0.0.0/0","0:0:0:0:0:0:0:0/0"]}},
                   {"protocol":"tcp","ports":"80","sources":{"addresses":["::/0","0.0.0.0/0"],"droplet_ids":[],"tags":[]}}],
                 "outbound_rules":[
                   {"protocol":"udp","ports":"0","destinations":{"addresses":["::/0","0.0.0.0/0"]}},
                   {"protocol":"tcp","ports":"0","destinations":{"addresses":["0.0.0.0/0","::/0"]}}],
                 "droplet_ids":[201],"tags":["central"]}"""));
        Outcome o = plan(central());
        assertEquals(Action.NOOP, o.change().action(), () -> o.change().diffs().toString());
        assertEquals(List.of(), api.writes());
    }

    @Test
    void aRuleAddedByHandIsPlannedForRemovalAndAFullPutRestoresTheFirewall() throws Exception {
        apply(plan(central()));
        ObjectNode stored = api.firewallNamed("central");
        ((ArrayNode) stored.get("inbound_rules")).addObject().put("protocol", "tcp").put("ports", "5432")
                .putObject("sources").putArray("addresses").add("198.51.100.0/24");
        api.clearLog();

        Outcome drift = plan(central());
        assertEquals(Action.UPDATE, drift.change().action());
        assertEquals("update firewall 'central' (-1 inbound rule)", drift.message());
        assertEquals(List.of(Diff.attributes("digitalocean_firewall.central", Map.of("inbound rule", "tcp 5432 from 198.51.100.0/24"), Map.of())),
                drift.change().diffs());
        assertEquals(List.of(), api.writes(), "plan writes nothing");

        apply(drift);
        DigitalOceanStandIn.Exchange put = api.writes().get(0);
        assertEquals("PUT", put.method());
        assertEquals("/v2/firewalls/" + stored.get("id").asText(), put.path());
        assertEquals(5, put.requestBody().get("inbound_rules").size());
        assertEquals("[201]", put.requestBody().get("droplet_ids").toString(), "the full representation, not a patch");
        assertEquals(Action.NOOP, plan(central()).change().action());
    }

    @Test
    void planShowsRuleLevelAddsAndRemovalsAndMembers() throws Exception {
        apply(plan(central()));
        List<Object> inbound = new ArrayList<>((List<?>) central().values().get("inbound_rules"));
        inbound.set(2, rule("tcp", "22", "sources", Map.of("addresses", List.of("203.0.113.8"))));
        Args changed = with(with(with(central(), "inbound_rules", inbound), "droplet_ids", List.of(201, 101)), "tags", List.of());

        Outcome o = plan(changed);
        assertEquals("update firewall 'central' (+1 inbound rule, -1 inbound rule, droplet_ids, tags)", o.message());
        String resource = "digitalocean_firewall.central";
        assertEquals(List.of(
                Diff.attributes(resource, Map.of("inbound rule", "tcp 22 from 203.0.113.7"), Map.of()),
                Diff.attributes(resource, Map.of(), Map.of("inbound rule", "tcp 22 from 203.0.113.8")),
                Diff.attributes(resource, Map.of("droplet_ids", "201"), Map.of("droplet_ids", "101, 201")),
                Diff.attributes(resource, Map.of("tags", "central"), Map.of())), o.change().diffs());
        apply(o);
        assertEquals(Action.NOOP, plan(changed).change().action());
    }

    @Test
    void deletesAndThenIsAbsent() throws Exception {
        apply(plan(central()));
        Args absent = new Args(Map.of("name", "central", "state", "absent"));
        Outcome o = plan(absent);
        assertEquals(Action.DELETE, o.change().action());
        assertEquals("delete firewall 'central'", o.message());
        assertEquals(Diff.attributes("digitalocean_firewall.central", Map.of("state", "present"), Map.of("state", "absent")), o.change().diffs().get(0));
        apply(o);
        assertNull(api.firewallNamed("central"));
        assertEquals("DELETE", api.writes().get(api.writes().size() - 1).method());
        Outcome again = plan(absent);
        assertEquals(Action.NOOP, again.change().action());
        assertEquals("firewall 'central' is absent", again.message());
    }

    @Test
    void overLimitFirewallsAreRefusedBeforeAnyRequest() {
        Outcome o = plan(with(central(), "droplet_ids", List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)));
        assertTrue(o.failed());
        assertEquals("firewall 'central' names 11 droplets; DigitalOcean allows at most 10 by id per firewall (use tags for more)", o.message());
        assertEquals(List.of(), api.log(), "not a single request");
        assertEquals(List.of(o.message()), module.crossCheck(with(central(), "droplet_ids", List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)).values()),
                "a literal firewall is refused when the playbook is loaded");
    }

    @Test
    void anApiRefusalNamesTheRequestAndTheApisMessage() {
        Outcome o = plan(with(central(), "tags", List.of("no-such-tag")));
        assertEquals("POST /v2/firewalls (create firewall 'central')", o.change().effects().get(0).description());
        DigitalOceanException e = org.junit.jupiter.api.Assertions.assertThrows(DigitalOceanException.class, () -> apply(o));
        assertEquals(422, e.status());
        assertTrue(e.getMessage().startsWith("422 unprocessable_entity: tag 'no-such-tag' does not exist (request id "), e.getMessage());
    }

    @Test
    void theTokenIsInNoPlanDataDescriptionOrMessage() throws Exception {
        Outcome o = plan(central());
        String everything = o.message() + o.change().diffs() + o.change().effects().stream().map(e -> e.description() + e.data()).toList();
        assertFalse(everything.contains(DigitalOceanStandIn.TOKEN));
        Outcome bad = LocalFactModule.readAndPlan(module, central(), ModuleContext.forTest(Map.of(ApiAccess.URL_VARIABLE, api.url(),
                ApiAccess.TOKEN_VARIABLE, "dop_v1_not_the_right_one"), List.of()));
        assertTrue(bad.failed());
        assertEquals("cannot read firewall 'central': GET /v2/firewalls?per_page=200: 401 unauthorized: Unable to authenticate you.",
                bad.message().replaceAll(" \\(request id [^)]*\\)", ""));
        assertFalse(bad.message().contains("dop_v1_not_the_right_one"));
    }
}
