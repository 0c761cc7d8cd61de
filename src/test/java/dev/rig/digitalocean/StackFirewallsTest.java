package dev.rig.digitalocean;

import dev.rig.testkit.LabHosts;
import dev.rig.testkit.Rig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.lab.LabFleet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The monitoring stack's firewalls, derived from the inventory, in `rig plan playbooks/site.yml` next to
 * the hosts' changes: real sshd hosts (central and two edges, testkit.LabHosts) and the DigitalOcean
 * stand-in. The inventory's private_ip and do_id values are what the droplet inventory would set; the
 * 10.110.x addresses only go into firewall rules and rendered configs, nothing connects to them.
 */
@Tag("integration")
class StackFirewallsTest {
    static final Path SITE = Path.of("playbooks/site.yml").toAbsolutePath();
    static final String OPERATOR = "203.0.113.7/32";

    @RegisterExtension
    static final LabHosts lab = LabHosts.named("fw-central", "fw-edge-vpc", "fw-edge-https")
            .group("central", "fw-central").group("edge", "fw-edge-vpc", "fw-edge-https");
    static DigitalOceanStandIn api;
    static LabFleet fleet;
    static Path inventory;
    static Path secrets;

    @BeforeAll
    static void inventory() throws IOException {
        fleet = lab.fleet();
        inventory = lab.inventory();
        lab.writeInventoryFile("host_vars/fw-central.yml", "do_id: 201\nprivate_ip: 10.110.0.21\n");
        lab.writeInventoryFile("host_vars/fw-edge-vpc.yml", "do_id: 101\nprivate_ip: 10.110.0.11\nmonitoring_transport: vpc\n");
        lab.writeInventoryFile("host_vars/fw-edge-https.yml", "monitoring_transport: https   # a VPS outside DigitalOcean: no droplet\n");
        lab.writeInventoryFile("group_vars/all.yml", "monitoring_domain: monitoring.example.com\noperator_cidrs: [\"" + OPERATOR + "\"]\n"
                + "monitoring_edge_tag: monitoring-edge\ndocker_install_source: distro\nmonitoring_edge_inbound_rules: []\n");
        secrets = Files.writeString(lab.dir().resolve("secrets.yml"), "grafana_admin_password: fw-grafana-secret-1\nmonitoring_push_password: fw-push-secret-22\n");
    }

    /** Each test has a stand-in of its own with the two droplets and no firewall yet. */
    @BeforeEach
    void api() throws IOException {
        api = DigitalOceanStandIn.start();
        api.addDroplet(201, "central", List.of("monitoring-central"), "192.0.2.21", "10.110.0.21");
        api.addDroplet(101, "edge-vpc", List.of("monitoring-edge"), "192.0.2.11", "10.110.0.11");
    }

    @AfterEach
    void stop() {
        try {
            StandInTests.assertConformsToContract(api);
        } finally {
            api.close();
        }
    }

    static Rig rig(String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "-i", inventory.toString(), "--known-hosts", fleet.knownHosts().toString(),
                "-e", "@" + secrets, "-e", ApiAccess.URL_VARIABLE + "=" + api.url(), "-e", ApiAccess.TOKEN_VARIABLE + "=" + DigitalOceanStandIn.TOKEN));
        args.addAll(List.of(more));
        args.add(SITE.toString());
        Rig r = Rig.run(args);
        for (String secret : List.of(DigitalOceanStandIn.TOKEN, "fw-grafana-secret-1", "fw-push-secret-22")) {
            assertFalse(r.all().contains(secret), () -> "a secret was printed:\n" + r);
        }
        return r;
    }

    @Test
    void planOfTheSiteShowsFirewallChangesNextToHostChanges() {
        Rig plan = rig("plan", "--skip-tags", "docker");
        String out = plan.out();
        // the hosts' side: the central stack and the edge stacks would be pushed
        assertTrue(out.contains("change [fw-central] monitoring_central : Central stack (Caddy, Prometheus, Loki, Grafana, Alertmanager)"), plan::toString);
        assertTrue(out.contains("change [fw-edge-vpc] monitoring_edge : Edge stack"), plan::toString);
        // the API's side, derived from the inventory
        assertTrue(out.contains("change [localhost] monitoring_firewalls : Central firewall"), plan::toString);
        assertTrue(out.contains("create firewall 'monitoring-central'"), plan::toString);
        assertTrue(out.contains("inbound rule: tcp 9090 from 10.110.0.11, tag monitoring-edge"), plan::toString);
        assertTrue(out.contains("inbound rule: tcp 22 from " + OPERATOR.replace("/32", "")), plan::toString);
        assertTrue(out.contains("create firewall 'monitoring-edge'"), plan::toString);
        assertEquals(List.of(), api.writes(), "plan writes nothing");
    }

    @Test
    void applyOfTheFirewallsCoversTheInventorysDroplets() {
        Rig apply = rig("apply", "--yes", "-t", "firewall");
        assertEquals(0, apply.exit(), apply::toString);
        ObjectNode central = firewall("monitoring-central");
        assertEquals(Set.of("201"), texts(central.get("droplet_ids")));
        Set<String> metricsSources = new TreeSet<>();
        for (JsonNode rule : central.get("inbound_rules")) {
            if (rule.get("ports").asText().equals("9090") || rule.get("ports").asText().equals("3100")) {
                metricsSources.addAll(texts(rule.get("sources").get("addresses")));
                assertEquals(Set.of("monitoring-edge"), texts(rule.get("sources").get("tags")));
            }
            if (rule.get("ports").asText().equals("22")) assertEquals(Set.of(OPERATOR.replace("/32", "")), texts(rule.get("sources").get("addresses")));
        }
        assertEquals(Set.of("10.110.0.11"), metricsSources, "only the VPC-mode edge reaches Prometheus and Loki directly");
        ObjectNode edge = firewall("monitoring-edge");
        assertEquals(Set.of("101"), texts(edge.get("droplet_ids")), "the HTTPS edge is no droplet");
        assertEquals(Set.of("monitoring-edge"), texts(edge.get("tags")));
    }

    @Test
    void aSecondPlanShowsTheFirewallsConvergedAndTheHostsStillPending() {
        Rig apply = rig("apply", "--yes", "-t", "firewall");
        assertEquals(0, apply.exit(), apply::toString);
        int writes = api.writes().size();
        Rig plan = rig("plan", "--skip-tags", "docker");
        assertTrue(plan.out().contains("ok [localhost] monitoring_firewalls : Central firewall"), plan::toString);
        assertTrue(plan.out().contains("ok [localhost] monitoring_firewalls : Edge firewall"), plan::toString);
        assertTrue(plan.out().contains("change [fw-central] monitoring_central : Central stack"), plan::toString);
        assertEquals(writes, api.writes().size());
    }

    static ObjectNode firewall(String name) {
        return api.firewalls().stream().filter(f -> f.get("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no firewall " + name + " in " + api.firewalls()));
    }

    static Set<String> texts(JsonNode array) {
        Set<String> out = new TreeSet<>();
        if (array != null) array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
