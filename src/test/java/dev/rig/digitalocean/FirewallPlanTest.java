package dev.rig.digitalocean;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.facts.LocalFact;
import dev.rig.modules.Args;
import dev.rig.modules.DigitalOceanFirewallModule;
import dev.rig.modules.LocalFactModule;
import dev.rig.modules.ModuleContext;
import dev.rig.modules.Outcome;
import dev.rig.plan.Action;
import dev.rig.plan.Diff;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * digitalocean_firewall's plan as a pure function of the arguments and the {@link CurrentFirewall}
 * fact: no API, no network. The requests it plans are values, compared as such. (Reading and sending
 * against the stand-in: DigitalOceanFirewallModuleTest.)
 */
class FirewallPlanTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ApiAccess API = new ApiAccess(URI.create("http://127.0.0.1:9"), "dop_v1_test");
    private final DigitalOceanFirewallModule module = new DigitalOceanFirewallModule();
    private final ModuleContext ctx = ModuleContext.forTest(Map.of(ApiAccess.URL_VARIABLE, "http://127.0.0.1:9",
            ApiAccess.TOKEN_VARIABLE, "dop_v1_test"), List.of());

    private static Args args(Object... kv) {
        Map<String, Object> a = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) a.put((String) kv[i], kv[i + 1]);
        return new Args(a);
    }

    private static Args web() {
        return args("name", "web", "inbound_rules", List.of(Map.of("protocol", "tcp", "ports", "443",
                        "sources", Map.of("addresses", List.of("0.0.0.0/0")))),
                "outbound_rules", List.of(Map.of("protocol", "tcp", "ports", "all",
                        "destinations", Map.of("addresses", List.of("0.0.0.0/0")))),
                "tags", List.of("web"));
    }

    private static Firewall stored(String json) throws Exception {
        return Firewall.fromApi(JSON.readTree(json));
    }

    private CurrentFirewall none(String name) {
        return new CurrentFirewall(API, name, Optional.empty());
    }

    @Test
    void anAbsentFirewallIsCreatedByOnePostOfTheFullFirewall() {
        Outcome o = module.plan(web(), none("web"), ctx);
        assertEquals(Action.CREATE, o.change().action());
        assertEquals("create firewall 'web' (2 rules: 1 inbound, 1 outbound)", o.message());
        Firewall desired = Firewall.desired("web", web().values().get("inbound_rules"), web().values().get("outbound_rules"), null, List.of("web"));
        assertEquals(List.of(new ApiRequest(API, "POST", "/v2/firewalls", desired.requestBody(), "create firewall 'web'")), o.change().effects());
        assertEquals(List.of(), o.change().commands(), "nothing runs on a host");
    }

    @Test
    void theApisOwnSpellingOfTheSameFirewallIsNoChange() throws Exception {
        Firewall f = stored("""
                {"id":"fw-1","name":"web","tags":["web"],"droplet_ids":[],
                 "inbound_rules":[{"protocol":"tcp","ports":"443","sources":{"addresses":["0.0.0.0/0"],"tags":[]}}],
                 "outbound_rules":[{"protocol":"tcp","ports":"0","destinations":{"addresses":["0.0.0.0/0"]}}]}""");
        Outcome o = module.plan(web(), new CurrentFirewall(API, "web", Optional.of(f)), ctx);
        assertEquals(Action.NOOP, o.change().action(), () -> o.change().diffs().toString());
        assertEquals("firewall 'web' is as wanted", o.message());
        assertEquals(Map.of("id", "fw-1"), o.result());
    }

    @Test
    void aDifferentRuleIsOnePutOfTheWholeDesiredFirewall() throws Exception {
        Firewall f = stored("""
                {"id":"fw-1","name":"web","tags":["web"],"droplet_ids":[],
                 "inbound_rules":[{"protocol":"tcp","ports":"80","sources":{"addresses":["0.0.0.0/0"]}}],
                 "outbound_rules":[{"protocol":"tcp","ports":"0","destinations":{"addresses":["0.0.0.0/0"]}}]}""");
        Outcome o = module.plan(web(), new CurrentFirewall(API, "web", Optional.of(f)), ctx);
        assertEquals(Action.UPDATE, o.change().action());
        assertEquals("update firewall 'web' (+1 inbound rule, -1 inbound rule)", o.message());
        assertEquals(List.of(Diff.attributes("digitalocean_firewall.web", Map.of("inbound rule", "tcp 80 from 0.0.0.0/0"), Map.of()),
                Diff.attributes("digitalocean_firewall.web", Map.of(), Map.of("inbound rule", "tcp 443 from 0.0.0.0/0"))), o.change().diffs());
        ApiRequest put = (ApiRequest) o.change().effects().get(0);
        assertEquals("PUT /v2/firewalls/fw-1 (update firewall 'web')", put.description());
        assertEquals(List.of("name", "inbound_rules", "outbound_rules", "droplet_ids", "tags"), List.copyOf(put.body().keySet()));
        assertEquals(API, put.api(), "the request goes to the API the firewall was read from");
        assertTrue(!JSON.valueToTree(put).toString().contains("dop_v1_test") && !put.toString().contains("dop_v1_test")
                && !put.data().toString().contains("dop_v1_test"), "the token is in no rendering of the request");
    }

    @Test
    void absentDeletesWhatIsThereAndIsDoneWhenNothingIs() throws Exception {
        Firewall f = stored("""
                {"id":"fw-9","name":"web","inbound_rules":[{"protocol":"icmp","sources":{"addresses":["0.0.0.0/0"]}}]}""");
        Args absent = args("name", "web", "state", "absent");
        Outcome o = module.plan(absent, new CurrentFirewall(API, "web", Optional.of(f)), ctx);
        assertEquals(Action.DELETE, o.change().action());
        assertEquals(List.of(new ApiRequest(API, "DELETE", "/v2/firewalls/fw-9", null, "delete firewall 'web'")), o.change().effects());
        assertEquals(List.of(Diff.attributes("digitalocean_firewall.web", Map.of("state", "present"), Map.of("state", "absent")),
                Diff.attributes("digitalocean_firewall.web", Map.of("inbound rule", "icmp from 0.0.0.0/0"), Map.of())), o.change().diffs());
        Outcome gone = module.plan(absent, none("web"), ctx);
        assertEquals(Action.NOOP, gone.change().action());
        assertEquals("firewall 'web' is absent", gone.message());
    }

    @Test
    void overLimitIsRefusedInTheFactsStepSoNothingIsRead() {
        Args tooMany = args("name", "web", "inbound_rules", web().values().get("inbound_rules"), "tags", List.of("a", "b", "c", "d", "e", "f"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> module.localFact(tooMany, ctx));
        assertEquals("firewall 'web' names 6 tags; DigitalOcean allows at most 5 per firewall", e.getMessage());
        Outcome o = LocalFactModule.readAndPlan(module, tooMany, ctx);
        assertTrue(o.failed());
        assertEquals(e.getMessage(), o.message());
        assertEquals(o.message(), module.plan(tooMany, none("web"), ctx).message(), "plan refuses it too");
    }

    @Test
    void theEngineReadsTheFactOnceAndPlansFromIt() {
        AtomicInteger reads = new AtomicInteger();
        LocalFactModule<CurrentFirewall> counting = new CountingModule(reads, none("web"));
        Outcome o = LocalFactModule.readAndPlan(counting, web(), ctx);
        assertEquals(1, reads.get());
        assertEquals(Action.CREATE, o.change().action());
    }

    @Test
    void aProbeTextPlanIsRefusedNotIgnored() {
        assertThrows(IllegalStateException.class, () -> module.plan(web(), (String) null, ctx));
    }

    /** The real module, with the read replaced by a value: what the engine does between the steps is under test. */
    private final class CountingModule implements LocalFactModule<CurrentFirewall> {
        private final AtomicInteger reads;
        private final CurrentFirewall fact;

        CountingModule(AtomicInteger reads, CurrentFirewall fact) {
            this.reads = reads;
            this.fact = fact;
        }

        @Override
        public String name() {
            return module.name();
        }

        @Override
        public List<dev.rig.playbook.ArgSpec> args() {
            return module.args();
        }

        @Override
        public LocalFact<CurrentFirewall> localFact(Args args, ModuleContext ctx) {
            module.localFact(args, ctx); // the same checks, not the same read
            return () -> {
                reads.incrementAndGet();
                return fact;
            };
        }

        @Override
        public Outcome plan(Args args, CurrentFirewall current, ModuleContext ctx) {
            return module.plan(args, current, ctx);
        }
    }
}
