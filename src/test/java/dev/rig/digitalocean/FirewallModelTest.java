package dev.rig.digitalocean;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Canonical forms: what the API rewrites must compare equal to what a playbook wrote; bad values are named. */
class FirewallModelTest {
    @ParameterizedTest
    @CsvSource({"tcp,all,0", "tcp,0,0", "tcp,1-65535,0", "udp,ALL,0", "tcp,22,22", "tcp,80-80,80", "tcp,8000-9000,8000-9000",
            "icmp,,0", "icmp,0,0", "icmp,all,0"})
    void portsHaveOneSpelling(String protocol, String ports, String canonical) {
        assertEquals(canonical, FirewallRule.canonicalPorts(protocol, ports, "ports"));
    }

    @ParameterizedTest
    @CsvSource({"tcp,,is required for tcp rules", "tcp,70000,is not a port range", "tcp,90-80,is not a port range",
            "tcp,http,must be a port", "icmp,22,icmp rules have no ports"})
    void badPortsAreRefused(String protocol, String ports, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FirewallRule.canonicalPorts(protocol, ports, "ports"));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.5/32,10.0.0.5", "10.1.2.3/8,10.0.0.0/8", "0.0.0.0/0,0.0.0.0/0", " 192.0.2.1 ,192.0.2.1",
            "::/0,::/0", "0::/0,::/0", "2001:DB8:0:0:0:0:0:1/128,2001:db8::1", "2001:db8:0:0:1:0:0:1,2001:db8::1:0:0:1",
            "2001:db8::ff/64,2001:db8::/64", "fe80:0:0:0:1:0:0:0,fe80::1:0:0:0"})
    void addressesHaveOneSpelling(String written, String canonical) {
        assertEquals(canonical, Addresses.canonical(written));
    }

    @ParameterizedTest
    @CsvSource({"example.com", "10.0.0.256", "10.0.0.0/33", "::/129", "1.2.3"})
    void badAddressesAreRefused(String written) {
        assertThrows(IllegalArgumentException.class, () -> Addresses.canonical(written));
    }

    @Test
    void aRuleIsTheSameWhateverTheOrderAndSpellingOfItsSources() {
        FirewallRule playbook = FirewallRule.parse(Map.of("protocol", "TCP", "ports", "1-65535",
                "sources", Map.of("addresses", List.of("::/0", "10.0.0.7/32", "0.0.0.0/0"), "tags", List.of("web", "edge"))),
                FirewallRule.Direction.INBOUND, "inbound_rules[1]");
        FirewallRule api = FirewallRule.parse(Map.of("protocol", "tcp", "ports", "0",
                "sources", Map.of("addresses", List.of("0.0.0.0/0", "10.0.0.7", "0::/0"), "tags", List.of("edge", "web"), "droplet_ids", List.of())),
                FirewallRule.Direction.INBOUND, "inbound_rules[1]");
        assertEquals(playbook, api);
        assertEquals("tcp all ports from 0.0.0.0/0, 10.0.0.7, ::/0, tag edge, tag web", api.describe(FirewallRule.Direction.INBOUND));
    }

    @Test
    void aFirewallFromTheApiEqualsThePlaybooksWhenItMeansTheSame() throws Exception {
        Firewall desired = Firewall.desired("edge", List.of(
                        Map.of("protocol", "tcp", "ports", 22, "sources", Map.of("addresses", List.of("203.0.113.7/32"))),
                        Map.of("protocol", "icmp", "sources", Map.of("addresses", List.of("0.0.0.0/0")))),
                List.of(Map.of("protocol", "udp", "ports", "all", "destinations", Map.of("addresses", List.of("0.0.0.0/0")))),
                List.of(3, "1"), List.of("edge"));
        Firewall fromApi = Firewall.fromApi(new ObjectMapper().readTree("""
                {"id":"bb4b2611-3d72-467b-8602-280330ecd65c","name":"edge","status":"succeeded",
                 "inbound_rules":[{"protocol":"icmp","ports":"0","sources":{"addresses":["0.0.0.0/0"]}},
                                  {"protocol":"tcp","ports":"22","sources":{"addresses":["203.0.113.7"]}}],
                 "outbound_rules":[{"protocol":"udp","ports":"0","destinations":{"addresses":["0.0.0.0/0"]}}],
                 "created_at":"2026-01-02T03:04:05Z","droplet_ids":[1,3],"tags":["edge"],"pending_changes":[]}"""));
        assertEquals(desired.inbound(), fromApi.inbound());
        assertEquals(desired.outbound(), fromApi.outbound());
        assertEquals(desired.dropletIds(), fromApi.dropletIds());
        assertEquals(desired.tags(), fromApi.tags());
    }

    @Test
    void mistakesNameTheirPlace() {
        assertMessage("inbound_rules[1]: unknown key 'source'", () -> Firewall.desired("fw",
                List.of(Map.of("ports", 22, "source", Map.of())), null, null, null));
        assertMessage("outbound_rules[1] needs destinations", () -> Firewall.desired("fw",
                null, List.of(Map.of("ports", 22)), null, null));
        assertMessage("inbound_rules[1].sources.addresses[2]: 'nope' is not an IP address", () -> Firewall.desired("fw",
                List.of(Map.of("ports", 22, "sources", Map.of("addresses", List.of("10.0.0.1", "nope")))), null, null, null));
        assertMessage("inbound_rules[1].sources names nothing", () -> Firewall.desired("fw",
                List.of(Map.of("ports", 22, "sources", Map.of())), null, null, null));
        assertMessage("droplet_ids[1]: 'web1' is not a droplet id", () -> Firewall.desired("fw", null, null, List.of("web1"), null));
        assertMessage("firewall name 'my_fw' must start with a letter or digit", () -> Firewall.desired("my_fw", null, null, null, null));
    }

    @Test
    void limitsAreCountedOnTheDesiredFirewall() {
        List<Map<String, Object>> rules = new java.util.ArrayList<>();
        for (int port = 1; port <= 51; port++) rules.add(Map.of("ports", port, "sources", Map.of("addresses", List.of("0.0.0.0/0"))));
        List<String> manyAddresses = new java.util.ArrayList<>();
        for (int i = 0; i < 1001; i++) manyAddresses.add("10.0." + (i / 256) + "." + (i % 256));
        Firewall f = Firewall.desired("big", rules, List.of(Map.of("ports", "all", "destinations", Map.of("addresses", manyAddresses))),
                List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), List.of("a", "b", "c", "d", "e", "f"));
        List<String> problems = f.limitProblems();
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("has 52 rules (51 inbound, 1 outbound); DigitalOcean allows at most 50"), problems.get(0));
        assertTrue(problems.get(1).contains("names 11 droplets; DigitalOcean allows at most 10"), problems.get(1));
        assertTrue(problems.get(2).contains("names 6 tags; DigitalOcean allows at most 5"), problems.get(2));
        assertTrue(problems.get(3).contains("outbound_rules[1] (tcp 0) has 1001 addresses; DigitalOcean allows at most 1000"), problems.get(3));
        assertEquals(List.of("firewall 'empty' has no rules; DigitalOcean needs at least one inbound or outbound rule"),
                Firewall.desired("empty", null, null, null, null).limitProblems());
    }

    private static void assertMessage(String expected, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
